// Formula tokens of the explanation → a MathML tree as plain objects {tag, text?, attrs?, kids?}.
// Two renderings of one token list: symbols (w₀⁰·x₀ + …) and numbers (0.1·0.2 + …), each
// number found by its token's address in the step's answer; a negative one after an
// operator is bracketed as render/text.js does. Pure: no DOM (views/dom.js makes elements).

import { fmt, fmtConst } from "./format.js";

const OPENERS = new Set(["(", "[", "√"]);
const FENCES = new Set(["(", ")", "[", "]"]);

const el = (tag, text, attrs) => ({ tag, ...(text !== undefined ? { text } : {}), ...(attrs ? { attrs } : {}) });

// A token that names a diagram element becomes hoverable/focusable through data-ref; a
// number keeps its address (data-address), so what is on screen is found in the answer.
function refd(node, ref, address) {
  if (!ref && !address) return node;
  const attrs = ref ? { "data-ref": ref, tabindex: "0", class: "ref" } : {};
  if (address) attrs["data-address"] = address;
  return { tag: "mrow", attrs, kids: [node] };
}

// Digits read as numbers, letters as identifiers; several letters stay upright.
function piece(text) {
  if (/^[0-9.,]+$/.test(text)) return el("mn", text);
  return text.length > 1 ? el("mi", text, { mathvariant: "normal" }) : el("mi", text);
}

/** A symbol token (s with optional sub/sup) in MathML. */
export function symbolNode(t) {
  const base = el("mi", t.s);
  if (t.sub != null && t.sup != null) return { tag: "msubsup", kids: [base, piece(t.sub), piece(t.sup)] };
  if (t.sub != null) return { tag: "msub", kids: [base, piece(t.sub)] };
  if (t.sup != null) return { tag: "msup", kids: [base, piece(t.sup)] };
  return base;
}

/** ∂of/∂wrt as a fraction. */
export function derivNode(t) {
  return {
    tag: "mfrac",
    kids: [
      { tag: "mrow", kids: [el("mi", "∂", { mathvariant: "normal" }), symbolNode(t.of)] },
      { tag: "mrow", kids: [el("mi", "∂", { mathvariant: "normal" }), symbolNode(t.wrt)] },
    ],
  };
}

// A number as shown: a negative one after an operator gets brackets, 0.3·(−1.1).
function numberNode(v, text, bare) {
  const neg = typeof v === "number" && v < 0;
  const mn = el("mn", text);
  if (!neg || bare) return mn;
  return { tag: "mrow", kids: [el("mo", "("), mn, el("mo", ")")] };
}

const NO_CTX = { value: () => undefined, element: () => null };

/**
 * Tokens → list of MathML nodes, as symbols (numeric=false) or with values substituted.
 * ctx: {value(address) → number, element(address) → diagram id} (hover highlights the element).
 */
export function tokensToNodes(tokens, numeric = false, continued = false, ctx = NO_CTX) {
  const out = [];
  let bare = !continued; // at the start, or right after an opening bracket
  for (const [i, t] of tokens.entries()) {
    if (t.t === "op" && t.s === "²" && hasSuperscript(out.at(-1))) {
      // z¹ squared must not read as z to the 12th: bracket it, (z¹)².
      out.push({ tag: "mrow", kids: [el("mo", "(", { stretchy: "false" }), out.pop(), el("mo", ")", { stretchy: "false" })] });
    }
    if (t.t === "op") {
      // A term that continues a sum starts with its + or −: keep the binary spacing.
      // Brackets keep their size: a hat on ŷ must not make them stretch.
      const attrs = i === 0 && continued ? { form: "infix" } : FENCES.has(t.s) ? { stretchy: "false" } : undefined;
      out.push(el("mo", t.s, attrs));
      bare = OPENERS.has(t.s);
      continue;
    }
    if (t.t === "fn" || t.t === "text") {
      out.push(el("mi", t.s, t.s.length > 1 ? { mathvariant: "normal" } : undefined));
    } else if (t.t === "num") {
      out.push(numberNode(t.v, t.value ? fmt(t.v) : fmtConst(t.v), bare));
    } else {
      const v = numeric && t.a != null ? ctx.value(t.a) : undefined;
      const ref = ctx.element(t.a ?? t.at);
      if (v !== undefined && v !== null) out.push(refd(numberNode(v, fmt(v), bare), ref, t.a));
      else out.push(refd(t.t === "d" ? derivNode(t) : symbolNode(t), ref));
    }
    bare = false;
  }
  return out;
}

function hasSuperscript(node) {
  if (!node) return false;
  if (node.tag === "msup" || node.tag === "msubsup") return true;
  return node.tag === "mrow" && node.kids?.length === 1 && hasSuperscript(node.kids[0]);
}

/**
 * Split tokens at top-level + and − into terms, so a long sum can wrap between terms
 * (each term rendered as its own <math>); the operator starts the next term.
 */
export function splitTerms(tokens, products = false) {
  const terms = [[]];
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.t === "op" && OPENERS.has(t.s)) depth += t.s === "√" ? 0 : 1;
    if (t.t === "op" && (t.s === ")" || t.s === "]")) depth -= 1;
    // products: a long product may also break before a top-level "·" (a narrow projector panel)
    const at = t.s === "+" || t.s === "−" || (products && t.s === "·");
    if (t.t === "op" && depth === 0 && at && i > 0) terms.push([]);
    terms.at(-1).push(t);
  });
  return terms.filter((x) => x.length);
}

/** The lines of the explanation: [{rel, tokens, numeric}] ending with the value (value(address) → number). */
export function explanationLines(step, value) {
  const lines = [];
  step.forms.forEach((form, i) => lines.push({ rel: i === 0 ? step.rel : "=", tokens: form, numeric: false }));
  const last = step.forms.at(-1) || [];
  // A form of one lone symbol already shows its number in the value line.
  if (last.some((t) => t.t !== "op")) lines.push({ rel: "=", tokens: last, numeric: true });
  const shown = value(step.contribution ?? step.value);
  lines.push({ rel: "=", tokens: [{ t: "num", v: shown, value: true }], numeric: true, result: true });
  return lines;
}
