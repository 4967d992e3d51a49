// A saved state, the same in a link, a file and a snapshot: {version, request, view}.
// `request` is the API's own step request (network, x, y, optimizer, and optimizer_state and
// trace_sample when they matter): the server validates it like any other. `view` is how the
// page showed it: player position, preset, edges, theme, presentation, panels, view tab and
// the classroom options. Pure: no DOM.

import { VERSION } from "./codec.js";

export { VERSION };

// view key → [store.state key, check]: unknown keys and values of the wrong type are ignored.
const isBool = (v) => typeof v === "boolean";
const isText = (v) => typeof v === "string" && v.length <= 100;
const VIEW = {
  step: ["step", (v) => Number.isInteger(v) && v >= 0],
  preset: ["presetId", (v) => v === null || isText(v)],
  edges: ["view", (v) => ["auto", "weights", "grads", "both"].includes(v)],
  theme: ["theme", (v) => ["light", "dark", "contrast"].includes(v)],
  presenting: ["presenting", isBool],
  panelOpen: ["panelOpen", isBool],
  explainOpen: ["explainOpen", isBool],
  viewTab: ["viewTab", isText],
  beside: ["beside", isBool],
  hidden: ["hiddenControls", (v) => Array.isArray(v) && v.length <= 50 && v.every(isText)],
  predict: ["predict", isBool],
};

/** The store's state → {version, request, view} (a deep copy: later edits do not change it). */
export function capture(state) {
  const request = structuredClone(state.request);
  if (state.optimizerState) request.optimizer_state = structuredClone(state.optimizerState);
  if (state.traceSample) request.trace_sample = state.traceSample;
  const view = {};
  for (const [key, [from]] of Object.entries(VIEW)) if (state[from] !== undefined) view[key] = structuredClone(state[from]);
  return { version: VERSION, request, view };
}

/** The part of a saved state that undo and redo restore: the request (network, data, optimizer and its state). */
export const editOf = (saved) => saved.request;

/** A saved state's view → a patch of store.state (only the keys it has, of the right type). */
export function viewPatch(view = {}) {
  const patch = {};
  if (!view || typeof view !== "object") return patch;
  for (const [key, [to, ok]] of Object.entries(VIEW)) if (key in view && ok(view[key])) patch[to] = view[key];
  return patch;
}

/** A request as store.loadRequest takes it: (request without the extras, options). */
export function loadArgs(saved) {
  const { optimizer_state: optimizerState = null, trace_sample: traceSample = 0, ...request } = saved.request;
  const patch = viewPatch(saved.view);
  return [request, { optimizerState, traceSample, step: patch.step ?? 0, presetId: patch.presetId ?? null }];
}

/** A saved state as a file's text (pretty JSON, so a teacher can read it). */
export const toFileText = (saved) => `${JSON.stringify(saved, null, 1)}\n`;

/** A file's text → {version, request, view}; throws an Error naming what is wrong. */
export function parseFile(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`The file is not JSON (${err.message}).`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("The file is not a Backprop Lab state: expected an object {version, request, view}.");
  if (!("version" in data)) throw new Error("The file has no “version”: expected {version: 1, request, view}.");
  if (data.version !== VERSION) throw new Error(`The file is version ${JSON.stringify(data.version)}; this page reads version ${VERSION}.`);
  const r = data.request;
  if (!r || typeof r !== "object" || Array.isArray(r)) throw new Error("The file has no “request” (the network, x, y and optimizer).");
  for (const key of ["network", "x", "y", "optimizer"]) if (!(key in r)) throw new Error(`The file's request has no “${key}”.`);
  return { version: VERSION, request: r, view: data.view && typeof data.view === "object" ? data.view : {} };
}
