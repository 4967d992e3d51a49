// Formula tokens (spec §2) → a LaTeX string, in symbols or with the numbers substituted:
// w_{0}^{\mathrm{out}} \cdot x_{0}, \frac{\partial L}{\partial \hat{y}}, \sqrt{\hat{v}}.
// For "copy as LaTeX" and for reports. Pure: no DOM.

import { renderLine } from "./line.js";

const LETTERS = {
  α: "\\alpha", β: "\\beta", γ: "\\gamma", δ: "\\delta", ε: "\\varepsilon", η: "\\eta", θ: "\\theta",
  λ: "\\lambda", μ: "\\mu", π: "\\pi", σ: "\\sigma", τ: "\\tau", φ: "\\varphi", ϕ: "\\phi", ψ: "\\psi",
  ω: "\\omega", Σ: "\\Sigma", Φ: "\\Phi", Ψ: "\\Psi", Ω: "\\Omega", ŷ: "\\hat{y}", "…": "\\ldots",
};
const FUNCTIONS = new Set(["exp", "log", "ln", "tanh", "sinh", "cosh", "sin", "cos", "max", "min"]);
const OPS = {
  "·": "\\cdot", "−": "-", "Σ": "\\sum", "←": "\\leftarrow", "≤": "\\le", "≥": "\\ge", "…": "\\ldots", "²": "^{2}",
};
const SPACED = new Set(["+", "−", "=", "←", "/", ">", "≤", "≥", "·"]);
const HAT = "\u0302";

// One letter or name: Greek to its command, a hat (m̂, ε̂) to \hat{…}, a prime (b′) to b', a word upright.
function letter(s) {
  if (s.endsWith("′")) return `${letter(s.slice(0, -1))}'`;
  if (s.endsWith(HAT)) return `\\hat{${letter(s.slice(0, -1))}}`;
  if (LETTERS[s]) return LETTERS[s];
  return [...s].length > 1 ? `\\mathrm{${s}}` : s;
}

// A sub- or superscript: words upright ("out"), Greek as commands, digits and commas as they are.
function script(s) {
  const named = String(s).replace(/[A-Za-z]{2,}/g, (w) => `\\mathrm{${w}}`);
  return named.replace(/./gu, (c) => (c === "′" ? "\\prime " : LETTERS[c] ?? c));
}

/** A symbol token in LaTeX: {s: "w", sub: "0", sup: "out"} → w_{0}^{\mathrm{out}}. */
export function symbolLatex(sym) {
  let out = letter(sym.s);
  if (sym.sub != null) out += `_{${script(sym.sub)}}`;
  if (sym.sup != null) out += `^{${script(sym.sup)}}`;
  return out;
}

// σ → \sigma, tanh → \tanh, ReLU′ → \operatorname{ReLU}'.
function functionLatex(name) {
  const prime = name.endsWith("′");
  const base = prime ? name.slice(0, -1) : name;
  const head = FUNCTIONS.has(base) ? `\\${base}` : LETTERS[base] ?? ([...base].length > 1 ? `\\operatorname{${base}}` : base);
  return head + (prime ? "'" : "");
}

// A number as fmt wrote it → LaTeX: −1.1 → -1.1, 1.235e−05 → 1.235 \times 10^{-5}, ∞ → \infty.
function numberLatex(text) {
  const plain = String(text).replace(/\u2212/g, "-");
  const sci = /^(-?[\d.]+)e([+-])0*(\d+)$/.exec(plain);
  if (sci) return `${sci[1]} \\times 10^{${sci[2] === "-" ? "-" : ""}${sci[3]}}`;
  if (plain === "NaN") return "\\mathrm{NaN}";
  return plain.replace("∞", "\\infty");
}

const LATEX = {
  spaced: SPACED,
  op: (s) => OPS[s] ?? s,
  number: numberLatex,
  d: (t) => `\\frac{\\partial ${symbolLatex(t.of)}}{\\partial ${symbolLatex(t.wrt)}}`,
  sym: symbolLatex,
  other: (t) => (t.t === "fn" ? functionLatex(t.s) : t.t === "var" ? letter(t.s) : `\\text{${t.s}}`),
  sqrt: (inner) => `\\sqrt{${inner}}`,
  // A command followed by a letter needs a space: \sigma s, not \sigmas.
  join: (out) => out.reduce((acc, piece) => (/\\[A-Za-z]+$/.test(acc) && /^[A-Za-z]/.test(piece) ? `${acc} ${piece}` : acc + piece), ""),
};

/** Tokens as LaTeX, in symbols or (numeric) with value(address) substituted; same options as text(). */
export function latex(tokens, options = {}) {
  return renderLine(tokens, LATEX, options);
}
