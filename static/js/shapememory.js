// The weights each network structure had, for one editing session: a structural edit that
// comes back to a structure seen before (remove a layer, add it back) gets back the weights
// it had, instead of new initial ones; and the page says which layers got new weights and
// which got their old ones back. Pure: no DOM.

import { freshLayers } from "./netedit.js";

/** A structure: inputs, each layer's units and activation, and the loss. */
export const structureKey = (req) =>
  JSON.stringify([req.network.inputs, req.network.layers.map((l) => [l.units, l.activation]), req.network.loss]);

const params = (req) => req.network.layers.map((l) => ({ weights: structuredClone(l.weights), biases: structuredClone(l.biases) }));

/** A layer as the Build panel names it: "hidden layer 1" or "the output layer ŷ". */
export function layerName(layer, count) {
  return layer === count ? "the output layer ŷ" : `hidden layer ${layer}`;
}

const list = (names) => (names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

export class ShapeMemory {
  constructor() {
    this.seen = new Map(); // structure key → the weights and biases of each layer, last seen
  }

  clear() {
    this.seen.clear();
  }

  /**
   * `before` → `after` by a structural edit (after from netedit). The weights `before` has are
   * remembered; layers of `after` that got new initial weights get those of the last time
   * the page showed this structure, if it did. Returns {request, restored, fresh, message}:
   * the layers (from 1) restored and those left with new weights, and what to tell the user
   * (null when no weight is new and none restored).
   */
  reshape(before, after) {
    this.seen.set(structureKey(before), params(before));
    const changed = after === before ? [] : freshLayers(after);
    if (!changed.length) return { request: after, restored: [], fresh: [], message: null };
    const old = this.seen.get(structureKey(after));
    const request = old ? structuredClone(after) : after;
    const restored = [];
    const fresh = [];
    for (const c of changed) {
      if (old) {
        Object.assign(request.network.layers[c.layer - 1], structuredClone(old[c.layer - 1]));
        restored.push(c.layer);
      } else fresh.push(c);
    }
    return { request, restored, fresh: fresh.map((c) => c.layer), message: say(restored, fresh, after.network.layers.length) };
  }
}

function say(restored, fresh, count) {
  const name = (l) => layerName(l, count);
  if (restored.length) {
    return `This network had this shape before: ${list(restored.map(name))} got back the weights and biases ${restored.length > 1 ? "they" : "it"} had then. Ctrl+Z undoes it.`;
  }
  const all = fresh.filter((c) => c.all).map((c) => name(c.layer));
  const some = fresh.filter((c) => !c.all).map((c) => name(c.layer));
  const parts = [];
  if (all.length) parts.push(`the weights of ${list(all)} were re-initialised (${all.length > 1 ? "their" : "its"} inputs changed)`);
  if (some.length) parts.push(`${list(some)} got new initial weights for the added units`);
  const text = parts.join("; ");
  return `${text[0].toUpperCase()}${text.slice(1)}. Ctrl+Z undoes it.`;
}
