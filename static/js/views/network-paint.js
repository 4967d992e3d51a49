// Repaint the diagram built by network.js from the store's state: values, colours,
// what the player has reached (the rest dimmed), weights vs gradients, old → new.

import { exact, fmt, fmtShort } from "../format.js";
import { getValue } from "../netedit.js";
import { knownAt, showing } from "../progress.js";
import { colorFor, maxAbs, widthFor } from "../scale.js";
import { setAttrs, setText } from "./dom.js";
import { tensorOfRef } from "../linking.js";
import { drawCallouts, missingNumbers, numbersOfStep } from "./callouts.js";
import { fitValue, pill, placePills, squeeze } from "./pills.js";

// Every number painted is found by its address: the request's own values (what the user is
// editing) through the request, the computed ones in the last answer.
// What the player has reached depends on the steps and the position only: worked out once for both.
function knownCached(b, steps, step, element) {
  if (b.knownFor?.steps !== steps || b.knownFor.step !== step) b.knownFor = { steps, step, known: knownAt(steps, step, element) };
  return b.knownFor.known;
}

// A stroke and its width, written only when they change (each write invalidates the style).
function setStyle(line, stroke, width) {
  setStroke(line, stroke);
  if (line._width !== width) line.style.strokeWidth = line._width = width;
}

function setStroke(el, stroke) {
  if (el._stroke !== stroke) el.style.stroke = el._stroke = stroke;
}

// A part whose inputs (numbers and state) are those it was last painted from is left alone:
// an edit changes a few of them. Compared value by value: no string of them is built.
function unchanged(p, inputs) {
  const last = p.inputs;
  p.inputs = inputs;
  return last !== undefined && last !== null && last.length === inputs.length && last.every((v, k) => Object.is(v, inputs[k]));
}

// The address of "quantity:element" for the traced sample s, e.g. "dL/dW:L1W0_2" → "dL/dW:1,0,2":
// built once per part and sample, since a repaint looks up every number of the drawing.
function addressesOf(b, A, s) {
  if (b.addressCache?.s !== s) {
    const map = new Map();
    const add = (q, id, ...idx) => map.set(`${q}:${id}`, A.format(q, ...idx));
    for (const [id, { edge: e }] of b.parts.edges) for (const q of ["W", "dL/dW", "W'"]) add(q, id, e.layer, e.row, e.col);
    for (const [id, p] of b.parts.biases) for (const q of ["b", "dL/db", "b'"]) add(q, id, p.layer, p.unit);
    for (const [id, { n }] of b.parts.neurons) {
      if (n.layer === 0) for (const q of ["x", "dL/dx"]) add(q, id, s, n.unit);
      else for (const q of ["z", "s", "dL/dz", "dL/ds"]) add(q, id, n.layer, s, n.unit);
    }
    map.set("L", "L");
    b.addressCache = { s, get: (key) => map.get(key) };
  }
  return b.addressCache.get;
}

