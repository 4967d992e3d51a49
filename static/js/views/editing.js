// Editing values in the diagram: click (or Enter or Space on a focused element) opens a small
// input over it; dragging scrubs the value; + and − nudge it (the arrows move between
// elements: views/diagram-keys.js). A value that is not a number, too large or out of range
// keeps its editor open with a message saying so, never dropped silently. Every change goes to
// the store, which recomputes through the API (throttled to the server, latest edit wins).
// An editable element carries data-editable (its id) and data-address (the number it shows).

import { checkNumber, exact, toNumber } from "../format.js";
import { getValue } from "../netedit.js";
import { h } from "./dom.js";

const SCRUB_START_PX = 4;
// The store's reasons that show an edit: its answer, the edit on its own (after the store's
// grace, or a structural change), or the server's error.
const EDIT_SHOWN = new Set(["response", "request", "error"]);
// An editor closing with its edit goes after this long whatever happens (the store shows
// every edit within its grace, so this never decides in practice).
const CLOSE_FALLBACK_MS = 500;

export function mountEditing(root, store) {
  let drag = null;
  let editor = null;

  const addressOf = (ref) => root.querySelector(`[data-editable="${ref}"]`)?.getAttribute("data-address");
  const current = (ref) => getValue(store.state.reg, store.state.request, addressOf(ref));
  const isClass = (ref) => store.state.reg.addresses.parse(addressOf(ref))?.q === "c";
  const classes = () => store.state.request.network.layers.at(-1).units;
  // A nudge of about a tenth of the value's order of magnitude: 0.1 below 10, 1 up to 100…
  const nudgeStep = (v) => 0.1 * 10 ** Math.max(0, Math.floor(Math.log10(Math.abs(v) || 1)));
  const round = (v, ref) => (isClass(ref) ? Math.min(classes() - 1, Math.max(0, Math.round(v))) : Math.round(v * 1e4) / 1e4);
  const set = (ref, value) => store.setValue(addressOf(ref), value);

  root.addEventListener("pointerdown", (e) => {
    const target = e.target.closest("[data-editable]");
    // An editor left open with a refused value is closed by a click on another element; one
    // waiting to close with its edit's repaint goes at once.
    if (editor?.closing) editor.closing();
    if (editor && !editor.contains(e.target) && editor.dataset.stale !== undefined) editor.close?.();
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
    const up = e.key === "+" || e.key === "=";
    const down = e.key === "-" || e.key === "_" || e.key === "−";
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      e.stopPropagation();
      open(ref, target);
    } else if (up || down) {
      e.preventDefault();
      e.stopPropagation();
      const v = toNumber(current(ref));
      const step = isClass(ref) ? 1 : nudgeStep(v);
      const next = round(v + (up ? step : -step), ref);
      if (!isClass(ref) || next < classes()) set(ref, next);
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
    const hint = h("span", { class: "editor-hint", role: "alert", "data-editor-hint": "" });
    const shell = (editor = h("div", { class: "editor" }, input, hint));
    const width = 170;
    const left = Math.min(Math.max(0, box.left - host.left + box.width / 2 - width / 2), host.width - width);
    editor.style.left = `${left}px`;
    editor.style.top = `${Math.max(0, box.top - host.top + box.height / 2 - 24)}px`;
    root.append(editor);
    store.set({ editing: ref }, "editing");
    input.focus();
    input.select();

    let done = false; // closed, or closing with its edit's repaint
    editor.close = () => close(false);
    const close = (refocus) => {
      if (done) return;
      done = true;
      finish(refocus);
    };
    const finish = (refocus) => {
      // Focus moves back before the editor goes: removing a focused field makes the browser
      // lay the page out at once to refocus, and focus() would lay it out a second time.
      // (Not if the hand moved it elsewhere while the editor waited for its edit's repaint.)
      if (refocus && shell.contains(document.activeElement)) root.querySelector(`[data-editable="${ref}"]`)?.focus({ preventScroll: true });
      shell.remove();
      if (editor === shell) editor = null;
      store.set({ editing: null }, "editing");
    };
    // A value sent by Enter: the editor goes with the edit's own repaint — its answer, or the
    // edit shown without it after the store's grace — once every view has drawn it. The page
    // then renders once per typed value, not twice (the editor's close, then the numbers), and
    // the old number never shows in between. Keys typed meanwhile go nowhere.
    const closeWithEdit = () => {
      done = true;
      const stop = () => {
        store.removeEventListener("change", shown);
        clearTimeout(fallback);
        shell.closing = null;
      };
      const shown = (e) => {
        if (!EDIT_SHOWN.has(e.detail.reason)) return;
        stop();
        queueMicrotask(() => finish(true)); // after the other views' listeners
      };
      const fallback = setTimeout(() => shown({ detail: { reason: "request" } }), CLOSE_FALLBACK_MS);
      store.addEventListener("change", shown);
      // A click on the diagram meanwhile (another element to edit) does not wait.
      shell.closing = () => {
        stop();
        finish(false);
      };
    };
    const commit = () => {
      const limits = isClass(ref) ? { integer: true, min: 0, max: classes() - 1 } : {};
      const checked = checkNumber(input.value, limits);
      if (checked.error) {
        input.setAttribute("aria-invalid", "true");
        hint.textContent = checked.error;
        return false;
      }
      input.removeAttribute("aria-invalid");
      hint.textContent = "";
      const value = checked.value;
      if (value !== toNumber(current(ref))) set(ref, value);
      return true;
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation(); // the player's keys must not fire while typing
      if (done) e.preventDefault();
      else if (e.key === "Enter") {
        e.preventDefault();
        const before = store.state.request;
        if (!commit()) return;
        if (store.state.request === before) close(true); // the same value: nothing to wait for
        else closeWithEdit();
      } else if (e.key === "Escape") {
        e.preventDefault();
        close(true);
      }
    });
    // Leaving the field commits a good value; a bad one stays, with its message, until it
    // is fixed, Escape, or a click on another element of the diagram.
    input.addEventListener("blur", () => {
      if (done) return;
      if (commit()) close(false);
      else editor.dataset.stale = "";
    });
    input.addEventListener("focus", () => editor && delete editor.dataset.stale);
  }
}
