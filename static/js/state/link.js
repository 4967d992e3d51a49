// The page's state in a link: capture() → "#v1.<data>", weights included. The optimizer's
// state (Adam's moments are as large as the network) goes in the link when the link stays
// under LINK_BUDGET characters; otherwise it is kept in localStorage under a key the link
// names, and a link opened on another computer starts the optimizer afresh and says so.

import { StateError, decodeState, encodeState, hashText } from "./codec.js";

export const LINK_BUDGET = 16_000; // characters: long links survive browsers, not every mail or chat program
export const OPTIMIZER_PREFIX = "backprop-lab-optimizer:";
const KEEP = 20; // optimizer states kept in localStorage, newest first
const INDEX_KEY = "backprop-lab-optimizer-keys";

/** A saved state {version, request, view} → the fragment (without "#"). */
export async function toFragment(saved, storage) {
  const text = await encodeState(saved);
  if (text.length <= LINK_BUDGET || !saved.request.optimizer_state) return text;
  const { optimizer_state: state, ...request } = saved.request;
  const json = JSON.stringify(state);
  const key = OPTIMIZER_PREFIX + hashText(json);
  keep(storage, key, json);
  return encodeState({ ...saved, request, optimizer_key: key });
}

/**
 * A fragment → {saved, missingOptimizer}: the saved state with the optimizer's state put back
 * from localStorage (missingOptimizer when this computer does not have it).
 */
export async function fromFragment(fragment, storage) {
  const saved = await decodeState(fragment);
  if (!saved || typeof saved !== "object" || !saved.request || typeof saved.request !== "object") {
    throw new StateError("the link's data is not a saved state");
  }
  let missingOptimizer = false;
  if (typeof saved.optimizer_key === "string") {
    const json = storage.getItem(saved.optimizer_key);
    if (json) saved.request.optimizer_state = JSON.parse(json);
    else missingOptimizer = true;
  }
  delete saved.optimizer_key;
  return { saved, missingOptimizer };
}

function keep(storage, key, json) {
  let keys = [];
  try {
    keys = JSON.parse(storage.getItem(INDEX_KEY) ?? "[]");
  } catch {
    keys = [];
  }
  keys = [key, ...keys.filter((k) => k !== key)];
  for (const old of keys.slice(KEEP)) storage.removeItem(old);
  storage.setItem(key, json);
  storage.setItem(INDEX_KEY, JSON.stringify(keys.slice(0, KEEP)));
}
