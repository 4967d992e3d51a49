// The Train panel's state: the data set, the run's settings, its history and whether it is
// streaming. Like store.js it is an EventTarget that emits "change" (detail.reason says what);
// the train views read `run.state` and call its methods. It reads the page's network from the
// main store and hands a replayed step back to it (store.loadRequest) for the player.
//
// Stateless server: Play streams POST /api/train from the last snapshot (start_step), Pause
// aborts the stream (the server stops), and the next Play re-runs from that snapshot — the
// run is reproducible to the bit, so the curve continues exactly where it was.

import * as api from "./api.js";
import { adaptNetwork, parameterAddresses } from "./train/adapt.js";
import { addLine, createHistory, cutAfter, lastStep, replayPlan, snapshotAtOrBefore } from "./train/history.js";

export const DATASETS = [
  ["xor", "XOR"], ["gaussians", "Two gaussians"], ["circles", "Circles"], ["spiral", "Spiral"],
  ["line", "Line (regression)"], ["sine", "Sine (regression)"], ["table", "My table (CSV)"],
];
// Momentum is SGD with μ = 0.9: the registry has sgd and adam; the panel offers three ways to step.
export const OPTIMIZERS = [["sgd", "SGD"], ["momentum", "Momentum (μ = 0.9)"], ["adam", "Adam"]];
const OPT_BODY = { sgd: { name: "sgd", momentum: 0 }, momentum: { name: "sgd", momentum: 0.9 }, adam: { name: "adam" } };
const WATCH_ALL = 16; // a network with at most this many parameters has every one watched (the server's limit per run)

export class TrainRun extends EventTarget {
  constructor(store) {
    super();
    this.store = store;
    this.state = {
      source: "xor",
      n: 200, noise: 0, seed: 0, testFraction: 0.2,
      table: "x0,x1,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0",
      tableErrors: [],
      dataset: null, // POST /api/data's answer
      dataError: null,
      kind: "sgd",
      lr: { sgd: 0.5, momentum: 0.1, adam: 0.05 }, // one per kind: what suits one misleads another
      batchSize: null, // null = the full training set
      steps: 300,
      runSeed: 0,
      adapted: null, // {network, changes, targets}
      history: createHistory(),
      dataBody: null, // the data object of every run of this history (as /api/data answered it)
      running: false,
      replaying: false, // re-running from a snapshot to open a step in the player
      error: null,
      cursor: null, // the step the scrubber points to; null = the latest
      param: null, // the watched parameter shown in the internals chart
      compare: null, // {address, runs: [{kind, history}], running}
    };
    this._abort = null;
    this._dataAbort = null;
    this._dataSeq = 0;
  }

  emit(reason) {
    this.dispatchEvent(new CustomEvent("change", { detail: { reason } }));
  }

  set(patch, reason = "state") {
    Object.assign(this.state, patch);
    this.emit(reason);
  }

  /** Change the data set or its settings: fetch it again and start a fresh history. */
  async setData(patch, table = null) {
    this.stop();
    Object.assign(this.state, patch);
    const seq = ++this._dataSeq;
    this._dataAbort?.abort();
    this._dataAbort = new AbortController();
    const { signal } = this._dataAbort;
    const s = this.state;
    let body;
    if (s.source === "table") {
      table ??= this._table;
      this._table = table;
      if (!table) return this.set({ dataset: null, history: createHistory(), cursor: null }, "data");
      body = { x: table.x, y: table.y, seed: s.seed };
    } else {
      body = { name: s.source, n: s.n, noise: s.noise, seed: s.seed };
    }
    body.test_fraction = s.testFraction;
    this.set({ dataError: null, history: createHistory(), cursor: null, compare: null }, "data");
    try {
      let dataset = await api.data(body, signal);
      if (seq !== this._dataSeq) return;
      this._adapt(dataset);
      // Cross-entropy wants class indices: ask again in that shape (a table's whole-number targets become classes).
      if (this.state.adapted.targets === "classes" && dataset.task === "classification") {
        body = s.source === "table" ? { ...body, y: table.y.map((r) => r[0]) } : { ...body, targets: "classes" };
        dataset = await api.data(body, signal);
        if (seq !== this._dataSeq) return;
      }
      delete body.test_fraction;
      this.state.dataBody = body; // the data object every run of this history trains on
      this.set({ dataset }, "data");
    } catch (err) {
      if (err.name === "AbortError" || seq !== this._dataSeq) return;
      this.set({ dataset: null, dataError: err.message }, "data");
    }
  }

