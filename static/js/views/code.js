// The code view: the runnable PyTorch script for the current request (POST /api/code), with a
// Copy and a Download button. Fetched when the tab is shown and when an edit has settled (an
// answer came with nothing newer pending), never per drag frame. The lines that name the
// tensor hovered or selected in any view are marked, and hovering a line marks its tensor there.

import * as api from "../api.js";
import { lineNames, linkMarks, tensorOfAddress, tensorOfLine } from "../linking.js";
import { isShown } from "./tabs.js";
import { h, setText } from "./dom.js";

const FILE = "backprop_lab_step.py";

export function mountCode(root, store) {
  const status = h("span", { class: "code-status", "data-copied": "", "aria-live": "polite" });
  const copy = h("button", { type: "button", "data-control": "copy-code", onclick: () => copyText() }, "Copy");
  const download = h("button", { type: "button", "data-control": "download-code", onclick: () => save() }, "Download .py");
  const code = h("code", { "data-code": "" });
  const pre = h("pre", { class: "code", tabindex: 0, "aria-label": "PyTorch code for this step" }, code);
  root.append(h("div", { class: "torch-bar" }, copy, download, status,
    h("p", { class: "torch-note" }, "The same step in plain PyTorch: run it with python and it prints the loss, the gradients and the updated weights this page shows.")), pre);
  let text = "";
  let shownFor = null; // the body the script was made for
  let ask = 0;

  async function refresh() {
    const { request, response, pending } = store.state;
    if (!request || !isShown(store, "code") || pending || !response) return;
    const body = store.body();
    const key = JSON.stringify(body);
    if (key === shownFor) return;
    shownFor = key;
    const mine = (ask += 1);
    root.dataset.loading = "";
    try {
      const script = await api.code(body);
      if (mine !== ask) return;
      text = script;
      code.replaceChildren(...script.split("\n").map((line) => h("span", { class: "code-line" }, `${line}\n`)));
      code.dataset.for = String(mine);
      mark();
      setText(status, "");
    } catch (err) {
      if (mine !== ask) return;
      shownFor = null;
      text = "";
      code.replaceChildren();
      setText(status, `No code: ${err.message}`);
    } finally {
      if (mine === ask) delete root.dataset.loading;
    }
  }

  // The lines of the tensor hovered (.hl), of the one selected (.focus) in any view (linking.js), and
  // of the tensor the player's step computes (.current: its layer's forward line, its weight or bias).
  function mark() {
    const { hoverKey, focusKey } = linkMarks(store.state);
    const stepKey = store.state.response ? tensorOfAddress(store.steps[store.state.step]?.target) : null;
    for (const line of code.children) {
      line.classList.toggle("hl", lineNames(line.textContent, hoverKey));
      line.classList.toggle("focus", lineNames(line.textContent, focusKey));
      line.classList.toggle("current", lineNames(line.textContent, stepKey));
    }
    // Those lines in sight (the script scrolls under its bar), unless the pointer is on the script itself.
    if (isShown(store, "code") && !pointerIn) code.querySelector(".hl, .focus, .current")?.scrollIntoView?.({ block: "nearest" });
  }

  let pointerIn = false;
  const lineOf = (e) => e.target.closest?.(".code-line");
  pre.addEventListener("pointerover", (e) => {
    pointerIn = true;
    store.setHoverTensor(lineOf(e) ? tensorOfLine(lineOf(e).textContent) : null);
  });
  pre.addEventListener("pointerleave", () => {
    pointerIn = false;
    store.setHoverTensor(null);
  });
  // A click on a line naming a parameter selects that tensor in every view.
  pre.addEventListener("click", (e) => {
    const key = lineOf(e) ? tensorOfLine(lineOf(e).textContent) : null;
    if (key && /^[Wb]:/.test(key)) store.selectParam(store.state.selectedParam === key ? null : key);
  });

  async function copyText() {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (an insecure origin): copy the selected text the old way.
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      document.execCommand("copy");
    }
    setText(status, "Copied");
    status.dataset.copied = "yes";
  }

  function save() {
    if (!text) return;
    const url = URL.createObjectURL(new Blob([text], { type: "text/x-python" }));
    const a = h("a", { href: url, download: FILE });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // An edit has settled when no newer answer came for a moment: a drag asks for the script once, at its end.
  const SETTLE_MS = 300;
  let settle = null;
  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    if (reason === "highlight" || reason === "step") return mark();
    if (reason === "tab") refresh();
    if (reason === "response" && isShown(store, "code")) {
      clearTimeout(settle);
      settle = setTimeout(refresh, SETTLE_MS);
    }
  });
}
