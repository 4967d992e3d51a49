// The "Build" side panel: units of every layer (+/−), each layer's activation φ, hidden
// layers added or removed, the loss, the optimizer and its hyper-parameters. Every choice
// and every field comes from the registry the server serves (GET /api/registry).

import { checkNumber } from "../format.js";
import { h, setValue } from "./dom.js";

export function mountBuild(root, store) {
  const layers = h("div", { class: "layers", "data-layers": "" });
  const addLayer = h("button", { type: "button", "data-control": "add-layer", onclick: () => store.addHiddenLayer() }, "+ hidden layer");
  const removeLayer = h("button", { type: "button", "data-control": "remove-layer", onclick: () => store.removeHiddenLayer() }, "− hidden layer");
  const loss = h("select", { "data-control": "loss", onchange: () => store.setLoss(loss.value) });
  const opt = h("select", { "data-control": "optimizer", onchange: () => store.setOptimizer({ name: opt.value }) });
  const hyper = h("div", { class: "hyper", "data-hyper": "" });

  root.append(
    h("h3", { text: "Network" }), layers,
    h("div", { class: "row" }, addLayer, removeLayer),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Loss" }), loss),
    h("h3", { text: "Optimizer" }),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Optimizer" }), opt),
    hyper,
  );

  let shapeKey = null;
  let optKey = null;
  let fields = [];
  store.addEventListener("change", (e) => {
    if (!["request", "response", "error", "presets"].includes(e.detail.reason)) return;
    const { request: req, reg } = store.state;
    if (!req || !reg) return;
    if (!loss.options.length) {
      loss.replaceChildren(...[...reg.losses.values()].map((l) => h("option", { value: l.id, text: l.name })));
      opt.replaceChildren(...[...reg.optimizers.values()].map((o) => h("option", { value: o.id, text: o.name })));
    }
    const net = req.network;
    const key = JSON.stringify([net.inputs, net.layers.map((l) => [l.units, l.activation])]);
    if (key !== shapeKey) {
      shapeKey = key;
      const maxUnits = reg.limits.max_units ?? 64;
      layers.replaceChildren(layerRow(store, 0, "Inputs x", net.inputs, null, reg.limits.max_inputs ?? 64),
        ...net.layers.map((l, i) => layerRow(store, i + 1, i === net.layers.length - 1 ? "Output ŷ" : `Hidden ${i + 1}`, l.units, l.activation, maxUnits)));
    }
    addLayer.disabled = net.layers.length >= (reg.limits.max_layers ?? 8);
    removeLayer.disabled = net.layers.length <= 1;
    setValue(loss, net.loss);
    const name = req.optimizer.name ?? "sgd";
    setValue(opt, name);
    if (optKey !== name) {
      optKey = name;
      fields = reg.optimizers.get(name).hyper.flatMap((hp) => hyperFields(store, hp));
      hyper.replaceChildren(...fields.map((f) => f.label));
    }
    // Don't overwrite a field the user is typing in.
    for (const f of fields) if (document.activeElement !== f.input) f.show(req.optimizer);
  });
}

// One hyper-parameter as fields: a number (with its symbol), a checkbox, or a pair (Adam's betas).
function hyperFields(store, hp) {
  const title = hp.description;
  const label = (text, input) => h("label", { class: "field", title }, h("span", { class: "field-label", text }), input);
  const value = (o) => o[hp.key] ?? hp.default;
  if (typeof hp.default === "boolean") {
    const input = h("input", { type: "checkbox", "data-control": hp.key, onchange: () => store.setOptimizer({ [hp.key]: input.checked }) });
    return [{ input, label: label(hp.key[0].toUpperCase() + hp.key.slice(1), input), show: (o) => { if (input.checked !== Boolean(value(o))) input.checked = Boolean(value(o)); } }];
  }
  const name = hp.key === "lr" ? "Learning rate" : hp.key.replace("_", " ");
  const pretty = name[0].toUpperCase() + name.slice(1);
  const count = Array.isArray(hp.default) ? hp.default.length : 1;
  const symbols = count > 1 ? hp.symbol.split(", ") : [hp.symbol];
  return Array.from({ length: count }, (_, k) => {
    const input = h("input", { type: "number", step: "any", min: hp.min ?? undefined, max: hp.below ?? undefined, "data-control": count > 1 ? `${hp.key}-${k}` : hp.key });
    const hint = h("span", { class: "field-hint", role: "status" });
    // Enter commits and hands the keyboard back to the player.
    input.addEventListener("keydown", (e) => e.key === "Enter" && input.blur());
    input.addEventListener("change", () => {
      // A number field's value is "" for text it cannot read ("0.7x"): say so rather than "type a number".
      const typed = input.validity.badInput ? "that text" : input.value;
      const limits = hp.exclusive_min ? { above: hp.min ?? null, below: hp.below ?? null } : { min: hp.min ?? null, below: hp.below ?? null };
      const checked = input.validity.badInput ? { error: "that is not a number" } : checkNumber(typed, limits);
      const used = count > 1 ? value(store.state.request.optimizer)[k] : value(store.state.request.optimizer);
      const bad = checked.error ? `${checked.error} (${used} is still used)` : "";
      hint.textContent = bad;
      input.toggleAttribute("aria-invalid", Boolean(bad));
      if (bad) return;
      const v = checked.value;
      const o = store.state.request.optimizer;
      store.setOptimizer({ [hp.key]: count > 1 ? value(o).map((old, j) => (j === k ? v : old)) : v });
    });
    const text = `${count > 1 ? `${pretty} ${symbols[k]}` : pretty}${count > 1 || !hp.symbol ? "" : ` ${hp.symbol}`}`;
    return { input, label: label(text, h("span", {}, input, hint)), show: (o) => setValue(input, count > 1 ? value(o)[k] : value(o)) };
  });
}

function layerRow(store, layer, name, units, activation, max) {
  const minus = h("button", { type: "button", class: "icon small", "aria-label": `Remove a unit from ${name}`, disabled: units <= 1, onclick: () => store.setUnits(layer, units - 1) }, "−");
  const plus = h("button", { type: "button", class: "icon small", "aria-label": `Add a unit to ${name}`, disabled: units >= max, onclick: () => store.setUnits(layer, units + 1) }, "+");
  const row = h("div", { class: "layer-row", "data-layer-row": layer },
    h("span", { class: "layer-name", text: name }), minus, h("span", { class: "units", "aria-label": `${units} units`, text: String(units) }), plus);
  if (activation !== null) {
    const sel = h("select", { "aria-label": `Activation of ${name}`, "data-control": `activation-${layer}`, onchange: () => store.setActivation(layer, sel.value) },
      ...[...store.state.reg.activations.values()].map((a) => h("option", { value: a.id, text: a.name, selected: a.id === activation })));
    row.append(sel);
  }
  return row;
}
