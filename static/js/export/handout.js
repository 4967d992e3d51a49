// The printable handout of the current network: the diagram, then the steps with their
// formulas in symbols and numbers — every step for a small network, one representative
// neuron and weight per layer for a big one (handoutSteps). Shown only in print
// (static/css/print.css); rebuilt before each print.

import { fmt } from "../format.js";
import { explanationLines, splitTerms, tokensToNodes } from "../mathtokens.js";
import { h, mathRow } from "../views/dom.js";
import { handoutSteps, stepHeading } from "./derivation.js";

const NO_REFS = () => null;

// A long sum wraps between its terms (each term its own <math>), as in the explanation.
const terms = (line, ctx) => h("span", { class: "handout-terms" },
  ...splitTerms(line.tokens).map((term, k) => mathRow(tokensToNodes(term, line.numeric, k > 0, ctx))));

/** The handout for the store's current answer (a <section>), or null when there is no answer yet. */
export function buildHandout(store, diagramSvg) {
  const { request, response } = store.state;
  const steps = store.steps;
  if (!request || !response || !steps.length) return null;
  const value = (a) => store.value(a);
  const ctx = { value, element: NO_REFS };
  const net = request.network;
  const shape = [net.inputs, ...net.layers.map((l) => `${l.units} ${l.activation}`)].join(" → ");
  const opt = request.optimizer;
  const chosen = handoutSteps(steps);
  const items = chosen.map((k) => {
    const st = steps[k];
    const rows = explanationLines(st, value).map((line, i) => h("div", { class: "handout-row" },
      i === 0 ? mathRow(tokensToNodes(st.lhs, false, false, ctx)) : h("span"),
      h("span", { class: "handout-rel", text: line.rel }),
      line.result ? h("strong", { text: fmt(value(st.contribution ?? st.value)) }) : terms(line, ctx)));
    return h("li", { "data-handout-step": k }, h("h3", { text: stepHeading(st, k, steps.length) }), ...rows);
  });
  const note = chosen.length < steps.length
    ? `${chosen.length} of the ${steps.length} steps: one of each kind per layer (the others follow the same formulas).`
    : `All ${steps.length} steps.`;
  return h("section", { class: "handout", "data-handout": "" },
    h("h1", { text: "Backprop Lab — one step of gradient descent" }),
    h("p", { text: `Network ${shape}; loss ${net.loss}; optimizer ${opt.name}, learning rate ${fmt(opt.lr)}; batch of ${request.x.length}; loss L = ${fmt(response.loss)}.` }),
    diagramSvg ? h("img", { class: "handout-diagram", alt: "The network diagram", src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(diagramSvg)}` }) : null,
    h("p", { text: note }),
    h("ol", { class: "handout-steps" }, ...items));
}
