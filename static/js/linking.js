// One quantity, marked in every view: which tensor a diagram element or an address belongs to,
// so a hover or a selection in the neuron diagram, the tensors, the modules, the autograd graph
// or the code marks the same thing in all the others. Pure: no DOM.
//
// A tensor key names a tensor of the network: "W:1" (the weights of layer 1), "b:1" (its
// biases), "n:1" (its neurons: s and z), "x" (the input), "y" (the targets), "L" (the loss).
// Element ids are the address table's: L1W0_2, L1B0, L1N0 (L0N… the inputs), Y0, loss.

const ELEMENT = /^L(\d+)([WBN])/;

/** The tensor an element of the diagram belongs to ("L1W0_2" → "W:1"), or null. */
export function tensorOfRef(ref) {
  if (!ref) return null;
  if (ref === "loss") return "L";
  if (/^Y\d+$/.test(ref)) return "y";
  const m = ELEMENT.exec(ref);
  if (!m) return null;
  if (m[2] === "N") return m[1] === "0" ? "x" : `n:${m[1]}`;
  return `${m[2] === "W" ? "W" : "b"}:${m[1]}`;
}

/** The tensor an address belongs to ("dL/dW:2,0,1" → "W:2", "s:1,0,1" → "n:1", "dL/dx" → "x"), or null. */
export function tensorOfAddress(address) {
  if (!address) return null;
  const [quantity, index = ""] = address.split(":");
  const q = quantity.replace(/^dLn?\/d/, "").replace(/'$/, "");
  const l = index.split(",")[0];
  if (q === "W" || q === "b") return l ? `${q}:${l}` : null;
  if (q === "s" || q === "z" || q === "p") return l ? `n:${l}` : null;
  if (q === "x") return "x";
  if (q === "y" || q === "c") return "y";
  if (q === "L") return "L";
  return null;
}

/** The tensor a parameter address of the graph ("W:1", "b:2", "x") is: the same key. */
export const tensorOfParam = (param) => (param && /^([Wb]:\d+|x)$/.test(param) ? param : null);

/** Does line `text` of the generated script name tensor `key` (its attribute, for neurons the layer's call, for L the loss)? */
export function lineNames(text, key) {
  if (key === "L") return /^loss = |^print\("loss =/.test(text);
  const m = /^([Wbn]):(\d+)$/.exec(key ?? "");
  if (!m) return false;
  const l = m[2];
  if (m[1] === "W") return text.includes(`linear_${l}.weight`);
  if (m[1] === "b") return text.includes(`linear_${l}.bias`);
  return text.includes(`self.linear_${l}(`) || text.includes(`self.activation_${l}(`);
}

/** The tensor a line of the script names first (for a hover on the code), or null. */
export function tensorOfLine(text) {
  const m = /linear_(\d+)\.(weight|bias)/.exec(text) ?? /self\.(?:linear|activation)_(\d+)\(/.exec(text);
  if (!m) return null;
  return m[2] ? `${m[2] === "weight" ? "W" : "b"}:${m[1]}` : `n:${m[1]}`;
}

/**
 * What the page marks as "the quantity in hand", from the store's state: `hover` — the element
 * hovered (state.highlight) or the tensor hovered (state.hoverTensor) — and `focus`, the element
 * selected by a click (state.focus). Each view asks `marks(ref)` or `tensorMarks(key)`.
 */
export function linkMarks(state) {
  const hoverKey = state.hoverTensor ?? tensorOfRef(state.highlight);
  const focusKey = tensorOfRef(state.focus) ?? state.selectedParam ?? null;
  return {
    hoverKey,
    focusKey,
    /** An element (a cell's data-ref): hovered itself or part of the tensor hovered; the element focused. */
    ref: (ref) => ({
      hl: ref != null && (ref === state.highlight || (state.hoverTensor != null && tensorOfRef(ref) === state.hoverTensor)),
      focus: ref != null && ref === state.focus,
    }),
    /** A whole tensor (an arrow, a graph node, a line of code). */
    tensor: (key) => ({ hl: key != null && key === hoverKey, focus: key != null && key === focusKey }),
  };
}
