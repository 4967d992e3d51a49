import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deadLabel, deadTitle, deadUnits, MIN_SAMPLES } from "../../static/js/deadunits.js";
import { indexRegistry } from "../../static/js/registry.js";

// The real registry as the API serves it (tests/test_js.py writes the fixture before every run).
const reg = indexRegistry(JSON.parse(readFileSync(new URL("./fixtures/registry.json", import.meta.url))));

const net = (activation, units = 3) => ({
  inputs: 2,
  layers: [{ units, activation }, { units: 1, activation: "sigmoid" }],
});
// s of 4 samples × 3 units: unit 1 is ≤ 0 for all of them (0 counts: ReLU′(0) = 0 in torch), unit 0 only for some.
const pre = [[[0, -10, 0.1], [0.5, -9.3, 0.7], [-0.2, 0, -0.4], [1.1, -8.9, 0.2]], [[0.3], [0.1], [0.2], [0.4]]];

test("a ReLU unit with s ≤ 0 for every sample of the batch is dead, the others are not", () => {
  const dead = deadUnits({ network: net("relu"), pre, reg });
  assert.deepEqual(dead.map((d) => [d.layer, d.unit, d.kind, d.samples, d.over]), [[1, 1, "dead", 4, "batch"]]);
  assert.equal(deadLabel(dead[0]), "dead: s ≤ 0 for all 4 samples");
  assert.match(deadTitle(dead[0]), /of this batch, so z = 0 and every gradient through it is 0/);
});

test("a leaky ReLU there is nearly dead; sigmoid, tanh and the output layer are never marked", () => {
  const leaky = deadUnits({ network: net("leaky_relu"), pre, reg });
  assert.deepEqual(leaky.map((d) => [d.unit, d.kind]), [[1, "nearly dead"]]);
  assert.match(deadTitle(leaky[0]), /α times/);
  for (const act of ["sigmoid", "tanh", "gelu", "silu", "identity"]) assert.deepEqual(deadUnits({ network: net(act), pre, reg }), [], act);
  const allNegative = [[[-1, -1, -1], [-2, -2, -2]], [[-1], [-1]]];
  const relu2 = { inputs: 2, layers: [{ units: 3, activation: "relu" }, { units: 1, activation: "relu" }] };
  assert.deepEqual(deadUnits({ network: relu2, pre: allNegative, reg }).map((d) => d.layer), [1, 1, 1], "the output layer is not a hidden unit");
});

test("one sample is too few to call a ReLU dead", () => {
  assert.equal(MIN_SAMPLES, 2);
  const one = [[[-1, -2, -3]], [[0.5]]];
  assert.deepEqual(deadUnits({ network: net("relu"), pre: one, reg }), []);
});

test("a diverged s (NaN, Infinity, null) is not taken for s ≤ 0", () => {
  const bad = [[["NaN", "-Infinity", null], [-1, -1, -1]], [[0], [0]]];
  assert.deepEqual(deadUnits({ network: net("relu"), pre: bad, reg }), []);
});

test("a training snapshot's verdict, over its training set, replaces the batch's", () => {
  const training = { dead: [[true, false, false]], samples: 160 };
  const dead = deadUnits({ network: net("relu"), pre, reg, training });
  assert.deepEqual(dead.map((d) => [d.unit, d.samples, d.over]), [[0, 160, "training"]]);
  assert.equal(deadLabel(dead[0]), "dead: s ≤ 0 for all 160 training samples");
  assert.match(deadTitle(dead[0]), /of the run's training set/);
  assert.equal(deadLabel({ ...dead[0], samples: 1 }), "dead: s ≤ 0 for its 1 training sample");
});
