// The graph's switches, each explained in one sentence: backward() again without zero_grad()
// (gradients add up in .grad), freezing a layer's W or β (requires_grad=False: no AccumulateGrad
// leaf, no update), and an inference-only run under torch.no_grad() (no graph, no gradient).

import { h, setText } from "./dom.js";

export function mountGraphControls(root, store) {
  const passes = h("span", { class: "ctl-state", "data-grad-passes": "" });
  const accumulate = h("button", { type: "button", "data-control": "accumulate", onclick: () => { count += 1; store.accumulate(); } }, "backward() again, no zero_grad()");
  const zero = h("button", { type: "button", "data-control": "zero-grad", onclick: () => store.zeroGrad() }, "zero_grad()");
  const noGrad = h("input", { type: "checkbox", "data-control": "no-grad", onchange: () => store.setNoGrad(noGrad.checked) });
  const freezes = h("span", { class: "ctl-freezes" });
  let count = 1; // backward passes summed in the .grad shown
  let freezeKey = null;

  root.append(
    h("div", { class: "ctl" },
      h("div", { class: "ctl-row" }, accumulate, zero, passes),
      h("p", { class: "ctl-why" }, "Without optimizer.zero_grad(), another loss.backward() adds its gradient to what .grad already holds: run it twice and every ∂L/∂w doubles.")),
    h("div", { class: "ctl" },
      h("div", { class: "ctl-row" }, h("span", { text: "Freeze:" }), freezes),
      h("p", { class: "ctl-why" }, "A frozen tensor has requires_grad=False: autograd leaves it out of the graph (no AccumulateGrad leaf) and the optimizer does not move it.")),
    h("div", { class: "ctl" },
      h("label", { class: "ctl-row" }, noGrad, "Inference only: with torch.no_grad()"),
      h("p", { class: "ctl-why" }, "Under torch.no_grad() the forward pass records no graph: you get the prediction and the loss, but no gradient and no step.")),
  );

  function paintFreezes() {
    const layers = store.state.request.network.layers;
    const key = JSON.stringify(layers.map((l) => [l.freeze_weights, l.freeze_biases]));
    if (key === freezeKey) return;
    freezeKey = key;
    freezes.replaceChildren(...layers.flatMap((layer, k) => [["W", "freeze_weights", "W"], ["b", "freeze_biases", "β"]].map(([kind, field, sym]) => {
      const box = h("input", { type: "checkbox", "data-freeze": `${kind}:${k + 1}` });
      box.checked = Boolean(layer[field]);
      box.addEventListener("change", () => store.setFrozen(k + 1, kind, box.checked));
      return h("label", { class: "ctl-freeze" }, box, `${sym} of layer ${k + 1}`);
    })));
  }

  function paint() {
    const { request, response, gradBefore, noGrad: off, pending } = store.state;
    if (!request) return;
    if (!gradBefore) count = 1;
    noGrad.checked = off;
    accumulate.disabled = off || !response || pending;
    zero.disabled = !gradBefore;
    setText(passes, off ? "no .grad under no_grad" : count === 1 ? ".grad = one backward pass" : `.grad = ${count} backward passes added up`);
    paintFreezes();
  }

  store.addEventListener("change", (e) => {
    // Not on "pending": the controls follow the edit when it is shown (as the player's Apply does).
    if (!["highlight", "editing", "playing", "pending"].includes(e.detail.reason)) paint();
  });
}
