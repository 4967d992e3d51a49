// The page's one source of truth. Views read `store.state`, call its methods, and repaint
// on "change" (event.detail.reason says what changed so cheap views can skip work).
//
// Recomputing goes through the API, throttled to the server's speed: an edit is sent at
// once; edits that come while a request is out (a drag) wait for its answer and then go as
// one, the latest. Answers to the current structure are shown as they come; the
// explanation is fetched only when the answer's explain_key says the structure changed.

import * as api from "./api.js";
import { clampStep, phaseStart } from "./progress.js";
import { indexRegistry } from "./registry.js";
import { ShapeMemory } from "./shapememory.js";
import { editActions } from "./store-edits.js";
import { torchActions } from "./store-torch.js";

const BUSY_RETRIES = 3;
// An edit whose request leaves at once waits this long for its answer before it is shown on
// its own: an answer within it shows the edit and its consequences in one repaint, not two
// (the page's goal for Enter → every view repainted is 50 ms).
export const EDIT_GRACE_MS = 40;

export class Store extends EventTarget {
  constructor() {
    super();
    this.state = {
      reg: null, // indexRegistry(GET /api/registry)
      presets: [],
      presetId: null,
      request: null, // {network, x, y, optimizer}: what the user sees and edits
      optimizerState: null, // sent only after "apply"; reset when the architecture changes
      traceSample: 0,
      response: null, // the last answer for the current structure (kept while the next is pending)
      sent: null, // the body that answer answers: its numbers are the "request" half of every address
      explanation: null, // {key, symbols, steps}: the player's steps for the answer's structure
      pending: false,
      error: null, // {message, locs}: shown in the status line and on the element; the edit is kept
      step: 0,
      playing: false,
      speed: 1,
      view: "auto", // auto | weights | grads | both
      highlight: null, // diagram id hovered in the explanation
      editing: null, // diagram id being typed into
      gradBefore: null, // {parameter address: .grad} left by earlier backward passes (no zero_grad yet)
      noGrad: false, // an inference-only run: torch.no_grad(), no graph, no gradients
      selectedParam: null, // a parameter tensor picked in the autograd graph ("W:1"), shown in every view
      focus: null, // a diagram element picked by a click or Enter in any view ("L1W0_2"), marked in every view
      hoverTensor: null, // a whole tensor hovered in a PyTorch view ("W:1", "n:2", "x": linking.js), marked in every view
      beside: false, // a PyTorch view shares the stage with the diagram (wide screens: views/beside.js)
      lossHistory: [], // the loss after each "Apply update" in a row (reset by any other edit): a growing loss is warned of
      deadOver: null, // {network, dead, samples}: a training snapshot's dead units over its training set, while that network is shown
    };
    this._dirty = false; // the request changed since the last one was sent
    this._inflight = false;
    this._epoch = 0; // bumped by edits that change the structure: older answers are dropped
    this._answers = 0; // answers shown so far: an edit whose answer came first needs no repaint of its own
    this._abort = null;
    this._shapes = new ShapeMemory(); // the weights of each structure seen since the preset was loaded
  }

  emit(reason) {
    this.dispatchEvent(new CustomEvent("change", { detail: { reason } }));
  }

  set(patch, reason = "state") {
    Object.assign(this.state, patch);
    this.emit(reason);
  }

  /** The number at an address of the shown answer (inputs and hyper-parameters from the body it answers). */
  value(address) {
    const { reg, sent, response } = this.state;
    return reg && response ? reg.addresses.get({ request: sent, response }, address) : undefined;
  }

  /** The diagram element an address lives in. */
  element(address) {
    return address == null ? null : this.state.reg?.addresses.element(address) ?? null;
  }

  get steps() {
    return this.state.explanation?.steps ?? [];
  }

  /** Load the registry, then a preset, or `start` — loadRequest's arguments (a link's saved state). */
  async init(presetId = "lecture", start = null) {
    try {
      const reg = indexRegistry(await api.registry());
      this.set({ reg, presets: await api.listPresets() }, "presets");
    } catch (err) {
      this.set({ error: { message: err.message } }, "error");
      return;
    }
    if (start) this.loadRequest(...start);
    else await this.loadPreset(presetId);
  }

  async loadPreset(id) {
    this._shapes.clear();
    try {
      this.loadRequest(await api.getPreset(id), { presetId: id });
    } catch (err) {
      this.set({ error: { message: err.message } }, "error");
    }
  }

  /**
   * Show a whole request (from a link, a file, a training snapshot…): network, x, y,
   * optimizer, and optionally the optimizer state, the traced sample and the player's step.
   * `presetId` is null unless the request is a preset's; `deadOver` ({dead, samples}) the server's
   * dead units of this network over a training set (a snapshot's), shown until the network changes.
   */
  loadRequest(request, { optimizerState = null, traceSample = 0, step = 0, presetId = null, deadOver = null } = {}) {
    const sample = Math.max(0, Math.min(traceSample, request.x.length - 1));
    this._applied = false;
    this._restructure({ presetId, request, optimizerState, traceSample: sample, step, response: null, sent: null, error: null, gradBefore: null, selectedParam: null, focus: null, lossHistory: [],
      deadOver: deadOver ? { ...deadOver, network: request.network } : null });
  }

  /** The body of the next POST /api/step. */
  body() {
    const { request, optimizerState, traceSample } = this.state;
    const body = { ...request, trace_sample: Math.min(traceSample, request.x.length - 1), dtype: "float64" };
    if (optimizerState) body.optimizer_state = optimizerState;
    if (this.state.gradBefore) body.grad_before = this.state.gradBefore;
    if (this.state.noGrad) body.no_grad = true;
    return body;
  }

