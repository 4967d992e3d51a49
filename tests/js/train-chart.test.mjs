import { test } from "node:test";
import assert from "node:assert/strict";
import { extent, linear, pathData, thin, ticks } from "../../static/js/train/chart.js";

test("extent skips non-finite values and widens a constant", () => {
  assert.deepEqual(extent([0.5, NaN, 0.1, Infinity]), [0.1, 0.5]);
  assert.deepEqual(extent([2, 2]), [1.8, 2.2]);
  assert.deepEqual(extent([]), [0, 1]);
  assert.deepEqual(extent([0.2, 0.4], { includeZero: true }), [0, 0.4]);
});

test("linear maps the domain onto the range (y grows downward on screen)", () => {
  const sy = linear([0, 1], [100, 0]);
  assert.equal(sy(0), 100);
  assert.equal(sy(0.25), 75);
});

test("ticks are round numbers inside the domain", () => {
  assert.deepEqual(ticks([0, 1], 4), [0, 0.5, 1]);
  assert.deepEqual(ticks([0, 200], 4), [0, 50, 100, 150, 200]);
  assert.deepEqual(ticks([-0.3, 0.3], 3), [-0.2, 0, 0.2]);
});

test("a non-finite point breaks the line into pieces", () => {
  const id = (v) => v;
  assert.equal(pathData([[0, 1], [1, 2], [2, NaN], [3, 4]], id, id), "M0,1L1,2M3,4");
});

test("thinning keeps each bucket's extremes, so a spike survives", () => {
  const pts = Array.from({ length: 1000 }, (_, i) => [i, i === 500 ? 99 : 0]);
  const t = thin(pts, 100);
  assert.ok(t.length <= 110);
  assert.ok(t.some(([, y]) => y === 99));
  for (let i = 1; i < t.length; i++) assert.ok(t[i][0] > t[i - 1][0]);
});
