// The data and what the network makes of it: a scatter plot of the samples; for 2-D inputs
// the decision boundary as a heat map behind them and a small map per hidden neuron (what it
// responds to, dead ReLUs marked); for one input the fitted curve over the data. Every map
// is a grid of forward passes torch computed on the server and sent with the snapshot.

import { gridPixels, mapScale, parseColor } from "../train/colors.js";
import { extent, linear } from "../train/chart.js";
import { readGrid } from "../train/grid.js";
import { toNumber } from "../format.js";
import { h, svg } from "./dom.js";

/** The theme's palette as RGB, read when a map is painted (a theme switch repaints). */
function palette() {
  const css = getComputedStyle(document.documentElement);
  const get = (name) => parseColor(css.getPropertyValue(name));
  return { pos: get("--pos"), neg: get("--neg"), zero: get("--bg"), nan: get("--nan") };
}

/** A grid of values as a PNG data URL (one pixel per grid cell, smoothed by the browser). */
function gridImage(values, toT, pal) {
  const canvas = document.createElement("canvas");
  canvas.width = values[0]?.length ?? 1;
  canvas.height = values.length || 1;
  const ctx = canvas.getContext("2d");
  ctx.putImageData(new ImageData(gridPixels(values, toT, pal), canvas.width, canvas.height), 0, 0);
  return canvas.toDataURL();
}

