import { test } from "node:test";
import assert from "node:assert/strict";
import { explanationLines, splitTerms, tokensToNodes } from "../../static/js/mathtokens.js";

// Tokens name their numbers by address; the test's context holds the numbers and elements.
const values = new Map();
const elements = new Map();
let next = 0;
const sym = (s, v, { ref, ...extra } = {}) => {
  const a = `q:${next++}`;
  values.set(a, v);
  if (ref) elements.set(a, ref);
  return { t: "sym", s, a, ...extra };
};
const ctx = { value: (a) => values.get(a), element: (a) => elements.get(a) ?? null };
const nodes = (tokens, numeric = false, continued = false) => tokensToNodes(tokens, numeric, continued, ctx);
const op = (s) => ({ t: "op", s });
// Flatten a node tree to the text a reader sees.
const text = (nodes) => nodes.map((n) => (n.text ?? "") + text(n.kids ?? [])).join("");

const yhatForm = [
  sym("w", 0.6, { sub: "0", sup: "out", ref: "L2W0_0" }), op("·"), sym("z", 0.4675, { sup: "0", ref: "L1N0" }),
  op("+"), sym("w", 0.7, { sub: "1", sup: "out", ref: "L2W0_1" }), op("·"), sym("z", 0.5175, { sup: "1", ref: "L1N1" }),
  op("+"), sym("β", 0, { sup: "out", ref: "L2B0" }),
];

test("symbols render as msubsup / msup / msub with their scripts", () => {
  const tree = nodes(yhatForm);
  const w = tree[0].kids[0];
  assert.equal(w.tag, "msubsup");
  assert.deepEqual(w.kids.map((k) => k.text), ["w", "0", "out"]);
  assert.equal(tree[2].kids[0].tag, "msup");
  assert.equal(text(tree), "w0out·z0+w1out·z1+βout");
});

test("the numeric row substitutes each token's number, found by its address", () => {
  assert.equal(text(nodes(yhatForm, true)), "0.6·0.4675+0.7·0.5175+0.0");
});

test("a negative number is bracketed unless first or after an opening bracket", () => {
  const form = [sym("w", 0.3), op("·"), sym("x", -1.1)];
  assert.equal(text(nodes(form, true)), "0.3·(−1.1)");
  assert.equal(text(nodes([sym("x", -1.1), op("·"), sym("w", 0.3)], true)), "−1.1·0.3");
  assert.equal(text(nodes([op("("), sym("x", -1.1), op(")")], true)), "(−1.1)");
  assert.equal(text(nodes([op("√"), sym("v", -1)], true)), "√−1.0");
});

test("constants drop .0 in both rows; tokens with a ref are focusable", () => {
  const form = [{ t: "num", v: 2 }, op("("), sym("ŷ", 0.6428, { ref: "L2N0" }), op("−"), sym("y", 1, { ref: "Y0" }), op(")")];
  assert.equal(text(nodes(form)), "2(ŷ−y)");
  assert.equal(text(nodes(form, true)), "2(0.6428−1.0)");
  const refd = nodes(form).filter((n) => n.attrs?.["data-ref"]);
  assert.deepEqual(refd.map((n) => n.attrs["data-ref"]), ["L2N0", "Y0"]);
  assert.ok(refd.every((n) => n.attrs.tabindex === "0"));
});

test("a derivative renders as a fraction ∂of/∂wrt and as its value in numbers", () => {
  values.set("dL/dz:2,0,0", -0.7144551669318369);
  elements.set("dL/dz:2,0,0", "L2N0");
  const dd = { t: "d", of: { t: "sym", s: "L" }, wrt: { t: "sym", s: "ŷ" }, a: "dL/dz:2,0,0" };
  const [node] = nodes([dd]);
  assert.equal(node.kids[0].tag, "mfrac");
  assert.equal(text([node]), "∂L∂ŷ");
  assert.equal(text(nodes([dd], true)), "−0.7145");
});

test("splitTerms breaks a sum at top-level + and −, not inside brackets", () => {
  const terms = splitTerms([...yhatForm]);
  assert.equal(terms.length, 3);
  const inner = splitTerms([{ t: "num", v: 2 }, op("("), sym("a", 1), op("−"), sym("b", 2), op(")")]);
  assert.equal(inner.length, 1);
});

test("explanation lines: each form, the numbers, then the value (a batch shows the sample's share)", () => {
  const number = { "z:2,0,0": 0.6427724165340816, "dL/dW:1,0,0": 0.5, "dLn/dW:1,0,0": 0.25, "W':1,0,0": 1 };
  const value = (a) => number[a];
  const step = { rel: "=", forms: [yhatForm], value: "z:2,0,0", contribution: null };
  const lines = explanationLines(step, value);
  assert.deepEqual(lines.map((l) => [l.rel, l.numeric, Boolean(l.result)]), [["=", false, false], ["=", true, false], ["=", true, true]]);
  assert.equal(text(nodes(lines[2].tokens, true)), "0.6428");
  const batch = explanationLines({ rel: "=", forms: [yhatForm], value: "dL/dW:1,0,0", contribution: "dLn/dW:1,0,0" }, value);
  assert.equal(batch.at(-1).tokens[0].v, 0.25);
  const update = explanationLines({ rel: "←", forms: [yhatForm], value: "W':1,0,0", contribution: null }, value);
  assert.equal(update[0].rel, "←");
});

test("a squared symbol with a superscript is bracketed: (z¹)², not z¹²", () => {
  const form = [{ t: "num", v: 1 }, op("−"), sym("z", -0.5526, { sup: "1", ref: "L1N1" }), op("²")];
  assert.equal(text(nodes(form)), "1−(z1)²");
  assert.equal(text(nodes(form, true)), "1−(−0.5526)²");
  assert.equal(text(nodes([sym("x", 2), op("²")])), "x²");
});
