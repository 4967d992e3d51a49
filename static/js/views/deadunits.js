// Dead ReLUs on the network diagram: a dashed grey ring round each dead (or nearly dead) hidden
// unit with the plain word beside it, its accessible name and tooltip saying over how many
// samples s ≤ 0 ("dead: s ≤ 0 for all 4 samples"), and a line of legend saying what the ring
// means. Drawn over the diagram network.js built (so the SVG and PNG exports carry it); which
// units are dead is deadunits.js's (from the server's numbers).

import { deadLabel, deadTitle, deadUnits } from "../deadunits.js";
import { setAttrs, setText, svg } from "./dom.js";

/** The dead units of the answer shown: over the training set while a snapshot's network is shown, else over its batch. */
export function deadOfState(state) {
  const { request, response, sent, reg, deadOver } = state;
  if (!response || !reg) return [];
  const training = deadOver && deadOver.network === request.network ? deadOver : null;
  const network = training ? request.network : (sent ?? request).network;
  return deadUnits({ network, pre: response.layers.map((l) => l.pre), reg, training });
}

/** Mark the dead units on the diagram `b` (network.js's build), and unmark the others. */
export function paintDead(b, state) {
  const dead = deadOfState(state);
  const font = b.lay.font;
  if (!b.dead) b.dead = { group: svg("g", { class: "dead-marks" }, b.el), marks: new Map(), legend: null };
  const { group, marks } = b.dead;
  const wanted = new Set();
  for (const d of dead) {
    const part = [...b.parts.neurons.values()].find((p) => p.n.layer === d.layer && p.n.unit === d.unit);
    if (!part) continue; // a layer the layout does not draw unit by unit
    const id = part.g.dataset.node;
    wanted.add(id);
    let m = marks.get(id);
    if (!m) {
      const { x, y, r } = part.n;
      const g = svg("g", { class: "dead-mark", role: "img", id: `dead-${id}`, "data-dead": id }, group);
      const ring = r + font * 0.62;
      svg("path", { class: "dead-ring", d: ringWithGaps(x, y, ring, r + font * 0.2, font * 1.1) }, g);
      // The word after the neuron's symbol ("z¹ dead"), on its line: the edges' pills sit beside the neuron, not above.
      const text = svg("text", { class: "dead-word", y: y - r - font * 0.45, "text-anchor": "start" }, g);
      const title = svg("title", {}, g);
      m = { g, text, title, neuron: part.g };
      marks.set(id, m);
    }
    const label = deadLabel(d);
    const symbol = part.label.getAttribute("display") === "none" ? "" : part.label.textContent; // "z¹", or "∂L/∂z¹"
    setAttrs(m.text, { x: part.n.x + symbol.length * font * 0.3 + font * 0.35 });
    setText(m.text, d.kind);
    setText(m.title, deadTitle(d));
    setAttrs(m.g, { "aria-label": `${part.symbol} ${label}`, "data-samples": d.samples, "data-over": d.over, "data-kind": d.kind });
    setAttrs(m.neuron, { "aria-describedby": m.g.id, "data-dead": d.kind });
  }
  for (const [id, m] of marks) {
    if (wanted.has(id)) continue;
    m.g.remove();
    m.neuron.removeAttribute("aria-describedby");
    m.neuron.removeAttribute("data-dead");
    marks.delete(id);
  }
  paintLegend(b, dead, font);
}

// A circle of radius R round (x, y), open at the bottom where it would cross the bias's text (below
// y + below) and at the top where it would cross the symbol (±top either side of x): two arcs.
function ringWithGaps(x, y, R, below, top) {
  const down = Math.acos(Math.min(1, below / R)); // half the bottom gap's angle (SVG angles: y points down)
  const up = Math.asin(Math.min(1, top / R)); // half the top gap's angle
  const pt = (a) => `${(x + R * Math.cos(a)).toFixed(1)},${(y + R * Math.sin(a)).toFixed(1)}`;
  const arc = (from, to) => `M${pt(from)}A${R.toFixed(1)},${R.toFixed(1)} 0 0 0 ${pt(to)}`;
  // right side: from the bottom gap up to the top gap; left side: from the top gap down to the bottom gap
  return arc(Math.PI / 2 - down, -Math.PI / 2 + up) + arc(-Math.PI / 2 - up, -3 * Math.PI / 2 + down);
}

// One line above the colour legend, at the right: what the ring means, in the longest wording that fits.
function paintLegend(b, dead, font) {
  const first = dead[0];
  if (!b.dead.marks.size) {
    b.dead.legend?.g.remove();
    b.dead.legend = null;
    return;
  }
  if (!b.dead.legend) {
    const g = svg("g", { class: "dead-legend", "aria-hidden": "true" }, b.dead.group);
    b.dead.legend = { g, ring: svg("circle", { class: "dead-ring small", r: font * 0.45 }, g), text: svg("text", { "text-anchor": "end", dy: "0.35em" }, g) };
  }
  const { ring, text } = b.dead.legend;
  const kinds = [...new Set(dead.map((d) => d.kind))].join(" / ");
  const room = b.lay.width - font * 2;
  const text0 = [deadLabel({ ...first, kind: kinds }), `${kinds}: s ≤ 0`, kinds].find((t) => t.length * font * 0.6 <= room) ?? kinds;
  const y = b.lay.height - font * 2.1;
  const cx = b.lay.width - 4 - font * 0.5; // the ring at the right edge, its meaning to its left
  setText(text, text0);
  setAttrs(text, { x: cx - font * 0.8, y });
  setAttrs(ring, { cx, cy: y });
}
