// The modules view: "a flow of tensors through modules", as the lecture draws it —
// Linear(3→2) → Sigmoid → Linear(2→1) → MSELoss — with the tensor's shape on every arrow and,
// on hover or focus, that tensor's values. Module names come from the registry's torch class.

import { linkMarks, tensorOfAddress } from "../linking.js";
import { isShown } from "./tabs.js";
import { h, setText } from "./dom.js";
import { markCells, matrixEl, paintMatrix } from "./matrix.js";
import { roving } from "./gridkeys.js";

const grid = (rows, cols, at) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => at(r, c)));
const torchName = (entry) => entry.torch.split(".").at(-1);

/** The chain of modules and tensors of a request: [{kind: "module"|"tensor", …}]. */
export function chain(request, reg) {
  const A = reg.addresses;
  const N = request.x.length;
  const layers = request.network.layers;
  const last = layers.length;
  const items = [{ kind: "tensor", id: "x", symbol: "x", what: "the input, one row per sample", cells: grid(N, request.network.inputs, (n, j) => A.format("x", n, j)) }];
  layers.forEach((layer, k) => {
    const l = k + 1;
    const fanIn = k === 0 ? request.network.inputs : layers[k - 1].units;
    const out = l === last ? "ŷ" : `z${l === 1 && last === 2 ? "" : l}`;
    items.push({ kind: "module", id: `linear${l}`, name: `Linear(${fanIn}→${layer.units})`, code: `nn.Linear(${fanIn}, ${layer.units})` });
    const act = reg.activations.get(layer.activation);
    if (layer.activation === "identity") {
      items.push({ kind: "tensor", id: `z${l}`, symbol: out, what: `the output of Linear ${l}`, cells: grid(N, layer.units, (n, i) => A.format("z", l, n, i)) });
      return;
    }
    items.push({ kind: "tensor", id: `s${l}`, symbol: `s${l === 1 && last === 2 ? "" : l}`, what: `the weighted sums of layer ${l}`, cells: grid(N, layer.units, (n, i) => A.format("s", l, n, i)) });
    items.push({ kind: "module", id: `act${l}`, name: torchName(act), code: act.code });
    items.push({ kind: "tensor", id: `z${l}`, symbol: out, what: `the activations of layer ${l}`, cells: grid(N, layer.units, (n, i) => A.format("z", l, n, i)) });
  });
  const loss = reg.losses.get(request.network.loss);
  const classes = reg.classes(request.network.loss);
  const outputs = layers.at(-1).units;
  items.push({ kind: "module", id: "loss", name: torchName(loss), code: loss.code,
    target: { kind: "tensor", id: "y", symbol: "y", what: classes ? "the class of each sample" : "the targets",
      cells: classes ? [Array.from({ length: N }, (_, n) => A.format("c", n))] : grid(N, outputs, (n, k) => A.format("y", n, k)),
      shape: classes ? [N] : [N, outputs] } });
  items.push({ kind: "tensor", id: "L", symbol: "L", what: "the loss, a single number", cells: [["L"]], shape: [] });
  return items;
}

const shapeOf = (t) => t.shape ?? [t.cells.length, t.cells[0].length];
// The tensor a module or an arrow stands for (linking.js): Linear l its weights, φ its neurons.
const moduleKey = (id) => (/^linear(\d+)$/.exec(id) ? `W:${id.slice(6)}` : /^act(\d+)$/.exec(id) ? `n:${id.slice(3)}` : id === "loss" ? "L" : null);
const tensorKey = (t) => tensorOfAddress(t.cells[0][0]);
const sizeText = (shape) => `(${shape.join(", ")})`;

