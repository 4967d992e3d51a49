// The walk over formula tokens that every one-line renderer shares: operators spaced, a
// negative number after an operator bracketed (0.3·(−1.1)), a symbol with a superscript
// bracketed before ² ((z¹)², not z¹²), numbers substituted by address when asked.
// A dialect (plain text, LaTeX) says how each piece is written. Pure: no DOM.

import { fmt as defaultFmt, fmtConst } from "../format.js";

// After these a minus is unary and a negative number needs no brackets.
const OPENERS = new Set(["(", "[", "√", ","]);

/**
 * Tokens as one line in a dialect: {spaced: Set, op(s), number(text), d(token), sym(token),
 * other(token), join(pieces)?, sqrt?(inner) — when given, √ takes the next operand as a group}.
 */
export function renderLine(tokens, dialect, { numeric = false, value = () => undefined, fmt = defaultFmt } = {}) {
  const options = { numeric, value, fmt };
  const out = [];
  let bare = true; // at the start, or right after an opener
  let wrap = false; // the last piece needs brackets before a ²
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.t === "op" && t.s === "√" && dialect.sqrt) {
      const end = operandEnd(tokens, i + 1);
      let inner = tokens.slice(i + 1, end);
      // The radical groups by itself: √(a + b) → one group.
      if (inner[0]?.s === "(" && operandEnd(inner, 0) === inner.length) inner = inner.slice(1, -1);
      out.push(dialect.sqrt(renderLine(inner, dialect, options)));
      i = end - 1;
      bare = wrap = false;
      continue;
    }
    if (t.t === "op") {
      if (t.s === "²" && wrap) out.push(`(${out.pop()})`);
      const s = dialect.op(t.s);
      out.push(dialect.spaced.has(t.s) && !(bare && t.s === "−") ? ` ${s} ` : t.s === "," ? ", " : s);
      bare = OPENERS.has(t.s);
      wrap = false;
      continue;
    }
    const v = t.t === "num" ? t.v : numeric && (t.t === "sym" || t.t === "d") && t.a != null ? value(t.a) : undefined;
    if (v !== undefined && v !== null) {
      const negative = typeof v === "number" && v < 0;
      const piece = dialect.number(t.t === "num" ? fmtConst(v) : fmt(v));
      out.push(negative && !bare ? `(${piece})` : piece);
      wrap = negative && bare;
    } else if (t.t === "d") {
      out.push(dialect.d(t));
      wrap = false;
    } else if (t.t === "sym") {
      out.push(dialect.sym(t));
      wrap = t.sup != null;
    } else {
      out.push(dialect.other(t)); // fn, var (a registry template's placeholder), text
      wrap = false;
    }
    bare = false;
  }
  return dialect.join ? dialect.join(out) : out.join("");
}

/** The index just past the operand starting at i: a bracketed group, a function and its group, or one token. */
export function operandEnd(tokens, i) {
  const t = tokens[i];
  if (!t) return i;
  if (t.t === "fn") return operandEnd(tokens, i + 1);
  if (t.t !== "op" || (t.s !== "(" && t.s !== "[")) return i + 1;
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    const s = tokens[k].t === "op" ? tokens[k].s : null;
    if (s === "(" || s === "[") depth++;
    if (s === ")" || s === "]") depth--;
    if (depth === 0) return k + 1;
  }
  return tokens.length;
}
