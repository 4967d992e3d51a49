import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addLine, createHistory, cutAfter, gradNormSeries, lastStep, replayPlan, series, snapshotAtOrBefore, watchSeries,
} from "../../static/js/train/history.js";

const run = (steps, every) => {
  const h = createHistory();
  addLine(h, { snapshot: { step: 0, network: "n0" } });
  for (let k = 1; k <= steps; k++) {
    addLine(h, { step: k, loss: 1 / k, test_loss: null, accuracy: k / steps, grad_norms: [k, 2 * k],
      watch: { "W:1,0,0": { value: k, grad: -k, after: k + 1, state: { exp_avg: k / 10 } } } });
    if (k % every === 0) addLine(h, { snapshot: { step: k, network: `n${k}` } });
  }
  return h;
};

test("steps and snapshots are recorded in order; the done line ends the run", () => {
  const h = run(10, 5);
  assert.equal(lastStep(h), 10);
  assert.deepEqual(h.snapshots.map((s) => s.step), [0, 5, 10]);
  assert.equal(addLine(h, { done: true, step: 10, reason: "finished" }), "done");
  assert.equal(h.done.reason, "finished");
  assert.equal(h.diverged, null);
});

test("the nearest snapshot at or before a step", () => {
  const h = run(10, 5);
  assert.equal(snapshotAtOrBefore(h, 4).step, 0);
  assert.equal(snapshotAtOrBefore(h, 5).step, 5);
  assert.equal(snapshotAtOrBefore(h, 9).step, 5);
});

test("step k replays from the snapshot at k − 1, or from an earlier one and a gap", () => {
  const h = run(10, 5);
  assert.deepEqual(replayPlan(h, 6), { from: h.snapshots[1], gap: 0 });
  assert.deepEqual(replayPlan(h, 1), { from: h.snapshots[0], gap: 0 });
  assert.deepEqual(replayPlan(h, 4), { from: h.snapshots[0], gap: 3 });
  assert.equal(replayPlan(h, 11), null);
  assert.equal(replayPlan(h, 0), null);
});

test("cutting after a snapshot forgets later steps, so a resumed run continues the same curve", () => {
  const h = run(10, 5);
  cutAfter(h, 5);
  assert.equal(lastStep(h), 5);
  assert.deepEqual(h.snapshots.map((s) => s.step), [0, 5]);
  addLine(h, { step: 6, loss: 1 / 6 });
  assert.deepEqual(series(h, (l) => l.loss).map(([k]) => k), [1, 2, 3, 4, 5, 6]);
});

test("a non-finite loss (sent as null or \"NaN\") marks the step the run diverged at", () => {
  const h = createHistory();
  addLine(h, { step: 1, loss: 0.5 });
  addLine(h, { step: 2, loss: null, diverged: true });
  addLine(h, { step: 3, loss: "NaN" });
  assert.equal(h.diverged, 2);
  assert.ok(Number.isNaN(series(h, (l) => l.loss)[1][1]));
});

test("series leave out what the server did not send (no test set: test_loss null)", () => {
  const h = run(4, 2);
  assert.equal(series(h, (l) => l.test_loss).length, 0);
  assert.deepEqual(series(h, (l) => l.accuracy), [[1, 0.25], [2, 0.5], [3, 0.75], [4, 1]]);
});

test("gradient norms per layer and a watched parameter's trajectory and state", () => {
  const h = run(3, 3);
  assert.deepEqual(gradNormSeries(h), [[[1, 1], [2, 2], [3, 3]], [[1, 2], [2, 4], [3, 6]]]);
  const w = watchSeries(h, "W:1,0,0");
  assert.deepEqual(w.value, [[1, 1], [2, 2], [3, 3], [4, 4]]);
  assert.deepEqual(w.grad, [[1, -1], [2, -2], [3, -3]]);
  assert.deepEqual(w.state.exp_avg, [[1, 0.1], [2, 0.2], [3, 0.3]]);
});
