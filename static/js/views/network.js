// The network diagram (SVG): neurons in columns, weights as edges, biases, targets and
// the loss node. Built once per shape and size (elements keyed by their data-* id), then
// repainted in place, so live edits never flicker and keyboard focus stays put.

import { focusLayer, layoutNetwork } from "../layout.js";
import { sizes } from "../netedit.js";
import { makeSymbols } from "../symbols.js";
import { mountDiagramKeys } from "./diagram-keys.js";
import { svg, setAttrs } from "./dom.js";
import { paintDead } from "./deadunits.js";
import { paint, paintHighlight } from "./network-paint.js";

// Changes that draw nothing new on the diagram (an undo step recorded, a notice…).
const QUIET = new Set(["editing", "playing", "pending", "history", "notice", "snapshots", "speed", "classroom-dialog"]);
// Changes that leave the diagram's font size as it was (the numbers, the player's position).
const SAME_FONT = new Set(["request", "response", "error", "step", "view", "highlight"]);

export function mountNetwork(root, store) {
  const el = svg("svg", { class: "diagram", role: "group", "aria-roledescription": "network diagram", "data-diagram": "",
    "aria-label": "Network diagram: arrow keys move between neurons and weights, Enter or Space edits, + and − nudge the value" });
  root.append(el);
  const keys = mountDiagramKeys(root);
  linkDiagram(el, store);
  let built = null;
  let size = null; // from the ResizeObserver: asking the layout on every repaint forces a reflow
  let font = null;

  function render(reason) {
    const { request, reg, explanation } = store.state;
    if (!request || !reg) return;
    if (reason === "highlight") return built && paintHighlight(built, store.state);
    const rect = size ?? root.getBoundingClientRect();
    // The diagram's font size as the CSS resolves it (it scales with the screen: a clamp()).
    // Read again only when the screen or the mode may have changed it: reading it makes the
    // browser bring every style up to date there and then, in the middle of an answer's repaint.
    if (font === null || !SAME_FONT.has(reason)) font = parseFloat(getComputedStyle(el).fontSize) || 18;
    const shape = sizes(request);
    // A crowded layer the current step is about gets the room (focus and context).
    const cur = store.state.response ? store.steps[store.state.step] : null;
    let focus = cur ? focusLayer(cur.refs, reg.addresses.parse) : null;
    if (focus && shape[focus] * shape[focus - 1] <= 12) focus = null;
    const key = JSON.stringify([shape, focus, Math.round(rect.width), Math.round(rect.height), font, reg.classes(request.network.loss),
      request.network.layers.map((l) => l.activation), explanation?.key ?? null]);
    if (!built || built.key !== key) {
      built = build(el, store, rect, font, key, focus);
      keys.rebuilt(el);
    }
    paint(built, store);
    paintDead(built, store.state);
  }

  store.addEventListener("change", (e) => {
    if (!QUIET.has(e.detail.reason)) render(e.detail.reason);
  });
  new ResizeObserver(([entry]) => {
    size = { width: entry.contentRect.width, height: entry.contentRect.height };
    render("resize");
  }).observe(root);
  return { render };
}

// Linking (linking.js): hovering an element marks it in every view; a click, Enter or Space
// selects it (the editor opens as before on what is editable); a click on the background clears it.
function linkDiagram(el, store) {
  const refOf = (e) => e.target.closest?.("[data-ref]")?.dataset.ref ?? null;
  el.addEventListener("pointerover", (e) => store.setHighlight(refOf(e)));
  el.addEventListener("pointerleave", () => store.setHighlight(null));
  el.addEventListener("click", (e) => store.focusOn(refOf(e)));
  el.addEventListener("keydown", (e) => {
    if ((e.key === "Enter" || e.key === " ") && refOf(e)) store.focusOn(refOf(e));
  });
}

// A layer with φ = identity has no separate weighted sum s: its neurons are z (or ŷ) from the start.
const hasPre = (request, layer) => layer > 0 && request.network.layers[layer - 1].activation !== "identity";

// Every element id comes from the address table: the id format is the server's, written once.
function elementIds(A, classLoss) {
  return {
    neuron: (l, u) => A.element(l === 0 ? A.format("x", 0, u) : A.format("z", l, 0, u)),
    edge: (l, i, j) => A.element(A.format("W", l, i, j)),
    bias: (l, u) => A.element(A.format("b", l, u)),
    target: (k) => A.element(classLoss ? A.format("c", 0) : A.format("y", 0, k)),
    loss: () => A.element("L"),
  };
}