export function paint(b, store) {
  const state = store.state;
  const { request, response, step, view, traceSample: s, reg } = state;
  const A = b.A;
  const steps = store.steps;
  const cur = response ? steps[step] ?? null : null;
  const element = (a) => store.element(a);
  const known = response ? knownCached(b, steps, step, element) : null;
  const phase = cur?.phase ?? "forward";
  const show = showing(view, phase);
  const target = cur ? element(cur.target) : null;
  const refs = new Set((cur?.refs ?? []).map(element));
  // Two places numbers come from: the request the page holds (what the user is editing) and
  // the answer (with the request it answers). Addresses are worked out once per part and sample.
  const pageCtx = { request, response: { network: request.network } };
  const answerCtx = { request: state.sent, response };
  const at = addressesOf(b, A, s);
  const mine = (key) => A.get(pageCtx, at(key));
  const got = (key) => (response ? A.get(answerCtx, at(key)) : undefined);
  setAttrs(b.el, { "data-phase": phase, "data-show": show.weights && show.grads ? "both" : show.grads ? "grads" : "weights" });
  const wMax = maxAbs(request.network.layers.map((l) => l.weights));
  const gMax = maxAbs(response?.layers.map((l) => l.grad_weights ?? []) ?? []);
  const nMax = maxAbs(response?.layers.map((l) => l.grad_post) ?? []);
  const mark = (g, id) => {
    g.classList.toggle("current", target === id);
    g.classList.toggle("in-formula", refs.has(id) && target !== id);
  };

  const labelled = [];
  for (const [id, p] of b.parts.edges) {
    const r = p.edge;
    const w = mine(`W:${id}`);
    const g = got(`dL/dW:${id}`);
    const gradKnown = Boolean(known?.grad.has(id)) && g !== undefined && g !== null;
    const updated = Boolean(known?.updated.has(id));
    const w2 = got(`W':${id}`);
    const ahead = Boolean(known) && phase === "forward" && !known.sum.has(p.into);
    const first = target === id || refs.has(id);
    // An edge whose numbers and state are as last painted is left alone (an edit changes a few).
    if (unchanged(p, [w, wMax, gradKnown && g, gradKnown && gMax, updated && w2, show.weights, show.grads, ahead, target === id, first])) {
      if (p.labelled) labelled.push(p.labelled);
      continue;
    }
    setAttrs(p.g, {
      "data-weight": exact(w),
      "data-grad": gradKnown ? exact(g) : null,
      "data-new": updated ? exact(w2) : null,
      "aria-label": `Weight ${p.symbol} = ${fmt(w)}${gradKnown ? `, gradient ∂L/∂${p.symbol} = ${fmt(g)}` : ""}${updated ? `, updated to ${fmt(w2)}` : ""}. Enter to edit, + or − to nudge.`,
    });
    setStyle(p.w, colorFor(w, wMax), widthFor(w, wMax));
    setStyle(p.gr, gradKnown ? colorFor(g, gMax) : "", gradKnown ? widthFor(g, gMax, 2, 8) : "");
    p.g.classList.toggle("has-grad", gradKnown && show.grads);
    p.g.classList.toggle("faint", !show.weights);
    p.g.classList.toggle("ahead", ahead);
    mark(p.g, id);
    const lines = [];
    // Old above new: a narrow pill fits between the columns even on a projector.
    if (updated && show.weights) lines.push(fmt(w), `→ ${fmt(w2)}`);
    else {
      if (show.weights) lines.push(fmt(w));
      if (show.grads && gradKnown) lines.push(`∂ ${fmt(g)}`);
    }
    if (p.show === "refs" && !first) lines.length = 0;
    pill(p, lines, b.lay.font, updated ? "upd" : show.grads && gradKnown && !show.weights ? "grad" : "");
    mark(p.label, id);
    p.lines0 = lines;
    p.labelled = lines.length ? { p, id, first } : null;
    if (p.labelled) labelled.push(p.labelled);
    setText(p.title, `${p.symbol} = ${fmt(w)}${gradKnown ? `   ∂L/∂${p.symbol} = ${fmt(g)}` : ""}${updated ? `   → ${fmt(w2)}` : ""}`);
  }

  for (const [id, p] of b.parts.neurons) paintNeuron(p, id, { s, at, mine, got, known, cur, target, show, nMax, mark, font: b.lay.font, focus: target === id || refs.has(id) });
  for (const [id, p] of b.parts.biases) {
    const v = mine(`b:${id}`);
    const g = got(`dL/db:${id}`);
    const gradKnown = Boolean(known?.grad.has(id)) && g != null;
    const updated = Boolean(known?.updated.has(id));
    const v2 = got(`b':${id}`);
    if (unchanged(p, [v, gradKnown && g, updated && v2, show.weights, show.grads, target === id, refs.has(id)])) continue;
    setAttrs(p.g, { "data-value": exact(v), "data-grad": gradKnown ? exact(g) : null, "aria-label": `Bias ${p.symbol} = ${fmt(v)}. Enter to edit.` });
    let text = `β ${fmt(v)}`;
    if (updated && show.weights) {
      text = `β ${fmt(v)} → ${fmt(v2)}`;
      // Too wide for the column gap (a projector's big type): the new value only.
      if (text.length * b.lay.font * 0.6 > b.lay.gap * 0.9) text = `β → ${fmt(v2)}`;
    }
    else if (show.grads && gradKnown) text = show.weights ? `β ${fmt(v)}  ∂ ${fmt(g)}` : `∂β ${fmt(g)}`;
    setText(p.text, text);
    p.g.classList.toggle("grad", show.grads && gradKnown && !updated);
    mark(p.g, id);
    setText(p.title, `${p.symbol} = ${fmt(v)}${gradKnown ? `   ∂L/∂${p.symbol} = ${fmt(g)}` : ""}`);
  }

  const classLoss = b.classLoss;
  for (const [id, p] of b.parts.targets) {
    const k = p.t.unit;
    const address = classLoss ? A.format("c", s) : A.format("y", s, k);
    const y = getValue(reg, request, address);
    setAttrs(p.g, { "data-value": exact(y), "data-address": address, "aria-label": `Target ${p.symbol} = ${classLoss ? y : fmt(y)}. Enter to edit.` });
    setText(p.text, classLoss ? `class ${y}` : `${p.symbol} = ${fmt(y)}`);
    squeeze(p.text, p.t.w / 2, b.lay.font);
    mark(p.g, id);
    setText(p.title, `${p.symbol} = ${y}`);
  }

  const lossKnown = Boolean(known?.loss);
  const L = got("L");
  setText(b.loss.text, lossKnown ? fmt(L) : "?");
  b.loss.plateW = fitValue(b.loss.text, b.loss.plate, b.lay.loss.r, b.lay.font);
  b.loss.g.classList.toggle("unknown", !lossKnown);
  setAttrs(b.loss.g, { "data-value": response ? exact(response.loss) : null, "aria-label": lossKnown ? `Loss L = ${fmt(L)}` : "Loss L, not computed yet" });
  mark(b.loss.g, A.element("L"));
  setText(b.loss.title, response ? `L = ${fmt(L)}` : "L");
  // Focus and context (once the targets and the loss have their text): the step's numbers
  // that their elements do not show get a callout (an edge: more lines in its pill), so every
  // number of the explanation is on the drawing.
  const stepNumbers = cur ? numbersOfStep(cur, (a) => store.value(a)) : [];
  const missing = missingNumbers(b, stepNumbers, (a) => store.value(a), element);
  const callouts = [];
  for (const m of missing) {
    const edge = b.parts.edges.get(m.id);
    if (!edge) {
      callouts.push(m);
      continue;
    }
    pill(edge, withCallout(edge.lines0 ?? [], m.short), b.lay.font, "callout");
    edge.inputs = null; // repaint it next time: its pill holds this step's extra lines
    if (!edge.labelled) labelled.push({ p: edge, id: m.id, first: true });
    else edge.labelled.first = true;
    if (!labelled.includes(edge.labelled) && edge.labelled) labelled.push(edge.labelled);
  }
  placePills(b, labelled, drawCallouts(b, callouts));
  paintHighlight(b, state);
  paintErrors(b, state);
}

