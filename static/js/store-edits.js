// The store's edits of the network, the optimizer and the batch: each makes the new request
// (netedit.js) and hands it to the store's _edit, which sends it and shows it. Mixed into
// Store's prototype by store.js.

import * as edit from "./netedit.js";

export const editActions = {
  /** Set the number at an address (W, b, x, y or c of the traced sample…). */
  setValue(address, value) {
    this._edit(edit.setValue(this.state.reg, this.state.request, address, value));
  },
  setUnits(layer, units) {
    this._reshape(edit.setUnits(this.state.reg, this.state.request, layer, units));
  },
  addHiddenLayer() {
    this._reshape(edit.addHiddenLayer(this.state.reg, this.state.request));
  },
  removeHiddenLayer() {
    this._reshape(edit.removeHiddenLayer(this.state.reg, this.state.request));
  },
  setActivation(layer, activation) {
    this._reshape(edit.setActivation(this.state.reg, this.state.request, layer, activation));
  },
  setLoss(loss) {
    this._reshape(edit.setLoss(this.state.reg, this.state.request, loss));
  },
  // A new structure: a shape seen before gets its weights back; new weights are never silent.
  _reshape(request) {
    const { request: shown, message } = this._shapes.reshape(this.state.request, request);
    this._edit(shown, { structural: true, resetOptimizer: true });
    if (message) this.set({ notice: { kind: "info", text: message } }, "notice");
  },
  setOptimizer(patch) {
    const optimizer = { ...this.state.request.optimizer, ...patch };
    // Every hyper-parameter the optimizer has, at its default unless set: the formulas show them all.
    for (const hp of this.state.reg.optimizers.get(optimizer.name).hyper) optimizer[hp.key] ??= structuredClone(hp.default);
    const request = { ...this.state.request, optimizer };
    this._edit(request, { structural: true, resetOptimizer: true });
  },
  addSample() {
    this._edit(edit.addSample(this.state.reg, this.state.request, this.state.traceSample), { structural: true });
  },
  removeSample(s) {
    this._edit(edit.removeSample(this.state.request, s), { structural: true });
  },
  setTraceSample(s) {
    this._restructure({ traceSample: s });
  },
};
