// Formula tokens (spec §2) → one line of plain Unicode text: w₀ᵒᵘᵗ·z⁰ + βᵒᵘᵗ, or the same
// line with the numbers substituted, 0.6·0.4675 + 0.0. What the old server's tokens.text()
// wrote, now on the page (copy buttons, titles, tests). Pure: no DOM.

import { fmt as defaultFmt, fmtConst } from "../format.js";

const SUB = charMap("0123456789,()+-", "₀₁₂₃₄₅₆₇₈₉‚₍₎₊₋");
const SUP = charMap("0123456789,()+-out", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁽⁾⁺⁻ᵒᵘᵗ");
const SPACED = new Set(["+", "−", "=", "←", "/", ">", "≤"]);
// After these a minus is unary and a negative number needs no brackets.
const OPENERS = new Set(["(", "[", "√", ","]);

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

/**
 * Tokens as one line of text, in symbols or (numeric) with value(address) substituted.
 *
 * A negative number after an operator is bracketed, 0.3·(−1.1); a leading minus stays unary.
 * A sym or d without an address (or whose value is absent) keeps its symbol.
 */
export function text(tokens, { numeric = false, value = () => undefined, fmt = defaultFmt } = {}) {
  const out = [];
  let bare = true; // at the start, or right after an opener
  let wrap = false; // the last piece needs brackets before a ² (z¹ squared is (z¹)², not z¹²)
  for (const t of tokens) {
    if (t.t === "op") {
      if (t.s === "²" && wrap) out.push(`(${out.pop()})`);
      out.push(SPACED.has(t.s) && !(bare && t.s === "−") ? ` ${t.s} ` : t.s === "," ? ", " : t.s);
      bare = OPENERS.has(t.s);
      wrap = false;
      continue;
    }
    const v = t.t === "num" ? t.v : numeric && (t.t === "sym" || t.t === "d") && t.a != null ? value(t.a) : undefined;
    if (v !== undefined && v !== null) {
      const negative = typeof v === "number" && v < 0;
      const piece = t.t === "num" ? fmtConst(v) : fmt(v);
      out.push(negative && !bare ? `(${piece})` : piece);
      wrap = negative && bare;
    } else if (t.t === "d") {
      out.push(`∂${symbolText(t.of)}/∂${symbolText(t.wrt)}`);
      wrap = false;
    } else if (t.t === "sym") {
      out.push(symbolText(t));
      wrap = t.sup != null;
    } else {
      out.push(t.s); // fn, var (a registry template's placeholder), text
      wrap = false;
    }
    bare = false;
  }
  return out.join("");
}
