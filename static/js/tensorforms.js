// One Linear layer as the lecture writes it in matrix form: the terms of z = φ(Wx + B) (or of
// the slide's other notations, or PyTorch's row form xWᵀ + b), each a matrix of addresses with
// its shape, and the backward form ∂L/∂W = δ·aᵀ. The view looks every number up by address.
// Pure: no DOM.

/** The notations the view can show; "torch" is PyTorch's own row form, always shown underneath. */
export const NOTATIONS = [
  ["column", "z = φ(Wx + B)"],
  ["slide-t", "z = φ(Wᵀx + β)"],
  ["slide-row", "z = φ(xW + β)"],
];

const grid = (rows, cols, at) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => at(r, c)));

// A term: a symbol, a matrix of addresses (rows × cols), an optional transpose mark, the
// operator that follows it, the quantity it holds (for the view's classes), and which index of
// the layer its rows and its columns run over ("u" units, "f" fan-in, "N" samples, null: one).
const term = (symbol, cells, { t = false, op = null, kind = "value", shape = null, dims = [null, null] } = {}) =>
  ({ symbol, cells, t, op, kind, dims, shape: shape ?? [cells.length, cells[0]?.length ?? 0] });

/**
 * The matrices of layer l (from 1) for N samples: `A` is the address table (format),
 * `units`/`fanIn` its size, `activation` the registry entry's symbol (φ).
 * Returns {forward: [terms…], shapes: "(2,3)·(3,1) + (2,1) → (2,1)"} for a notation.
 */
export function forwardTerms(A, { layer: l, units: u, fanIn: f, samples: N, phi, notation }) {
  const a = (j, n) => (l === 1 ? A.format("x", n, j) : A.format("z", l - 1, n, j));
  const aName = l === 1 ? "x" : "a";
  const W = (i, j) => A.format("W", l, i, j);
  const b = (i) => A.format("b", l, i);
  const s = (i, n) => A.format("s", l, n, i);
  const z = (i, n) => A.format("z", l, n, i);
  const zName = phi === "id" ? "z = s" : `z = ${phi}(s)`;
  if (notation === "column") {
    return [
      term("W", grid(u, f, W), { op: "·", dims: ["u", "f"] }),
      term(aName, grid(f, N, (j, n) => a(j, n)), { op: "+", dims: ["f", "N"] }),
      term("B", grid(u, N, (i) => b(i)), { op: "=", dims: ["u", "N"] }),
      term("s", grid(u, N, s), { kind: "sum", op: "→", dims: ["u", "N"] }),
      term(zName, grid(u, N, z), { kind: "out", dims: ["u", "N"] }),
    ];
  }
  if (notation === "slide-t") {
    return [
      term("W", grid(f, u, (j, i) => W(i, j)), { t: true, op: "·", dims: ["f", "u"] }),
      term(aName, grid(f, N, (j, n) => a(j, n)), { op: "+", dims: ["f", "N"] }),
      term("β", grid(u, N, (i) => b(i)), { op: "=", dims: ["u", "N"] }),
      term("s", grid(u, N, s), { kind: "sum", op: "→", dims: ["u", "N"] }),
      term(zName, grid(u, N, z), { kind: "out", dims: ["u", "N"] }),
    ];
  }
  if (notation === "slide-row") {
    return [
      term(aName, grid(N, f, (n, j) => a(j, n)), { op: "·", dims: ["N", "f"] }),
      term("W", grid(f, u, (j, i) => W(i, j)), { op: "+", dims: ["f", "u"] }),
      term("β", grid(N, u, (n, i) => b(i)), { op: "=", dims: ["N", "u"] }),
      term("s", grid(N, u, (n, i) => s(i, n)), { kind: "sum", op: "→", dims: ["N", "u"] }),
      term(zName, grid(N, u, (n, i) => z(i, n)), { kind: "out", dims: ["N", "u"] }),
    ];
  }
  if (notation === "torch") {
    // nn.Linear stores weight as (out_features, in_features) and computes input @ weight.T + bias.
    return [
      term(aName, grid(N, f, (n, j) => a(j, n)), { op: "·", dims: ["N", "f"] }),
      term("weight", grid(u, f, W), { t: true, op: "+", dims: ["u", "f"] }),
      term("bias", [Array.from({ length: u }, (_, i) => b(i))], { op: "=", shape: [u], dims: [null, "u"] }),
      term("s", grid(N, u, (n, i) => s(i, n)), { kind: "sum", op: "→", dims: ["N", "u"] }),
      term(zName, grid(N, u, (n, i) => z(i, n)), { kind: "out", dims: ["N", "u"] }),
    ];
  }
  throw new Error(`unknown notation ${notation}`);
}

