// Formula tokens (spec §2) as one line of text and as LaTeX, in symbols and in numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { symbolText, text } from "../../static/js/render/text.js";
import { latex, symbolLatex } from "../../static/js/render/latex.js";
import { fmtShort } from "../../static/js/format.js";

const sym = (s, a, extra = {}) => ({ t: "sym", s, ...(a ? { a } : {}), ...extra });
const op = (s) => ({ t: "op", s });
const num = (v) => ({ t: "num", v });
const fn = (s) => ({ t: "fn", s });
const d = (of, wrt, a) => ({ t: "d", of, wrt, ...(a ? { a } : {}) });
const L = sym("L");

const VALUES = {
  "W:1,0,0": 0.1, "W:1,0,1": 0.2, "W:1,0,2": 0.3, "x:0,0": 0.2, "x:0,1": 0.9, "x:0,2": -1.1, "b:1,0": 0,
  "dL/dz:2,0,0": -0.7144551669318369, "W:2,0,0": 0.6, "dL/dW:2,0,0": -0.3394, "z:1,0,0": 0.4750208125210601,
  "s:1,0,0": -0.1, "W'.x": 1.5e-5, "lr": 0.001, "mhat.W:2,0,0": -0.05, "vhat.W:2,0,0": 0.0025, "eps": 1e-8,
};
const value = (a) => VALUES[a];

// s¹₀ = w₀¹·x₀ + w₁¹·x₁ + w₂¹·x₂ + β¹ (lecture notation, one hidden layer: sup = unit)
const weightedSum = [
  sym("w", "W:1,0,0", { sub: "0", sup: "0" }), op("·"), sym("x", "x:0,0", { sub: "0" }), op("+"),
  sym("w", "W:1,0,1", { sub: "1", sup: "0" }), op("·"), sym("x", "x:0,1", { sub: "1" }), op("+"),
  sym("w", "W:1,0,2", { sub: "2", sup: "0" }), op("·"), sym("x", "x:0,2", { sub: "2" }), op("+"),
  sym("β", "b:1,0", { sup: "0" }),
];
const wOut = sym("w", "W:2,0,0", { sub: "0", sup: "out" });
const yhat = sym("ŷ", "z:2,0,0");
// ∂L/∂w₀ᵒᵘᵗ = ∂L/∂ŷ · ∂ŷ/∂w₀ᵒᵘᵗ, then ∂L/∂ŷ · z⁰
const chain = [d(L, sym("ŷ"), "dL/dz:2,0,0"), op("·"), d(sym("ŷ"), sym("w", null, { sub: "0", sup: "out" }))];
const chainNumbers = [d(L, sym("ŷ"), "dL/dz:2,0,0"), op("·"), sym("z", "z:1,0,0", { sup: "0" })];
// σ′(s) = z(1 − z)
const sigmoidDerivative = [sym("z", "z:1,0,0", { sup: "0" }), op("("), num(1), op("−"), sym("z", "z:1,0,0", { sup: "0" }), op(")")];
// Adam: w − ε·m̂/(√v̂ + ε̂)
const adam = [
  wOut, op("−"), sym("ε", "lr"), op("·"), sym("m̂", "mhat.W:2,0,0"), op("/"),
  op("("), op("√"), sym("v̂", "vhat.W:2,0,0"), op("+"), sym("ε̂", "eps"), op(")"),
];

test("symbolText writes sub- and superscripts in Unicode", () => {
  assert.equal(symbolText({ s: "w", sub: "0", sup: "out" }), "w₀ᵒᵘᵗ");
  assert.equal(symbolText({ s: "z", sup: "1" }), "z¹");
  assert.equal(symbolText({ s: "x", sub: "2" }), "x₂");
  assert.equal(symbolText({ s: "z", sup: "2,1" }), "z²˒¹");
  assert.equal(symbolText({ s: "ŷ", sup: "(3)" }), "ŷ⁽³⁾");
  assert.equal(symbolText({ s: "w", sub: "0", sup: "out,1" }), "w₀ᵒᵘᵗ˒¹");
});

