// The tensor view: each Linear layer in matrix form as the lecture writes it, z = φ(Wx + B),
// every matrix with its shape — the slide's (2,3)·(3,1) → (2,1), or (3,N) with a batch — in the
// notation chosen (Wx + B, or the slide's Wᵀx + β and xW + β), and PyTorch's own row form
// xWᵀ + b underneath. From the backward phase on, the same layers as ∂L/∂W = δ·aᵀ.
// Hovering a cell highlights its element in the diagram (store.setHighlight) and the player's
// step marks its cells. The cells are one tab stop (gridkeys.js): the arrows move between
// them, Enter selects one as a click does (store.focusOn).

import { backwardTerms, forwardTerms, keptIndices, NOTATIONS, shapesLine } from "../tensorforms.js";
import { linkMarks } from "../linking.js";
import { isShown } from "./tabs.js";
import { h, setText } from "./dom.js";
import { roving } from "./gridkeys.js";
import { markCells, matrixEl, paintMatrix } from "./matrix.js";

const SKIP = ["pending", "editing", "playing"];

export function mountTensors(root, store) {
  const notation = h("select", { "data-control": "notation", "aria-label": "Notation" },
    NOTATIONS.map(([id, text]) => h("option", { value: id }, text)));
  notation.addEventListener("change", () => store.set({ notation: notation.value }, "notation"));
  const note = h("p", { class: "torch-note" });
  const body = h("div", { class: "tensor-layers", "data-tensors": "", role: "group",
    "aria-label": "The layers' matrices: arrow keys move between the numbers, Enter selects one in every view" });
  // When the layers do not all fit the panel (a projector), one layer at a time: the player's step's, or the one picked here.
  const picker = h("span", { class: "t-picker", role: "group", "aria-label": "Layer shown", "data-layer-picker": "" });
  root.append(h("div", { class: "torch-bar" }, h("label", { class: "field" }, "Notation ", notation), picker, note), body);
  let picked = null; // {layer, step}: the layer picked, until the player moves
  let expanded = false; // every row and column of a crowded layer, asked for by a ⋮ or … (until Fit)
  const fitButton = h("button", { type: "button", "data-control": "elide", hidden: true,
    onclick: () => { expanded = false; render(); } }, "Fit");
  picker.after(fitButton); // after the layer picker, in the bar
  let built = null; // {key, cells, matrices}

  body.addEventListener("pointerover", (e) => store.setHighlight(e.target.closest?.("td[data-ref]")?.dataset.ref ?? null));
  body.addEventListener("pointerleave", () => store.setHighlight(null));
  // A click selects the cell's element in every view (linking.js); so does Enter on the cell in hand.
  const select = (ref) => ref && store.focusOn(store.state.focus === ref ? null : ref);
  body.addEventListener("click", (e) => select(e.target.closest?.("td[data-ref]")?.dataset.ref));
  const syncKeys = roving(body, "table.matrix td[data-address], table.matrix td.elided", {
    key: (td) => td.dataset.address ?? `${td.closest("[data-matrix]")?.dataset.matrix}:${td.title}`,
    activate: (td) => (td.dataset.ref ? select(td.dataset.ref) : td.click()),
    onFocus: (td) => store.setHighlight(td?.dataset.ref ?? null),
  });

  // Crowded layers keep the first and last rows and columns and those of the player's step (tensorforms.keptIndices).
  // A projector tries each limit in turn until the layer fits the panel: the step's target always kept,
  // the other numbers its formula uses while there is room.
  const LIMITS = { normal: [{ u: 10, f: 10, N: 8 }],
    presenting: [{ u: 5, f: 6, N: 2, strict: true }, { u: 4, f: 4, N: 2, strict: true }, { u: 3, f: 3, N: 1, strict: true }] };
  function keepFor(layer, units, fanIn, samples, limit) {
    if (expanded) return null;
    const { response, step, reg } = store.state;
    const cur = response ? store.steps[step] ?? null : null;
    const addresses = cur ? [cur.target, ...(cur.refs ?? [])] : [];
    return keptIndices(reg.addresses.parse, addresses, { layer, units, fanIn, samples }, limit);
  }

  function build(key, backward, keeps) {
    const { request, reg } = store.state;
    const A = reg.addresses;
    const N = request.x.length;
    const element = (a) => store.element(a);
    const matrices = [];
    const sections = request.network.layers.map((layer, k) => {
      const l = k + 1;
      const fanIn = k === 0 ? request.network.inputs : request.network.layers[k - 1].units;
      const act = reg.activations.get(layer.activation);
      const spec = { layer: l, units: layer.units, fanIn, samples: N, phi: act.symbol };
      const line = (label, terms, form) => {
        const row = h("div", { class: "t-row" });
        terms.forEach((t, i) => {
          const m = matrixEl(t, element, keeps[k], () => { expanded = true; render(); });
          matrices.push(m);
          row.append(m.el);
          if (t.op && i < terms.length - 1) row.append(h("span", { class: "t-op", "aria-hidden": "true" }, t.op === ";" ? "" : t.op));
        });
        return h("div", { class: "t-line", "data-form": form },
          h("div", { class: "t-label" }, h("span", { text: label }), h("span", { class: "t-shapes", "data-shapes": "" }, shapesLine(terms))),
          row);
      };
      const title = `Layer ${l}: nn.Linear(${fanIn}, ${layer.units})${layer.activation === "identity" ? "" : ` → ${act.torch.split(".").at(-1)}`}`;
      const lines = backward
        ? [line("Backward: ∂L/∂W = δ·aᵀ", backwardTerms(A, spec), "backward")]
        : [line(NOTATIONS.find(([id]) => id === (store.state.notation ?? "column"))[1], forwardTerms(A, { ...spec, notation: store.state.notation ?? "column" }), "notation"),
          line("PyTorch: z = φ(x·weightᵀ + bias)", forwardTerms(A, { ...spec, notation: "torch" }), "torch")];
      return h("section", { class: "t-layer", "data-layer": l }, h("h3", { text: title }), ...lines);
    });
    body.replaceChildren(...sections);
    return { key, matrices, cells: matrices.flatMap((m) => m.cells) };
  }

  function render() {
    const { request, reg, response, step } = store.state;
    if (!request || !reg || !isShown(store, "tensors")) return;
    const cur = response ? store.steps[step] ?? null : null;
    const backward = ["backward", "update"].includes(cur?.phase);
    notation.value = store.state.notation ?? "column";
    notation.disabled = backward;
    setText(note, backward
      ? "The backward pass in matrices: δ = ∂L/∂s of each layer times the layer's input, transposed, is ∂L/∂W."
      : "nn.Linear stores W as (out, in) and computes x·Wᵀ + b, one row per sample.");
    fitButton.hidden = !expanded;
    const hadFocus = body.contains(document.activeElement);
    for (const limit of LIMITS[store.state.presenting ? "presenting" : "normal"]) {
      const keeps = request.network.layers.map((layer, k) =>
        keepFor(k + 1, layer.units, k === 0 ? request.network.inputs : request.network.layers[k - 1].units, request.x.length, limit));
      const key = JSON.stringify([request.network.inputs, request.network.layers.map((l) => [l.units, l.activation]), request.x.length,
        store.state.notation, backward, keeps]);
      if (built?.key !== key) built = build(key, backward, keeps);
      for (const m of built.matrices) paintMatrix(m, (a) => store.value(a));
      mark();
      fit();
      if (expanded || !overflows()) break;
    }
    const inHand = syncKeys();
    if (hadFocus && !body.contains(document.activeElement)) inHand?.focus();
  }

  // The layer the player's step is about (its target's layer; the loss: the last layer).
  function stepLayer() {
    const { response, step, request, reg } = store.state;
    const target = response ? store.steps[step]?.target : null;
    const parsed = target ? reg.addresses.parse(target) : null;
    const l = parsed && ["s", "z", "W", "b", "dL/ds", "dL/dz", "dL/dW", "dL/db", "W'", "b'"].includes(parsed.q) ? parsed.idx[0] : null;
    return l ?? request.network.layers.length;
  }

  // Too tall for the panel: one layer at a time; still too tall: one form at a time (the slide's, or PyTorch's).
  const overflows = () => root.scrollHeight > root.clientHeight + 1;
  let form = "notation"; // the form shown when only one fits
  function fit() {
    const sections = [...body.children];
    const forms = [...body.querySelectorAll("[data-form=notation], [data-form=torch]")];
    for (const el of [...sections, ...forms]) el.hidden = false;
    if (picked && picked.step !== store.state.step) picked = null;
    const layer = overflows() && sections.length > 1 ? picked?.layer ?? stepLayer() : null;
    for (const s of sections) s.hidden = layer !== null && Number(s.dataset.layer) !== layer;
    const oneForm = forms.length > 0 && overflows();
    for (const el of forms) el.hidden = oneForm && el.dataset.form !== form;
    const buttons = layer === null ? [] : sections.map((s) => h("button", {
      type: "button", "data-show-layer": s.dataset.layer, "aria-pressed": String(Number(s.dataset.layer) === layer),
      onclick: () => { picked = { layer: Number(s.dataset.layer), step: store.state.step }; fit(); syncKeys(); },
    }, `Layer ${s.dataset.layer}`));
    if (oneForm) {
      buttons.push(h("button", { type: "button", "data-show-form": "torch", "aria-pressed": String(form === "torch"),
        title: "PyTorch's own row form, x·Wᵀ + b, instead of the slide's", onclick: () => { form = form === "torch" ? "notation" : "torch"; fit(); syncKeys(); } }, "x·Wᵀ + b"));
    }
    picker.replaceChildren(...buttons);
  }


  function mark() {
    if (!built) return;
    const { response, step, selectedParam } = store.state;
    const cur = response ? store.steps[step] ?? null : null;
    markCells(built.cells, { target: cur?.target ?? null, refs: new Set(cur?.refs ?? []), link: linkMarks(store.state), selected: selectedParam });
  }

  // The player's step: its cell in sight (on a projector the layers are taller than the panel).
  function follow() {
    const td = body.querySelector("td.current");
    td?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }

  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    if (SKIP.includes(reason)) return;
    if (reason === "highlight") return isShown(store, "tensors") && mark();
    render();
    if (reason === "step" && isShown(store, "tensors")) follow();
  });
  return { render };
}