function build(el, store, rect, font, key, focus) {
  const { request, reg, explanation } = store.state;
  const A = reg.addresses;
  const shape = sizes(request);
  const nLayers = shape.length - 1;
  const classLoss = reg.classes(request.network.loss);
  const ids = elementIds(A, classLoss);
  const lay = layoutNetwork(shape, { width: rect.width, height: rect.height, font, outputsAsClass: classLoss, ids, focus });
  const sym = makeSymbols(explanation?.symbols);
  const actOf = (l) => reg.activations.get(request.network.layers[l - 1].activation);
  el.replaceChildren();
  setAttrs(el, { width: lay.width, height: lay.height });
  el.style.setProperty("--font", `${font}px`); // through the CSSOM: the CSP refuses style attributes

  const gEdges = svg("g", { class: "edges" }, el);
  const gLinks = svg("g", { class: "links" }, el);
  const gLabels = svg("g", { class: "edge-labels" }, el);
  const gNodes = svg("g", { class: "nodes" }, el);
  const refs = new Map(); // diagram id → element (for highlight)
  const parts = { edges: new Map(), neurons: new Map(), biases: new Map(), targets: new Map() };

  // Column headers: what each column is, and its activation φ.
  // Column headers: the longest wording that fits between the neighbouring columns.
  const xs = [...lay.layers.map((ly) => ly.x), lay.targets[0].x, lay.loss.x];
  const heads = lay.layers.map((ly) => {
    const l = ly.layer;
    if (l === 0) return ["inputs x", "x"];
    const act = actOf(l);
    const name = l === nLayers ? "output ŷ" : nLayers === 2 ? "hidden z" : `hidden ${l}`;
    const symbol = l === nLayers ? "ŷ" : "z";
    return [`${name} · ${act.name}`, `${symbol} · ${act.name}`, `${symbol} · ${act.symbol}`, symbol];
  });
  heads.push(["target y", "y"], ["loss L", "L"]);
  heads.forEach((options, i) => {
    const first = i === 0;
    const last = i === heads.length - 1;
    const left = first ? xs[0] * 2 : xs[i] - xs[i - 1];
    const right = last ? (lay.width - xs[i]) * 2 : xs[i + 1] - xs[i];
    const room = first ? xs[0] + right / 2 : last ? lay.width - xs[i] + left / 2 : Math.min(left, right);
    const text = options.find((o) => o.length * font * 0.6 <= room * 0.92) ?? options.at(-1);
    const x = first ? 4 : last ? lay.width - 4 : xs[i];
    svg("text", { class: "col-head", x, y: font * 1.1, "text-anchor": first ? "start" : last ? "end" : "middle" }, el).textContent = text;
  });

  for (const e of lay.edges) {
    const g = svg("g", { class: "edge", "data-edge": e.id, "data-ref": e.id, "data-editable": e.id, "data-col": 2 * e.layer - 1, tabindex: -1, role: "button" }, gEdges);
    const line = { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 };
    svg("line", { ...line, class: "hit" }, g);
    const w = svg("line", { ...line, class: "w" }, g);
    const gr = svg("line", { ...line, class: "g" }, g);
    const title = svg("title", {}, g);
    const show = lay.edgeLabels[e.layer];
    const label = svg("g", { class: "pill", "data-edge-label": e.id, transform: `translate(${e.lx},${e.ly})` }, gLabels);
    const bg = svg("rect", { class: "pill-bg", rx: font * 0.3 }, label);
    const text = svg("text", { "text-anchor": "middle", dy: "0.35em" }, label);
    const symbol = sym.weight(e.layer, e.row, e.col);
    setAttrs(g, { "data-address": A.format("W", e.layer, e.row, e.col) });
    parts.edges.set(e.id, { g, w, gr, title, label, bg, text, symbol, show, edge: e, into: ids.neuron(e.layer, e.row) });
    refs.set(e.id, [g, label]);
  }

  for (const n of lay.neurons) {
    const ly = lay.layers[n.layer];
    const editable = n.layer === 0 ? n.id : null; // an input: its address (x of the traced sample) is set when painted
    const g = svg("g", { class: `neuron layer-${n.layer === 0 ? "in" : n.layer === nLayers ? "out" : "hidden"}`, "data-node": n.id, "data-ref": n.id, "data-editable": editable, "data-col": 2 * n.layer, tabindex: -1, role: editable ? "button" : "img" }, gNodes);
    const ring = svg("circle", { class: "g-ring", cx: n.x, cy: n.y, r: n.r + font * 0.28 }, g);
    const body = svg("circle", { class: "body", cx: n.x, cy: n.y, r: n.r }, g);
    const plate = svg("rect", { class: "value-plate", rx: font * 0.4, display: "none" }, g);
    const value = svg("text", { class: "value", x: n.x, y: n.y, "text-anchor": "middle", dy: "0.35em" }, g);
    const grad = svg("text", { class: "grad-value", x: n.x, y: n.y + font * 0.6, "text-anchor": "middle", dy: "0.35em" }, g);
    const label = svg("text", { class: "sym", x: n.x, y: n.y - n.r - font * 0.45, "text-anchor": "middle", display: ly.labels ? null : "none" }, g);
    const title = svg("title", {}, g);
    const part = { g, ring, body, plate, value, grad, label, title, n, ly, symbol: sym.neuron(n.layer, n.unit), pre: hasPre(request, n.layer) ? sym.pre(n.layer, n.unit) : null,
      bias: n.layer > 0 ? ids.bias(n.layer, n.unit) : null };
    parts.neurons.set(n.id, part);
    refs.set(n.id, [g]);
    if (n.layer > 0) {
      const id = ids.bias(n.layer, n.unit);
      const b = svg("g", { class: "bias", "data-bias": id, "data-ref": id, "data-editable": id, "data-col": 2 * n.layer, tabindex: -1, role: "button", display: ly.labels ? null : "none" }, gNodes);
      const bt = svg("text", { x: n.x, y: n.y + n.r + font * 1.05, "text-anchor": "middle" }, b);
      const btitle = svg("title", {}, b);
      setAttrs(b, { "data-address": A.format("b", n.layer, n.unit) });
      parts.biases.set(id, { g: b, text: bt, title: btitle, symbol: sym.bias(n.layer, n.unit), layer: n.layer, unit: n.unit });
      refs.set(id, [b, g]);
    }
  }

  // ŷ → y → L: the loss compares each output with its target.
  for (const t of lay.targets) {
    const outs = classLoss ? lay.neurons.filter((n) => n.layer === nLayers) : [lay.neurons.find((n) => n.layer === nLayers && n.unit === t.unit)];
    for (const o of outs) svg("line", { class: "link", x1: o.x + o.r, y1: o.y, x2: t.x - t.w / 2, y2: t.y }, gLinks);
    svg("line", { class: "link", x1: t.x + t.w / 2, y1: t.y, x2: lay.loss.x - lay.loss.r, y2: lay.loss.y }, gLinks);
    const g = svg("g", { class: "target", "data-target": t.id, "data-ref": t.id, "data-editable": t.id, "data-col": 2 * nLayers + 1, tabindex: -1, role: "button" }, gNodes);
    svg("rect", { x: t.x - t.w / 2, y: t.y - t.h / 2, width: t.w, height: t.h, rx: font * 0.3 }, g);
    const text = svg("text", { x: t.x, y: t.y, "text-anchor": "middle", dy: "0.35em" }, g);
    const title = svg("title", {}, g);
    parts.targets.set(t.id, { g, text, title, symbol: classLoss ? "y (class)" : sym.target(t.unit), t });
    refs.set(t.id, [g]);
  }
  legend(el, lay, font);
  const lossId = ids.loss();
  const lg = svg("g", { class: "loss-node", "data-ref": lossId, "data-loss-node": "", "data-col": 2 * nLayers + 2, tabindex: -1, role: "img" }, gNodes);
  svg("circle", { class: "body", cx: lay.loss.x, cy: lay.loss.y, r: lay.loss.r }, lg);
  const lossPlate = svg("rect", { class: "value-plate", rx: font * 0.4, display: "none" }, lg);
  const lossText = svg("text", { class: "value", x: lay.loss.x, y: lay.loss.y, "text-anchor": "middle", dy: "0.35em" }, lg);
  const lossLabel = svg("text", { class: "sym", x: lay.loss.x, y: lay.loss.y - lay.loss.r - font * 0.45, "text-anchor": "middle" }, lg);
  lossLabel.textContent = "L";
  const lossTitle = svg("title", {}, lg);
  refs.set(lossId, [lg]);

  return { key, lay, parts, refs, loss: { g: lg, text: lossText, plate: lossPlate, title: lossTitle }, nLayers, classLoss, el, A };
}

