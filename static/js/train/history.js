// A training run's history as the stream tells it: a record per step (loss, test loss,
// accuracy, gradient norms, watched parameters) and the snapshots (network, optimizer state,
// next batch, maps). The scrubber, the charts and "open step k in the player" read it.
// Pure: no DOM.

import { toNumber } from "../format.js";

/** An empty history. */
export function createHistory() {
  return { steps: [], snapshots: [], done: null, diverged: null };
}

/** A number from a line: null (a non-finite value the server could not send) and "NaN" stay NaN. */
const num = (v) => (v === null || v === undefined ? NaN : toNumber(v));

/**
 * Add one line of the stream. Steps and snapshots come in order; a resumed run starts after
 * the history was cut at its snapshot (see `cutAfter`), so numbering just continues.
 * Returns the kind of line: "step", "snapshot", "done" or "other".
 */
export function addLine(history, line) {
  if (line.snapshot) {
    const snap = line.snapshot;
    const last = history.snapshots.at(-1);
    if (last && last.step === snap.step) history.snapshots[history.snapshots.length - 1] = snap;
    else history.snapshots.push(snap);
    return "snapshot";
  }
  if (line.done) {
    history.done = line;
    if (line.reason === "diverged" && history.diverged === null) history.diverged = line.step;
    return "done";
  }
  if (typeof line.step === "number" && "loss" in line) {
    history.steps[line.step - 1] = line;
    if (history.diverged === null && (line.diverged || !Number.isFinite(num(line.loss)))) history.diverged = line.step;
    return "step";
  }
  return "other";
}

/** The number of the last step recorded (0 before the first). */
export const lastStep = (history) => history.steps.length;

/** Forget everything after step k (to resume from the snapshot at k). */
export function cutAfter(history, k) {
  history.steps.length = Math.min(history.steps.length, k);
  history.snapshots = history.snapshots.filter((s) => s.step <= k);
  history.done = null;
  if (history.diverged !== null && history.diverged > k) history.diverged = null;
  return history;
}

/** The latest snapshot at or before step k (null if none). */
export function snapshotAtOrBefore(history, k) {
  let best = null;
  for (const s of history.snapshots) if (s.step <= k && (!best || s.step > best.step)) best = s;
  return best;
}

/**
 * How to show step k (k ≥ 1) in the player: the network and optimizer state after k − 1
 * updates and the batch of step k. From the snapshot at k − 1 if there is one, else from the
 * nearest earlier snapshot and a run of `gap` steps that ends at k − 1.
 */
export function replayPlan(history, k) {
  if (!(k >= 1 && k <= lastStep(history))) return null;
  const from = snapshotAtOrBefore(history, k - 1);
  if (!from) return null;
  return { from, gap: k - 1 - from.step };
}

/** One series per field, as [step, number] pairs: loss, test_loss, accuracy … */
export function series(history, pick) {
  const out = [];
  history.steps.forEach((line, i) => {
    if (!line) return;
    const v = pick(line);
    if (v !== null && v !== undefined) out.push([i + 1, num(v)]);
  });
  return out;
}

/** Per-layer gradient norms over time: one series per layer. */
export function gradNormSeries(history) {
  const layers = history.steps.find(Boolean)?.grad_norms?.length ?? 0;
  return Array.from({ length: layers }, (_, l) => series(history, (line) => line.grad_norms?.[l]));
}

/** A watched parameter over time: its value, gradient and optimizer state per step. */
export function watchSeries(history, address) {
  const at = (f) => series(history, (line) => {
    const w = line.watch?.[address];
    return w ? f(w) : undefined;
  });
  const value = at((w) => w.value);
  // The value after the last step closes the trajectory.
  const lastLine = history.steps.at(-1);
  const after = lastLine?.watch?.[address]?.after;
  if (after !== undefined) value.push([history.steps.length + 1, num(after)]);
  const state = {};
  const keys = new Set();
  for (const line of history.steps) for (const key of Object.keys(line?.watch?.[address]?.state ?? {})) keys.add(key);
  for (const key of keys) state[key] = at((w) => w.state?.[key]);
  return { value, grad: at((w) => w.grad), state };
}
