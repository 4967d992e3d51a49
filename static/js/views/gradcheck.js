// The numeric gradient check, on demand: for the parameter picked in the graph, the server's
// central finite difference (L(w + h) − L(w − h)) / 2h beside autograd's value and the relative
// error — the proof that backprop is right. A ReLU exactly at its kink has no derivative there:
// shown as such, not as a failure.

import * as api from "../api.js";
import { fmt } from "../format.js";
import { h, setText } from "./dom.js";

const MAX_CELLS = 32; // the first cells of a big tensor: enough to see the agreement
const H = 1e-6;

/** Every single-number address of a parameter tensor ("W:1" → W:1,0,0 …), row by row. */
export function cellsOf(request, param) {
  const [q, l] = param.split(":");
  const layer = request.network.layers[Number(l) - 1];
  if (!layer) return [];
  if (q === "b") return layer.biases.map((_, i) => `b:${l},${i}`);
  return layer.weights.flatMap((row, i) => row.map((_, j) => `W:${l},${i},${j}`));
}

export function mountGradcheck(root, store) {
  const run = h("button", { type: "button", "data-control": "gradcheck", onclick: () => check() }, "Check numerically");
  const why = h("p", { class: "ctl-why" });
  const out = h("div", { class: "gc-out", "data-gradcheck": "", "aria-live": "polite" });
  root.append(h("div", { class: "ctl-row" }, run, why), out);
  let shownFor = null; // the request the results answer
  let ask = 0;

  async function check() {
    const param = store.state.selectedParam;
    if (!param) return;
    const addresses = cellsOf(store.state.request, param).slice(0, MAX_CELLS);
    const body = store.body();
    const mine = (ask += 1);
    run.disabled = true;
    setText(out, "The server is computing L(w + h) and L(w − h) for each number…");
    try {
      const { checks } = await api.gradcheck(body, addresses, H);
      if (mine !== ask) return;
      shownFor = JSON.stringify(body);
      out.replaceChildren(table(checks));
    } catch (err) {
      if (mine === ask) setText(out, `The check failed: ${err.message}`);
    } finally {
      if (mine === ask) run.disabled = !store.state.selectedParam;
    }
  }

  function table(checks) {
    const head = h("tr", {}, ...["", "autograd", "finite difference", "relative error", ""].map((t) => h("th", { text: t })));
    const rows = checks.map((c) => h("tr", { "data-check": c.address, "data-ok": String(c.ok), "data-kink": String(Boolean(c.kink)) },
      h("th", { scope: "row", text: c.address }),
      h("td", { "data-autograd": String(c.autograd), text: fmt(c.autograd) }),
      h("td", { "data-numeric": String(c.numeric), text: fmt(c.numeric) }),
      h("td", { "data-rel-error": String(c.rel_error), text: fmt(c.rel_error) }),
      h("td", { class: c.kink ? "gc-kink" : c.ok ? "gc-ok" : "gc-bad", text: c.kink ? "at a kink: no derivative here" : c.ok ? "✓ agree" : "✗ differ" })));
    return h("table", { class: "gc-table" }, h("caption", { text: `Central difference with h = ${fmt(H)}` }), head, ...rows);
  }

  function paint() {
    const { selectedParam, request } = store.state;
    run.disabled = !selectedParam || store.state.noGrad;
    setText(run, selectedParam ? `Check ∂L/∂${selectedParam.split(":")[0] === "b" ? "β" : "W"} of layer ${selectedParam.split(":")[1]} numerically` : "Check numerically");
    setText(why, selectedParam
      ? "The server nudges each number by ±h and compares (L(w+h) − L(w−h)) / 2h with autograd's gradient."
      : "Click a parameter's AccumulateGrad leaf to check its gradient against a finite difference.");
    if (shownFor && request && shownFor !== JSON.stringify(store.body())) {
      shownFor = null;
      setText(out, "The numbers changed: check again.");
    }
  }

  store.addEventListener("change", (e) => {
    if (["response", "request", "highlight", "init"].includes(e.detail.reason)) paint();
  });
}