// What the colours and dashes mean, along the bottom edge: the longest wording that fits.
function legend(el, lay, font) {
  const g = svg("g", { class: "legend", "aria-hidden": "true" }, el);
  const y = lay.height - font * 0.8;
  const wordings = [["positive", "negative", "gradient", "this step"], ["pos.", "neg.", "grad.", "now"]];
  const widthOf = (labels) => labels.reduce((w, l) => w + font * 2.9 + l.length * font * 0.6, 0);
  // Narrower than the shortest wording (a projector's 24 px type beside the build panel): the
  // amber ring of "this step" explains itself on the drawing, so its entry goes first.
  const labels = wordings.find((ls) => widthOf(ls) <= lay.width - 8) ?? wordings.at(-1).slice(0, 3);
  let x = 4;
  const item = (cls, label) => {
    svg("line", { class: cls, x1: x, y1: y, x2: x + font * 1.8, y2: y }, g);
    const t = svg("text", { x: x + font * 2.2, y, dy: "0.35em" }, g);
    t.textContent = label;
    x += font * 2.2 + label.length * font * 0.6 + font * 0.7;
  };
  item("lg-pos", labels[0]);
  item("lg-neg", labels[1]);
  item("lg-grad", labels[2]);
  if (labels.length < 4) return;
  svg("circle", { class: "lg-current", cx: x + font * 0.5, cy: y, r: font * 0.45 }, g);
  const t = svg("text", { x: x + font * 1.3, y, dy: "0.35em" }, g);
  t.textContent = labels[3];
}
