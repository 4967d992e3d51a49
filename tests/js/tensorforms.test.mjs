import { test } from "node:test";
import assert from "node:assert/strict";
import { backwardTerms, forwardTerms, NOTATIONS, shapesLine } from "../../static/js/tensorforms.js";

const A = { format: (q, ...idx) => (idx.length ? `${q}:${idx.join(",")}` : q) };
const lecture = (notation, samples = 1, layer = 1) =>
  forwardTerms(A, { layer, units: layer === 1 ? 2 : 1, fanIn: layer === 1 ? 3 : 2, samples, phi: "σ", notation });

test("the column form is the slide's (2,3)·(3,1) + (2,1) → (2,1), W as nn.Linear stores it", () => {
  const t = lecture("column");
  assert.equal(shapesLine(t), "(2,3)·(3,1) + (2,1) → (2,1)");
  assert.deepEqual(t[0].cells, [["W:1,0,0", "W:1,0,1", "W:1,0,2"], ["W:1,1,0", "W:1,1,1", "W:1,1,2"]]);
  assert.deepEqual(t[1].cells, [["x:0,0"], ["x:0,1"], ["x:0,2"]]);
  assert.deepEqual(t[2].cells, [["b:1,0"], ["b:1,1"]]);
  assert.deepEqual(t.at(-1).cells, [["z:1,0,0"], ["z:1,0,1"]]);
});

test("a batch of N samples is the (3,N) form, one column per sample", () => {
  const t = lecture("column", 4);
  assert.equal(shapesLine(t), "(2,3)·(3,4) + (2,4) → (2,4)");
  assert.deepEqual(t[1].cells[2], ["x:0,2", "x:1,2", "x:2,2", "x:3,2"]);
  assert.deepEqual(t[3].cells[1], ["s:1,0,1", "s:1,1,1", "s:1,2,1", "s:1,3,1"]);
});

test("the slide's other notations and PyTorch's row form transpose as they say", () => {
  assert.equal(shapesLine(lecture("slide-t")), "(3,2)ᵀ·(3,1) + (2,1) → (2,1)");
  assert.equal(shapesLine(lecture("slide-row")), "(1,3)·(3,2) + (1,2) → (1,2)");
  assert.equal(shapesLine(lecture("torch", 4)), "(4,3)·(2,3)ᵀ + (2,) → (4,2)");
  assert.deepEqual(lecture("slide-t")[0].cells[2], ["W:1,0,2", "W:1,1,2"]);
  assert.deepEqual(lecture("slide-row")[1].cells[0], ["W:1,0,0", "W:1,1,0"]);
  assert.deepEqual(NOTATIONS.map(([id]) => id), ["column", "slide-t", "slide-row"]);
});

test("a later layer multiplies the previous layer's activations", () => {
  const t = lecture("column", 1, 2);
  assert.equal(shapesLine(t), "(1,2)·(2,1) + (1,1) → (1,1)");
  assert.deepEqual(t[1].cells, [["z:1,0,0"], ["z:1,0,1"]]);
});

test("the backward form is ∂L/∂W = δ·aᵀ with δ = ∂L/∂s", () => {
  const t = backwardTerms(A, { layer: 1, units: 2, fanIn: 3, samples: 2 });
  assert.equal(shapesLine(t), "(2,2)·(3,2)ᵀ → (2,3); (2,1)");
  assert.deepEqual(t[0].cells[1], ["dL/ds:1,0,1", "dL/ds:1,1,1"]);
  assert.deepEqual(t[2].cells[0], ["dL/dW:1,0,0", "dL/dW:1,0,1", "dL/dW:1,0,2"]);
});
