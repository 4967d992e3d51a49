// Focus and context for big networks: every number the current step's explanation writes
// out is on the drawing at that step. A number its element already shows (a value in a
// neuron's circle, a weight's pill, a bias, a target, the loss) stays there; one it does not
// show (a neuron too small for its value, ∂L/∂s on a neuron that shows z, a hidden bias, a
// weight's gradient in the update phase) gets a callout: a labelled pill beside its element
// ("z³₁ = 0.0553", "∂L/∂s⁰ = −0.1067"), placed where it overlaps nothing. The rest of the
// network stays condensed.

import { fmt } from "../format.js";
import { explanationLines } from "../mathtokens.js";
import { setAttrs, svg } from "./dom.js";
import { pill } from "./pills.js";

/** The addresses whose numbers the step's explanation writes out (its numeric lines), in order. */
export function numbersOfStep(step, value) {
  const out = [];
  if (!step) return out;
  for (const line of explanationLines(step, value)) {
    if (!line.numeric) continue;
    for (const t of line.tokens) if (t.a != null && !out.includes(t.a)) out.push(t.a);
  }
  if (step.value && !out.includes(step.value)) out.push(step.value);
  return out;
}

// The label of a quantity at an element: its own symbol, or the derivative of L by it.
function labelOf(q, part) {
  const sym = part.symbol ?? "";
  const pre = part.pre ?? sym;
  switch (q) {
    case "x": case "z": case "W": case "b": case "y": return sym;
    case "s": return pre;
    case "dL/dx": case "dL/dz": case "dL/dW": case "dL/db": return `∂L/∂${sym}`;
    case "dL/ds": return `∂L/∂${pre}`;
    case "W'": case "b'": return `${sym}′`;
    case "L": return "L";
    default: return q;
  }
}

// The text an element shows now (what a reader can already find there).
function shownText(kind, part) {
  if (kind === "edge") return (part.lines0 ?? []).join(" ");
  if (kind === "neuron") return `${part.value.textContent} ${part.grad.textContent}`;
  if (kind === "bias") return part.g.getAttribute("display") === "none" ? "" : part.text.textContent;
  return part.text.textContent;
}

/**
 * The callouts of the current step: [{id, lines, x, y, r}] — each element whose step numbers
 * it does not show, with "symbol = value" lines and where it sits (x, y, r of its circle).
 * b: the built diagram; addresses: numbersOfStep(…); got(address) → the answer's number.
 */
export function missingNumbers(b, addresses, got, element) {
  const byElement = new Map();
  for (const address of addresses) {
    const id = element(address);
    const v = got(address);
    if (!id || v === undefined || v === null) continue;
    const q = b.A.parse(address)?.q;
    const found = find(b, id);
    if (!found) continue;
    const text = fmt(v);
    if (shownText(found.kind, found.part).split(/[\s=→∂β]+/).includes(text)) continue; // whole numbers only: "0.0" is not in "−0.0395"
    // A hidden bias is written in its neuron's callout: one pill per neuron.
    const key = found.host ?? id;
    if (!byElement.has(key)) byElement.set(key, { id: key, lines: [], short: [], ...found.at });
    const entry = byElement.get(key);
    const line = `${labelOf(q, found.part)} = ${text}`;
    if (!entry.lines.includes(line)) {
      entry.lines.push(line);
      // A weight's pill writes its gradient as the backward pass does: "∂ 0.0186".
      entry.short.push(q.startsWith("dL") ? `∂ ${text}` : q.endsWith("'") ? `→ ${text}` : text);
    }
  }
  return [...byElement.values()];
}

function find(b, id) {
  const P = b.parts;
  if (P.neurons.has(id)) {
    const part = P.neurons.get(id);
    return { kind: "neuron", part, at: { x: part.n.x, y: part.n.y, r: part.n.r } };
  }
  if (P.biases.has(id)) {
    const part = P.biases.get(id);
    const [host, { n }] = [...P.neurons].find(([, p]) => p.n.layer === part.layer && p.n.unit === part.unit);
    return { kind: "bias", part, host, at: { x: n.x, y: n.y, r: n.r } };
  }
  if (P.edges.has(id)) {
    const part = P.edges.get(id);
    const e = part.edge;
    return { kind: "edge", part, at: { x: e.lx, y: e.ly, r: 2 } };
  }
  if (P.targets.has(id)) {
    const part = P.targets.get(id);
    return { kind: "target", part, at: { x: part.t.x, y: part.t.y, r: part.t.w / 2 } };
  }
  if (b.loss && id === b.A.element("L")) return { kind: "loss", part: { ...b.loss, symbol: "L" }, at: { x: b.lay.loss.x, y: b.lay.loss.y, r: b.lay.loss.r } };
  return null;
}

/**
 * Draw the callouts (pills made once per element and kept, hidden when unused) and return the
 * items for the label placement: beside the circle first (right, left, above, below), then
 * further out.
 */
export function drawCallouts(b, callouts) {
  b.callouts ??= new Map();
  const layer = b.calloutLayer ??= svg("g", { class: "callouts" }, b.el);
  const used = new Set();
  const font = b.lay.font;
  const items = [];
  for (const c of callouts) {
    let p = b.callouts.get(c.id);
    if (!p) {
      const label = svg("g", { class: "pill callout", "data-callout": c.id }, layer);
      p = { label, bg: svg("rect", { class: "pill-bg", rx: font * 0.3 }, label), text: svg("text", { "text-anchor": "middle", dy: "0.35em" }, label) };
      b.callouts.set(c.id, p);
    }
    used.add(c.id);
    pill(p, c.lines, font, "callout");
    p.label.removeAttribute("visibility");
    const w = p.pw;
    const h = p.ph;
    const gap = c.r + font * 0.3;
    const spots = [[gap + w / 2, 0], [-gap - w / 2, 0], [0, -gap - h / 2], [0, gap + h / 2]];
    for (let k = 1; k <= 8; k++) for (const s of [1, -1]) spots.push([gap + w / 2, s * k * h * 0.6], [-gap - w / 2, s * k * h * 0.6]);
    items.push({ id: c.id, p, callout: true, force: true, w, h,
      // A spot past the drawing's side edge slides back in (a wide callout beside a neuron near
      // the edge, on a narrow projector screen, is still placed near it rather than over others).
      spots: spots.map(([dx, dy]) => ({ x: clampX(c.x + dx, w, b.lay.width), y: c.y + dy, w, h })).filter((s) => inside(s, b.lay)) });
  }
  for (const [id, p] of b.callouts) if (!used.has(id)) setAttrs(p.label, { visibility: "hidden" });
  return items;
}

const clampX = (x, w, width) => Math.min(Math.max(x, w / 2), Math.max(w / 2, width - w / 2));
const inside = (s, lay) => s.x - s.w / 2 >= 0 && s.x + s.w / 2 <= lay.width && s.y - s.h / 2 >= lay.head * 0.6 && s.y + s.h / 2 <= lay.height - lay.font * 1.6;
