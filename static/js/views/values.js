// Every current value in one accessible table (for screen readers and for anyone who
// prefers numbers), kept in sync with the diagram: value, gradient, value after the step.

import { fmt } from "../format.js";
import { makeSymbols } from "../symbols.js";
import { h } from "./dom.js";

export function mountValues(root, store) {
  const table = h("table", { class: "values", "data-values-table": "" });
  root.append(table);
  // Drawn while its <details> is open (a few hundred rows cost more than the whole diagram).
  const folded = root.closest("details");
  const render = () => {
    const { response: res, traceSample: s, explanation } = store.state;
    if (!res || !explanation || (folded && !folded.open)) return;
    table.replaceChildren(
      h("caption", { text: `All values, sample ${s + 1}${res.diverged ? " (diverged)" : ""}` }),
      h("thead", {}, h("tr", {}, ...["Quantity", "Value", "∂L/∂ (gradient)", "After update"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, ...rows(store, makeSymbols(explanation.symbols), s).map(([q, v, g, a, ref]) =>
        h("tr", { "data-value-row": ref }, h("th", { scope: "row", text: q }), ...[v, g, a].map((x) => h("td", { class: "num", text: x === undefined ? "" : fmt(x) }))))),
    );
  };
  folded?.addEventListener("toggle", render);
  // The table shows the answer's numbers: it follows the answers, not the edits.
  store.addEventListener("change", (e) => e.detail.reason === "response" && render());
}

// [symbol, value, gradient, after, address] per quantity: each row is found by its number's address.
function rows(store, sym, s) {
  const { reg, sent } = store.state;
  const A = reg.addresses;
  const at = (q, ...idx) => A.format(q, ...idx);
  const v = (q, ...idx) => store.value(at(q, ...idx));
  const net = sent.network;
  const out = [];
  for (let c = 0; c < net.inputs; c++) out.push([sym.neuron(0, c), v("x", s, c), v("dL/dx", s, c), undefined, at("x", s, c)]);
  net.layers.forEach((layer, i) => {
    const l = i + 1;
    for (let u = 0; u < layer.units; u++) {
      if (layer.activation !== "identity") out.push([sym.pre(l, u), v("s", l, s, u), v("dL/ds", l, s, u), undefined, at("s", l, s, u)]);
      out.push([sym.neuron(l, u), v("z", l, s, u), v("dL/dz", l, s, u), undefined, at("z", l, s, u)]);
      out.push([sym.bias(l, u), v("b", l, u), v("dL/db", l, u), v("b'", l, u), at("b", l, u)]);
      for (let c = 0; c < layer.weights[u].length; c++) {
        out.push([sym.weight(l, u, c), v("W", l, u, c), v("dL/dW", l, u, c), v("W'", l, u, c), at("W", l, u, c)]);
      }
    }
  });
  const L = net.layers.length;
  const K = net.layers.at(-1).units;
  if (reg.classes(net.loss)) {
    out.push(["y (class)", v("c", s), undefined, undefined, at("c", s)]);
    for (let k = 0; k < K; k++) out.push([`p${k}`, v("p", L, s, k), undefined, undefined, at("p", L, s, k)]);
  } else for (let k = 0; k < K; k++) out.push([sym.target(k), v("y", s, k), undefined, undefined, at("y", s, k)]);
  out.push(["L", v("L"), undefined, undefined, "L"]);
  return out;
}
