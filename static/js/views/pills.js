// Text on the diagram that must stay legible: weight label pills (sized to their text and
// placed where they overlap nothing) and neuron values squeezed into their circle.

import { placeLabels } from "../layout.js";
import { setAttrs } from "./dom.js";

// Labels that would overlap another label or a neuron are left out (the value stays in the
// edge's tooltip, the values table and the explanation); the current step's go first.
export function placePills(b, labelled, callouts = []) {
  labelled.sort((a, c) => Number(c.first) - Number(a.first));
  // The step's own labels first, then its callouts (numbers a neuron cannot show), then the rest.
  const first = labelled.filter((l) => l.first);
  const rest = labelled.filter((l) => !l.first);
  const asItem = ({ p, id, first: f }) => ({ id, ...p.edge, w: p.pw, h: p.ph, force: f });
  const items = [...first.map(asItem), ...callouts, ...rest.map(asItem)];
  const f = b.lay.font;
  const obstacles = b.lay.neurons.map((n) => ({ x: n.x, y: n.y, r: n.r + 2 }));
  // A value wider than its circle sits on a plate: labels keep clear of the plate too.
  for (const n of b.lay.neurons) {
    const w = b.parts.neurons.get(n.id)?.plateW;
    if (w) obstacles.push({ x: n.x, y: n.y, w: w + 4, h: f * 1.3 + 4 });
  }
  // Bias labels under the neurons (when shown) and symbols above them.
  for (const ly of b.lay.layers) {
    if (!ly.labels) continue;
    for (const n of b.lay.neurons.filter((m) => m.layer === ly.layer)) {
      const bias = b.parts.biases.get(b.parts.neurons.get(n.id).bias);
      const chars = bias ? bias.text.textContent.length : 0;
      if (chars) obstacles.push({ x: n.x, y: n.y + n.r + f * 0.7, w: chars * f * 0.6, h: f * 1.1 });
      obstacles.push({ x: n.x, y: n.y - n.r - f * 0.8, w: f * 4, h: f * 1.1 });
    }
  }
  // The targets, the loss and the column headers are not to be covered either.
  for (const t of b.lay.targets) obstacles.push({ x: t.x, y: t.y, w: t.w + 4, h: t.h + 4 });
  obstacles.push({ x: b.lay.loss.x, y: b.lay.loss.y, r: b.lay.loss.r + 2 });
  obstacles.push({ x: b.lay.loss.x, y: b.lay.loss.y - b.lay.loss.r - f * 0.8, w: f * 1.6, h: f * 1.2 }); // its "L" above
  if (b.loss.plateW) obstacles.push({ x: b.lay.loss.x, y: b.lay.loss.y, w: b.loss.plateW + 4, h: f * 1.3 + 4 });
  const bounds = { left: 0, right: b.lay.width, top: b.lay.head, bottom: b.lay.height - f * 1.6 };
  // The same labels, sizes and obstacles as last time (an edit that keeps every number's
  // width, a drag frame): the same places, without placing them again.
  const key = JSON.stringify([items.map((it) => [it.id, it.w, it.h, it.force, it.spots?.map((s) => [s.x, s.y])]), obstacles]);
  if (b.placed?.key !== key) b.placed = { key, spots: placeLabels(items, obstacles, bounds) };
  const spots = b.placed.spots;
  // Attributes are written only when they change: each write makes the browser lay the label out again.
  const put = (label, spot) => setAttrs(label, spot ? { visibility: null, transform: `translate(${spot.x},${spot.y})` } : { visibility: "hidden" });
  for (const c of callouts) put(c.p.label, spots.get(c.id));
  const t = anchorAt(first.map(({ p }) => p.edge));
  for (const { p, id, first: f } of labelled) {
    const spot = spots.get(id);
    put(p.label, spot);
    lead(p, f && spot ? spot : null, t, f);
  }
}

// Where a leader line meets its edge: nearer the end where the step's edges are apart (they
// meet at one neuron: a weighted sum's edges at its target, a gradient's at its source).
function anchorAt(edges) {
  const same = (k1, k2) => edges.length > 1 && edges.every((e) => e[k1] === edges[0][k1] && e[k2] === edges[0][k2]);
  return same("x2", "y2") ? 0.3 : same("x1", "y1") ? 0.7 : 0.5;
}

