import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as E from "../../static/js/netedit.js";
import { indexRegistry } from "../../static/js/registry.js";
import { makeSymbols } from "../../static/js/symbols.js";

// The real registry and the lecture's explanation, as the API serves them (tests/test_js.py
// writes these fixtures from the API before every run, so they cannot go stale).
const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const reg = indexRegistry(fixture("registry.json"));
const lectureExplanation = fixture("lecture-explanation.json");

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

test("setValue edits one number by its address and leaves the original request alone", () => {
  const req = lecture();
  const out = E.setValue(reg, req, "W:2,0,0", 0.5);
  assert.equal(out.network.layers[1].weights[0][0], 0.5);
  assert.equal(req.network.layers[1].weights[0][0], 0.6);
  assert.equal(E.getValue(reg, E.setValue(reg, req, "x:0,2", 2), "x:0,2"), 2);
  assert.equal(E.getValue(reg, E.setValue(reg, req, "y:0,0", 0), "y:0,0"), 0);
  assert.equal(E.getValue(reg, E.setValue(reg, req, "b:1,1", -1), "b:1,1"), -1);
  assert.throws(() => E.setValue(reg, req, "dL/dW:1,0,0", 1), /computed by the server/);
});

test("a class index is rounded into the output's range", () => {
  const ce = E.setLoss(reg, E.setUnits(reg, lecture(), 2, 3), "cross_entropy");
  assert.equal(E.setValue(reg, ce, "c:0", 1.6).y[0], 2);
  assert.equal(E.setValue(reg, ce, "c:0", 7).y[0], 2);
  assert.equal(E.setValue(reg, ce, "c:0", -2).y[0], 0);
});

test("growing and shrinking layers keeps every shape consistent and old values in place", () => {
  let req = E.setUnits(reg, lecture(), 1, 3);
  shapesOk(req);
  assert.deepEqual(req.network.layers[0].weights[0], [0.1, 0.2, 0.3]);
  req = E.setUnits(reg, req, 0, 2);
  shapesOk(req);
  assert.deepEqual(req.x, [[0.2, 0.9]]);
  req = E.addHiddenLayer(reg, req);
  shapesOk(req);
  assert.equal(req.network.layers.length, 3);
  req = E.removeHiddenLayer(reg, E.removeHiddenLayer(reg, E.removeHiddenLayer(reg, req)));
  shapesOk(req);
  assert.equal(req.network.layers.length, 1);
  assert.equal(E.setUnits(reg, lecture(), 1, 999).network.layers[0].units, reg.limits.max_units);
});

test("new weights are deterministic and small", () => {
  assert.equal(E.initWeight(1, 2, 3), E.initWeight(1, 2, 3));
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(E.initWeight(1, i, i + 1)) <= 0.5);
});

test("switching the loss keeps the request valid", () => {
  const ce = E.setLoss(reg, E.setUnits(reg, lecture(), 2, 2), "cross_entropy");
  assert.deepEqual(ce.y, [0]);
  assert.equal(ce.network.layers[1].activation, "identity");
  shapesOk(ce);
  const back = E.setLoss(reg, ce, "mse");
  assert.deepEqual(back.y, [[1, 0]]);
  const bce = E.setLoss(reg, lecture(), "bce");
  assert.equal(bce.network.layers[1].activation, "sigmoid");
  assert.deepEqual(E.setLoss(reg, bce, "mse").network.layers[1].activation, "identity");
});

test("an activation that needs more units gets them (softmax: two)", () => {
  const req = E.setUnits(reg, lecture(), 1, 1);
  const soft = E.setActivation(reg, req, 1, "softmax");
  assert.equal(soft.network.layers[0].units, reg.activations.get("softmax").min_units);
  shapesOk(soft);
});

test("samples can be added and removed, never below one", () => {
  const two = E.addSample(reg, lecture());
  assert.equal(two.x.length, 2);
  assert.deepEqual(two.y, [[1], [1]]);
  assert.equal(E.removeSample(E.removeSample(two, 0), 0).x.length, 1);
});

test("the symbols the server derived follow the lecture: x₀, z⁰, ŷ, w₀ᵒᵘᵗ, β¹", () => {
  const n = makeSymbols(lectureExplanation.symbols);
  assert.equal(n.neuron(0, 0), "x₀");
  assert.equal(n.neuron(1, 1), "z¹");
  assert.equal(n.neuron(2, 0), "ŷ");
  assert.equal(n.pre(1, 0), "s⁰");
  assert.equal(n.weight(2, 0, 0), "w₀ᵒᵘᵗ");
  assert.equal(n.bias(1, 1), "β¹");
  assert.equal(n.target(0), "y");
});

test("a 422's loc names the number, and so the diagram element, to mark", () => {
  const A = reg.addresses;
  const at = (loc) => A.element(A.fromPath("request", loc));
  assert.equal(at(["body", "network", "layers", 1, "weights", 0, 1]), "L2W0_1");
  assert.equal(at(["body", "network", "layers", 0, "biases", 1]), "L1B1");
  assert.equal(at(["body", "x", 0, 2]), "L0N2");
  assert.equal(A.fromPath("request", ["body", "y", 1, 0]), "y:1,0");
  assert.equal(at(["body", "optimizer", "lr"]), null);
});