test("symbolText writes a superscript with no Unicode form as ^(…), a subscript as it is", () => {
  assert.equal(symbolText({ s: "z", sup: "l,i" }), "z^(l,i)");
  assert.equal(symbolText({ s: "w", sub: "k" }), "wk");
  assert.equal(symbolText({ s: "L" }), "L");
});

test("a weighted sum in symbols and in numbers, a negative input bracketed", () => {
  assert.equal(text(weightedSum), "w₀⁰·x₀ + w₁⁰·x₁ + w₂⁰·x₂ + β⁰");
  assert.equal(text(weightedSum, { numeric: true, value }), "0.1·0.2 + 0.2·0.9 + 0.3·(−1.1) + 0.0");
});

test("a leading negative and one after an opener stay unbracketed", () => {
  const form = [sym("x", "x:0,2"), op("·"), op("("), sym("x", "x:0,2"), op("−"), num(-1), op(")")];
  assert.equal(text(form, { numeric: true, value }), "−1.1·(−1.1 − (−1))");
  assert.equal(text([op("−"), sym("w", "W:1,0,0"), op("·"), sym("x", "x:0,2")], { numeric: true, value }), "−0.1·(−1.1)");
  assert.equal(text([op("√"), sym("x", "x:0,2")], { numeric: true, value }), "√−1.1");
});

test("a chain-rule line writes derivatives as ∂L/∂w, and their values in numbers", () => {
  assert.equal(text(chain), "∂L/∂ŷ·∂ŷ/∂w₀ᵒᵘᵗ");
  assert.equal(text(chainNumbers), "∂L/∂ŷ·z⁰");
  assert.equal(text(chainNumbers, { numeric: true, value }), "−0.7145·0.475");
  // A derivative standing for no number keeps its symbol in the numbers line.
  assert.equal(text(chain, { numeric: true, value }), "−0.7145·∂ŷ/∂w₀ᵒᵘᵗ");
});

test("the sigmoid derivative z(1 − z), constants without .0", () => {
  assert.equal(text(sigmoidDerivative), "z⁰(1 − z⁰)");
  assert.equal(text(sigmoidDerivative, { numeric: true, value }), "0.475(1 − 0.475)");
});

test("an Adam update with √, and scientific numbers", () => {
  assert.equal(text(adam), "w₀ᵒᵘᵗ − ε·m̂ / (√v̂ + ε̂)");
  assert.equal(text(adam, { numeric: true, value }), "0.6 − 0.001·(−0.05) / (√0.0025 + 1.000e−08)");
});

test("a squared symbol with a superscript, or a leading negative, is bracketed before ²", () => {
  const z = sym("z", "s:1,0,0", { sup: "1" });
  assert.equal(text([num(1), op("−"), z, op("²")]), "1 − (z¹)²");
  assert.equal(text([sym("x", "x:0,0", { sub: "0" }), op("²")]), "x₀²");
  assert.equal(text([z, op("²")], { numeric: true, value }), "(−0.1)²");
  assert.equal(text([num(1), op("−"), z, op("²")], { numeric: true, value }), "1 − (−0.1)²");
});

test("functions, registry placeholders and two-argument calls", () => {
  const leaky = [fn("LeakyReLU′"), op("("), { t: "var", s: "s" }, op(","), { t: "var", s: "α" }, op(")")];
  assert.equal(text(leaky), "LeakyReLU′(s, α)");
  assert.equal(text([fn("σ"), op("("), sym("s", "s:1,0,0", { sup: "0" }), op(")")], { numeric: true, value }), "σ(−0.1)");
});

test("the numbers line takes the formatter it is given; non-finite values read as the page shows them", () => {
  assert.equal(text(weightedSum, { numeric: true, value, fmt: fmtShort }), "0.1·0.2 + 0.2·0.9 + 0.3·(−1.1) + 0");
  const odd = { a: NaN, b: -Infinity, c: "Infinity" };
  const form = [sym("p", "a"), op("+"), sym("q", "b"), op("+"), sym("r", "c")];
  assert.equal(text(form, { numeric: true, value: (a) => odd[a] }), "NaN + (−∞) + ∞");
});

