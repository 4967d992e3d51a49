import { test } from "node:test";
import assert from "node:assert/strict";
import * as E from "../../static/js/netedit.js";
import { notation, parseRef } from "../../static/js/notation.js";

const lecture = () => ({
  network: {
    inputs: 3,
    layers: [
      { units: 2, activation: "sigmoid", weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], biases: [0, 0] },
      { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0] },
    ],
    loss: "mse",
  },
  x: [[0.2, 0.9, -1.1]],
  y: [[1.0]],
  optimizer: { name: "sgd", lr: 0.5 },
});

const shapesOk = (req) => {
  let fanIn = req.network.inputs;
  for (const l of req.network.layers) {
    assert.equal(l.weights.length, l.units);
    l.weights.forEach((row) => assert.equal(row.length, fanIn));
    assert.equal(l.biases.length, l.units);
    fanIn = l.units;
  }
  req.x.forEach((row) => assert.equal(row.length, req.network.inputs));
};

test("ids parse to what they name", () => {
  assert.deepEqual(parseRef("L2W0_1"), { kind: "weight", layer: 2, row: 0, col: 1 });
  assert.deepEqual(parseRef("L1B0"), { kind: "bias", layer: 1, unit: 0 });
  assert.deepEqual(parseRef("L0N2"), { kind: "input", layer: 0, unit: 2 });
  assert.deepEqual(parseRef("Y0"), { kind: "target", unit: 0 });
  assert.equal(parseRef("nope"), null);
});

test("setParam edits one value and leaves the original request alone", () => {
  const req = lecture();
  const out = E.setParam(req, "L2W0_0", 0.5);
  assert.equal(out.network.layers[1].weights[0][0], 0.5);
  assert.equal(req.network.layers[1].weights[0][0], 0.6);
  assert.equal(E.getParam(E.setParam(req, "L0N2", 2), "L0N2"), 2);
  assert.equal(E.getParam(E.setParam(req, "Y0", 0), "Y0"), 0);
  assert.equal(E.getParam(E.setParam(req, "L1B1", -1), "L1B1"), -1);
});

test("growing and shrinking layers keeps every shape consistent and old values in place", () => {
  let req = E.setUnits(lecture(), 1, 3);
  shapesOk(req);
  assert.deepEqual(req.network.layers[0].weights[0], [0.1, 0.2, 0.3]);
  req = E.setUnits(req, 0, 2);
  shapesOk(req);
  assert.deepEqual(req.x, [[0.2, 0.9]]);
  req = E.addHiddenLayer(req);
  shapesOk(req);
  assert.equal(req.network.layers.length, 3);
  req = E.removeHiddenLayer(E.removeHiddenLayer(E.removeHiddenLayer(req)));
  shapesOk(req);
  assert.equal(req.network.layers.length, 1);
  assert.equal(E.setUnits(lecture(), 1, 999).network.layers[0].units, 64);
});

test("new weights are deterministic and small", () => {
  assert.equal(E.initWeight(1, 2, 3), E.initWeight(1, 2, 3));
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(E.initWeight(1, i, i + 1)) <= 0.5);
});

test("switching the loss keeps the request valid", () => {
  const ce = E.setLoss(E.setUnits(lecture(), 2, 2), "cross_entropy");
  assert.deepEqual(ce.y, [0]);
  assert.equal(ce.network.layers[1].activation, "identity");
  shapesOk(ce);
  const back = E.setLoss(ce, "mse");
  assert.deepEqual(back.y, [[1, 0]]);
  const bce = E.setLoss(lecture(), "bce");
  assert.equal(bce.network.layers[1].activation, "sigmoid");
  assert.deepEqual(E.setLoss(bce, "mse").network.layers[1].activation, "identity");
});

test("samples can be added and removed, never below one", () => {
  const two = E.addSample(lecture());
  assert.equal(two.x.length, 2);
  assert.deepEqual(two.y, [[1], [1]]);
  assert.equal(E.removeSample(E.removeSample(two, 0), 0).x.length, 1);
});

test("notation follows the lecture: x₀, z⁰, ŷ, w₀ᵒᵘᵗ, β¹, and layer,unit with more layers", () => {
  const n = notation(2, 1);
  assert.equal(n.neuron(0, 0), "x₀");
  assert.equal(n.neuron(1, 1), "z¹");
  assert.equal(n.neuron(2, 0), "ŷ");
  assert.equal(n.weight(2, 0, 0), "w₀ᵒᵘᵗ");
  assert.equal(n.bias(1, 1), "β¹");
  assert.equal(notation(3, 2).neuron(1, 0), "z¹˒⁰");
  assert.equal(notation(3, 2).neuron(3, 1), "ŷ₁");
});

test("a 422's loc names the diagram element to mark", async () => {
  const { locToRefs } = await import("../../static/js/notation.js");
  assert.deepEqual(locToRefs(["body", "network", "layers", 1, "weights", 0, 1], 0, 1), ["L2W0_1"]);
  assert.deepEqual(locToRefs(["body", "network", "layers", 0, "biases", 1], 0, 1), ["L1B1"]);
  assert.deepEqual(locToRefs(["body", "y", 0], 0, 2), ["Y0", "Y1"]);
  assert.deepEqual(locToRefs(["body", "y", 1, 0], 0, 2), []);
  assert.deepEqual(locToRefs(["body", "x", 0, 2], 0, 1), ["L0N2"]);
  assert.deepEqual(locToRefs(["body", "optimizer", "lr"], 0, 1), []);
});
