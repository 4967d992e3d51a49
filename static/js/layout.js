// Geometry of the network diagram in pixels: columns of neurons, straight weight edges
// with staggered label positions, target boxes and the loss node. The SVG is drawn in
// screen pixels (no viewBox scaling) so font sizes are true sizes on the projector.
// Pure: no DOM.

/**
 * sizes: [inputs, units of layer 1, …]; box: {width, height}; font: base font size (px);
 * outputsAsClass: one target box (class index) instead of one per output; ids: the diagram
 * element of a neuron(layer, unit), an edge(layer, row, col) and a target(unit) — the page
 * takes them from the address table, so the id format is written in one place.
 */
export function layoutNetwork(sizes, { width, height, font, outputsAsClass = false, ids, focus = null }) {
  const L = sizes.length - 1;
  const head = 1.9 * font; // column headers
  const bottom = 1.9 * font; // the legend
  const usable = Math.max(10, height - head - bottom);
  const padL = 2.9 * font;
  const padR = 2.7 * font;
  const boxW = 4.4 * font;
  const lossR0 = 1.6 * font;
  let gap = Math.max(20, (width - padL - padR) / (L + 1.25)); // ŷ → y → L share 1.25 gaps
  let rMax = Math.min(2.5 * font, gap * 0.27);
  // The target box and the loss node need their room even when many layers squeeze the gaps,
  // and so does ŷ's value before the target: up to 7 characters, on a plate PLATE_HALF wide each side.
  const toTarget = Math.max(0.65 * gap, Math.max(rMax, PLATE_HALF * font) + boxW / 2 + 0.4 * font);
  const toLoss = Math.max(0.6 * gap, boxW / 2 + lossR0 + 0.4 * font);
  if (toTarget + toLoss > 1.25 * gap) {
    gap = Math.max(20, (width - padL - padR - toTarget - toLoss) / L);
    rMax = Math.min(rMax, gap * 0.27);
  }

  // Focus and context: the gap whose weights the current step is about gets FOCUS_WIDTH
  // times the room of the others (still at least MIN_GAP of a plain gap each).
  const widths = sizes.slice(1).map((_, i) => (focus === i + 1 && L > 1 ? FOCUS_WIDTH : 1));
  const total = widths.reduce((a, b) => a + b, 0);
  const gaps = widths.map((w) => Math.max(MIN_GAP * gap, (L * gap * w) / total));
  const excess = gaps.reduce((a, b) => a + b, 0) - L * gap;
  if (focus && L > 1) gaps[focus - 1] -= excess;
  const colX = [padL];
  for (const g of gaps) colX.push(colX.at(-1) + g);
  const targetX = colX[L] + toTarget;
  const lossX = targetX + toLoss;

  const layers = sizes.map((units, l) => {
    const slot = usable / units;
    // Room for a symbol above and the bias below each neuron, or only for the circle?
    let r = Math.min(rMax, (slot - 2.6 * font) / 2);
    let labels = r >= 1.35 * font;
    if (!labels) r = Math.max(3, Math.min(rMax, slot * 0.45, gap * 0.3));
    let value = r >= 2.05 * font ? "full" : r >= 1.05 * font ? "short" : "none";
    // Inputs too small for their value but spaced for a plate's height (8 inputs on a projector):
    // each value on a plate over its circle, rather than a callout beside it that takes the
    // room the step's weight labels need.
    if (l === 0 && value === "none" && slot >= PLATE_ROW * font) value = "plate";
    // A value wider than its circle sits on a plate where the column has a plate's height to
    // spare (MyMiniMLP's 8 inputs on a projector), rather than being squeezed into the circle.
    const plates = labels || value === "plate" || slot >= PLATE_ROW * font;
    return { layer: l, units, slot, r, labels, value, plates, x: colX[l] };
  });

  const neurons = [];
  for (const ly of layers) {
    for (let u = 0; u < ly.units; u++) {
      const y = head + ly.slot * (u + 0.5);
      neurons.push({ id: ids.neuron(ly.layer, u), layer: ly.layer, unit: u, x: ly.x, y, r: ly.r });
    }
  }
  const at = (l, u) => neurons.find((n) => n.layer === l && n.unit === u);

  const edges = [];
  const edgeLabels = [];
  for (let l = 1; l <= L; l++) {
    const rows = sizes[l];
    const cols = sizes[l - 1];
    const layerEdges = [];
    for (let row = 0; row < rows; row++) {
      // Stagger labels: row 0 near its target, later rows nearer the sources.
      const t = rows === 1 ? 0.62 : 0.7 - (0.42 * row) / (rows - 1);
      for (let col = 0; col < cols; col++) {
        const a = at(l - 1, col);
        const b = at(l, row);
        const e = segment(a, b);
        e.t = t;
        e.lx = e.x1 + t * (e.x2 - e.x1);
        e.ly = e.y1 + t * (e.y2 - e.y1);
        layerEdges.push({ id: ids.edge(l, row, col), layer: l, row, col, ...e });
      }
    }
    edges.push(...layerEdges);
    // A crowded layer labels only the weights the current step uses (the rest: on hover).
    edgeLabels[l] = rows * cols <= 12 ? "all" : "refs";
  }

  const outs = neurons.filter((n) => n.layer === L);
  const boxH = 1.6 * font;
  const targets = outputsAsClass
    ? [{ id: ids.target(0), unit: 0, x: targetX, y: mean(outs.map((n) => n.y)), w: boxW, h: boxH }]
    : outs.map((n) => ({ id: ids.target(n.unit), unit: n.unit, x: targetX, y: n.y, w: boxW, h: boxH }));
  const lossR = Math.max(lossR0, Math.min(2.3 * font, (toLoss - boxW / 2) * 0.8));
  const loss = { x: lossX, y: mean(outs.map((n) => n.y)), r: lossR };

  return { width, height, font, head, layers, neurons, edges, edgeLabels, targets, loss, gap };
}

