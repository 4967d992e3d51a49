// The lecture's symbols for diagram labels and the values table, as plain Unicode text,
// mirroring app/engine/notation.py (x_j, z^i, ŷ, w_j^i, β^i, y, L). Pure: no DOM.

const SUB = { 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉", ",": "‚" };
const SUP = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", ",": "˒", o: "ᵒ", u: "ᵘ", t: "ᵗ" };

export const sub = (s) => [...String(s)].map((c) => SUB[c] ?? c).join("");
export const sup = (s) => [...String(s)].map((c) => SUP[c] ?? c).join("");

/** Symbols for a network of `nLayers` layers after the inputs and `outputs` outputs. */
export function notation(nLayers, outputs) {
  const top = (layer, unit) => {
    if (layer === nLayers) return outputs === 1 ? "out" : `out,${unit}`;
    return nLayers === 2 ? String(unit) : `${layer},${unit}`;
  };
  return {
    neuron(layer, unit) {
      if (layer === 0) return "x" + sub(unit);
      if (layer === nLayers) return "ŷ" + (outputs === 1 ? "" : sub(unit));
      return "z" + sup(top(layer, unit));
    },
    pre(layer, unit) {
      return "s" + sup(top(layer, unit));
    },
    weight(layer, row, col) {
      return "w" + sub(col) + sup(top(layer, row));
    },
    bias(layer, unit) {
      return "β" + sup(top(layer, unit));
    },
    target(unit) {
      return "y" + (outputs === 1 ? "" : sub(unit));
    },
  };
}

/** A diagram element id parsed: L1W0_2, L1B0, L0N1, Y0, loss. */
export function parseRef(ref) {
  let m = /^L(\d+)W(\d+)_(\d+)$/.exec(ref);
  if (m) return { kind: "weight", layer: +m[1], row: +m[2], col: +m[3] };
  m = /^L(\d+)B(\d+)$/.exec(ref);
  if (m) return { kind: "bias", layer: +m[1], unit: +m[2] };
  m = /^L(\d+)N(\d+)$/.exec(ref);
  if (m) return { kind: +m[1] === 0 ? "input" : "neuron", layer: +m[1], unit: +m[2] };
  m = /^Y(\d+)$/.exec(ref);
  if (m) return { kind: "target", unit: +m[1] };
  if (ref === "loss") return { kind: "loss" };
  return null;
}

/**
 * The diagram ids a 422's `loc` points at (["body", "network", "layers", 1, "weights", 0, 0]
 * → L2W0_0; ["body", "y", 0] → every target of sample 0), for the traced sample `s`.
 */
export function locToRefs(loc, s, outputs) {
  const p = (loc || []).filter((part) => part !== "body");
  if (p[0] === "network" && p[1] === "layers" && Number.isInteger(p[2])) {
    const layer = p[2] + 1;
    if (p[3] === "weights" && Number.isInteger(p[5])) return [`L${layer}W${p[4]}_${p[5]}`];
    if (p[3] === "biases" && Number.isInteger(p[4])) return [`L${layer}B${p[4]}`];
    return [];
  }
  if ((p[0] === "x" || p[0] === "y") && p[1] !== undefined && p[1] !== s) return [];
  if (p[0] === "x" && Number.isInteger(p[2])) return [`L0N${p[2]}`];
  if (p[0] === "y") {
    if (Number.isInteger(p[2])) return [`Y${p[2]}`];
    return Array.from({ length: outputs }, (_, k) => `Y${k}`);
  }
  return [];
}
