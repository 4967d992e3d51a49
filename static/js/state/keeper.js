// The page's kept state: the link in the address bar, undo/redo, Reset, files and snapshots.
//
// The link is rewritten (history.replaceState, never pushState) when an edit has its answer
// or a view option changes and then nothing else for WRITE_MS, when the page is idle: a drag
// writes once, when the hand stops, and never between an answer and its repaint.
// An edit becomes an undo step once it has settled (SETTLE_MS without a new answer), so a
// drag is one step. Messages go to store.state.notice (views/notice.js shows them).

import * as api from "../api.js";
import { StateError } from "./codec.js";
import { UndoHistory } from "./history.js";
import { fromFragment, toFragment } from "./link.js";
import { capture, loadArgs, parseFile, toFileText, viewPatch } from "./saved.js";
import { Snapshots } from "./snapshots.js";

const WRITE_MS = 300;
const SETTLE_MS = 350;
// Changes that the link records (the request's own changes arrive as "response").
const VIEW_REASONS = new Set(["step", "view", "theme", "present", "panel", "tab", "classroom"]);
const TYPING = "input, select, textarea, [contenteditable]";
// The link and the undo step are work nobody waits for: done when the page is idle (after the
// answer has been drawn), or at the latest IDLE_MS later.
const IDLE_MS = 500;
const whenIdle = (fn) => (typeof requestIdleCallback === "function" ? requestIdleCallback(fn, { timeout: IDLE_MS }) : setTimeout(fn, 0));
// Nor is it done while an answer is awaited: the page looks idle then, but the answer would
// wait for it. That answer (or its error) schedules the write and the undo step again.
const awaited = (store) => Boolean(store.state.pending);

/** The saved state in the page's link, as {patch of store.state, start: loadRequest's arguments}; null if none. */
export async function readLink(storage = localStorage) {
  if (!location.hash.startsWith("#v")) return null;
  try {
    const { saved, missingOptimizer } = await fromFragment(location.hash, storage);
    const notice = missingOptimizer
      ? { kind: "info", text: "This link's optimizer state was kept on the computer that made it: the optimizer starts afresh here." }
      : null;
    return { patch: viewPatch(saved.view), start: loadArgs(saved), notice };
  } catch (err) {
    const why = err instanceof StateError ? err.message : String(err.message ?? err);
    return { patch: {}, start: null, notice: { kind: "error", text: `The link's state could not be read: ${why}. Showing the preset instead.` } };
  }
}

export class Keeper {
  constructor(store, storage = localStorage) {
    this.store = store;
    this.storage = storage;
    this.history = new UndoHistory();
    this.snapshots = new Snapshots(storage);
    this._writeTimer = null;
    this._settleTimer = null;
    this._writing = false;
    store.addEventListener("change", (e) => this._changed(e.detail.reason));
    document.addEventListener("keydown", (e) => this._key(e));
    // A link pasted into this tab's address bar: show it (our own replaceState fires no hashchange).
    addEventListener("hashchange", () => this.openLink());
  }

  notify(text, kind = "info") {
    this.store.set({ notice: text ? { text, kind } : null }, "notice");
  }

  _changed(reason) {
    if (reason === "response" || reason === "error") {
      clearTimeout(this._settleTimer);
      const timer = setTimeout(() => whenIdle(() => this._settleTimer === timer && !awaited(this.store) && this._settle()), SETTLE_MS);
      this._settleTimer = timer;
      this._scheduleWrite();
    } else if (VIEW_REASONS.has(reason)) {
      this._scheduleWrite();
    }
  }

  // The edit has settled: it is one undo step (unless it is the state undo just showed).
  _settle() {
    clearTimeout(this._settleTimer);
    this._settleTimer = null;
    this._mark();
    if (!this.store.state.request) return;
    this.history.record(capture(this.store.state).request);
    this.store.emit("history"); // undo and redo may have become possible
  }

  // A hook for tests and tools: <html data-link-pending> while an undo step or a link write is due.
  _mark() {
    const due = Boolean(this._writeTimer || this._settleTimer || this._writing);
    document.documentElement.toggleAttribute("data-link-pending", due);
  }

