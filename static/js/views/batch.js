// The samples of the batch: inputs and targets editable, rows addable and removable, the
// traced sample chosen with a radio button, each sample's ŷ and the batch loss shown.
// Each column is as wide as its longest number (a number is never cut): a table wider than
// the panel scrolls inside its own box, the sample's column staying in view (build-panel.css).

import { checkNumber, fmt } from "../format.js";
import { makeSymbols } from "../symbols.js";
import { h, setText, setValue } from "./dom.js";

export function mountBatch(root, store) {
  const table = h("table", { class: "batch", "data-batch": "" });
  const caption = h("caption", {});
  const add = h("button", { type: "button", "data-control": "add-sample", onclick: () => store.addSample() }, "+ sample");
  // What is wrong with a typed cell, said beside the table (the cell keeps what was typed).
  const hint = h("p", { class: "field-hint", role: "alert", "data-batch-hint": "" });
  root.append(h("div", { class: "batch-scroll", "data-batch-scroll": "" }, table), hint, h("div", { class: "row" }, add));
  root.addEventListener("batch-hint", (e) => { hint.textContent = e.detail; });
  let shapeKey = null;
  let cells = [];
  // A typed number longer than its column widens the column as it is typed.
  table.addEventListener("input", () => fitColumns(cells));

  store.addEventListener("change", (e) => {
    if (!["request", "response", "error"].includes(e.detail.reason)) return;
    const { request: req, response, traceSample, reg, explanation } = store.state;
    if (!req || !reg) return;
    const classes = reg.classes(req.network.loss);
    const nIn = req.network.inputs;
    const nOut = classes ? 1 : req.network.layers.at(-1).units;
    const key = JSON.stringify([req.x.length, nIn, nOut, classes, explanation?.key ?? null]);
    if (key !== shapeKey) {
      shapeKey = key;
      cells = build(table, caption, store, req, nIn, nOut, classes, makeSymbols(explanation?.symbols));
    }
    // Each answer: only what changed is written (an edit of a weight changes the ŷ column, not the samples).
    setText(caption, response ? `${req.x.length} sample${req.x.length > 1 ? "s" : ""} · batch loss L = ${fmt(response.loss)}` : "Samples");
    cells.forEach((row, s) => {
      if (row.radio.checked !== (s === traceSample)) row.radio.checked = s === traceSample;
      row.inputs.forEach(({ input, get }) => {
        if (document.activeElement !== input) setValue(input, get(req));
      });
      const out = response?.output?.[s];
      const text = out ? out.map((v) => fmt(v)).join(", ") : "";
      setText(row.yhat, text);
      if (row.yhat.title !== text) row.yhat.title = text; // the whole ŷ on hover
    });
    fitColumns(cells);
    add.disabled = req.x.length >= 64;
  });
}

function build(table, caption, store, req, nIn, nOut, classes, sym) {
  const A = store.state.reg.addresses;
  const headRow = h("tr", {},
    h("th", { scope: "col", text: "trace" }),
    ...Array.from({ length: nIn }, (_, c) => h("th", { scope: "col", text: sym.neuron(0, c) || `x${c}` })),
    ...Array.from({ length: nOut }, (_, k) => h("th", { scope: "col", text: classes ? "class y" : sym.target(k) })),
    h("th", { scope: "col", text: "ŷ" }),
    h("th", { scope: "col", text: "" }));
  const rows = req.x.map((_, s) => {
    const radio = h("input", { type: "radio", name: "traced-sample", "aria-label": `Trace sample ${s + 1}`, "data-trace-sample": s, onchange: () => store.setTraceSample(s) });
    const sample = h("label", { class: "sample" }, radio, h("span", { "aria-hidden": "true", text: String(s + 1) }));
    const field = (address, get, label) => {
      const input = h("input", { type: "text", inputmode: "decimal", class: "cell", "aria-label": label, "data-cell": address });
      input.addEventListener("input", () => {
        const limits = classes ? { integer: true, min: 0, max: store.state.request.network.layers.at(-1).units - 1 } : {};
        const checked = checkNumber(input.value, limits);
        input.toggleAttribute("aria-invalid", Boolean(checked.error));
        input.closest("[data-region=batch]")?.dispatchEvent(new CustomEvent("batch-hint", { detail: checked.error ? `${label}: ${checked.error}` : "" }));
        if (!checked.error) store.setValue(address, checked.value);
      });
      return { input, get };
    };
    const inputs = [
      ...Array.from({ length: nIn }, (_, c) => field(A.format("x", s, c), (r) => r.x[s][c], `Sample ${s + 1}, input ${sym.neuron(0, c)}`)),
      ...Array.from({ length: nOut }, (_, k) => field(classes ? A.format("c", s) : A.format("y", s, k), (r) => (classes ? r.y[s] : r.y[s][k]), `Sample ${s + 1}, target`)),
    ];
    const yhat = h("td", { class: "num" });
    const remove = h("button", { type: "button", class: "icon small", "aria-label": `Remove sample ${s + 1}`, disabled: req.x.length <= 1, onclick: () => store.removeSample(s) }, "×");
    const tr = h("tr", { "data-sample-row": s }, h("td", {}, sample), ...inputs.map(({ input }) => h("td", {}, input)), yhat, h("td", {}, remove));
    return { tr, radio, inputs, yhat };
  });
  table.replaceChildren(caption, h("thead", {}, headRow), h("tbody", {}, ...rows.map((r) => r.tr)));
  return rows;
}

// Each column of fields as wide as its longest text (in character widths, at least 3): written
// only when a column's width changes, since each write lays the table out again.
function fitColumns(rows) {
  const columns = rows[0]?.inputs.length ?? 0;
  for (let k = 0; k < columns; k++) {
    const chars = Math.max(3, ...rows.map((r) => r.inputs[k].input.value.length));
    const width = `calc(${chars}ch + 0.9em)`;
    for (const r of rows) if (r.inputs[k].input.style.width !== width) r.inputs[k].input.style.width = width;
  }
}
