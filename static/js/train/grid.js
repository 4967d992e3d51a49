// The maps a snapshot carries (POST /api/train's `grid`), read into one shape for the views:
// the input-space extent, the output over the grid (the decision boundary for 2-D inputs, the
// fitted curve for one input) and each hidden neuron's map. Pure: no DOM.
//
// The server sends {kind: "map" | "curve", x0: [lo, hi], x1?: [lo, hi], size, output: per
// output unit a size×size map (rows upward in x1) or size values, x?, neuron_size, neurons:
// per hidden layer, per unit, a map or curve, neuron_x?}.

import { toNumber } from "../format.js";

const nums = (v) => (Array.isArray(v) ? v.map(nums) : toNumber(v ?? NaN));
const spaced = ([a, b], n) => Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/**
 * {dims, xs, ys, output, hidden, classes} from a snapshot's `grid`, or null when it has none.
 * 2-D: output[r][c] at (xs[c], ys[r]), the top row first (ys descending); hidden[l][u][r][c]
 * likewise. 1-D: output[i] at xs[i]; hidden[l][u][i]. Two output units (softmax over two
 * classes) show class 1's probability; more show the likeliest class.
 */
export function readGrid(grid) {
  if (!grid || (grid.kind !== "map" && grid.kind !== "curve")) return null;
  const units = grid.output ? nums(grid.output) : null;
  const hiddenRaw = grid.neurons ? nums(grid.neurons) : [];
  if (grid.kind === "map") {
    const flip = (m) => m.slice().reverse(); // rows come upward in x1; a picture's top row is the largest
    let output = null;
    if (units) {
      if (units.length <= 2) output = units.at(-1);
      else output = units[0].map((row, r) => row.map((_, c) => argmax(units.map((u) => u[r][c]))));
      output = flip(output);
    }
    const size = grid.size || grid.neuron_size || 2;
    return {
      dims: 2, x0: grid.x0, x1: grid.x1, xs: spaced(grid.x0, size), ys: spaced(grid.x1, size).reverse(),
      output, hidden: hiddenRaw.map((layer) => layer.map(flip)), classes: units?.length ?? 0,
    };
  }
  const xs = grid.x ? nums(grid.x) : spaced(grid.x0, grid.size || 2);
  return { dims: 1, x0: grid.x0, xs, ys: null, output: units ? units[0] : null, hidden: hiddenRaw, classes: units?.length ?? 0 };
}