  // The link is written once changes pause for WRITE_MS (a drag writes once, when it stops),
  // at an idle moment: rewriting a long link costs the page several milliseconds each time.
  _scheduleWrite() {
    clearTimeout(this._writeTimer);
    const timer = setTimeout(() => whenIdle(async () => {
      if (this._writeTimer !== timer) return; // a later change has its own write coming
      if (awaited(this.store)) return; // the answer's "response" schedules it again
      this._writeTimer = null;
      this._writing = true;
      try {
        await this.writeLink();
      } catch (err) {
        this.notify(`The link could not be updated: ${err.message}`, "error");
      } finally {
        this._writing = false;
        this._mark();
      }
    }), WRITE_MS);
    this._writeTimer = timer;
    this._mark();
  }

  /** Put the state in the address bar now; resolves to the link. */
  async writeLink() {
    if (!this.store.state.request) return location.href;
    const fragment = await toFragment(capture(this.store.state), this.storage);
    if (location.hash.slice(1) !== fragment) history.replaceState(history.state, "", `#${fragment}`);
    return location.href;
  }

  /** Show the state of the link now in the address bar (after a hashchange). */
  async openLink() {
    const link = await readLink(this.storage);
    if (!link) return;
    if (link.start) this._show(link.start, link.patch);
    this.notify(link.notice?.text ?? null, link.notice?.kind);
  }

  // Show a saved state: its request, and its view options.
  _show([request, options], patch = {}) {
    const { presetId, step, ...view } = patch;
    if (Object.keys(view).length) this.store.set(view, "restore");
    if ("viewTab" in view) this.store.emit("tab");
    this.store.loadRequest(request, options);
  }

  get canUndo() {
    return this.history.canUndo || this._settleTimer !== null;
  }

  get canRedo() {
    return this.history.canRedo && this._settleTimer === null;
  }

  undo() {
    if (this._settleTimer) this._settle(); // an edit not yet recorded is the one to undo
    this._restore(this.history.undo());
  }

  redo() {
    this._restore(this.history.redo());
  }

  _restore(request) {
    if (!request) return;
    const { presetId, step } = this.store.state;
    const [req, options] = loadArgs({ request: structuredClone(request), view: {} });
    this.store.loadRequest(req, { ...options, presetId, step });
    this.store.emit("history");
  }

  /** Back to the preset the network came from (an undo step like any edit). */
  reset() {
    this._settle();
    this.store.loadPreset(this.store.state.presetId ?? "lecture");
  }

  /** The state as a file's text and name. */
  fileText() {
    return toFileText(capture(this.store.state));
  }

  /** Read a file (its text), have the server check its request, then show it; a bad file changes nothing. */
  async loadText(text, name = "the file") {
    let saved;
    try {
      saved = parseFile(text);
    } catch (err) {
      this.notify(`Could not load ${name}: ${err.message}`, "error");
      return false;
    }
    try {
      await api.step({ ...saved.request, dtype: "float64" });
    } catch (err) {
      const detail = err.status === 422 ? `the server refused its request: ${err.message}` : err.message;
      this.notify(`Could not load ${name}: ${detail}.`, "error");
      return false;
    }
    this._settle();
    const [request, options] = loadArgs(saved);
    this._show([request, options], viewPatch(saved.view));
    this.notify(`Loaded ${name}.`);
    return true;
  }

  saveSnapshot(name) {
    try {
      const key = this.snapshots.save(name, capture(this.store.state));
      this.notify(`Snapshot “${key}” saved in this browser.`);
      this.store.emit("snapshots");
    } catch (err) {
      this.notify(`Could not save the snapshot: ${err.message}`, "error");
    }
  }

  openSnapshot(name) {
    const saved = this.snapshots.open(name);
    if (!saved) return this.notify(`No snapshot “${name}” in this browser.`, "error");
    this._settle();
    this._show(loadArgs(saved), viewPatch(saved.view));
    this.notify(`Opened snapshot “${name}”.`);
  }

  deleteSnapshot(name) {
    this.snapshots.remove(name);
    this.store.emit("snapshots");
    this.notify(`Snapshot “${name}” deleted.`);
  }

  // Ctrl+Z undo, Ctrl+Shift+Z and Ctrl+Y redo; a text field keeps its own undo.
  _key(e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.target.closest?.(TYPING)) return;
    const k = e.key.toLowerCase();
    if (k === "z" && !e.shiftKey) this.undo();
    else if ((k === "z" && e.shiftKey) || k === "y") this.redo();
    else return;
    e.preventDefault();
  }
}
