// Editing values in the diagram: click (or Enter on a focused element) opens a small
// input over it; dragging scrubs the value; arrow up/down nudges it. Every change goes to
// the store, which recomputes through the API (throttled to the server, latest edit wins).
// An editable element carries data-editable (its id) and data-address (the number it shows).

import { exact, parseInput, toNumber } from "../format.js";
import { getValue } from "../netedit.js";
import { h } from "./dom.js";

const SCRUB_START_PX = 4;

export function mountEditing(root, store) {
  let drag = null;
  let editor = null;

  const addressOf = (ref) => root.querySelector(`[data-editable="${ref}"]`)?.getAttribute("data-address");
  const current = (ref) => getValue(store.state.reg, store.state.request, addressOf(ref));
  const isClass = (ref) => store.state.reg.addresses.parse(addressOf(ref))?.q === "c";
  const round = (v, ref) => (isClass(ref) ? Math.max(0, Math.round(v)) : Math.round(v * 1e4) / 1e4);
  const set = (ref, value) => store.setValue(addressOf(ref), value);

  root.addEventListener("pointerdown", (e) => {
    const target = e.target.closest("[data-editable]");
    if (!target || e.button !== 0 || editor) return;
    const ref = target.getAttribute("data-editable");
    drag = { ref, target, x: e.clientX, y: e.clientY, start: toNumber(current(ref)), moved: false, id: e.pointerId };
    target.setPointerCapture?.(e.pointerId);
    e.preventDefault();
  });

  root.addEventListener("pointermove", (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = drag.y - e.clientY;
    if (!drag.moved && Math.hypot(dx, dy) < SCRUB_START_PX) return;
    drag.moved = true;
    root.classList.add("scrubbing");
    // Right or up increases; Shift scrubs ten times finer.
    const perPx = isClass(drag.ref) ? 0.05 : e.shiftKey ? 0.001 : 0.01;
    const value = round(drag.start + (dx + dy) * perPx, drag.ref);
    if (value !== toNumber(current(drag.ref))) set(drag.ref, value);
  });

  const endDrag = (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const { ref, target, moved } = drag;
    drag = null;
    root.classList.remove("scrubbing");
    if (!moved && e.type === "pointerup") open(ref, target);
  };
  root.addEventListener("pointerup", endDrag);
  root.addEventListener("pointercancel", endDrag);

  root.addEventListener("keydown", (e) => {
    const target = e.target.closest?.("[data-editable]");
    if (!target || editor || !target.getAttribute("data-editable")) return;
    const ref = target.getAttribute("data-editable");
    if (e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      open(ref, target);
    } else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      e.stopPropagation();
      const step = isClass(ref) ? 1 : e.shiftKey ? 0.01 : 0.1;
      set(ref, round(toNumber(current(ref)) + (e.key === "ArrowUp" ? step : -step), ref));
    }
  });

  function open(ref, target) {
    const box = target.getBoundingClientRect();
    const host = root.getBoundingClientRect();
    const label = target.getAttribute("aria-label")?.split("=")[0]?.trim() || ref;
    const input = h("input", {
      class: "value-editor",
      "data-editor": ref,
      type: "text",
      inputmode: "decimal",
      "aria-label": `New value for ${label}`,
      value: exact(current(ref)),
    });
    const hint = h("span", { class: "editor-hint", role: "status" });
    editor = h("div", { class: "editor" }, input, hint);
    const width = 170;
    const left = Math.min(Math.max(0, box.left - host.left + box.width / 2 - width / 2), host.width - width);
    editor.style.left = `${left}px`;
    editor.style.top = `${Math.max(0, box.top - host.top + box.height / 2 - 24)}px`;
    root.append(editor);
    store.set({ editing: ref }, "editing");
    input.focus();
    input.select();

    let done = false;
    const close = (refocus) => {
      if (done) return;
      done = true;
      editor?.remove();
      editor = null;
      store.set({ editing: null }, "editing");
      if (refocus) root.querySelector(`[data-editable="${ref}"]`)?.focus({ preventScroll: true });
    };
    const commit = () => {
      const v = parseInput(input.value);
      if (v === null) {
        input.setAttribute("aria-invalid", "true");
        hint.textContent = "Type a number, e.g. 0.5 or −1.2";
        return false;
      }
      const value = isClass(ref) ? Math.max(0, Math.round(v)) : v;
      if (value !== toNumber(current(ref))) set(ref, value);
      return true;
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation(); // the player's keys must not fire while typing
      if (e.key === "Enter") {
        e.preventDefault();
        if (commit()) close(true);
      } else if (e.key === "Escape") {
        e.preventDefault();
        close(true);
      }
    });
    input.addEventListener("blur", () => {
      if (!done && commit()) close(false);
      else if (!done) close(false);
    });
  }
}