test("symbolLatex: scripts in braces, words upright, Greek and hats as commands", () => {
  assert.equal(symbolLatex({ s: "w", sub: "0", sup: "out" }), "w_{0}^{\\mathrm{out}}");
  assert.equal(symbolLatex({ s: "ŷ", sub: "1" }), "\\hat{y}_{1}");
  assert.equal(symbolLatex({ s: "m̂" }), "\\hat{m}");
  assert.equal(symbolLatex({ s: "v̂" }), "\\hat{v}");
  assert.equal(symbolLatex({ s: "ε̂" }), "\\hat{\\varepsilon}");
  assert.equal(symbolLatex({ s: "β", sub: "1" }), "\\beta_{1}");
  assert.equal(symbolLatex({ s: "ε" }), "\\varepsilon");
  assert.equal(symbolLatex({ s: "z", sup: "out,1" }), "z^{\\mathrm{out},1}");
  assert.equal(symbolLatex({ s: "b′" }), "b'");
  assert.equal(symbolLatex({ s: "m̂′" }), "\\hat{m}'");
});

test("latex of a weighted sum, in symbols and in numbers", () => {
  assert.equal(
    latex(weightedSum),
    "w_{0}^{0} \\cdot x_{0} + w_{1}^{0} \\cdot x_{1} + w_{2}^{0} \\cdot x_{2} + \\beta^{0}",
  );
  assert.equal(latex(weightedSum, { numeric: true, value }), "0.1 \\cdot 0.2 + 0.2 \\cdot 0.9 + 0.3 \\cdot (-1.1) + 0.0");
});

test("latex of a chain rule writes derivatives as fractions", () => {
  assert.equal(
    latex(chain),
    "\\frac{\\partial L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial w_{0}^{\\mathrm{out}}}",
  );
  assert.equal(latex(chainNumbers, { numeric: true, value }), "-0.7145 \\cdot 0.475");
});

test("latex of the sigmoid derivative and of functions", () => {
  assert.equal(latex(sigmoidDerivative), "z^{0}(1 - z^{0})");
  assert.equal(latex([fn("σ"), op("("), { t: "var", s: "s" }, op(")")]), "\\sigma(s)");
  assert.equal(latex([fn("Φ′"), op("("), { t: "var", s: "s" }, op(")")]), "\\Phi'(s)");
  assert.equal(latex([fn("ReLU"), op("("), { t: "var", s: "s" }, op(")")]), "\\operatorname{ReLU}(s)");
  assert.equal(latex([fn("tanh"), { t: "var", s: "s" }]), "\\tanh s", "a command is kept apart from a letter");
  assert.equal(
    latex([fn("LeakyReLU′"), op("("), { t: "var", s: "s" }, op(","), { t: "var", s: "α" }, op(")")]),
    "\\operatorname{LeakyReLU}'(s, \\alpha)",
  );
});

test("latex of an Adam update: √ takes the next operand", () => {
  assert.equal(
    latex(adam),
    "w_{0}^{\\mathrm{out}} - \\varepsilon \\cdot \\hat{m} / (\\sqrt{\\hat{v}} + \\hat{\\varepsilon})",
  );
  assert.equal(
    latex(adam, { numeric: true, value }),
    "0.6 - 0.001 \\cdot (-0.05) / (\\sqrt{0.0025} + 1.000 \\times 10^{-8})",
  );
  const group = [op("√"), op("("), sym("v̂", "vhat.W:2,0,0"), op("+"), sym("ε̂", "eps"), op(")"), op("·"), num(2)];
  assert.equal(latex(group), "\\sqrt{\\hat{v} + \\hat{\\varepsilon}} \\cdot 2");
  assert.equal(latex([op("√"), fn("exp"), op("("), { t: "var", s: "s" }, op(")")]), "\\sqrt{\\exp(s)}");
});

test("latex squares: x_{0}^{2}, but (z^{1})^{2} and (-0.1)^{2}", () => {
  const z = sym("z", "s:1,0,0", { sup: "1" });
  assert.equal(latex([sym("x", "x:0,0", { sub: "0" }), op("²")]), "x_{0}^{2}");
  assert.equal(latex([num(1), op("−"), z, op("²")]), "1 - (z^{1})^{2}");
  assert.equal(latex([z, op("²")], { numeric: true, value }), "(-0.1)^{2}");
});