// A step's label that found room only away from its edge (a 64-unit column leaves none beside
// it) is tied to its edge by a leader line: from the label's side to a dot on the edge.
function lead(p, spot, t, first) {
  const e = p.edge;
  const ax = e.x1 + t * (e.x2 - e.x1);
  const ay = e.y1 + t * (e.y2 - e.y1);
  const far = spot && distanceToSegment(spot, e) > spot.h * 0.75;
  if (!far) {
    if (p.leader) setAttrs(p.leader, { display: "none" });
    return;
  }
  if (!p.leader) {
    // Every leader under every label (one group first among the labels): a line never crosses a label's text.
    const ns = "http://www.w3.org/2000/svg";
    const labels = p.label.parentNode;
    let under = labels.querySelector(":scope > g.leaders");
    if (!under) {
      under = document.createElementNS(ns, "g");
      under.classList.add("leaders");
      labels.prepend(under);
    }
    p.leader = document.createElementNS(ns, "g");
    p.leader.classList.add("leader");
    p.leader.dataset.leaderOf = p.label.dataset.edgeLabel ?? "";
    p.leader.append(document.createElementNS(ns, "line"), document.createElementNS(ns, "circle"));
    under.append(p.leader);
  }
  // From the label's side nearest the edge to the dot on the edge.
  const dx = ax - spot.x;
  const dy = ay - spot.y;
  const k = Math.min(spot.w / 2 / Math.max(Math.abs(dx), 1e-9), spot.h / 2 / Math.max(Math.abs(dy), 1e-9), 1);
  setAttrs(p.leader, { display: null, "data-first": first ? "" : null });
  setAttrs(p.leader.firstChild, { x1: spot.x + dx * k, y1: spot.y + dy * k, x2: ax, y2: ay });
  setAttrs(p.leader.lastChild, { cx: ax, cy: ay, r: Math.max(2.5, spot.h * 0.12) });
}

function distanceToSegment(pt, e) {
  const vx = e.x2 - e.x1;
  const vy = e.y2 - e.y1;
  const len2 = vx * vx + vy * vy || 1;
  const u = Math.min(1, Math.max(0, ((pt.x - e.x1) * vx + (pt.y - e.y1) * vy) / len2));
  return Math.hypot(pt.x - (e.x1 + u * vx), pt.y - (e.y1 + u * vy));
}

// A weight's label pill: one or two lines, its background sized to the text.
export function pill(p, lines, font, kind) {
  if (!lines.length) {
    setAttrs(p.label, { visibility: "hidden" });
    return;
  }
  const key = lines.join("\n");
  if (p.lines !== key) {
    p.lines = key;
    p.text.replaceChildren();
    lines.forEach((line, i) => {
      const t = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
      setAttrs(t, { x: 0, dy: i === 0 ? `${0.35 - (lines.length - 1) * 0.6}em` : "1.2em" });
      t.textContent = line;
      p.text.append(t);
    });
    const w = Math.max(...lines.map((l) => l.length)) * font * 0.6 + font * 0.6;
    const h = lines.length * font * 1.2 + font * 0.2;
    setAttrs(p.bg, { x: -w / 2, y: -h / 2, width: w, height: h });
    p.pw = w;
    p.ph = h;
    p.text.removeAttribute("dy");
  }
  if (p.label.dataset.kind !== kind) p.label.dataset.kind = kind;
}

// A value a little too wide for its circle is squeezed (same font size, tighter glyphs).
export function squeeze(text, r, font) {
  const wide = text.textContent.length * font * 0.62 > r * 1.85;
  setAttrs(text, { textLength: wide ? r * 1.8 : null, lengthAdjust: wide ? "spacingAndGlyphs" : null });
}

// Values up to PLATE_CHARS characters (−0.1067, 0.64279) are never squeezed: one wider than
// its circle is drawn at full width on a plate (a rounded box) over the circle. Longer ones
// (1.234e−05) are squeezed, and so are values in a crowded column (`roomy` false: no room
// for symbols there either; the condensed context). Returns the plate's width (0: no plate).
const PLATE_CHARS = 7;
export function fitValue(text, plate, r, font, roomy = true) {
  const chars = text.textContent.length;
  const w = chars * font * 0.64 + font * 0.5;
  const plated = roomy && chars <= PLATE_CHARS && chars * font * 0.62 > r * 1.85;
  if (!plated) {
    squeeze(text, r, font);
    setAttrs(plate, { display: "none" });
    return 0;
  }
  setAttrs(text, { textLength: null, lengthAdjust: null });
  const x = Number(text.getAttribute("x"));
  const y = Number(text.getAttribute("y"));
  setAttrs(plate, { display: null, x: x - w / 2, y: y - font * 0.65, width: w, height: font * 1.3 });
  return w;
}
