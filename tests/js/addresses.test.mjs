// Addresses name every number of a step (spec §1): parse, format, look up, write, map to elements.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeAddresses } from "../../static/js/addresses.js";

// The served table (GET /api/registry → quantities), written out by hand for the test.
const q = (indices, root, path, element = null) => ({ indices, root, path, element, description: "" });
const state = (root, kind, key) => q(["l", "i", "j"].slice(0, kind === "weight" ? 3 : 2), root,
  ["optimizer_state", "params", `layers.{l-1}.${kind}`, key, "{i}", ...(kind === "weight" ? ["{j}"] : [])],
  kind === "weight" ? "L{l}W{i}_{j}" : "L{l}B{i}");
const QUANTITIES = {
  x: q(["n", "j"], "request", ["x", "{n}", "{j}"], "L0N{j}"),
  y: q(["n", "k"], "request", ["y", "{n}", "{k}"], "Y{k}"),
  c: q(["n"], "request", ["y", "{n}"], "Y0"),
  W: q(["l", "i", "j"], "response", ["network", "layers", "{l-1}", "weights", "{i}", "{j}"], "L{l}W{i}_{j}"),
  b: q(["l", "i"], "response", ["network", "layers", "{l-1}", "biases", "{i}"], "L{l}B{i}"),
  alpha: q(["l"], "request", ["network", "layers", "{l-1}", "negative_slope"]),
  s: q(["l", "n", "i"], "response", ["layers", "{l-1}", "pre", "{n}", "{i}"], "L{l}N{i}"),
  z: q(["l", "n", "i"], "response", ["layers", "{l-1}", "post", "{n}", "{i}"], "L{l}N{i}"),
  L: q([], "response", ["loss"], "loss"),
  "dL/dW": q(["l", "i", "j"], "response", ["layers", "{l-1}", "grad_weights", "{i}", "{j}"], "L{l}W{i}_{j}"),
  "W'": q(["l", "i", "j"], "response", ["network_after", "layers", "{l-1}", "weights", "{i}", "{j}"], "L{l}W{i}_{j}"),
  lr: q([], "request", ["optimizer", "lr"]),
  beta1: q([], "request", ["optimizer", "betas", "0"]),
  "buf.W": state("request", "weight", "momentum_buffer"),
  "buf.b": state("request", "bias", "momentum_buffer"),
  "t'.W": q(["l"], "response", ["optimizer_state", "params", "layers.{l-1}.weight", "step"]),
};

const request = {
  network: {
    inputs: 3,
    layers: [
      { units: 2, activation: "sigmoid", weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], biases: [0, 0] },
      { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0], negative_slope: 0.05 },
    ],
    loss: "mse",
  },
  x: [[0.2, 0.9, -1.1]],
  y: [[1]],
  optimizer: { name: "sgd", lr: 0.5, momentum: 0.9, betas: [0.9, 0.999] },
  optimizer_state: { name: "sgd", params: { "layers.1.weight": { momentum_buffer: [[0.25, -0.5]] } } },
};
const response = {
  loss: 0.12755,
  network: request.network,
  network_after: { layers: [{ weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]] }, { weights: [["NaN", "-Infinity"]] }] },
  layers: [
    { pre: [[-0.1, 0.07]], post: [[0.475, 0.5175]], grad_weights: [[0, 0, 0], [0, 0, 0]] },
    { pre: [[0.6428]], post: [[0.6428]], grad_weights: [[-0.3394, -0.3697]] },
  ],
  optimizer_state: { name: "sgd", params: { "layers.1.weight": { momentum_buffer: [[0.1, 0.2]], step: 3 } } },
};
const ctx = { request, response };
const A = makeAddresses(QUANTITIES);

test("parse splits an address into its quantity and indices", () => {
  assert.deepEqual(A.parse("W:1,0,2"), { q: "W", idx: [1, 0, 2] });
  assert.deepEqual(A.parse("L"), { q: "L", idx: [] });
  assert.deepEqual(A.parse("dL/dW:2,0,1"), { q: "dL/dW", idx: [2, 0, 1] });
  assert.deepEqual(A.parse("buf.W:2"), { q: "buf.W", idx: [2] });
  assert.deepEqual(A.parse("x"), { q: "x", idx: [] });
});