const FOCUS_WIDTH = 2.4;
const PLATE_HALF = 2.5; // half a 7-character value's plate, in font sizes (views/pills.js)
const MIN_GAP = 0.6;
const PLATE_ROW = 1.9; // a value plate's height (1.3 font sizes) and the room between two

/** The layer whose weights a step is about (its refs' weights), or null: the gap to widen. */
export function focusLayer(refs, parse) {
  const count = new Map();
  for (const a of refs ?? []) {
    const p = parse(a);
    if (p && ["W", "dL/dW", "W'", "dLn/dW"].includes(p.q) && p.idx.length) count.set(p.idx[0], (count.get(p.idx[0]) ?? 0) + 1);
  }
  let best = null;
  for (const [l, n] of count) if (best === null || n > count.get(best)) best = l;
  return best;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The visible part of an edge: from the rim of one circle to the rim of the next.
function segment(a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  return {
    x1: a.x + (dx * a.r) / len,
    y1: a.y + (dy * a.r) / len,
    x2: b.x - (dx * b.r) / len,
    y2: b.y - (dy * b.r) / len,
  };
}

/**
 * Where each weight label goes, or whether it is left out: items {id, x1, y1, x2, y2, t, w, h}
 * in priority order (the step's own labels first); obstacles are circles {x, y, r}. Each
 * label tries a few positions along its edge and keeps the first that overlaps nothing.
 */
export function placeLabels(items, obstacles = [], bounds = null) {
  const placed = [];
  const out = new Map();
  for (const it of items) {
    // Candidate places: the item's own (a callout beside its neuron), or along its edge; a
    // forced label that finds no free place along the edge tries beside it, above and below.
    const boxes = it.spots ?? [0, -0.08, 0.08, -0.16, 0.16, -0.24, 0.24, -0.32, 0.32, -0.4].map((dt) => {
      const t = Math.min(0.85, Math.max(0.12, it.t + dt));
      return { x: it.x1 + t * (it.x2 - it.x1), y: it.y1 + t * (it.y2 - it.y1), w: it.w, h: it.h };
    });
    if (it.force && !it.spots) {
      const base = boxes.slice();
      for (let k = 1; k <= 10; k++) for (const b of base) boxes.push({ ...b, y: b.y - k * it.h * 0.55 }, { ...b, y: b.y + k * it.h * 0.55 });
      for (let k = 1; k <= 2; k++) for (const b of base) boxes.push({ ...b, x: b.x - k * it.w * 0.4 }, { ...b, x: b.x + k * it.w * 0.4 });
      // Still crowded (a 3-line update pill among big presentation neurons): off the edge both ways.
      for (let k = 1; k <= 2; k++) for (let j = 1; j <= 6; j++) for (const b of base) {
        for (const sx of [-1, 1]) for (const sy of [-1, 1]) boxes.push({ ...b, x: b.x + sx * k * it.w * 0.4, y: b.y + sy * j * it.h * 0.55 });
      }
    }
    const within = (b) => !bounds || (b.x - b.w / 2 >= bounds.left && b.x + b.w / 2 <= bounds.right && b.y - b.h / 2 >= bounds.top && b.y + b.h / 2 <= bounds.bottom);
    const free = (box) => within(box) && !placed.some((b) => overlap(b, box)) && !obstacles.some((c) => (c.r ? hitsCircle(box, c) : overlap(box, c)));
    // A forced label (the current step's own) with no free place near its element takes the
    // free place nearest to it anywhere in the drawing, else the place it covers least.
    const box = boxes.find(free) ?? (it.force ? nearestFree(boxes[0], bounds, free)
      ?? leastCovering(boxes.filter(within).length ? boxes.filter(within) : boxes, placed, obstacles) : null);
    if (box) {
      placed.push(box);
      out.set(it.id, box);
    }
  }
  return out;
}

// The free place nearest to `anchor` on a fine grid over the drawing (a quarter of the label's
// height apart), or null: the last resort before covering something, so it may look far.
function nearestFree(anchor, bounds, free) {
  if (!anchor || !bounds) return null;
  const { w, h } = anchor;
  const step = Math.max(2, h / 4);
  const found = [];
  for (let y = bounds.top + h / 2; y <= bounds.bottom - h / 2; y += step) {
    for (let x = bounds.left + w / 2; x <= bounds.right - w / 2; x += step) found.push({ x, y, w, h, d: (x - anchor.x) ** 2 + (y - anchor.y) ** 2 });
  }
  found.sort((a, b) => a.d - b.d);
  const box = found.find(free);
  return box ? { x: box.x, y: box.y, w, h } : null;
}

function leastCovering(boxes, placed, obstacles) {
  const area = (a, b) => Math.max(0, (a.w + b.w) / 2 - Math.abs(a.x - b.x)) * Math.max(0, (a.h + b.h) / 2 - Math.abs(a.y - b.y));
  const cost = (box) => placed.reduce((n, b) => n + area(box, b), 0)
    + obstacles.reduce((n, c) => n + (c.r ? (hitsCircle(box, c) ? c.r * c.r : 0) : area(box, c)), 0);
  return boxes.length ? boxes.reduce((best, b) => (cost(b) < cost(best) ? b : best)) : null; // no place at all (a hidden diagram)
}

const overlap = (a, b) => Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;

function hitsCircle(box, c) {
  const dx = Math.max(Math.abs(c.x - box.x) - box.w / 2, 0);
  const dy = Math.max(Math.abs(c.y - box.y) - box.h / 2, 0);
  return dx * dx + dy * dy < c.r * c.r;
}