  _adapt(dataset) {
    const name = DATASETS.find(([id]) => id === this.state.source)?.[1] ?? "the data";
    const net = this.store.state.request.network;
    const adapted = adaptNetwork(net, { inputs: dataset.inputs, task: dataset.task, classes: dataset.classes, label: name.replace(/ \(.*\)$/, "") });
    const addresses = parameterAddresses(adapted.network);
    const param = addresses.includes(this.state.param) ? this.state.param : addresses[0];
    this.state.adapted = adapted;
    this.state.param = param;
  }

  /** The page's network changed (Build panel, preset): the next run trains it, from a fresh history. */
  networkChanged() {
    if (this.state.dataset || this.state.dataError) this.setData({});
  }

  /** The optimizer's body with every registry hyper-parameter (defaults where not set). */
  optimizer(kind = this.state.kind) {
    const opt = { ...OPT_BODY[kind], lr: this.state.lr[kind] };
    for (const hp of this.store.state.reg?.optimizers.get(opt.name)?.hyper ?? []) opt[hp.key] ??= structuredClone(hp.default);
    return opt;
  }

  watchList() {
    const all = parameterAddresses(this.state.adapted.network);
    return all.length <= WATCH_ALL ? all : [this.state.param];
  }

  _body(from, steps, extra = {}) {
    const s = this.state;
    const body = {
      network: from?.network ?? s.adapted.network,
      data: s.dataBody,
      test_fraction: s.testFraction,
      optimizer: this.optimizer(),
      steps,
      batch_size: s.batchSize,
      seed: s.runSeed,
      start_step: from?.step ?? 0,
      snapshot_every: Math.max(1, Math.round(s.steps / 50)),
      watch: this.watchList(),
      grid: s.dataset.inputs === 2 ? 32 : s.dataset.inputs === 1 ? 64 : 0,
      ...extra,
    };
    if (from?.optimizer_state) body.optimizer_state = from.optimizer_state;
    return body;
  }

  get canTrain() {
    return Boolean(this.state.dataset && this.state.adapted && !this.state.running);
  }

  /** Play: stream until the run has `steps` steps (or one more, for Step). */
  async play(untilStep = this.state.steps) {
    if (!this.canTrain) return;
    const h = this.state.history;
    if (!h.snapshots.length) this._adapt(this.state.dataset); // a fresh run trains the page's network as it is now
    // Resume from the last snapshot: steps after it (a paused stream's tail) are run again, identically.
    const from = h.snapshots.at(-1) ?? null;
    if (from) cutAfter(h, from.step);
    const steps = untilStep - (from?.step ?? 0);
    if (steps < 1 || h.diverged !== null) return;
    this._abort = new AbortController();
    const { signal } = this._abort;
    this.set({ running: true, error: null, cursor: null }, "running");
    let pending = false;
    const flush = () => { pending = false; this.emit("progress"); };
    try {
      await api.train(this._body(from, steps), signal, (line) => {
        const kind = addLine(h, line);
        if (kind === "snapshot" || kind === "done") this.emit(kind);
        else if (!pending) { pending = true; requestAnimationFrame(flush); } // one repaint per frame
      });
    } catch (err) {
      if (err.name !== "AbortError") this.set({ error: err.message }, "error");
    } finally {
      if (this._abort?.signal === signal) this._abort = null;
      this.set({ running: false }, "running");
    }
  }

