// The store's requests to the server, with fetch replaced by a recording server: an edit's request leaves before
// the views are told it is pending, edits made while a request is out go as one (the
// latest values), and that one leaves as soon as the answer is in, before it is drawn.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { indexRegistry } from "../../static/js/registry.js";
import { EDIT_GRACE_MS, Store } from "../../static/js/store.js";

// The real registry and the lecture's explanation (tests/test_js.py writes them from the API).
const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const reg = indexRegistry(fixture("registry.json"));
const explanation = fixture("lecture-explanation.json");

const LECTURE = {
  network: { inputs: 3, loss: "mse", seed: 0, layers: [
    { units: 2, activation: "sigmoid", weights: [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], biases: [0, 0] },
    { units: 1, activation: "identity", weights: [[0.6, 0.7]], biases: [0] },
  ] },
  x: [[0.2, 0.9, -1.1]], y: [[1.0]], optimizer: { name: "sgd", lr: 0.5 },
};

// fetch replaced by a recorder: each POST /api/step waits until the test answers it.
function recordingServer() {
  const calls = [];
  globalThis.fetch = (url, options) => new Promise((resolve) => {
    calls.push({
      url,
      body: JSON.parse(options.body),
      answer: (loss) => resolve({ ok: true, status: 200, headers: new Headers(), json: async () => ({ explain_key: explanation.key, loss, output: [[loss]], layers: [] }) }),
      refuse: (msg) => resolve({ ok: false, status: 422, headers: new Headers(), json: async () => ({ detail: [{ loc: ["body", "network"], msg }] }) }),
    });
  });
  return calls;
}

function storeAt(request) {
  const store = new Store();
  Object.assign(store.state, { reg, request: structuredClone(request), explanation });
  const heard = [];
  store.addEventListener("change", (e) => heard.push(e.detail.reason));
  return { store, heard };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("an edit's request has left when the views hear that an answer is pending", () => {
  const calls = recordingServer();
  const { store } = storeAt(LECTURE);
  let sentWhenPending = null;
  store.addEventListener("change", (e) => { if (e.detail.reason === "pending") sentWhenPending = calls.length; });
  store.setValue("W:2,0,0", 0.8);
  assert.equal(sentWhenPending, 1);
  assert.equal(calls[0].body.network.layers[1].weights[0][0], 0.8);
});

test("edits made while a request is out go as one request with the latest values, sent before the answer is drawn", async () => {
  const calls = recordingServer();
  const { store, heard } = storeAt(LECTURE);
  store.setValue("W:2,0,0", 0.61); // a drag: the first move goes at once…
  for (const v of [0.62, 0.63, 0.64, 0.65]) store.setValue("W:2,0,0", v); // …the next ones wait for its answer
  assert.equal(calls.length, 1);
  let sentWhenDrawn = null;
  store.addEventListener("change", (e) => { if (e.detail.reason === "response" && sentWhenDrawn === null) sentWhenDrawn = calls.length; });
  calls[0].answer(0.1);
  await tick();
  assert.equal(sentWhenDrawn, 2, "the waiting edits left before the first answer was drawn");
  assert.equal(calls.length, 2, "four edits made while the first request was out went as one");
  assert.equal(calls[1].body.network.layers[1].weights[0][0], 0.65, "the latest value wins");
  assert.equal(store.state.response.loss, 0.1);
  assert.equal(store.state.pending, true, "the answer to the latest edit is still to come");
  calls[1].answer(0.2);
  await tick();
  assert.equal(store.state.response.loss, 0.2);
  assert.equal(store.state.pending, false);
  assert.equal(store.state.sent.network.layers[1].weights[0][0], 0.65);
  assert.equal(heard.filter((r) => r === "response").length, 2);
});

test("a refused request with a newer edit waiting sends that edit instead of showing the error", async () => {
  const calls = recordingServer();
  const { store, heard } = storeAt(LECTURE);
  store.setValue("W:2,0,0", 1e6);
  store.setValue("W:2,0,0", 0.7);
  calls[0].refuse("too large");
  await tick();
  assert.equal(calls.length, 2);
  assert.equal(calls[1].body.network.layers[1].weights[0][0], 0.7);
  assert.ok(!heard.includes("error"), "the error of an edit already replaced is not shown");
  calls[1].answer(0.3);
  await tick();
  assert.equal(store.state.error, null);
  assert.equal(store.state.pending, false);
  // With no newer edit, a refusal is shown (the edit is kept).
  store.setValue("W:2,0,0", 1e6);
  calls[2].refuse("too large");
  await tick();
  assert.match(store.state.error.message, /too large/);
  assert.equal(store.state.request.network.layers[1].weights[0][0], 1e6);
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("an edit answered within the grace is repainted once, with its answer, not first on its own", async () => {
  const calls = recordingServer();
  const { store, heard } = storeAt(LECTURE);
  store.setValue("W:2,0,0", 0.8);
  await tick();
  assert.ok(!heard.includes("request"), "the edit is not shown on its own at once");
  calls[0].answer(0.1);
  await sleep(EDIT_GRACE_MS + 20);
  assert.equal(heard.filter((r) => r === "response").length, 1);
  assert.ok(!heard.includes("request"), "its answer showed it: no repaint of the edit alone");
});

test("an edit whose answer is late is shown on its own once the grace is over", async () => {
  const calls = recordingServer();
  const { store, heard } = storeAt(LECTURE);
  store.setValue("W:2,0,0", 0.8);
  await sleep(EDIT_GRACE_MS / 2);
  assert.ok(!heard.includes("request"));
  await sleep(EDIT_GRACE_MS / 2 + 20);
  assert.equal(heard.filter((r) => r === "request").length, 1, "the typed value shows while its answer is awaited");
  assert.equal(store.state.pending, true);
  calls[0].answer(0.1);
  await tick();
  assert.equal(heard.at(-1), "response");
});

test("an edit queued behind a request (a drag) is shown at the next frame, without waiting for the grace", async () => {
  const calls = recordingServer();
  const { store, heard } = storeAt(LECTURE);
  store.setValue("W:2,0,0", 0.61); // leaves at once: its answer may come within the grace…
  await tick();
  assert.ok(!heard.includes("request"));
  store.setValue("W:2,0,0", 0.62); // …this one waits for that answer: the hand sees it move now
  await tick();
  assert.equal(heard.filter((r) => r === "request").length, 1);
  assert.equal(calls.length, 1);
  calls[0].answer(0.1);
  await sleep(EDIT_GRACE_MS + 20);
  assert.equal(heard.filter((r) => r === "request").length, 1, "the first edit's grace was replaced, not added");
  calls[1].answer(0.2);
  await tick();
  assert.equal(store.state.pending, false);
});
