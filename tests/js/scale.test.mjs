import { test } from "node:test";
import assert from "node:assert/strict";
import { colorFor, intensity, maxAbs, signOf, widthFor } from "../../static/js/scale.js";

test("maxAbs walks nested lists and ignores non-finite values", () => {
  assert.equal(maxAbs([[0.1, -0.7], [0.3, "NaN", "Infinity"]]), 0.7);
  assert.ok(maxAbs([]) > 0);
});

test("a value's sign picks the hue; zero is neutral grey", () => {
  assert.equal(signOf(0.2), "pos");
  assert.equal(signOf(-1e-9), "neg");
  assert.equal(signOf(0), "zero");
  assert.equal(signOf("NaN"), "nan");
  assert.equal(colorFor(0, 1), "var(--zero)");
  assert.match(colorFor(0.5, 1), /var\(--pos\)/);
  assert.match(colorFor(-0.5, 1), /var\(--neg\)/);
});

test("saturation grows with magnitude", () => {
  const pct = (v) => Number(/(\d+)%/.exec(colorFor(v, 1))[1]);
  assert.ok(pct(0.9) > pct(0.1));
  assert.equal(pct(1), 100);
  assert.equal(intensity(2, 1), 1);
});

test("width is proportional to |w| between the bounds", () => {
  assert.equal(widthFor(0, 1, 2, 10), 2);
  assert.equal(widthFor(-1, 1, 2, 10), 10);
  assert.equal(widthFor(0.5, 1, 2, 10), 6);
  assert.equal(widthFor("Infinity", 1, 2, 10), 10);
});