test("parse refuses unknown quantities, malformed indices and too many indices", () => {
  for (const bad of ["Q:1", "W:1,,2", "W:1,a", "W:-1", "W:", "W:1,0,2,3", "L:0", "", null, undefined, 3, "toString"]) {
    assert.equal(A.parse(bad), null, String(bad));
  }
});

test("format writes the address of a quantity at its indices", () => {
  assert.equal(A.format("W", 1, 0, 2), "W:1,0,2");
  assert.equal(A.format("L"), "L");
  assert.equal(A.format("t'.W", 2), "t'.W:2");
});

test("get finds the number at the quantity's path, layers counted from 1", () => {
  assert.equal(A.get(ctx, "W:1,1,2"), 0.4);
  assert.equal(A.get(ctx, "W:2,0,1"), 0.7);
  assert.equal(A.get(ctx, "x:0,2"), -1.1);
  assert.equal(A.get(ctx, "y:0,0"), 1);
  assert.equal(A.get(ctx, "s:1,0,1"), 0.07);
  assert.equal(A.get(ctx, "z:2,0,0"), 0.6428);
  assert.equal(A.get(ctx, "L"), 0.12755);
  assert.equal(A.get(ctx, "lr"), 0.5);
  assert.equal(A.get(ctx, "beta1"), 0.9);
  assert.equal(A.get(ctx, "dL/dW:2,0,1"), -0.3697);
  assert.equal(A.get(ctx, "alpha:2"), 0.05);
});

test("get reads optimizer state under its parameter's name, layers.{l-1}.weight", () => {
  assert.equal(A.get(ctx, "buf.W:2,0,1"), -0.5);
  assert.equal(A.get(ctx, "t'.W:2"), 3);
  assert.equal(A.get(ctx, "buf.W:1,0,0"), undefined, "no state for layer 1");
  assert.equal(A.get({ request: { ...request, optimizer_state: null }, response }, "buf.W:2,0,1"), undefined);
  assert.equal(A.get({ request: { ...request, optimizer_state: undefined }, response }, "buf.W:2,0,1"), undefined);
});

test("a partial address names the sub-array", () => {
  assert.deepEqual(A.get(ctx, "W:1"), [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]]);
  assert.deepEqual(A.get(ctx, "W:1,1"), [0.3, 0.5, 0.4]);
  assert.deepEqual(A.get(ctx, "x"), [[0.2, 0.9, -1.1]]);
  assert.deepEqual(A.get(ctx, "s:1"), [[-0.1, 0.07]]);
  assert.deepEqual(A.get(ctx, "s:1,0"), [-0.1, 0.07]);
});

test("non-finite numbers sent as strings come back as numbers", () => {
  assert.ok(Number.isNaN(A.get(ctx, "W':2,0,0")));
  assert.equal(A.get(ctx, "W':2,0,1"), -Infinity);
});

test("get gives undefined for what is absent", () => {
  assert.equal(A.get(ctx, "W:3,0,0"), undefined);
  assert.equal(A.get(ctx, "W:1,5,0"), undefined);
  assert.equal(A.get(ctx, "x:1,0"), undefined);
  assert.equal(A.get(ctx, "Q:1"), undefined);
  assert.equal(A.get({ request }, "L"), undefined);
  assert.equal(A.get({}, "x:0,0"), undefined);
});

test("element fills the quantity's diagram template, or gives null", () => {
  assert.equal(A.element("s:1,0,0"), "L1N0");
  assert.equal(A.element("W:2,0,1"), "L2W0_1");
  assert.equal(A.element("x:0,2"), "L0N2");
  assert.equal(A.element("c:3"), "Y0");
  assert.equal(A.element("L"), "loss");
  assert.equal(A.element("buf.W:2,0,1"), "L2W0_1");
  assert.equal(A.element("lr"), null);
  assert.equal(A.element("W:2"), null, "a whole matrix has no single element");
  assert.equal(A.element("nonsense"), null);
});

test("set writes a weight into a copy of the request, never the original", () => {
  const after = A.set(request, "W:2,0,1", -0.25);
  assert.equal(after.network.layers[1].weights[0][1], -0.25);
  assert.equal(request.network.layers[1].weights[0][1], 0.7);
  assert.equal(A.get({ request: after, response: { network: after.network } }, "W:2,0,1"), -0.25);
  assert.equal(A.set(request, "x:0,2", 3).x[0][2], 3);
  assert.equal(A.set(request, "b:1,1", 0.5).network.layers[0].biases[1], 0.5);
  assert.equal(A.set(request, "lr", 0.1).optimizer.lr, 0.1);
  assert.deepEqual(A.set(request, "beta1", 0.8).optimizer.betas, [0.8, 0.999]);
  assert.equal(A.set(request, "alpha:1", 0.2).network.layers[0].negative_slope, 0.2, "a key left at its default");
  assert.equal(A.set(request, "buf.W:2,0,0", 1).optimizer_state.params["layers.1.weight"].momentum_buffer[0][0], 1);
});