  /** One click: a preset's network in the page (e.g. "deep-sigmoid", vanishing gradients), trained on this data at once. */
  async example(presetId) {
    this.stop();
    await this.store.loadPreset(presetId);
    if (this.store.state.presetId !== presetId) return; // it did not load: the status line says why
    await this.setData({}); // the network adapted to the data set chosen, a fresh history
    await this.play();
  }

  /** Step: one more step (one batch). */
  stepOnce() {
    return this.play(lastStep(this.state.history) + 1);
  }

  /** Pause: end the stream (the server stops computing). */
  stop() {
    this._abort?.abort();
    this._abort = null;
  }

  /** Reset: back to the initial network, no history. */
  reset() {
    this.stop();
    this.set({ history: createHistory(), cursor: null, error: null, compare: null, running: false }, "data");
  }

  /** Point the scrubber at step k (null follows the latest). */
  scrub(k) {
    const last = lastStep(this.state.history);
    this.set({ cursor: k === null || k >= last ? null : Math.max(0, k) }, "cursor");
  }

  /** The step the scrubber shows, and the snapshot drawn for it. */
  shown() {
    const h = this.state.history;
    const step = this.state.cursor ?? lastStep(h);
    return { step, snapshot: snapshotAtOrBefore(h, step) };
  }

  /**
   * Open step k in the player: the network and optimizer state after k − 1 steps (replayed
   * from the nearest snapshot when none is at k − 1) and step k's batch, as the page's request.
   */
  async openStep(k) {
    const plan = replayPlan(this.state.history, k);
    if (!plan) return;
    let { network, optimizer_state: optimizerState, next_batch: batch, dead } = plan.from;
    if (plan.gap > 0) {
      let done = null;
      this.set({ replaying: true }, "running");
      try {
        await api.train(this._body(plan.from, plan.gap, { snapshot_every: plan.gap, grid: 0, watch: [] }), undefined, (line) => {
          if (line.done) done = line;
          if (line.snapshot) dead = line.snapshot.dead; // the last one is of the network opened
        });
      } catch (err) {
        this.set({ error: err.message, replaying: false }, "error");
        return;
      }
      this.set({ replaying: false }, "running");
      if (!done) return;
      ({ network, optimizer_state: optimizerState, next_batch: batch } = done);
    }
    const { x, y } = this.state.dataset;
    const request = { network, x: batch.map((i) => x[i]), y: batch.map((i) => y[i]), optimizer: this.optimizer() };
    this.opened = request.network; // not a new network for this panel: its history stays
    // "Dead" in the diagram then means: over the whole training set (the server's verdict), not this batch.
    const deadOver = dead ? { dead, samples: this.state.dataset.train.length } : null;
    this.store.loadRequest(request, { optimizerState: optimizerState ?? null, deadOver });
    this.store.set({ viewTab: "diagram" }, "tab");
  }

  /** SGD, momentum and Adam from the same initial weights, side by side, watching `address`. */
  async compare(address = this.state.param) {
    if (!this.canTrain) return;
    const first = this.state.history.snapshots[0] ?? null; // the initial weights of the run shown
    const runs = OPTIMIZERS.map(([kind]) => ({ kind, history: createHistory() }));
    this._abort = new AbortController();
    const { signal } = this._abort;
    this.set({ compare: { address, runs, running: true }, running: true, error: null }, "compare");
    try {
      for (const run of runs) {
        const body = this._body(first && first.step === 0 ? first : null, this.state.steps, {
          optimizer: this.optimizer(run.kind), watch: [address], grid: 0, snapshot_every: this.state.steps,
        });
        if (first?.step === 0) delete body.optimizer_state;
        await api.train(body, signal, (line) => { addLine(run.history, line); });
        this.emit("compare");
      }
    } catch (err) {
      if (err.name !== "AbortError") this.set({ error: err.message }, "error");
    } finally {
      if (this.state.compare) this.state.compare.running = false; // (Reset may have cleared it)
      this.set({ running: false }, "compare");
    }
  }
}
