// The kept state's pure modules: the link codec, undo/redo, the file format, snapshots and
// the optimizer state that does not fit in a link.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StateError, decodeState, encodeState, hashText } from "../../static/js/state/codec.js";
import { UndoHistory } from "../../static/js/state/history.js";
import { capture, loadArgs, parseFile, toFileText, viewPatch } from "../../static/js/state/saved.js";
import { Snapshots } from "../../static/js/state/snapshots.js";
import { LINK_BUDGET, OPTIMIZER_PREFIX, fromFragment, toFragment } from "../../static/js/state/link.js";

const LECTURE = {
  network: { inputs: 3, loss: "mse", seed: 0, layers: [
    { units: 2, activation: "sigmoid", weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], biases: [0, 0] },
    { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0] },
  ] },
  x: [[0.2, 0.9, -1.1]], y: [[1.0]], optimizer: { name: "sgd", lr: 0.5 },
};

class MemoryStorage {
  constructor() { this.map = new Map(); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}

const pageState = (extra = {}) => ({
  request: structuredClone(LECTURE), optimizerState: null, traceSample: 0, step: 7, presetId: "lecture",
  view: "grads", theme: "dark", presenting: true, panelOpen: false, explainOpen: true, viewTab: "diagram",
  hiddenControls: ["theme"], predict: false, ...extra,
});

test("a state encodes to a versioned base64url fragment and decodes to identical values", async () => {
  const value = { request: LECTURE, tricky: [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 5e-324, "ŷ ∂L/∂w"] };
  const text = await encodeState(value);
  assert.match(text, /^v1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(`#${text}`), value);
});

test("the fragment is compressed: a repetitive state is much shorter than its JSON", async () => {
  const big = { w: Array.from({ length: 64 }, () => Array(64).fill(0.125)) };
  const text = await encodeState(big);
  assert.ok(text.length < JSON.stringify(big).length / 10, `${text.length} characters`);
});

test("a damaged, foreign or future fragment is a StateError that says what is wrong", async () => {
  await assert.rejects(decodeState("#hello"), (e) => e instanceof StateError && /start with #v1\./.test(e.message));
  await assert.rejects(decodeState("v2.abc"), (e) => e instanceof StateError && /version 2/.test(e.message));
  const good = await encodeState({ a: 1 });
  await assert.rejects(decodeState(good.slice(0, 8)), (e) => e instanceof StateError && /damaged/.test(e.message));
  await assert.rejects(decodeState("v1.a+b/c"), (e) => e instanceof StateError && /characters/.test(e.message));
});

test("hashText is stable and differs for different texts", () => {
  assert.equal(hashText("abc"), hashText("abc"));
  assert.notEqual(hashText("abc"), hashText("abd"));
  assert.match(hashText(""), /^[0-9a-f]{8}$/);
});

test("undo and redo walk back and forth through recorded states; a new edit clears redo", () => {
  const h = new UndoHistory();
  assert.equal(h.record({ w: 1 }), true);
  assert.equal(h.record({ w: 1 }), false, "the same state twice is one step");
  h.record({ w: 2 });
  h.record({ w: 3 });
  assert.deepEqual(h.undo(), { w: 2 });
  assert.deepEqual(h.undo(), { w: 1 });
  assert.equal(h.undo(), null);
  assert.deepEqual(h.redo(), { w: 2 });
  assert.equal(h.record({ w: 2 }), false, "showing the restored state records nothing");
  h.record({ w: 9 });
  assert.equal(h.canRedo, false);
  assert.deepEqual(h.undo(), { w: 2 });
});

test("the undo history keeps at most its limit of steps", () => {
  const h = new UndoHistory(3);
  for (let i = 0; i < 10; i++) h.record({ i });
  let n = 0;
  while (h.undo()) n++;
  assert.equal(n, 3);
  assert.deepEqual(h.current, { i: 6 });
});

test("capture puts the API's request (with optimizer state and traced sample) and the view in one object", () => {
  const state = pageState({ optimizerState: { name: "sgd", params: {} }, traceSample: 1, request: { ...structuredClone(LECTURE), x: [[1, 2, 3], [4, 5, 6]], y: [[1], [0]] } });
  const saved = capture(state);
  assert.equal(saved.version, 1);
  assert.deepEqual(saved.request.optimizer_state, { name: "sgd", params: {} });
  assert.equal(saved.request.trace_sample, 1);
  assert.deepEqual(saved.view, { step: 7, preset: "lecture", edges: "grads", theme: "dark", presenting: true, panelOpen: false, explainOpen: true, viewTab: "diagram", hidden: ["theme"], predict: false });
  state.request.network.layers[0].weights[0][0] = 99;
  assert.equal(saved.request.network.layers[0].weights[0][0], 0.1, "a deep copy");
  const [request, options] = loadArgs(saved);
  assert.equal("optimizer_state" in request, false);
  assert.deepEqual(options, { optimizerState: { name: "sgd", params: {} }, traceSample: 1, step: 7, presetId: "lecture" });
});

test("viewPatch keeps only known keys with values of the right type", () => {
  assert.deepEqual(viewPatch({ theme: "dark", presenting: "yes", edges: "sideways", step: 3, hidden: ["apply"], evil: 1 }),
    { theme: "dark", step: 3, hiddenControls: ["apply"] });
  assert.deepEqual(viewPatch(null), {});
});

test("a saved file reads back as the same state", () => {
  const saved = capture(pageState());
  assert.deepEqual(parseFile(toFileText(saved)), saved);
});

test("a bad file is refused with a message naming what is wrong", () => {
  assert.throws(() => parseFile("{not json"), /not JSON/);
  assert.throws(() => parseFile("[1, 2]"), /expected an object/);
  assert.throws(() => parseFile('{"request": {}}'), /no “version”/);
  assert.throws(() => parseFile('{"version": 2, "request": {}}'), /version 2; this page reads version 1/);
  assert.throws(() => parseFile('{"version": 1}'), /no “request”/);
  assert.throws(() => parseFile('{"version": 1, "request": {"network": {}, "x": [], "y": []}}'), /no “optimizer”/);
});

test("snapshots are saved, listed newest first, opened and deleted", () => {
  const snaps = new Snapshots(new MemoryStorage());
  const a = capture(pageState({ step: 1 }));
  const b = capture(pageState({ step: 2 }));
  snaps.save("before the update", a, new Date("2026-01-01T10:00:00Z"));
  snaps.save("after", b, new Date("2026-01-01T11:00:00Z"));
  assert.deepEqual(snaps.list().map((s) => s.name), ["after", "before the update"]);
  assert.deepEqual(snaps.open("before the update"), a);
  snaps.remove("after");
  assert.deepEqual(snaps.list().map((s) => s.name), ["before the update"]);
  assert.equal(snaps.open("after"), null);
  assert.throws(() => snaps.save("  ", a), /name/);
});

test("snapshots survive a damaged store entry by starting empty", () => {
  const storage = new MemoryStorage();
  storage.setItem("backprop-lab-snapshots", "{oops");
  assert.deepEqual(new Snapshots(storage).list(), []);
});

test("a small optimizer state travels in the link", async () => {
  const storage = new MemoryStorage();
  const saved = capture(pageState({ optimizerState: { name: "sgd", params: { "layers.0.weight": { momentum_buffer: [[0.1, 0.2, 0.3]] } } } }));
  const text = await toFragment(saved, storage);
  assert.equal(storage.map.size, 0);
  const { saved: back, missingOptimizer } = await fromFragment(text, storage);
  assert.deepEqual(back, saved);
  assert.equal(missingOptimizer, false);
});

test("a large optimizer state is kept in localStorage under a key the link names", async () => {
  const storage = new MemoryStorage();
  const noise = (n) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const optimizerState = { name: "adam", params: { "layers.0.weight": { step: 1, exp_avg: noise(2000), exp_avg_sq: noise(2000) } } };
  const saved = capture(pageState({ optimizerState }));
  const text = await toFragment(saved, storage);
  assert.ok(text.length < LINK_BUDGET, `${text.length} characters`);
  const keys = [...storage.map.keys()].filter((k) => k.startsWith(OPTIMIZER_PREFIX));
  assert.equal(keys.length, 1);
  const { saved: back, missingOptimizer } = await fromFragment(text, storage);
  assert.deepEqual(back, saved);
  assert.equal(missingOptimizer, false);
  const elsewhere = await fromFragment(text, new MemoryStorage());
  assert.equal(elsewhere.missingOptimizer, true);
  assert.equal("optimizer_state" in elsewhere.saved.request, false);
});
