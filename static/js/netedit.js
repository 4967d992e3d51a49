// Edits of a step request (network, x, y) as pure functions returning a new request: set
// one value by its address, grow or shrink layers, switch an activation or the loss. What
// an operation needs (a loss's output activation and targets, an activation's least units)
// comes from the registry; new weights come from a fixed pseudo-random sequence so the
// same edit always gives the same numbers. Pure: no DOM.

const clone = (o) => structuredClone(o);

/** A small deterministic weight for position (layer, row, col), in [−0.5, 0.5], 2 decimals. */
export function initWeight(layer, row, col) {
  let h = (layer * 73856093) ^ (row * 19349663) ^ (col * 83492791);
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return Math.round(((h % 1000) / 1000 - 0.5) * 100) / 100;
}

/** Where the page's request keeps what the addresses table serves under response.network. */
const ctxOf = (req) => ({ request: req, response: { network: req.network } });

/** The editable number at an address (W, b, x, y, c), or undefined. */
export function getValue(reg, req, address) {
  return reg.addresses.get(ctxOf(req), address);
}

/** A copy of `req` with the number at `address` set (a class index is rounded into range). */
export function setValue(reg, req, address, value) {
  const q = reg.addresses.parse(address)?.q;
  const v = q === "c" ? Math.min(outputs(req) - 1, Math.max(0, Math.round(value))) : value;
  return reg.addresses.set(req, address, v);
}

export const outputs = (req) => req.network.layers.at(-1).units;

/** Layer sizes: [inputs, units of each layer]. */
export const sizes = (req) => [req.network.inputs, ...req.network.layers.map((l) => l.units)];

// Rebuild weights/biases of layer index i (0-based in layers) to match its fan-in and units,
// keeping every existing value that still has a place. Returns how many weights are new.
function fit(layer, i, fanIn) {
  const w = layer.weights || [];
  const b = layer.biases || [];
  let fresh = 0;
  layer.weights = Array.from({ length: layer.units }, (_, r) =>
    Array.from({ length: fanIn }, (_, c) => w[r]?.[c] ?? (fresh += 1, initWeight(i + 1, r, c))));
  layer.biases = Array.from({ length: layer.units }, (_, r) => b[r] ?? 0);
  return fresh;
}

// The layers an edit gave new initial weights, by the request it returned (see freshLayers).
const FRESH = new WeakMap();

/** The layers (from 1) to which the edit that returned `req` gave new initial weights:
 *  [{layer, all}] where `all` says every weight of the layer is new (its old ones are gone). */
export const freshLayers = (req) => FRESH.get(req) ?? [];

function refit(reg, req) {
  let fanIn = req.network.inputs;
  const fresh = [];
  req.network.layers.forEach((layer, i) => {
    layer.units = Math.max(layer.units, reg.activations.get(layer.activation)?.min_units ?? 1);
    const n = fit(layer, i, fanIn);
    if (n) fresh.push({ layer: i + 1, all: n === layer.units * fanIn });
    fanIn = layer.units;
  });
  FRESH.set(req, fresh);
  const nOut = outputs(req);
  req.x = req.x.map((row) => Array.from({ length: req.network.inputs }, (_, c) => row[c] ?? 0));
  if (reg.classes(req.network.loss)) req.y = req.y.map((k) => Math.min(k, nOut - 1));
  else req.y = req.y.map((row) => Array.from({ length: nOut }, (_, c) => row[c] ?? 0));
  return req;
}

const limit = (reg, key, fallback) => reg.limits?.[key] ?? fallback;

/** Set the number of units of layer `layer` (0 = inputs), clamped to the server's limits. */
export function setUnits(reg, req, layer, units) {
  const out = clone(req);
  const max = layer === 0 ? limit(reg, "max_inputs", 64) : limit(reg, "max_units", 64);
  const n = Math.max(1, Math.min(max, units));
  if (layer === 0) out.network.inputs = n;
  else out.network.layers[layer - 1].units = n;
  return refit(reg, out);
}

/** Insert a hidden layer of 2 units before the output layer. */
export function addHiddenLayer(reg, req) {
  if (req.network.layers.length >= limit(reg, "max_layers", 8)) return req;
  const out = clone(req);
  const prev = out.network.layers.at(-2);
  out.network.layers.splice(-1, 0, { units: 2, activation: prev?.activation ?? "sigmoid" });
  // The output layer's fan-in changed: its old columns no longer mean the same inputs.
  delete out.network.layers.at(-1).weights;
  return refit(reg, out);
}

/** Remove the last hidden layer (the output layer always stays). */
export function removeHiddenLayer(reg, req) {
  if (req.network.layers.length <= 1) return req;
  const out = clone(req);
  out.network.layers.splice(-2, 1);
  delete out.network.layers.at(-1).weights;
  return refit(reg, out);
}

/** Set the activation φ of layer `layer` (1-based); a layer gets the units the activation needs. */
export function setActivation(reg, req, layer, activation) {
  const out = clone(req);
  out.network.layers[layer - 1].activation = activation;
  return refit(reg, out);
}

/** Switch the loss, adapting targets and the output activation so the request stays valid. */
export function setLoss(reg, req, loss) {
  const out = clone(req);
  const was = out.network.loss;
  const entry = reg.losses.get(loss);
  out.network.loss = loss;
  const last = out.network.layers.at(-1);
  const toClasses = reg.classes(loss) && !reg.classes(was);
  if (toClasses) {
    // Class indices: the largest target of each row; at least two classes.
    out.y = out.y.map((row) => row.indexOf(Math.max(...row)));
    if (last.units < 2) last.units = 2;
  } else if (!reg.classes(loss) && reg.classes(was)) {
    out.y = out.y.map((k) => Array.from({ length: last.units }, (_, c) => (c === k ? 1 : 0)));
  }
  const allowed = entry.output_activations;
  const before = reg.losses.get(was)?.output_activations;
  if (allowed && !allowed.includes(last.activation)) last.activation = allowed[0];
  else if (!allowed && before?.includes(last.activation)) last.activation = "identity";
  if (allowed?.includes("sigmoid")) out.y = out.y.map((row) => row.map((v) => Math.min(1, Math.max(0, v))));
  return refit(reg, out);
}

/** Add a sample: a copy of sample `s` (so the new row starts valid). */
export function addSample(reg, req, s = 0) {
  if (req.x.length >= Math.min(64, limit(reg, "max_samples", 64))) return req;
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

/** The .grad of every tensor that requires grad in an answer, keyed by parameter address ("W:1", "b:2", "x"):
 *  what a backward() without zero_grad() adds to (the request's `grad_before`). */
export function gradsOf(request, response) {
  const grads = {};
  request.network.layers.forEach((layer, k) => {
    const got = response.layers[k];
    if (!layer.freeze_weights && got.grad_weights) grads[`W:${k + 1}`] = got.grad_weights;
    if (!layer.freeze_biases && got.grad_biases) grads[`b:${k + 1}`] = got.grad_biases;
  });
  if (response.grad_input) grads.x = response.grad_input;
  return grads;
}
