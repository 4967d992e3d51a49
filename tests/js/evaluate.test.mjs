// The tests' own evaluator of formula tokens: precedence as spec §2 states it, and
// reference functions accurate to rounding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Elided, FUNCTIONS, erf, erfc, evaluate } from "./evaluate.mjs";

const op = (s) => ({ t: "op", s });
const num = (v) => ({ t: "num", v });
const fn = (s) => ({ t: "fn", s });
const sym = (a) => ({ t: "sym", s: a, a });
const v = (name) => ({ t: "var", s: name });
const VALUES = { a: 2, b: 3, c: 5, neg: -4, m: [1, 2] };
const value = (a) => VALUES[a];
const ev = (tokens, vars) => evaluate(tokens, value, vars);
const close = (actual, expected, rel = 1e-15) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300, `${actual} != ${expected}`);

test("· and / bind tighter than + and −, left to right", () => {
  assert.equal(ev([sym("a"), op("+"), sym("b"), op("·"), sym("c")]), 17);
  assert.equal(ev([sym("c"), op("−"), sym("b"), op("−"), sym("a")]), 0);
  assert.equal(ev([sym("a"), op("/"), num(4), op("·"), sym("b")]), 1.5);
  assert.equal(ev([sym("a"), op("/"), op("("), num(4), op("·"), sym("b"), op(")")]), 2 / 12);
});

test("² binds tightest and applies to a symbol or a bracket", () => {
  assert.equal(ev([num(1), op("−"), sym("b"), op("²")]), -8);
  assert.equal(ev([op("−"), sym("b"), op("²")]), -9, "a unary minus applies after squaring");
  assert.equal(ev([op("("), sym("a"), op("−"), sym("c"), op(")"), op("²")]), 9);
});

test("a unary minus is allowed at the start and after an opener only", () => {
  assert.equal(ev([op("−"), sym("a"), op("·"), sym("b"), op("+"), sym("c")]), -1);
  assert.equal(ev([sym("a"), op("·"), op("("), op("−"), sym("b"), op(")")]), -6);
  assert.equal(ev([sym("a"), op("·"), op("["), op("−"), sym("b"), op("]")]), -6);
  assert.throws(() => ev([sym("a"), op("·"), op("−"), sym("b")]), SyntaxError);
});

test("juxtaposition multiplies: 2(ŷ − y) and z(1 − z)", () => {
  assert.equal(ev([num(2), op("("), sym("c"), op("−"), sym("a"), op(")")]), 6);
  assert.equal(ev([sym("a"), op("("), num(1), op("−"), sym("a"), op(")")]), -2);
  assert.equal(ev([sym("a"), sym("b"), op("+"), num(1)]), 7);
});

test("√ applies to the next operand only", () => {
  assert.equal(ev([op("√"), num(16), op("+"), num(1)]), 5);
  assert.equal(ev([op("√"), op("("), num(16), op("+"), num(9), op(")")]), 5);
  assert.equal(ev([sym("a"), op("/"), op("("), op("√"), num(4), op("+"), num(2), op(")")]), 0.5);
  assert.equal(ev([op("√"), fn("exp"), op("("), num(0), op(")")]), 1);
});

test("a function applies to the bracket that follows, and takes its arguments", () => {
  close(ev([fn("σ"), op("("), num(0), op(")")]), 0.5);
  close(ev([op("−"), fn("log"), op("("), sym("a"), op(")")]), -Math.LN2);
  close(ev([num(2), fn("exp"), op("("), num(1), op(")")]), 2 * Math.E);
  assert.equal(ev([fn("LeakyReLU"), op("("), sym("neg"), op(","), num(0.5), op(")")]), -2);
  assert.equal(ev([fn("LeakyReLU′"), op("("), op("−"), num(1), op(","), num(0.25), op(")")]), 0.25);
  assert.throws(() => ev([fn("LeakyReLU"), op("("), num(1), op(")")]), /takes 2/);
  assert.throws(() => ev([fn("softplus"), op("("), num(1), op(")")]), /no reference implementation/);
  // ² binds tighter than application (spec §2): exp(1)² reads exp((1)²) — write (exp(1))² for the square.
  close(ev([fn("exp"), op("("), num(3), op(")"), op("²")]), Math.exp(9));
});

test("registry placeholders take the values they are given", () => {
  const derivative = [v("z"), op("("), num(1), op("−"), v("z"), op(")")];
  close(ev(derivative, { z: 0.25 }), 0.1875);
  assert.throws(() => ev(derivative, {}), /placeholder z/);
});

test("malformed forms, missing numbers and elisions are refused, never guessed", () => {
  assert.throws(() => ev([sym("a"), op("+")]), /operand is missing/);
  assert.throws(() => ev([op("("), sym("a")]), /\) is expected/);
  assert.throws(() => ev([sym("a"), op(")")]), /unexpected token/);
  assert.throws(() => ev([sym("zz")]), /no number at zz/);
  assert.throws(() => ev([sym("m")]), /no number at m/);
  assert.throws(() => ev([{ t: "sym", s: "w" }]), /without an address/);
  assert.throws(() => ev([op("("), num(1), op(","), num(2), op(")")]), /argument list/);
  assert.throws(() => ev([sym("a"), op("+"), op("…")]), Elided);
});

test("a derivative token's value is its address's number", () => {
  const d = { t: "d", of: { t: "sym", s: "L" }, wrt: { t: "sym", s: "w" }, a: "b" };
  assert.equal(ev([d, op("·"), sym("a")]), 6);
});

test("erf and erfc match known values to 1e-15", () => {
  const known = [
    [0.1, 0.1124629160182849, 0.8875370839817152], [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513], [2, 0.9953222650189527, 0.004677734981047265],
    [3, 0.9999779095030014, 2.2090496998585438e-05], [4, 0.9999999845827421, 1.541725790028002e-08],
    [-0.7, -0.6778011938374184, 1.6778011938374184],
  ];
  for (const [x, e, c] of known) {
    close(erf(x), e, 1e-15);
    close(erfc(x), c, 1e-14);
  }
  close(erfc(5), 1.5374597944280351e-12, 1e-14);
  close(erfc(8), 1.1224297172982928e-29, 1e-14);
  assert.equal(erf(0), 0);
});

test("the reference activations and their derivatives", () => {
  const F = FUNCTIONS;
  close(F["Φ"](0), 0.5);
  close(F["Φ"](1.959963984540054), 0.975, 1e-14);
  close(F["Φ"](-5), 2.866515718791946e-7, 1e-14);
  close(F["Φ′"](0), 1 / Math.sqrt(2 * Math.PI));
  close(F.GELU(1), 0.8413447460685429, 1e-15);
  close(F.SiLU(1), 0.7310585786300049, 1e-15);
  assert.equal(F.ReLU(-2), 0);
  assert.equal(F["ReLU′"](3), 1);
  close(F["σ"](-800), 0, 0);
  close(F["σ"](40), 1);
});

test("every derivative matches central differences of its function", () => {
  const h = 1e-5;
  for (const [name, f] of Object.entries(FUNCTIONS)) {
    const derivative = FUNCTIONS[`${name}′`];
    if (!derivative) continue;
    for (const s of [-2.3, -0.4, 0.3, 1.7]) {
      const numeric = (f(s + h, 0.1) - f(s - h, 0.1)) / (2 * h);
      assert.ok(Math.abs(derivative(s, 0.1) - numeric) < 1e-8, `${name}′(${s})`);
    }
  }
});
