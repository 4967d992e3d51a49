// The store's actions for the PyTorch side of the story (requires_grad, .grad accumulation,
// torch.no_grad()) and for what the views point at (a hovered element or tensor, a selected
// parameter or element, marked in every view). Mixed into Store's prototype by store.js.

import * as edit from "./netedit.js";

export const torchActions = {
  /** Freeze (requires_grad=False) or unfreeze the weights ("W") or the biases ("b") of layer l (from 1). */
  setFrozen(layer, kind, frozen) {
    const request = structuredClone(this.state.request);
    request.network.layers[layer - 1][kind === "W" ? "freeze_weights" : "freeze_biases"] = frozen;
    // A frozen tensor has no .grad to accumulate into.
    if (frozen && this.state.gradBefore) {
      const { [`${kind}:${layer}`]: _, ...rest } = this.state.gradBefore;
      this.state.gradBefore = rest;
    }
    this._edit(request, { structural: true });
  },

  /** backward() again without zero_grad(): the .grad this answer shows is kept and the next backward adds to it. */
  accumulate() {
    const { response, request } = this.state;
    if (!response || this.state.noGrad) return;
    this._restructure({ gradBefore: edit.gradsOf(request, response) });
  },

  /** optimizer.zero_grad(): the next backward starts from zero again. */
  zeroGrad() {
    if (!this.state.gradBefore) return;
    this._restructure({ gradBefore: null });
  },

  /** An inference-only run (torch.no_grad()) or a training step again. */
  setNoGrad(on) {
    this._restructure({ noGrad: Boolean(on), gradBefore: null });
  },

  /** Pick a parameter tensor ("W:1", "b:2") to show in every view, or none. */
  selectParam(address) {
    if (address !== this.state.selectedParam) this.set({ selectedParam: address }, "highlight");
  },

  setHighlight(ref) {
    if (ref !== this.state.highlight || this.state.hoverTensor !== null) this.set({ highlight: ref, hoverTensor: null }, "highlight");
  },

  /** A whole tensor hovered in a PyTorch view ("W:1", "n:2": linking.js), or none. */
  setHoverTensor(key) {
    if (key !== this.state.hoverTensor || this.state.highlight !== null) this.set({ hoverTensor: key, highlight: null }, "highlight");
  },

  /** Select a diagram element ("L1W0_2") in every view, or none (null). */
  focusOn(ref) {
    if (ref !== this.state.focus) this.set({ focus: ref }, "highlight");
  },
};
