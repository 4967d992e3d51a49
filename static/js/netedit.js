// Edits of a step request (network, x, y) as pure functions returning a new request:
// set one value by its diagram id, grow or shrink layers, switch the loss. New weights
// come from a fixed pseudo-random sequence so the same edit always gives the same numbers.

import { parseRef } from "./notation.js";

export const LIMITS = { layers: 8, units: 64, inputs: 64, samples: 64 };

const clone = (o) => structuredClone(o);

/** A small deterministic weight for position (layer, row, col), in [−0.5, 0.5], 2 decimals. */
export function initWeight(layer, row, col) {
  let h = (layer * 73856093) ^ (row * 19349663) ^ (col * 83492791);
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return Math.round(((h % 1000) / 1000 - 0.5) * 100) / 100;
}

/** The editable value an id names (input and target of sample `s`), or undefined. */
export function getParam(req, ref, s = 0) {
  const r = parseRef(ref);
  if (!r) return undefined;
  const layers = req.network.layers;
  if (r.kind === "weight") return layers[r.layer - 1]?.weights?.[r.row]?.[r.col];
  if (r.kind === "bias") return layers[r.layer - 1]?.biases?.[r.unit];
  if (r.kind === "input") return req.x[s]?.[r.unit];
  if (r.kind === "target") return isClassLoss(req) ? req.y[s] : req.y[s]?.[r.unit];
  return undefined;
}

/** A copy of `req` with the value named by `ref` set to `value`. */
export function setParam(req, ref, value, s = 0) {
  const r = parseRef(ref);
  const out = clone(req);
  const layers = out.network.layers;
  if (r?.kind === "weight") layers[r.layer - 1].weights[r.row][r.col] = value;
  else if (r?.kind === "bias") layers[r.layer - 1].biases[r.unit] = value;
  else if (r?.kind === "input") out.x[s][r.unit] = value;
  else if (r?.kind === "target") {
    if (isClassLoss(out)) out.y[s] = Math.max(0, Math.round(value));
    else out.y[s][r.unit] = value;
  } else throw new Error(`not editable: ${ref}`);
  return out;
}

export const isClassLoss = (req) => req.network.loss === "cross_entropy";
export const outputs = (req) => req.network.layers.at(-1).units;

/** Layer sizes: [inputs, units of each layer]. */
export const sizes = (req) => [req.network.inputs, ...req.network.layers.map((l) => l.units)];

// Rebuild weights/biases of layer index i (0-based in layers) to match its fan-in and units,
// keeping every existing value that still has a place.
function fit(layer, i, fanIn) {
  const w = layer.weights || [];
  const b = layer.biases || [];
  layer.weights = Array.from({ length: layer.units }, (_, r) =>
    Array.from({ length: fanIn }, (_, c) => w[r]?.[c] ?? initWeight(i + 1, r, c)));
  layer.biases = Array.from({ length: layer.units }, (_, r) => b[r] ?? 0);
}

function refit(req) {
  let fanIn = req.network.inputs;
  req.network.layers.forEach((layer, i) => {
    fit(layer, i, fanIn);
    fanIn = layer.units;
  });
  const nOut = outputs(req);
  req.x = req.x.map((row) => Array.from({ length: req.network.inputs }, (_, c) => row[c] ?? 0));
  if (isClassLoss(req)) req.y = req.y.map((k) => Math.min(k, nOut - 1));
  else req.y = req.y.map((row) => Array.from({ length: nOut }, (_, c) => row[c] ?? 0));
  return req;
}

/** Set the number of units of layer `layer` (0 = inputs), clamped to the limits. */
export function setUnits(req, layer, units) {
  const out = clone(req);
  const n = Math.max(1, Math.min(layer === 0 ? LIMITS.inputs : LIMITS.units, units));
  if (layer === 0) out.network.inputs = n;
  else out.network.layers[layer - 1].units = n;
  return refit(out);
}

/** Insert a hidden layer of 2 units before the output layer. */
export function addHiddenLayer(req) {
  if (req.network.layers.length >= LIMITS.layers) return req;
  const out = clone(req);
  const prev = out.network.layers.at(-2);
  out.network.layers.splice(-1, 0, { units: 2, activation: prev?.activation ?? "sigmoid" });
  // The output layer's fan-in changed: its old columns no longer mean the same inputs.
  delete out.network.layers.at(-1).weights;
  return refit(out);
}

/** Remove the last hidden layer (the output layer always stays). */
export function removeHiddenLayer(req) {
  if (req.network.layers.length <= 1) return req;
  const out = clone(req);
  out.network.layers.splice(-2, 1);
  delete out.network.layers.at(-1).weights;
  return refit(out);
}

/** Set the activation φ of layer `layer` (1-based). */
export function setActivation(req, layer, activation) {
  const out = clone(req);
  out.network.layers[layer - 1].activation = activation;
  return out;
}

/** Switch the loss, adapting targets and output activation so the request stays valid. */
export function setLoss(req, loss) {
  const out = clone(req);
  const was = out.network.loss;
  out.network.loss = loss;
  const last = out.network.layers.at(-1);
  if (loss === "cross_entropy" && was !== "cross_entropy") {
    // Class indices: the largest target of each row; logits need an identity output.
    out.y = out.y.map((row) => row.indexOf(Math.max(...row)));
    if (last.units < 2) last.units = 2;
    last.activation = "identity";
  } else if (loss !== "cross_entropy" && was === "cross_entropy") {
    out.y = out.y.map((k) => Array.from({ length: last.units }, (_, c) => (c === k ? 1 : 0)));
  }
  if (loss === "bce") {
    last.activation = "sigmoid";
    out.y = out.y.map((row) => row.map((v) => Math.min(1, Math.max(0, v))));
  } else if (was === "bce" && last.activation === "sigmoid" && loss !== "cross_entropy") {
    last.activation = "identity";
  }
  return refit(out);
}

/** Add a sample: a copy of sample `s` (so the new row starts valid). */
export function addSample(req, s = 0) {
  if (req.x.length >= LIMITS.samples) return req;
  const out = clone(req);
  out.x.push([...out.x[s]]);
  out.y.push(clone(out.y[s]));
  return out;
}

/** Remove sample `s` (at least one stays). */
export function removeSample(req, s) {
  if (req.x.length <= 1) return req;
  const out = clone(req);
  out.x.splice(s, 1);
  out.y.splice(s, 1);
  return out;
}
