// The "Build" side panel, network part: units of every layer (+/−), each layer's
// activation φ, hidden layers added or removed, the loss, the optimizer and its ε.

import { LIMITS } from "../netedit.js";
import { h } from "./dom.js";

const ACTIVATIONS = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"];
const LOSSES = [["mse", "MSE (mean squared error)"], ["sse", "SSE (sum of squared errors)"], ["bce", "Binary cross-entropy"], ["cross_entropy", "Cross-entropy (classes)"]];

export function mountBuild(root, store) {
  const layers = h("div", { class: "layers", "data-layers": "" });
  const addLayer = h("button", { type: "button", "data-control": "add-layer", onclick: () => store.addHiddenLayer() }, "+ hidden layer");
  const removeLayer = h("button", { type: "button", "data-control": "remove-layer", onclick: () => store.removeHiddenLayer() }, "− hidden layer");
  const loss = h("select", { "data-control": "loss", onchange: () => store.setLoss(loss.value) }, ...LOSSES.map(([v, t]) => h("option", { value: v, text: t })));
  const opt = h("select", { "data-control": "optimizer", onchange: () => store.setOptimizer({ name: opt.value }) },
    h("option", { value: "sgd", text: "SGD" }), h("option", { value: "adam", text: "Adam" }));
  const number = (key, label, attrs = {}) => {
    const input = h("input", { type: "number", step: "any", min: 0, "data-control": key, ...attrs });
    // Enter commits and hands the keyboard back to the player.
    input.addEventListener("keydown", (e) => e.key === "Enter" && input.blur());
    input.addEventListener("change", () => {
      const v = Number(input.value);
      if (input.value !== "" && Number.isFinite(v) && v >= 0) store.setOptimizer({ [key]: v });
    });
    return [h("label", { class: "field" }, h("span", { class: "field-label", text: label }), input), input];
  };
  const [lrField, lr] = number("lr", "Learning rate ε");
  const [momField, momentum] = number("momentum", "Momentum μ");
  const [wdField, wd] = number("weight_decay", "Weight decay λ");

  root.append(
    h("h3", { text: "Network" }), layers,
    h("div", { class: "row" }, addLayer, removeLayer),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Loss" }), loss),
    h("h3", { text: "Optimizer" }),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Optimizer" }), opt),
    lrField, momField, wdField,
  );

  let shapeKey = null;
  store.addEventListener("change", (e) => {
    if (!["request", "response", "error"].includes(e.detail.reason)) return;
    const req = store.state.request;
    if (!req) return;
    const net = req.network;
    const key = JSON.stringify([net.inputs, net.layers.map((l) => [l.units, l.activation])]);
    if (key !== shapeKey) {
      shapeKey = key;
      layers.replaceChildren(layerRow(store, 0, "Inputs x", net.inputs, null, LIMITS.inputs),
        ...net.layers.map((l, i) => layerRow(store, i + 1, i === net.layers.length - 1 ? "Output ŷ" : `Hidden ${i + 1}`, l.units, l.activation, LIMITS.units)));
    }
    addLayer.disabled = net.layers.length >= LIMITS.layers;
    removeLayer.disabled = net.layers.length <= 1;
    loss.value = net.loss;
    opt.value = req.optimizer.name ?? "sgd";
    // Don't overwrite a field the user is typing in.
    for (const [input, v] of [[lr, req.optimizer.lr], [momentum, req.optimizer.momentum ?? 0], [wd, req.optimizer.weight_decay ?? 0]]) {
      if (document.activeElement !== input) input.value = v;
    }
    momField.hidden = req.optimizer.name === "adam";
  });
}

function layerRow(store, layer, name, units, activation, max) {
  const minus = h("button", { type: "button", class: "icon small", "aria-label": `Remove a unit from ${name}`, disabled: units <= 1, onclick: () => store.setUnits(layer, units - 1) }, "−");
  const plus = h("button", { type: "button", class: "icon small", "aria-label": `Add a unit to ${name}`, disabled: units >= max, onclick: () => store.setUnits(layer, units + 1) }, "+");
  const row = h("div", { class: "layer-row", "data-layer-row": layer },
    h("span", { class: "layer-name", text: name }), minus, h("span", { class: "units", "aria-label": `${units} units`, text: String(units) }), plus);
  if (activation !== null) {
    const sel = h("select", { "aria-label": `Activation of ${name}`, "data-control": `activation-${layer}`, onchange: () => store.setActivation(layer, sel.value) },
      ...ACTIVATIONS.map((a) => h("option", { value: a, text: a, selected: a === activation })));
    row.append(sel);
  }
  return row;
}
