import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as E from "../../static/js/netedit.js";
import { indexRegistry } from "../../static/js/registry.js";
import { ShapeMemory, structureKey } from "../../static/js/shapememory.js";

const reg = indexRegistry(JSON.parse(readFileSync(new URL("./fixtures/registry.json", import.meta.url))));

const lecture = () => ({
  network: {
    inputs: 3,
    layers: [
      { units: 2, activation: "sigmoid", weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], biases: [0.25, -0.5] },
      { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0.1] },
    ],
    loss: "mse",
  },
  x: [[0.2, 0.9, -1.1]],
  y: [[1.0]],
  optimizer: { name: "sgd", lr: 0.5 },
});

test("netedit says which layers an edit gave new initial weights, and whether all of them", () => {
  const req = lecture();
  assert.deepEqual(E.freshLayers(E.removeHiddenLayer(reg, req)), [{ layer: 1, all: true }]);
  assert.deepEqual(E.freshLayers(E.addHiddenLayer(reg, req)), [{ layer: 2, all: true }, { layer: 3, all: true }]);
  assert.deepEqual(E.freshLayers(E.setUnits(reg, req, 1, 3)), [{ layer: 1, all: false }, { layer: 2, all: false }]);
  assert.deepEqual(E.freshLayers(E.setUnits(reg, req, 1, 1)), []); // a unit removed: nothing new
  assert.deepEqual(E.freshLayers(req), []);
});

test("removing the hidden layer and adding it back restores the lecture's weights and biases", () => {
  const memory = new ShapeMemory();
  const start = lecture();
  const removed = memory.reshape(start, E.removeHiddenLayer(reg, start));
  assert.deepEqual(removed.restored, []);
  assert.deepEqual(removed.fresh, [1]);
  assert.match(removed.message, /the output layer ŷ were re-initialised .*Ctrl\+Z undoes it/);
  const back = memory.reshape(removed.request, E.addHiddenLayer(reg, removed.request));
  assert.equal(structureKey(back.request), structureKey(start));
  assert.deepEqual(back.request.network, start.network);
  assert.deepEqual(back.restored, [1, 2]);
  assert.match(back.message, /hidden layer 1 and the output layer ŷ got back the weights/);
});

test("the weights restored are the last ones the structure had, edits included", () => {
  const memory = new ShapeMemory();
  const edited = E.setValue(reg, lecture(), "W:2,0,1", -2);
  const bigger = memory.reshape(edited, E.setUnits(reg, edited, 1, 3));
  assert.match(bigger.message, /Hidden layer 1 and the output layer ŷ got new initial weights for the added units/);
  const back = memory.reshape(bigger.request, E.setUnits(reg, bigger.request, 1, 3)); // unchanged: nothing to say
  assert.equal(back.message, null);
  const smaller = memory.reshape(bigger.request, E.setUnits(reg, bigger.request, 1, 2));
  assert.equal(smaller.message, null); // a unit removed keeps every other weight: nothing new
  const again = memory.reshape(smaller.request, E.setUnits(reg, smaller.request, 1, 3));
  assert.deepEqual(again.request.network, bigger.request.network);
  memory.clear();
  const fresh = memory.reshape(smaller.request, E.setUnits(reg, smaller.request, 1, 3));
  assert.deepEqual(fresh.restored, []);
});
