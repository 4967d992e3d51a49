// The lecture's symbols for the diagram's labels and the values table, as plain text, read
// from the explanation the server derived for this structure (its `symbols`, keyed by
// address without the sample: "z:1,0", "W:2,0,1"). Pure: no DOM.

import { symbolText } from "./render/text.js";

/** Labels of one network: neuron(l, u), pre(l, u), weight(l, i, j), bias(l, u), target(k). */
export function makeSymbols(symbols = {}) {
  const text = (key, fallback = "") => (symbols[key] ? symbolText(symbols[key]) : fallback);
  return {
    neuron: (l, u) => text(l === 0 ? `x:${u}` : `z:${l},${u}`),
    pre: (l, u) => text(`s:${l},${u}`, null),
    weight: (l, i, j) => text(`W:${l},${i},${j}`),
    bias: (l, u) => text(`b:${l},${u}`),
    target: (k) => text(`y:${k}`, "y"),
  };
}