  // A change of what the next request is (not of a number in it): older answers are dropped,
  // the patch shown, and the server asked again.
  _restructure(patch) {
    this._newStructure();
    this.set(patch, "request");
    this.recompute();
  }

  // Answers to requests sent before a structural edit no longer fit the page: drop them.
  _newStructure() {
    this._epoch += 1;
    this._abort?.abort();
    this._inflight = false;
  }

  /** Ask the server again: now, or as soon as the request that is out has its answer. */
  recompute() {
    this._dirty = true;
    // The request leaves first (its body is built before _pump's first await), then the
    // views hear "pending": their work overlaps the server's instead of delaying it.
    if (!this._inflight) this._pump();
    if (!this.state.pending) this.set({ pending: true }, "pending");
  }

  // One request out at a time. When its answer comes, the edits made meanwhile leave at once,
  // as one request (the latest values), before the answer is drawn: a drag keeps the server
  // busy while the page repaints, instead of waiting for the repaint.
  async _pump() {
    if (!this._dirty || this._inflight) return;
    this._dirty = false;
    this._inflight = true;
    const epoch = this._epoch;
    const body = this.body();
    this._abort = new AbortController();
    const { signal } = this._abort;
    try {
      const response = await api.step(body, signal);
      let explanation = this.state.explanation;
      if (explanation?.key !== response.explain_key) explanation = await api.explain(body, signal);
      if (epoch !== this._epoch) return; // a structural edit came meanwhile: its own request is on its way
      this._inflight = false;
      this._pump();
      const newer = this._inflight; // an edit made meanwhile is on its way: still pending
      this._answers += 1;
      this._retries = 0;
      const step = clampStep(this.state.step, explanation.steps);
      const lossHistory = this._applied ? [...this.state.lossHistory, response.loss].slice(-20) : this.state.lossHistory;
      this._applied = false;
      this.set({ response, sent: body, explanation, step, lossHistory, pending: newer, error: newer ? this.state.error : null }, "response");
    } catch (err) {
      if (epoch !== this._epoch || err.name === "AbortError") return;
      this._inflight = false;
      if (this._dirty) this._pump();
      else {
        const locs = (err.details || []).map((d) => d.loc || []);
        // A busy server (503): asked again after its Retry-After, up to BUSY_RETRIES times.
        const wait = err.retryAfter || 1;
        const retry = err.status === 503 && (this._retries = (this._retries ?? 0) + 1) <= BUSY_RETRIES;
        const message = retry ? `${err.message} — trying again in ${wait} s (${this._retries} of ${BUSY_RETRIES})` : err.message;
        this.set({ pending: false, error: { message, locs, busy: err.status === 503 } }, "error");
        if (retry) setTimeout(() => epoch === this._epoch && !this._inflight && this.recompute(), wait * 1000);
      }
    }
  }

  // Edits: the request changes at once and goes to the server, then the views show the new
  // value (repainting first would hold the request back by a whole repaint).
  _edit(request, { structural = false, resetOptimizer = false } = {}) {
    if (structural) this._newStructure();
    this._applied = false;
    const patch = { request, lossHistory: [] };
    if (resetOptimizer) Object.assign(patch, { optimizerState: null, gradBefore: null, selectedParam: null, focus: null });
    if (request.x.length <= this.state.traceSample) patch.traceSample = request.x.length - 1;
    Object.assign(this.state, patch);
    const queued = this._inflight; // its request waits for the answer that is out (a drag)
    this.recompute();
    this._showEdit(queued ? 0 : EDIT_GRACE_MS);
  }

  // The views show an edit at the next frame after `grace` ms — unless its answer came first
  // and showed it already: a fast server then costs one repaint per edit, not two. An edit
  // queued behind another request (a drag) is shown at the next frame: its answer is further off.
  _showEdit(grace = 0) {
    if (this._editShow) {
      if (grace > 0 || !this._editShow.waiting) return; // already due as soon
      clearTimeout(this._editShow.timer);
    }
    const shownBefore = this._answers;
    const show = () => {
      this._editShow = null;
      if (this._answers === shownBefore || this.state.pending) this.emit("request");
    };
    const frame = () => {
      this._editShow = { waiting: false };
      if (typeof requestAnimationFrame === "function") requestAnimationFrame(show);
      else setTimeout(show, 0);
    };
    if (grace > 0) this._editShow = { waiting: true, timer: setTimeout(frame, grace) };
    else frame();
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
    const lossHistory = this.state.lossHistory.length ? this.state.lossHistory : [response.loss];
    this._applied = true;
    this._restructure({ request: next, optimizerState: response.optimizer_state, step: 0, gradBefore: null, lossHistory });
  }

  // The player.
  goTo(k) {
    if (!this.steps.length) return;
    this.set({ step: clampStep(k, this.steps) }, "step");
  }
  next() {
    if (!this.steps.length) return;
    if (this.state.step >= this.steps.length - 1) this.set({ playing: false }, "step");
    else this.goTo(this.state.step + 1);
  }
  previous() {
    this.goTo(this.state.step - 1);
  }
  jumpToPhase(phase) {
    if (this.steps.length) this.goTo(phaseStart(this.steps, phase));
  }
  togglePlay() {
    this.set({ playing: !this.state.playing }, "playing");
  }
}

// The edits of the network, the optimizer and the batch: store-edits.js.
Object.assign(Store.prototype, editActions);
// The PyTorch side's actions (freezing, .grad accumulation, no_grad) and what is pointed at
// (highlight, hovered tensor, selection): store-torch.js.
Object.assign(Store.prototype, torchActions);
