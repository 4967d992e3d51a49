// The code view: the runnable PyTorch script for the current request (POST /api/code), with a
// Copy and a Download button. Fetched when the tab is shown and when an edit has settled (an
// answer came with nothing newer pending), never per drag frame. The lines that name the
// parameter picked in the graph are highlighted.

import * as api from "../api.js";
import { isShown } from "./tabs.js";
import { h, setText } from "./dom.js";

const FILE = "backprop_lab_step.py";

/** Does a line of the script name parameter `param` ("W:1" → the script's linear_1.weight)? */
export function namesParam(line, param) {
  const m = /^([Wb]):(\d+)$/.exec(param ?? "");
  return Boolean(m) && line.includes(`linear_${m[2]}.${m[1] === "W" ? "weight" : "bias"}`);
}

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

  function mark() {
    const param = store.state.selectedParam;
    for (const line of code.children) line.classList.toggle("hl", namesParam(line.textContent, param));
    // The picked parameter's lines in sight (the script scrolls under its bar).
    if (isShown(store, "code")) code.querySelector(".hl")?.scrollIntoView?.({ block: "nearest" });
  }

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
    if (reason === "highlight") return mark();
    if (reason === "tab") refresh();
    if (reason === "response" && isShown(store, "code")) {
      clearTimeout(settle);
      settle = setTimeout(refresh, SETTLE_MS);
    }
  });
}
