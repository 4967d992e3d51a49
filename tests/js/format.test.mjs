// Numbers must read exactly as the server's tokens.fmt writes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, fmtConst, fmtPercent, fmtShort, parseInput, toNumber, exact } from "../../static/js/format.js";

test("fmt writes zero as 0.0", () => {
  assert.equal(fmt(0), "0.0");
  assert.equal(fmt(-0), "0.0");
});

test("fmt keeps 4 decimals, strips trailing zeros but keeps one decimal", () => {
  assert.equal(fmt(0.6427724165340816), "0.6428");
  assert.equal(fmt(-1.1), "−1.1");
  assert.equal(fmt(2), "2.0");
  assert.equal(fmt(0.06999999999999995), "0.07");
  assert.equal(fmt(-0.3340404365783096), "−0.334");
  assert.equal(fmt(0.001), "0.001");
  assert.equal(fmt(99999.5), "99999.5");
  // An exact tie rounds as JavaScript's toFixed does (away from zero).
  assert.equal(fmt(0.03125), "0.0313");
  assert.equal(fmt(0.03135), "0.0314");
  assert.equal(fmt(-0.03125), "−0.0313");
  assert.equal(fmt(0.09375), "0.0938");
});

test("fmt switches to 3-decimal scientific below 1e-3 and from 1e5", () => {
  assert.equal(fmt(1.23456e-5), "1.235e−05");
  assert.equal(fmt(-0.000999), "−9.990e−04");
  assert.equal(fmt(123456), "1.235e+05");
  assert.equal(fmt(2.4979187478940015e28), "2.498e+28");
});

test("fmt shows non-finite numbers, whether JS numbers or the API's strings", () => {
  assert.equal(fmt(NaN), "NaN");
  assert.equal(fmt("NaN"), "NaN");
  assert.equal(fmt(Infinity), "∞");
  assert.equal(fmt("Infinity"), "∞");
  assert.equal(fmt("-Infinity"), "−∞");
  assert.equal(fmt(-Infinity), "−∞");
});

test("fmtConst writes whole numbers without .0", () => {
  assert.equal(fmtConst(2), "2");
  assert.equal(fmtConst(-1), "−1");
  assert.equal(fmtConst(0.25), "0.25");
});

test("fmtShort abbreviates for crowded diagrams", () => {
  assert.equal(fmtShort(0.4675456936126812), "0.47");
  assert.equal(fmtShort(-1.1), "−1.1");
  assert.equal(fmtShort(0), "0");
  assert.equal(fmtShort("NaN"), "NaN");
});

test("parseInput accepts what people type, and refuses the rest", () => {
  assert.equal(parseInput("0.5"), 0.5);
  assert.equal(parseInput(" −1.2 "), -1.2);
  assert.equal(parseInput("0,25"), 0.25);
  assert.equal(parseInput("1e-3"), 0.001);
  assert.equal(parseInput(".5"), 0.5);
  assert.equal(parseInput("abc"), null);
  assert.equal(parseInput(""), null);
  assert.equal(parseInput("1e999"), null);
});

test("toNumber and exact keep full precision and the API's non-finite strings", () => {
  assert.equal(toNumber("-Infinity"), -Infinity);
  assert.ok(Number.isNaN(toNumber("NaN")));
  assert.equal(exact(-0.3340404365783096), "-0.3340404365783096");
  assert.equal(exact("NaN"), "NaN");
});

test("a tensor prints in one line, at most max numbers, then an ellipsis", async () => {
  const { fmtTensor } = await import("../../static/js/format.js");
  assert.equal(fmtTensor(-0.7144551669318369), "−0.7145");
  assert.equal(fmtTensor([[-0.0213, 0.5], [0.25, 1]], 3), "[−0.02, 0.5, 0.25, …]");
  assert.equal(fmtTensor([0.1234]), "[0.1234]");
  assert.equal(fmtTensor(undefined), "—");
});

test("a share reads as a percentage, one decimal at most", () => {
  assert.equal(fmtPercent(1), "100\u00a0%");
  assert.equal(fmtPercent(0.98765), "98.8\u00a0%");
  assert.equal(fmtPercent(0), "0\u00a0%");
  assert.equal(fmtPercent("NaN"), "NaN");
});
