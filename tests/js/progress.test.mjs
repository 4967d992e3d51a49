import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeAddresses } from "../../static/js/addresses.js";
import { clampStep, knownAt as known, phaseProgress, phaseRanges, phaseStart, showing } from "../../static/js/progress.js";

// The lecture's explanation and the address table, as the API serves them (tests/test_js.py
// writes these fixtures from the API before every run).
const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const trace = fixture("lecture-explanation.json").steps;
const A = makeAddresses(fixture("registry.json").quantities);
const knownAt = (steps, k) => known(steps, k, A.element);

test("the lecture's trace has the four phases in order", () => {
  const r = phaseRanges(trace);
  assert.deepEqual(r.forward, [0, 4]);
  assert.deepEqual(r.loss, [5, 5]);
  assert.equal(r.backward[0], 6);
  assert.equal(r.update[1], trace.length - 1);
  assert.equal(phaseStart(trace, "backward"), 6);
});

test("values appear as the forward pass reaches them", () => {
  const k0 = knownAt(trace, 0);
  assert.ok(k0.sum.has("L1N0") && !k0.act.has("L1N0") && !k0.sum.has("L1N1"));
  const k4 = knownAt(trace, 4);
  assert.ok(k4.act.has("L1N1"));
  // The identity output has no activation step: its weighted sum is its value.
  assert.ok(k4.act.has("L2N0"));
  assert.equal(k4.loss, false);
  assert.equal(knownAt(trace, 5).loss, true);
});

test("gradients and updates are known once their step is reached", () => {
  const k = knownAt(trace, 7);
  assert.ok(k.grad.has("L2N0") && k.grad.has("L2W0_0") && !k.grad.has("L2W0_1"));
  const end = knownAt(trace, trace.length - 1);
  assert.equal(end.updated.size, 11);
});

test("progress per phase, clamping and what the edges show", () => {
  const p = phaseProgress(trace, 6);
  assert.deepEqual(p.forward, [5, 5]);
  assert.deepEqual(p.backward[0], 1);
  assert.equal(clampStep(99, trace), trace.length - 1);
  assert.equal(clampStep(-3, trace), 0);
  assert.deepEqual(showing("auto", "forward"), { weights: true, grads: false });
  assert.deepEqual(showing("auto", "backward"), { weights: false, grads: true });
  assert.deepEqual(showing("auto", "update"), { weights: true, grads: false });
  assert.deepEqual(showing("both", "forward"), { weights: true, grads: true });
});