export function mountTrainMap(root) {
  const plot = svg("svg", { class: "train-map", role: "img", "data-train-map": "" });
  const caption = h("p", { class: "map-caption", "data-map-caption": "" });
  const neurons = h("div", { class: "neuron-maps", "data-neuron-maps": "" });
  root.append(plot, caption, neurons);

  /** Draw the data set and (when there is one) the snapshot's maps, `size` px square. */
  function draw({ dataset, snapshot, size, font, probability, classes, label, dying = () => null }) {
    plot.replaceChildren();
    neurons.replaceChildren();
    if (!dataset) return;
    plot.setAttribute("viewBox", `0 0 ${size} ${size}`);
    plot.setAttribute("width", size);
    plot.setAttribute("height", size);
    const grid = readGrid(snapshot?.grid);
    const pal = palette();
    const x = dataset.x.map((r) => r.map(toNumber));
    const yOf = (i) => (Array.isArray(dataset.y[i]) ? toNumber(dataset.y[i][0]) : toNumber(dataset.y[i]));
    const test = new Set(dataset.test ?? []);
    const pad = font * 0.6;
    if (dataset.inputs === 2) {
      const [a0, a1] = grid ? grid.x0 : pad1(extent(x.map((r) => r[0])));
      const [b0, b1] = grid ? grid.x1 : pad1(extent(x.map((r) => r[1])));
      const sx = linear([a0, a1], [pad, size - pad]);
      const sy = linear([b0, b1], [size - pad, pad]);
      if (grid?.output) {
        const scale = mapScale(grid.output, { probability: probability && classes <= 2 });
        const toT = (v) => 0.35 * scale(v); // paler than the points drawn over it, so every point stands out
        svg("image", { href: gridImage(grid.output, toT, pal), x: pad, y: pad, width: size - 2 * pad, height: size - 2 * pad,
          preserveAspectRatio: "none", class: "boundary", "data-boundary": snapshot.step }, plot);
      }
      if (grid) drawNeurons(grid, snapshot, pal, label, dying);
      svg("rect", { x: pad, y: pad, width: size - 2 * pad, height: size - 2 * pad, class: "map-frame" }, plot);
      const r = Math.max(2.5, Math.min(font * 0.28, size / 70));
      x.forEach((p, i) => {
        const c = yOf(i);
        const cls = classes > 2 ? `pt class-${c % 6}` : c >= 0.5 ? "pt pos" : "pt neg";
        svg("circle", { cx: sx(p[0]), cy: sy(p[1]), r, class: `${cls}${test.has(i) ? " test" : ""}`, "data-point": i }, plot);
      });
      caption.textContent = grid
        ? `Step ${snapshot.step} · colour: ŷ (${probability ? "blue class 1, vermillion 0" : "blue > 0, vermillion < 0"}) · hollow: test`
        : "Hollow points: the test set. The boundary comes with the first snapshot.";
    } else if (dataset.inputs === 1) {
      const xs = x.map((r) => r[0]);
      const ys = dataset.y.map((_, i) => yOf(i));
      const curve = grid?.output ?? [];
      const [a0, a1] = grid ? grid.x0 : pad1(extent(xs));
      const [b0, b1] = pad1(extent([...ys, ...curve.filter(Number.isFinite)]));
      const sx = linear([a0, a1], [pad, size - pad]);
      const sy = linear([b0, b1], [size - pad, pad]);
      svg("rect", { x: pad, y: pad, width: size - 2 * pad, height: size - 2 * pad, class: "map-frame" }, plot);
      xs.forEach((v, i) => svg("circle", { cx: sx(v), cy: sy(ys[i]), r: Math.max(2.5, Math.min(font * 0.25, size / 70)), class: `pt data${test.has(i) ? " test" : ""}`, "data-point": i }, plot));
      if (grid) {
        let d = "";
        grid.xs.forEach((v, i) => { if (Number.isFinite(curve[i])) d += `${d ? "L" : "M"}${sx(v).toFixed(1)},${sy(curve[i]).toFixed(1)}`; });
        svg("path", { d, class: "fit", "data-fit": snapshot.step }, plot);
        drawNeurons(grid, snapshot, pal, label, dying);
      }
      caption.textContent = grid ? `Step ${snapshot.step} · the line: ŷ over x · hollow: test`
        : "The fitted curve appears with the first snapshot.";
    } else {
      caption.textContent = `The data has ${dataset.inputs} inputs: maps are drawn for one or two inputs.`;
    }
  }

  // One small map per hidden neuron (layer by layer), dead ReLUs marked.
  function drawNeurons(grid, snapshot, pal, label, dying) {
    (grid.hidden ?? []).forEach((layer, l) => {
      const row = h("div", { class: "neuron-row" }, h("span", { class: "neuron-layer", text: `Layer ${l + 1}` }));
      layer.forEach((unit, u) => {
        const dead = Boolean(snapshot.dead?.[l]?.[u]);
        // "dead" (ReLU) or "nearly dead" (leaky ReLU), and what it does to learning: the registry's words.
        const act = dead ? dying(l) : null;
        const word = act?.dies || "dead";
        const cell = h("figure", { class: `neuron${dead ? " dead" : ""}`, "data-neuron": `${l + 1},${u}`, "data-dead": dead ? word : null,
          title: dead ? `${word[0].toUpperCase()}${word.slice(1)}: s ≤ 0 for every training sample, ${act?.dead_words ?? ""}` : null });
        if (grid.dims === 2) {
          const img = h("img", { alt: `what hidden neuron ${u} of layer ${l + 1} responds to`, src: gridImage(unit, mapScale(unit), pal) });
          cell.append(img);
        } else {
          const s = svg("svg", { viewBox: "0 0 100 60", class: "neuron-curve", preserveAspectRatio: "none" });
          const sx = linear([0, unit.length - 1], [2, 98]);
          const sy = linear(extent(unit), [58, 2]);
          let d = "";
          unit.forEach((v, i) => { if (Number.isFinite(v)) d += `${d ? "L" : "M"}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`; });
          svg("path", { d, class: "fit" }, s);
          cell.append(s);
        }
        cell.append(h("figcaption", { text: dead ? `${label(l + 1, u)} ${word}` : label(l + 1, u) }));
        row.append(cell);
      });
      neurons.append(row);
    });
  }

  return { draw };
}

const pad1 = ([a, b]) => { const d = (b - a) * 0.08 || 1; return [a - d, b + d]; };
