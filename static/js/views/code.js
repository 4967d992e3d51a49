// The code view: the runnable PyTorch script for the current request (POST /api/code), with a
// Copy and a Download button. Fetched when the tab is shown and when an edit has settled (an
// answer came with nothing newer pending), never per drag frame. The lines that name the
// tensor hovered or selected in any view are marked, and hovering a line marks its tensor there.
// On a projector the script is shown as focus and context (codefold.js): the lines of the
// player's step and of the tensor selected, what encloses them, the rest folded into summary
// rows that open on a click or Enter. Copy and Download always give the whole script.

import * as api from "../api.js";
import { foldLines, shortLine } from "../codefold.js";
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
  let lines = [];
  let shownFor = null; // the body the script was made for
  let ask = 0;
  let opened = new Set(); // lines of folds opened on a projector (until the script changes)
  let drawnKey = null; // what the rows drawn show

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
      lines = script.split("\n");
      opened = new Set();
      drawnKey = null;
      code.dataset.for = String(mine);
      draw();
      setText(status, "");
    } catch (err) {
      if (mine !== ask) return;
      shownFor = null;
      text = "";
      lines = [];
      drawnKey = null;
      code.replaceChildren();
      setText(status, `No code: ${err.message}`);
    } finally {
      if (mine === ask) delete root.dataset.loading;
    }
  }

  const stepKey = () => (store.state.response ? tensorOfAddress(store.steps[store.state.step]?.target) : null);
  const lineRow = (i, shown = lines[i]) => h("span", { class: "code-line", "data-line": i, title: shown === lines[i] ? null : lines[i] }, `${shown}\n`);

  // The rows: every line, or on a projector the lines in hand and their context, the rest folded.
  function draw() {
    const { presenting } = store.state;
    const focusKey = linkMarks(store.state).focusKey;
    const key = JSON.stringify([code.dataset.for, lines.length, presenting, presenting && [stepKey(), focusKey, [...opened]]]);
    if (key === drawnKey) return mark();
    drawnKey = key;
    if (!presenting) {
      code.replaceChildren(...lines.map((_, i) => lineRow(i)));
      return mark();
    }
    let marked = new Set(lines.flatMap((t, i) => (lineNames(t, stepKey()) || lineNames(t, focusKey) ? [i] : [])));
    if (!marked.size) marked = new Set(lines.flatMap((t, i) => (lineNames(t, "L") ? [i] : [])));
    // A line of numbers longer than two rows of the box is shortened (its title holds it whole).
    measure.font = getComputedStyle(pre).font;
    const max = 2 * Math.floor((pre.clientWidth - 20) / (measure.measureText("0").width || 14));
    const render = (how, more = []) => {
      const rows = foldLines(lines, marked, new Set([...opened, ...more]), how);
      code.replaceChildren(...rows.map((row) => (row.kind === "line" ? lineRow(row.i, shortLine(lines[row.i], max)) : foldRow(row))));
      return pre.scrollHeight <= pre.clientHeight + 1 ? rows : null;
    };
    const hows = [{ context: 1 }, { context: 0 }, { context: 0, split: false }];
    const how = hows.find((hw) => render(hw)) ?? null;
    // Room to spare (a big screen): the smallest folds open, as long as the script still fits.
    if (how) {
      const more = [];
      const folds = render(how).filter((r) => r.kind === "fold").sort((a, b) => a.count - b.count);
      for (const f of folds) {
        const run = Array.from({ length: f.to - f.from + 1 }, (_, k) => f.from + k);
        if (render(how, [...more, ...run])) more.push(...run);
      }
      render(how, more);
    }
    mark();
  }
  const measure = document.createElement("canvas").getContext("2d");

  function foldRow({ from, to, head, count }) {
    const first = lines[head];
    const lead = first.slice(0, first.length - first.trimStart().length);
    const open = () => {
      for (let i = from; i <= to; i++) opened.add(i);
      draw();
      pre.focus(); // the row pressed is gone: the focus stays in the script
    };
    return h("span", { class: "code-fold", role: "button", tabindex: 0, "data-fold": `${from}-${to}`, "aria-expanded": "false",
      "aria-label": `${count} lines folded, from ${first.trim()}: show them`, title: "Show these lines",
      onclick: open, onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } } },
    `${lead}▸ ${first.trim().length > 40 ? `${first.trim().slice(0, 38)}…` : first.trim()} (${count} lines)\n`);
  }

  // The lines of the tensor hovered (.hl), of the one selected (.focus) in any view (linking.js), and
  // of the tensor the player's step computes (.current: its layer's forward line, its weight or bias).
  function mark() {
    const { hoverKey, focusKey } = linkMarks(store.state);
    const current = stepKey();
    for (const line of code.querySelectorAll(".code-line")) {
      const t = lines[Number(line.dataset.line)] ?? "";
      line.classList.toggle("hl", lineNames(t, hoverKey));
      line.classList.toggle("focus", lineNames(t, focusKey));
      line.classList.toggle("current", lineNames(t, current));
    }
    // Those lines in sight (the script scrolls under its bar), unless the pointer is on the script itself.
    if (isShown(store, "code") && !pointerIn) code.querySelector(".hl, .focus, .current")?.scrollIntoView?.({ block: "nearest" });
  }

  let pointerIn = false;
  const lineOf = (e) => e.target.closest?.(".code-line");
  pre.addEventListener("pointerover", (e) => {
    pointerIn = true;
    store.setHoverTensor(lineOf(e) ? tensorOfLine(lines[Number(lineOf(e).dataset.line)] ?? "") : null);
  });
  pre.addEventListener("pointerleave", () => {
    pointerIn = false;
    store.setHoverTensor(null);
  });
  // A click on a line naming a parameter selects that tensor in every view.
  pre.addEventListener("click", (e) => {
    const key = lineOf(e) ? tensorOfLine(lines[Number(lineOf(e).dataset.line)] ?? "") : null;
    if (key && /^[Wb]:/.test(key)) store.selectParam(store.state.selectedParam === key ? null : key);
  });

  async function copyText() {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (an insecure origin): copy the whole script the old way (the box may show it folded).
      const area = h("textarea", { class: "code-copy", "aria-hidden": "true", readonly: true });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
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
    if (reason === "highlight" || reason === "step" || reason === "present") return lines.length && isShown(store, "code") ? draw() : undefined;
    if (reason === "tab") {
      if (lines.length) draw();
      refresh();
    }
    if (reason === "response" && isShown(store, "code")) {
      clearTimeout(settle);
      settle = setTimeout(refresh, SETTLE_MS);
    }
  });
}
