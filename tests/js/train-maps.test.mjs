import { test } from "node:test";
import assert from "node:assert/strict";
import { gridPixels, heatColor, mapScale, parseColor } from "../../static/js/train/colors.js";
import { adaptNetwork, parameterAddresses } from "../../static/js/train/adapt.js";
import { readGrid } from "../../static/js/train/grid.js";

const palette = { pos: [0, 0, 255], neg: [255, 0, 0], zero: [200, 200, 200] };

test("colours parse from hex and rgb()", () => {
  assert.deepEqual(parseColor("#2166ac"), [33, 102, 172]);
  assert.deepEqual(parseColor("#fff"), [255, 255, 255]);
  assert.deepEqual(parseColor("rgb(1, 2, 3)"), [1, 2, 3]);
});

test("the heat colour is neutral at 0 and the sign's hue at ±1", () => {
  assert.deepEqual(heatColor(0, palette), [200, 200, 200]);
  assert.deepEqual(heatColor(1, palette), [0, 0, 255]);
  assert.deepEqual(heatColor(-1, palette), [255, 0, 0]);
  assert.deepEqual(heatColor(NaN, palette), [0, 0, 0]);
});

test("a probability map is centred on one half; other maps on zero, scaled by their largest value", () => {
  assert.equal(mapScale([[0.5]], { probability: true })(0.75), 0.5);
  assert.equal(mapScale([[2, -4]])(-4), -1);
  assert.equal(mapScale([[0, 0]])(0), 0);
});

test("grid pixels are RGBA rows top to bottom", () => {
  const px = gridPixels([[1, -1]], (v) => v, palette);
  assert.deepEqual([...px], [0, 0, 255, 255, 255, 0, 0, 255]);
});

const lecture = {
  inputs: 3, loss: "mse", seed: 0,
  layers: [{ units: 2, activation: "sigmoid", weights: [[1, 2, 3], [4, 5, 6]], biases: [0, 0] },
    { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0] }],
};

test("the lecture's network on XOR: two inputs, a sigmoid output with binary cross-entropy, and it says so", () => {
  const { network, changes, targets } = adaptNetwork(lecture, { inputs: 2, task: "classification", classes: 2, label: "XOR" });
  assert.equal(network.inputs, 2);
  assert.equal(network.layers[0].weights, undefined, "the first layer's shape changed: the server initialises it");
  assert.deepEqual(network.layers[1].weights, [[0.6, 0.7]], "the output layer keeps its weights");
  assert.equal(network.layers[1].activation, "sigmoid");
  assert.equal(network.loss, "bce");
  assert.equal(targets, "column");
  assert.deepEqual(changes, ["inputs set to 2 for XOR (was 3)", "output set to 1 sigmoid unit with binary cross-entropy for two classes"]);
  assert.equal(lecture.inputs, 3, "the page's network is not touched");
});

test("a network that fits is trained as it is; regression and many classes adapt the output", () => {
  assert.deepEqual(adaptNetwork(lecture, { inputs: 3, task: "regression" }).changes, []);
  const sine = adaptNetwork(lecture, { inputs: 1, task: "regression", label: "the sine" });
  assert.equal(sine.network.loss, "mse");
  const three = adaptNetwork(lecture, { inputs: 2, task: "classification", classes: 3 });
  assert.equal(three.network.layers[1].units, 3);
  assert.equal(three.network.layers[1].weights, undefined);
  assert.equal(three.targets, "classes");
});

test("every weight and bias address of a network", () => {
  assert.deepEqual(parameterAddresses({ inputs: 2, layers: [{ units: 1 }, { units: 1 }] }),
    ["W:1,0,0", "W:1,0,1", "b:1,0", "W:2,0,0", "b:2,0"]);
});

test("a 2-D map is read with its top row the largest x1, one output unit as it is", () => {
  const g = readGrid({ kind: "map", x0: [-1, 1], x1: [0, 2], size: 2, output: [[[0.1, 0.2], [0.3, 0.4]]],
    neuron_size: 2, neurons: [[[[1, 2], [3, 4]]]] });
  assert.deepEqual(g.xs, [-1, 1]);
  assert.deepEqual(g.ys, [2, 0]);
  assert.deepEqual(g.output, [[0.3, 0.4], [0.1, 0.2]]);
  assert.deepEqual(g.hidden, [[[[3, 4], [1, 2]]]]);
});

test("two softmax outputs show class 1's probability; more show the likeliest class; null is NaN", () => {
  const two = readGrid({ kind: "map", x0: [0, 1], x1: [0, 1], size: 1, output: [[[0.7]], [[0.3]]] });
  assert.deepEqual(two.output, [[0.3]]);
  const three = readGrid({ kind: "map", x0: [0, 1], x1: [0, 1], size: 1, output: [[[0.2]], [[0.5]], [[0.3]]] });
  assert.deepEqual(three.output, [[1]]);
  assert.ok(Number.isNaN(readGrid({ kind: "map", x0: [0, 1], x1: [0, 1], size: 1, output: [[[null]]] }).output[0][0]));
});

test("a 1-D curve: ŷ at each x; no grid, no maps", () => {
  const g = readGrid({ kind: "curve", x0: [0, 1], size: 3, output: [[5, 6, 7]], x: [0, 0.5, 1], neurons: [[[1, 2, 3]]] });
  assert.deepEqual([g.dims, g.xs, g.output, g.hidden], [1, [0, 0.5, 1], [5, 6, 7], [[[1, 2, 3]]]]);
  assert.equal(readGrid(null), null);
});