export function mountModules(root, store) {
  const flow = h("div", { class: "mod-flow", "data-modules": "", role: "group",
    "aria-label": "The modules and the tensors flowing between them: arrow keys move between the tensors, Tab goes to the values" });
  const detail = h("div", { class: "mod-detail", "aria-live": "polite", role: "group",
    "aria-label": "The tensor's values: arrow keys move between them, Enter selects one in every view" });
  root.append(h("p", { class: "torch-note" }, "Each module takes a tensor and gives a tensor of a new shape; hover or focus an arrow for its values."), flow, detail);
  let built = null;
  let shown = null; // the tensor whose values are shown
  let cellsShown = null; // its cells
  detail.addEventListener("pointerover", (e) => store.setHighlight(e.target.closest?.("td[data-ref]")?.dataset.ref ?? null));
  detail.addEventListener("pointerleave", () => store.setHighlight(null));
  const select = (ref) => ref && store.focusOn(store.state.focus === ref ? null : ref);
  detail.addEventListener("click", (e) => select(e.target.closest?.("td[data-ref]")?.dataset.ref));
  // The tensors are one tab stop, their values another: the arrows move, Enter selects (gridkeys.js).
  const syncFlow = roving(flow, "button.mod-arrow", { key: (b) => b.dataset.tensor, activate: (b) => b.click() });
  const syncKeys = roving(detail, "td[data-address]", {
    key: (td) => td.dataset.address,
    activate: (td) => select(td.dataset.ref),
    onFocus: (td) => store.setHighlight(td?.dataset.ref ?? null),
  });

  function arrow(t) {
    return h("button", { type: "button", class: "mod-arrow", "data-tensor": t.id, "data-shape": sizeText(shapeOf(t)),
      "aria-label": `${t.symbol}: ${t.what}, shape ${sizeText(shapeOf(t))}`,
      onpointerenter: () => { show(t.id); store.setHoverTensor(tensorKey(t)); }, onfocus: () => show(t.id), onclick: () => show(t.id) },
    h("span", { class: "mod-sym", text: t.symbol }), h("span", { class: "mod-shape", text: sizeText(shapeOf(t)) }), h("span", { class: "mod-line", "aria-hidden": "true", text: "⟶" }));
  }

  function build(key) {
    const { request, reg } = store.state;
    const items = chain(request, reg);
    const tensors = new Map();
    const parts = items.map((it) => {
      if (it.kind === "tensor") {
        tensors.set(it.id, it);
        return arrow(it);
      }
      const box = h("div", { class: "mod-box", "data-module": it.id, title: it.code, onpointerenter: () => store.setHoverTensor(moduleKey(it.id)) }, h("span", { text: it.name }));
      if (!it.target) return box;
      tensors.set(it.target.id, it.target);
      return h("div", { class: "mod-loss" }, box, arrow(it.target));
    });
    flow.replaceChildren(...parts);
    flow.onpointerleave = () => store.setHoverTensor(null);
    syncFlow();
    return { key, tensors };
  }

  function show(id) {
    shown = id;
    paintDetail();
  }

  // The arrow carrying the quantity the player's step computes.
  function markCurrent() {
    const { response, step } = store.state;
    const target = response ? store.steps[step]?.target : null;
    for (const b of flow.querySelectorAll("[data-tensor]")) {
      const t = built.tensors.get(b.dataset.tensor);
      b.classList.toggle("current", Boolean(target) && t.cells.some((row) => row.includes(target)));
    }
  }

  // The quantity hovered or selected in any view: its arrow, its module and its cells (linking.js).
  function markLinks() {
    if (!built) return;
    const link = linkMarks(store.state);
    for (const b of flow.querySelectorAll("[data-tensor]")) {
      const t = built.tensors.get(b.dataset.tensor);
      const m = link.tensor(tensorKey(t));
      b.classList.toggle("hl", m.hl);
      b.classList.toggle("focus", m.focus);
    }
    for (const box of flow.querySelectorAll("[data-module]")) {
      const key = moduleKey(box.dataset.module);
      const alt = key?.startsWith("W:") ? `b:${key.slice(2)}` : null; // a Linear holds W and β
      const m = link.tensor(key);
      const a = link.tensor(alt);
      box.classList.toggle("hl", m.hl || a.hl);
      box.classList.toggle("focus", m.focus || a.focus);
    }
    if (cellsShown) markCells(cellsShown, { ...stepMarks(), link });
  }

  function stepMarks() {
    const { response, step } = store.state;
    const cur = response ? store.steps[step] ?? null : null;
    return { target: cur?.target ?? null, refs: new Set(cur?.refs ?? []) };
  }

  function paintDetail() {
    if (!built) return;
    markCurrent();
    const t = built.tensors.get(shown) ?? built.tensors.get("x");
    for (const b of flow.querySelectorAll("[data-tensor]")) b.setAttribute("aria-pressed", String(b.dataset.tensor === t.id));
    const hadFocus = detail.contains(document.activeElement);
    const m = matrixEl({ symbol: t.symbol, cells: t.cells, kind: "value", shape: shapeOf(t) }, (a) => store.element(a));
    paintMatrix(m, (a) => store.value(a));
    cellsShown = m.cells;
    detail.replaceChildren(h("p", { class: "mod-what" }, `${t.symbol}: ${t.what}, shape ${sizeText(shapeOf(t))}`), m.el);
    detail.dataset.shown = t.id;
    const inHand = syncKeys();
    if (hadFocus) inHand?.focus(); // redrawn under the keyboard: the focus stays on the value in hand
    markLinks();
  }

  function render() {
    const { request, reg } = store.state;
    if (!request || !reg || !isShown(store, "modules")) return;
    const key = JSON.stringify([request.network.inputs, request.network.layers.map((l) => [l.units, l.activation]), request.network.loss, request.x.length]);
    if (built?.key !== key) built = build(key);
    paintDetail();
  }

  store.addEventListener("change", (e) => {
    if (e.detail.reason === "highlight") return isShown(store, "modules") && markLinks();
    if (!["pending", "editing", "playing"].includes(e.detail.reason)) render();
  });
  setText(detail, "");
  return { render };
}
