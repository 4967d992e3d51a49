// Undo and redo of edits: two stacks of whole states (a state is small: one request).
// `record(next)` is called when an edit has settled; undo/redo hand back the state to show
// and take the one shown now. Pure: no DOM.

export class UndoHistory {
  constructor(limit = 100) {
    this.limit = limit;
    this.past = [];
    this.future = [];
    this.current = null; // the state the page shows, as last recorded
  }

  /** The page now shows `state`; a different one from the last becomes an undo step. */
  record(state) {
    if (this.current !== null && same(this.current, state)) return false;
    if (this.current !== null) {
      this.past.push(this.current);
      if (this.past.length > this.limit) this.past.shift();
      this.future = [];
    }
    this.current = state;
    return true;
  }

  get canUndo() {
    return this.past.length > 0;
  }

  get canRedo() {
    return this.future.length > 0;
  }

  /** The state before the current one (null if none); it becomes the current one. */
  undo() {
    if (!this.canUndo) return null;
    this.future.push(this.current);
    this.current = this.past.pop();
    return this.current;
  }

  /** The state undone last (null if none); it becomes the current one. */
  redo() {
    if (!this.canRedo) return null;
    this.past.push(this.current);
    this.current = this.future.pop();
    return this.current;
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
