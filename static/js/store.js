// The page's one source of truth. Views read `store.state`, call its methods, and repaint
// on "change" (event.detail.reason says what changed so cheap views can skip work).
// Recomputing goes through the API: debounced, and only the latest request's answer lands.

import * as api from "./api.js";
import * as edit from "./netedit.js";
import { clampStep, phaseStart } from "./progress.js";

const DEBOUNCE_MS = 120;

export class Store extends EventTarget {
  constructor() {
    super();
    this.state = {
      presets: [],
      presetId: null,
      request: null, // {network, x, y, optimizer}: what the user sees and edits
      optimizerState: null, // sent only after "apply"; reset when the architecture changes
      traceSample: 0,
      response: null, // the last answer that matches a request (kept while the next is pending)
      pending: false,
      error: null, // {message, locs}: shown in the status line and on the element; the edit is kept
      step: 0,
      playing: false,
      speed: 1,
      view: "auto", // auto | weights | grads | both
      highlight: null, // diagram id hovered in the explanation
      editing: null, // diagram id being typed into
    };
    this._seq = 0;
    this._timer = null;
    this._abort = null;
  }

  emit(reason) {
    this.dispatchEvent(new CustomEvent("change", { detail: { reason } }));
  }

  set(patch, reason = "state") {
    Object.assign(this.state, patch);
    this.emit(reason);
  }

  async init(presetId = "lecture") {
    try {
      this.set({ presets: await api.listPresets() }, "presets");
    } catch (err) {
      this.set({ error: { message: err.message } }, "error");
    }
    await this.loadPreset(presetId);
  }

  async loadPreset(id) {
    try {
      const request = await api.getPreset(id);
      this.set({ presetId: id, request, optimizerState: null, traceSample: 0, step: 0, response: null, error: null }, "request");
      this.recompute(0);
    } catch (err) {
      this.set({ error: { message: err.message } }, "error");
    }
  }

  /** The body of the next POST /api/step. */
  body() {
    const { request, optimizerState, traceSample } = this.state;
    const body = { ...request, trace_sample: Math.min(traceSample, request.x.length - 1), dtype: "float64" };
    if (optimizerState) body.optimizer_state = optimizerState;
    return body;
  }

  /** Ask the server again after `delay` ms; a newer call replaces an older one. */
  recompute(delay = DEBOUNCE_MS) {
    clearTimeout(this._timer);
    this.set({ pending: true }, "pending");
    this._timer = setTimeout(() => this._send(), delay);
  }

  async _send() {
    const seq = ++this._seq;
    this._abort?.abort();
    this._abort = new AbortController();
    try {
      const response = await api.step(this.body(), this._abort.signal);
      if (seq !== this._seq) return; // a newer request is on its way: drop this answer
      const step = clampStep(this.state.step, response.trace);
      this.set({ response, pending: false, error: null, step }, "response");
    } catch (err) {
      if (err.name === "AbortError" || seq !== this._seq) return;
      const locs = (err.details || []).map((d) => d.loc || []);
      this.set({ pending: false, error: { message: err.message, locs } }, "error");
    }
  }

  // Edits: the request changes at once (the diagram shows the new value), then recompute.
  _edit(request, { resetOptimizer = false } = {}) {
    const patch = { request };
    if (resetOptimizer) patch.optimizerState = null;
    if (request.x.length <= this.state.traceSample) patch.traceSample = request.x.length - 1;
    this.set(patch, "request");
    this.recompute();
  }

  setParam(ref, value) {
    this._edit(edit.setParam(this.state.request, ref, value, this.state.traceSample));
  }
  setSampleValue(s, ref, value) {
    this._edit(edit.setParam(this.state.request, ref, value, s));
  }
  setUnits(layer, units) {
    this._edit(edit.setUnits(this.state.request, layer, units), { resetOptimizer: true });
  }
  addHiddenLayer() {
    this._edit(edit.addHiddenLayer(this.state.request), { resetOptimizer: true });
  }
  removeHiddenLayer() {
    this._edit(edit.removeHiddenLayer(this.state.request), { resetOptimizer: true });
  }
  setActivation(layer, activation) {
    this._edit(edit.setActivation(this.state.request, layer, activation), { resetOptimizer: true });
  }
  setLoss(loss) {
    this._edit(edit.setLoss(this.state.request, loss), { resetOptimizer: true });
  }
  setOptimizer(patch) {
    const request = { ...this.state.request, optimizer: { ...this.state.request.optimizer, ...patch } };
    this._edit(request, { resetOptimizer: true });
  }
  addSample() {
    this._edit(edit.addSample(this.state.request, this.state.traceSample));
  }
  removeSample(s) {
    this._edit(edit.removeSample(this.state.request, s));
  }
  setTraceSample(s) {
    this.set({ traceSample: s }, "request");
    this.recompute(0);
  }

  /** Can the updated network become the current one? Not after a diverged step. */
  canApply() {
    const { response, pending, error } = this.state;
    return Boolean(response && !response.diverged && !pending && !error);
  }

  /** Take the step: network_after becomes the network, the optimizer keeps its state. */
  apply() {
    if (!this.canApply()) return;
    const { response, request } = this.state;
    const next = { ...request, network: response.network_after };
    this.set({ request: next, optimizerState: response.optimizer_state, step: 0 }, "request");
    this.recompute(0);
  }

  // The player.
  goTo(k) {
    const trace = this.state.response?.trace;
    if (!trace) return;
    this.set({ step: clampStep(k, trace) }, "step");
  }
  next() {
    const trace = this.state.response?.trace;
    if (!trace) return;
    if (this.state.step >= trace.length - 1) this.set({ playing: false }, "step");
    else this.goTo(this.state.step + 1);
  }
  previous() {
    this.goTo(this.state.step - 1);
  }
  jumpToPhase(phase) {
    const trace = this.state.response?.trace;
    if (trace) this.goTo(phaseStart(trace, phase));
  }
  togglePlay() {
    this.set({ playing: !this.state.playing }, "playing");
  }
  setHighlight(ref) {
    if (ref !== this.state.highlight) this.set({ highlight: ref }, "highlight");
  }
}