/** The backward form of layer l: ∂L/∂W = δ·aᵀ with δ = ∂L/∂s of shape (units, N); ∂L/∂β = δ summed over samples. */
export function backwardTerms(A, { layer: l, units: u, fanIn: f, samples: N }) {
  const aName = l === 1 ? "x" : "a";
  const a = (j, n) => (l === 1 ? A.format("x", n, j) : A.format("z", l - 1, n, j));
  return [
    term("δ = ∂L/∂s", grid(u, N, (i, n) => A.format("dL/ds", l, n, i)), { kind: "grad", op: "·", dims: ["u", "N"] }),
    term(aName, grid(f, N, a), { t: true, op: "=", dims: ["f", "N"] }),
    term("∂L/∂W", grid(u, f, (i, j) => A.format("dL/dW", l, i, j)), { kind: "grad", op: ";", dims: ["u", "f"] }),
    term("∂L/∂β = Σₙ δ", grid(u, 1, (i) => A.format("dL/db", l, i)), { kind: "grad", dims: ["u", null] }),
  ];
}

/** "(2,3)" or "(2,)" for a shape. */
export const shapeText = (shape) => `(${shape.join(",")}${shape.length === 1 ? "," : ""})`;

/**
 * The shapes of a product line, as the slide prints them: "(2,3)·(3,1) + (2,1) → (2,1)".
 * Each matrix prints the shape it is drawn with; ᵀ marks one the formula transposes.
 */
export function shapesLine(terms) {
  const ops = { "·": "·", "+": " + ", "=": " → ", ";": "; " };
  const shown = terms.filter((t) => t.kind !== "out");
  return shown.map((t, k) => `${shapeText(t.shape)}${t.t ? "ᵀ" : ""}${k < shown.length - 1 ? ops[t.op] ?? " " : ""}`).join("");
}

/**
 * Which indices of layer l a crowded matrix keeps (the rest elided with ⋮ or …): for each of
 * "u", "f", "N" of size above its `limit`, the first and the last, and every index the
 * `addresses` (the player's step: its target and the numbers its formula uses) name in this
 * layer; null for a dimension shown whole. `parse` is the address table's. With `limit.strict`
 * (a projector) only the first address's indices (the step's target) are always kept, the others
 * as long as the dimension stays within its limit.
 */
export function keptIndices(parse, addresses, { layer: l, units, fanIn, samples }, limit) {
  const indicesOf = (list) => {
    const want = { u: new Set(), f: new Set(), N: new Set() };
    for (const a of list) {
      const p = parse(a);
      if (!p) continue;
      const q = p.q.replace(/^dL\/d/, "").replace(/'$/, "");
      const [i0, i1, i2] = p.idx;
      if ((q === "W") && i0 === l) { want.u.add(i1); want.f.add(i2); }
      else if (q === "b" && i0 === l) want.u.add(i1);
      else if ((q === "s" || q === "z") && i0 === l) { want.N.add(i1); want.u.add(i2); }
      else if ((q === "s" || q === "z") && i0 === l - 1) { want.N.add(i1); want.f.add(i2); }
      else if (q === "x" && l === 1 && p.idx.length === 2) { want.N.add(i0); want.f.add(i1); }
    }
    return want;
  };
  const want = indicesOf(addresses);
  const must = limit.strict ? indicesOf(addresses.slice(0, 1)) : want;
  const pick = (size, dim, max) => {
    if (size <= max) return null;
    const valid = (i) => Number.isInteger(i) && i >= 0 && i < size;
    const keep = new Set([0, size - 1, ...[...must[dim]].filter(valid)]);
    for (const i of [...want[dim]].filter(valid).sort((a, b) => a - b)) if (!limit.strict || keep.size < max) keep.add(i);
    for (let i = 1; keep.size < Math.min(max, 3) && i < size; i++) keep.add(i);
    return [...keep].sort((a, b) => a - b);
  };
  return { u: pick(units, "u", limit.u), f: pick(fanIn, "f", limit.f), N: pick(samples, "N", limit.N) };
}