// A weight's pill with the step's numbers it did not show. An update pill (old above "→ new")
// that gains the gradient writes old → new on one line: three lines do not fit between a
// projector's big neurons, two do.
function withCallout(lines, extra) {
  if (lines.length === 2 && lines[1].startsWith("→") && extra.length) return [`${lines[0]} ${lines[1]}`, ...extra];
  return [...lines, ...extra];
}

// The element a 422 names gets the error's colour and message (the edit itself stays).
function paintErrors(b, state) {
  // No error now and none on the drawing: nothing to look for (an answer's usual case).
  if (!state.error?.locs && !b.errorsShown) return;
  b.errorsShown = Boolean(state.error?.locs);
  b.el.querySelectorAll(".invalid").forEach((n) => {
    n.classList.remove("invalid");
    n.removeAttribute("aria-invalid");
  });
  const err = state.error;
  if (!err?.locs) return;
  for (const loc of err.locs) {
    const address = b.A.fromPath("request", loc);
    const parsed = address && b.A.parse(address);
    // an input or target of another sample than the traced one is not on the drawing
    if (!parsed || (["x", "y", "c"].includes(parsed.q) && parsed.idx[0] !== undefined && parsed.idx[0] !== state.traceSample)) continue;
    const ref = b.A.element(address);
    {
      for (const node of b.refs.get(ref) ?? []) {
        node.classList.add("invalid");
        node.setAttribute("aria-invalid", "true");
        node.setAttribute("aria-errormessage", "status-line");
      }
    }
  }
}

