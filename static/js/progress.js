// Where the player is: which of the four phases, and what the explanation's steps have
// computed so far (so the diagram can dim what is not yet known). Pure: no DOM.

export const PHASES = ["forward", "loss", "backward", "update"];
export const PHASE_NAMES = { forward: "Forward", loss: "Loss", backward: "Backward", update: "Update" };

/** First and last step index of each phase (absent phases: null). */
export function phaseRanges(trace) {
  const ranges = Object.fromEntries(PHASES.map((p) => [p, null]));
  trace.forEach((step, i) => {
    const r = ranges[step.phase];
    if (r) r[1] = i;
    else ranges[step.phase] = [i, i];
  });
  return ranges;
}

/** The first step of `phase` (or of the next phase present), for jump-to-phase. */
export function phaseStart(trace, phase) {
  const ranges = phaseRanges(trace);
  for (const p of PHASES.slice(PHASES.indexOf(phase))) if (ranges[p]) return ranges[p][0];
  return Math.max(0, trace.length - 1);
}

/** How many steps of each phase are done once step k is shown: {phase: [done, total]}. */
export function phaseProgress(trace, k) {
  const out = Object.fromEntries(PHASES.map((p) => [p, [0, 0]]));
  trace.forEach((step, i) => {
    out[step.phase][1] += 1;
    if (i <= k) out[step.phase][0] += 1;
  });
  return out;
}

/**
 * What is known once steps 0..k have been shown, as diagram elements (element(address) maps
 * a step's target address to its element):
 * - sum: neurons whose weighted sum s is known; act: neurons whose z = φ(s) is known
 *   (with no activation step after the sum, the sum is the value);
 * - loss: the loss is known; grad: elements (neurons, weights, biases) with a gradient;
 * - updated: parameters with their new value.
 */
export function knownAt(trace, k, element) {
  const known = { sum: new Set(), act: new Set(), loss: false, grad: new Set(), updated: new Set() };
  const hasAct = new Set(trace.filter((s) => s.kind === "activation").map((s) => element(s.target)));
  for (let i = 0; i <= k && i < trace.length; i++) {
    const s = trace[i];
    const el = element(s.target);
    if (s.kind === "weighted_sum") {
      known.sum.add(el);
      if (!hasAct.has(el)) known.act.add(el);
    } else if (s.kind === "activation") known.act.add(el);
    else if (s.kind === "loss") known.loss = true;
    else if (s.phase === "backward") known.grad.add(el);
    else if (s.phase === "update") known.updated.add(el);
  }
  return known;
}

/** Which quantities the diagram draws in phase `phase` for the view mode chosen. */
export function showing(mode, phase) {
  if (mode === "weights") return { weights: true, grads: false };
  if (mode === "grads") return { weights: false, grads: true };
  if (mode === "both") return { weights: true, grads: true };
  // auto: weights in the forward pass and the loss, gradients in the backward pass, and
  // the weights again (old → new) in the update.
  const back = phase === "backward";
  return { weights: !back, grads: back };
}

/** Clamp a step index into the trace (a new trace of another length keeps the position). */
export const clampStep = (k, trace) => Math.max(0, Math.min(k, (trace?.length ?? 1) - 1));

/**
 * Is the loss growing over the updates applied one after another? history: the loss of each
 * network reached by "Apply update", oldest first (numbers, or the API's "Infinity"/"NaN").
 * Two or more rises in a row → {updates, from, to}; else null. Shown before the loss is infinite.
 */
export function lossGrowth(history, minRises = 2) {
  const xs = history.map((v) => (typeof v === "number" ? v : Number(v)));
  let k = 0;
  for (let i = xs.length - 1; i > 0 && Number.isFinite(xs[i]) && xs[i] > xs[i - 1]; i--) k++;
  return k >= minRises ? { updates: k, from: xs[xs.length - 1 - k], to: xs[xs.length - 1] } : null;
}
