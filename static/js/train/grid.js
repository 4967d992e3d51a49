// The maps a snapshot carries, read into one shape for the views: the input-space extent,
// the output over the grid (the decision boundary for 2-D inputs, the fitted curve for one
// input) and each hidden neuron's activation over the grid. Pure: no DOM.

import { toNumber } from "../format.js";

const nums = (v) => (Array.isArray(v) ? v.map(nums) : toNumber(v ?? NaN));

/**
 * {dims, xs, ys, output, hidden} from a snapshot's `grid`, or null when it has none.
 * 2-D: output[r][c] over ys[r] (top row = largest y) × xs[c]; hidden[l][u][r][c].
 * 1-D: output[c] over xs[c] (the first output unit); hidden[l][u][c].
 */
export function readGrid(grid) {
  if (!grid || !Array.isArray(grid.xs ?? grid.x)) return null;
  const xs = (grid.xs ?? grid.x).map(toNumber);
  const ys = grid.ys ?? grid.y ?? null;
  const dims = ys ? 2 : 1;
  let output = nums(grid.output ?? []);
  let hidden = nums(grid.hidden ?? []);
  if (dims === 2) {
    // Rows are sent bottom-up (y ascending): the picture's top row is the largest y.
    const ysn = ys.map(toNumber);
    if (ysn.length > 1 && ysn[0] < ysn.at(-1)) {
      output = output.slice().reverse();
      hidden = hidden.map((layer) => layer.map((unit) => unit.slice().reverse()));
      return { dims, xs, ys: ysn.slice().reverse(), output: first(output), hidden };
    }
    return { dims, xs, ys: ysn, output: first(output), hidden };
  }
  return { dims, xs, ys: null, output: output.map((v) => (Array.isArray(v) ? v[0] : v)), hidden };
}

// A multi-output cell [p₀, p₁, …] is shown by its class-1 probability (two classes) or
// its largest class (more); a single number is kept.
function first(rows) {
  return rows.map((row) => row.map((v) => (Array.isArray(v) ? (v.length === 2 ? v[1] : argmax(v)) : v)));
}

const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