function paintNeuron(p, id, { s, at, mine, got, known, cur, target, show, nMax, mark, font, focus }) {
  const { n, ly } = p;
  const input = n.layer === 0;
  const post = input ? mine(`x:${id}`) : got(`z:${id}`);
  const pre = input ? undefined : got(`s:${id}`);
  const gPost = input ? got(`dL/dx:${id}`) : got(`dL/dz:${id}`);
  const gPre = input ? undefined : got(`dL/ds:${id}`);
  const act = input || Boolean(known?.act.has(id));
  const sum = input || Boolean(known?.sum.has(id));
  const gradKnown = !input && Boolean(known?.grad.has(id));
  const onPre = gradKnown && target === id && cur.kind === "grad_pre";
  if (unchanged(p, [s, post, pre, gradKnown && gPost, gradKnown && gPre, act, sum, gradKnown, onPre, gradKnown && nMax, show.weights, show.grads, target === id, focus])) return;
  // The number the neuron shows, by address: x (editable), or z of the traced sample.
  setAttrs(p.g, { "data-address": at(input ? `x:${id}` : `z:${id}`) });
  const g = onPre ? gPre : gPost;
  const shown = act ? post : sum ? pre : undefined;
  // A neuron the step is about shows its number as the explanation writes it (on a plate if wider than its circle).
  // On a plate (small inputs) the value as written, when a plate holds it (7 characters).
  const f = ly.value === "plate" ? (v) => (fmt(v).length <= 7 ? fmt(v) : fmtShort(v)) : ly.value === "short" && !focus ? fmtShort : fmt;
  setAttrs(p.g, {
    "data-value": post === undefined ? null : exact(post),
    "data-grad": gradKnown ? exact(gPost) : null,
    "aria-label": `${input ? "Input" : "Neuron"} ${p.symbol} = ${shown === undefined ? "not computed yet" : fmt(shown)}${gradKnown ? `, ∂L/∂${p.symbol} = ${fmt(gPost)}` : ""}${input ? ". Enter to edit." : ""}`,
  });
  p.g.classList.toggle("unknown", !sum && !(show.grads && gradKnown));
  p.g.classList.toggle("has-grad", show.grads && gradKnown);
  setStroke(p.body, shown === undefined ? "" : colorFor(shown, 1));
  setStroke(p.ring, gradKnown ? colorFor(g, nMax) : "");
  mark(p.g, id);
  const valueText = ly.value === "none" ? "" : shown === undefined ? "?" : f(shown);
  const gradText = ly.value === "none" || !gradKnown ? "" : f(g);
  const both = show.weights && show.grads && gradText;
  if (show.grads && !show.weights && gradText) {
    setText(p.value, gradText);
    setText(p.grad, "");
  } else {
    setText(p.value, valueText);
    setText(p.grad, both ? gradText : "");
  }
  setAttrs(p.value, { y: both ? n.y - ly.r * 0.32 : n.y });
  p.plateW = fitValue(p.value, p.plate, ly.r, font, ly.plates);
  squeeze(p.grad, ly.r, font);
  setAttrs(p.grad, { y: n.y + ly.r * 0.4 });
  p.value.classList.toggle("grad", show.grads && !show.weights && Boolean(gradText));
  let label = act ? p.symbol : p.pre ?? p.symbol;
  if (show.grads && gradKnown && !show.weights) label = `∂L/∂${onPre ? p.pre : p.symbol}`;
  setText(p.label, label);
  setText(p.title, `${p.symbol} = ${fmt(post)}${pre !== undefined ? `   ${p.pre} = ${fmt(pre)}` : ""}${gradKnown ? `   ∂L/∂${p.symbol} = ${fmt(gPost)}` : ""}`);
}

export function paintHighlight(b, state) {
  // What is pointed at is as last marked (an answer, a step): the marks stay as they are.
  const marked = [state.highlight, state.hoverTensor, state.focus, state.selectedParam];
  if (b.marked && marked.every((v, k) => v === b.marked[k])) return;
  b.marked = marked;
  b.el.querySelectorAll(".hl, .focus").forEach((n) => n.classList.remove("hl", "focus"));
  for (const node of b.refs.get(state.highlight) ?? []) node.classList.add("hl");
  // A tensor hovered in a PyTorch view (linking.js): each of its elements; the element selected in any view.
  if (state.hoverTensor) for (const [ref, nodes] of b.refs) if (tensorOfRef(ref) === state.hoverTensor) for (const node of nodes) node.classList.add("hl");
  for (const node of b.refs.get(state.focus) ?? []) node.classList.add("focus");
  // A parameter tensor picked in the autograd graph ("W:1"): every weight or bias of it.
  if (state.selectedParam) for (const node of b.el.querySelectorAll(`[data-address^="${state.selectedParam},"]`)) node.classList.add("hl");
}
