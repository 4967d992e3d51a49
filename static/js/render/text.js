// Formula tokens (spec §2) → one line of plain Unicode text: w₀ᵒᵘᵗ·z⁰ + βᵒᵘᵗ, or the same
// line with the numbers substituted, 0.6·0.4675 + 0.0. What the old server's tokens.text()
// wrote, now on the page (copy buttons, titles, tests). Pure: no DOM.

import { renderLine } from "./line.js";

const SUB = charMap("0123456789,()+-", "₀₁₂₃₄₅₆₇₈₉‚₍₎₊₋");
const SUP = charMap("0123456789,()+-out", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁽⁾⁺⁻ᵒᵘᵗ");
const SPACED = new Set(["+", "−", "=", "←", "/", ">", "≤"]);

function charMap(from, to) {
  const map = new Map();
  [...from].forEach((c, k) => map.set(c, [...to][k]));
  return map;
}

/** A symbol token as plain text, e.g. {s: "w", sub: "0", sup: "out"} → w₀ᵒᵘᵗ. */
export function symbolText(sym) {
  let text = sym.s;
  // A subscript character without a Unicode subscript stays as it is (as the server did).
  if (sym.sub != null) text += [...String(sym.sub)].map((c) => SUB.get(c) ?? c).join("");
  if (sym.sup != null) {
    const sup = [...String(sym.sup)];
    text += sup.every((c) => SUP.has(c)) ? sup.map((c) => SUP.get(c)).join("") : `^(${sym.sup})`;
  }
  return text;
}

const PLAIN = {
  spaced: SPACED,
  op: (s) => s,
  number: (text) => text,
  d: (t) => `∂${symbolText(t.of)}/∂${symbolText(t.wrt)}`,
  sym: symbolText,
  other: (t) => t.s,
};

/**
 * Tokens as one line of text, in symbols or (numeric) with value(address) substituted.
 *
 * A negative number after an operator is bracketed, 0.3·(−1.1); a leading minus stays unary.
 * A sym or d without an address (or whose value is absent) keeps its symbol.
 */
export function text(tokens, options = {}) {
  return renderLine(tokens, PLAIN, options);
}