test("set refuses computed quantities, partial addresses and missing places", () => {
  assert.throws(() => A.set(request, "s:1,0,0", 1), /computed/);
  assert.throws(() => A.set(request, "W':1,0,0", 1), /computed/);
  assert.throws(() => A.set(request, "L", 1), /computed/);
  assert.throws(() => A.set(request, "W:1", 1), /single number/);
  assert.throws(() => A.set(request, "W:3,0,0", 1), /not in the request/);
  assert.throws(() => A.set(request, "x:0,7", 1), /not in the request/);
  assert.throws(() => A.set(request, "buf.W:1,0,0", 1), /not in the request/);
  assert.throws(() => A.set(request, "nope", 1), /unknown/);
});

test("fromPath maps a validation error's loc to the address it points at", () => {
  assert.equal(A.fromPath("request", ["network", "layers", 1, "weights", 0, 0]), "W:2,0,0");
  assert.equal(A.fromPath("request", ["body", "network", "layers", 1, "weights", 0, 0]), "W:2,0,0");
  assert.equal(A.fromPath("request", ["x", 0, 2]), "x:0,2");
  assert.equal(A.fromPath("request", ["network", "layers", 0, "biases", 1]), "b:1,1");
  assert.equal(A.fromPath("request", ["network", "layers", 0, "negative_slope"]), "alpha:1");
  assert.equal(A.fromPath("request", ["optimizer", "lr"]), "lr");
  assert.equal(A.fromPath("request", ["optimizer", "betas", 0]), "beta1");
  assert.equal(A.fromPath("request", ["optimizer_state", "params", "layers.1.weight", "momentum_buffer", 0, 1]), "buf.W:2,0,1");
  assert.equal(A.fromPath("response", ["layers", 0, "pre", 0, 1]), "s:1,0,1");
  assert.equal(A.fromPath("response", ["optimizer_state", "params", "layers.0.weight", "step"]), "t'.W:1");
});

test("fromPath gives a partial address for a row, and null for what no quantity holds", () => {
  assert.equal(A.fromPath("request", ["network", "layers", 1, "weights", 0]), "W:2,0");
  assert.equal(A.fromPath("request", ["x", 1]), "x:1");
  assert.equal(A.fromPath("request", ["y", 0, 0]), "y:0,0");
  assert.equal(A.fromPath("request", ["y", 2]), "c:2", "a full match wins over a partial one");
  assert.equal(A.fromPath("request", ["network", "loss"]), null);
  assert.equal(A.fromPath("request", ["optimizer"]), null, "the optimizer is not its lr");
  assert.equal(A.fromPath("request", ["network", "layers", 0]), null, "a layer is not its weight matrix");
  assert.equal(A.fromPath("request", ["network", "layers", 0, "weights"]), "W:1");
  assert.equal(A.fromPath("request", ["x", 0, 2, 5]), null);
  assert.equal(A.fromPath("request", ["layers", 0, "pre", 0, 1]), null, "s lives in the response");
  assert.equal(A.fromPath("request", ["optimizer_state", "params", "layers.x.weight"]), null);
});

test("path gives the root and the concrete keys, partial addresses stopping early", () => {
  assert.deepEqual(A.path("W:2,0,1"), { root: "response", keys: ["network", "layers", 1, "weights", 0, 1] });
  assert.deepEqual(A.path("buf.W:1"), { root: "request", keys: ["optimizer_state", "params", "layers.0.weight", "momentum_buffer"] });
  assert.deepEqual(A.path("beta1"), { root: "request", keys: ["optimizer", "betas", 0] });
  assert.equal(A.path("Q:1"), null);
});

test("fromPath and get agree: the address of a path finds the number at that path", () => {
  const path = ["network", "layers", 0, "weights", 1, 2];
  const address = A.fromPath("request", path);
  assert.equal(A.get(ctx, address), request.network.layers[0].weights[1][2]);
});
