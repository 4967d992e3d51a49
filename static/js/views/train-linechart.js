// One SVG line chart: axes with round ticks, a line per series (a non-finite value breaks
// its line), a legend, and a vertical marker at the scrubber's step. Geometry from
// train/chart.js; every label through format.js. Redrawn whole: charts are small.

import { extent, linear, pathData, ticks } from "../train/chart.js";
import { fmtShort } from "../format.js";
import { svg } from "./dom.js";

/**
 * Draw into `el` (an <svg>): `series` = [{points: [[x, y]…], label, cls}], sized `width` ×
 * `height` with text of `font` px. Options: `log` (a log₁₀ y axis, for gradient norms that
 * vanish), `yDomain`, `xDomain`, `marker` (an x to mark), `title`.
 */
export function drawChart(el, series, { width, height, font, log = false, yDomain = null, xDomain = null, marker = null, title = "" }) {
  el.replaceChildren();
  el.setAttribute("viewBox", `0 0 ${width} ${height}`);
  el.setAttribute("width", width);
  el.setAttribute("height", height);
  const tf = (v) => (log ? (v > 0 ? Math.log10(v) : NaN) : v);
  const data = series.map((s) => ({ ...s, pts: s.points.map(([x, y]) => [x, tf(y)]) }));
  const xs = data.flatMap((s) => s.pts.map(([x]) => x));
  const ys = data.flatMap((s) => s.pts.map(([, y]) => y));
  const [x0, x1] = xDomain ?? extent(xs.length ? xs : [0, 1]);
  const [y0, y1] = yDomain ?? extent(ys, { includeZero: !log });
  const left = font * 3.2;
  const bottom = font * 1.9; // the x ticks' row, clear of the lowest y tick's label ("0" beside the axis)
  const right = font * 0.8;
  // Legend: rows of swatches and names over the plot, as many rows as the names need (a deep net's layers).
  const legend = [];
  let lx = left;
  let row = 0;
  for (const s of data) {
    const w = font * 2.4 + s.label.length * font * 0.62;
    if (lx > left && lx + w - font * 0.8 > width - right) [lx, row] = [left, row + 1];
    legend.push({ s, x: lx, row });
    lx += w;
  }
  const rows = data.length ? row + 1 : 1;
  const top = font * (title ? 1.5 : 0.6) + font * 1.3 * rows;
  const sx = linear([x0, x1], [left, width - right]);
  const sy = linear([y0, y1], [height - bottom, top]);
  if (title) svg("text", { x: left, y: font * 1.1, class: "chart-title" }, el).textContent = title;

  const axes = svg("g", { class: "axes" }, el);
  for (const t of ticks([y0, y1], Math.max(2, Math.floor((height - top - bottom) / (font * 2))))) {
    svg("line", { x1: left, x2: width - right, y1: sy(t), y2: sy(t), class: "grid-line" }, axes);
    svg("text", { x: left - font * 0.3, y: sy(t) + font * 0.35, "text-anchor": "end" }, axes).textContent = fmtShort(log ? 10 ** t : t);
  }
  for (const t of ticks([x0, x1], Math.max(2, Math.floor((width - left - right) / (font * 4))))) {
    svg("text", { x: sx(t), y: height - font * 0.3, "text-anchor": "middle" }, axes).textContent = fmtShort(t);
  }
  svg("line", { x1: left, x2: left, y1: top, y2: height - bottom, class: "axis" }, axes);
  svg("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: "axis" }, axes);

  data.forEach((s) => {
    svg("path", { d: pathData(s.pts, sx, sy), class: `series ${s.cls ?? ""}`, "data-series": s.key ?? s.label, "data-points": s.points.length }, el);
  });
  for (const { s, x, row: r } of legend) {
    const ly = top - font * 0.5 - (rows - 1 - r) * font * 1.3;
    svg("line", { x1: x, x2: x + font * 1.2, y1: ly - font * 0.3, y2: ly - font * 0.3, class: `series ${s.cls ?? ""}` }, el);
    const label = svg("text", { x: x + font * 1.5, y: ly, class: "legend" }, el);
    label.textContent = s.label;
  }
  if (marker !== null && Number.isFinite(marker)) {
    svg("line", { x1: sx(marker), x2: sx(marker), y1: top, y2: height - bottom, class: "marker", "data-marker": marker }, el);
  }
}
