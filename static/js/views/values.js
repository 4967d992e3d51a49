// Every current value in one accessible table (for screen readers and for anyone who
// prefers numbers), kept in sync with the diagram: value, gradient, value after the step.

import { fmt } from "../format.js";
import { isClassLoss } from "../netedit.js";
import { notation } from "../notation.js";
import { h } from "./dom.js";

export function mountValues(root, store) {
  const table = h("table", { class: "values", "data-values-table": "" });
  root.append(table);
  store.addEventListener("change", (e) => {
    if (!["request", "response"].includes(e.detail.reason)) return;
    const { request: req, response: res, traceSample: s } = store.state;
    if (!req || !res) return;
    table.replaceChildren(
      h("caption", { text: `All values, sample ${s + 1}${res.diverged ? " (diverged)" : ""}` }),
      h("thead", {}, h("tr", {}, ...["Quantity", "Value", "∂L/∂ (gradient)", "After update"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, ...rows(req, res, s).map(([q, v, g, a, ref]) =>
        h("tr", { "data-value-row": ref }, h("th", { scope: "row", text: q }), ...[v, g, a].map((x) => h("td", { class: "num", text: x === undefined ? "" : fmt(x) }))))),
    );
  });
}

function rows(req, res, s) {
  const net = res.network;
  const L = net.layers.length;
  const sym = notation(L, net.layers.at(-1).units);
  const out = [];
  for (let c = 0; c < net.inputs; c++) out.push([sym.neuron(0, c), req.x[s][c], res.grad_input[s]?.[c], undefined, `L0N${c}`]);
  net.layers.forEach((layer, i) => {
    const l = i + 1;
    const R = res.layers[i];
    const after = res.network_after.layers[i];
    for (let u = 0; u < layer.units; u++) {
      out.push([sym.pre(l, u), R.pre[s][u], R.grad_pre[s][u], undefined, `L${l}S${u}`]);
      out.push([sym.neuron(l, u), R.post[s][u], R.grad_post[s][u], undefined, `L${l}N${u}`]);
      out.push([sym.bias(l, u), layer.biases[u], R.grad_biases?.[u], after.biases[u], `L${l}B${u}`]);
      layer.weights[u].forEach((w, c) => out.push([sym.weight(l, u, c), w, R.grad_weights?.[u]?.[c], after.weights[u][c], `L${l}W${u}_${c}`]));
    }
  });
  if (isClassLoss(req)) {
    out.push(["y (class)", req.y[s], undefined, undefined, "Y0"]);
    res.probabilities?.[s]?.forEach((p, k) => out.push([`p${k}`, p, undefined, undefined, `P${k}`]));
  } else req.y[s].forEach((y, k) => out.push([sym.target(k), y, undefined, undefined, `Y${k}`]));
  out.push(["L", res.loss, undefined, undefined, "loss"]);
  return out;
}
