// Predict then reveal (classroom mode, on the teacher's screen): the value the player is
// about to show stays hidden (html[data-predicting]; the CSS hides it in the explanation,
// on the diagram and in the header), the teacher types the class's guesses, then reveals
// the value beside them. Each step keeps its own guesses until the network changes.

import { fmt, parseInput } from "../format.js";
import { text as plainText } from "../render/text.js";
import { h } from "./dom.js";

export function mountPredict(root, store) {
  const question = h("span", { class: "predict-question", "data-predict-question": "" });
  const input = h("input", { type: "text", inputmode: "decimal", size: 8, "aria-label": "A guess from the class", "data-guess-input": "" });
  const add = h("button", { type: "button", "data-guess-add": "", onclick: () => addGuess() }, "Add guess");
  const problem = h("span", { class: "predict-problem", role: "alert", "data-guess-problem": "" });
  const list = h("ol", { class: "guesses", "data-guesses": "" });
  const reveal = h("button", { type: "button", class: "reveal", "data-reveal": "", onclick: () => { revealed.add(key()); paint(); } }, "Reveal");
  const answer = h("p", { class: "predict-answer", "data-revealed-value": "", hidden: true });
  const entry = h("div", { class: "predict-row" }, question, input, add, reveal, problem);
  const panel = h("div", { class: "predict", "data-predict-panel": "", hidden: true }, entry, answer, list);
  root.append(panel);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") addGuess(); });

  const guesses = new Map(); // step key → [numbers]
  const revealed = new Set();
  let network = null; // guesses are about these numbers: an edit starts afresh
  const key = () => `${store.state.explanation?.key}|${store.state.step}`;
  const current = () => (store.state.response ? store.steps[store.state.step] : null);
  const valueOf = (st) => store.value(st.contribution ?? st.value);

  function addGuess() {
    const v = parseInput(input.value);
    if (v === null) {
      problem.textContent = input.value.trim() ? `“${input.value}” is not a number` : "type the class's guess first";
      return;
    }
    problem.textContent = "";
    if (!guesses.has(key())) guesses.set(key(), []);
    guesses.get(key()).push(v);
    input.value = "";
    paint();
    input.focus();
  }

  function paint() {
    const st = current();
    const on = Boolean(store.state.predict && st);
    const shown = on && revealed.has(key());
    if (panel.hidden !== !on) panel.hidden = !on;
    document.documentElement.toggleAttribute("data-predicting", on && !shown);
    // The header's loss would give the loss step away: hidden until that step is revealed.
    const lossStep = store.steps.findIndex((x) => x.target === "L");
    const lossKnown = store.state.step > lossStep || (store.state.step === lossStep && shown);
    document.documentElement.toggleAttribute("data-predict-loss", on && lossStep >= 0 && !lossKnown);
    if (!on) return;
    const value = valueOf(st);
    question.textContent = `What is ${plainText(st.lhs)}? Guesses:`;
    list.replaceChildren(...(guesses.get(key()) ?? []).map((g) => h("li", { "data-guess": String(g) },
      h("span", { text: fmt(g) }),
      shown && typeof value === "number" ? h("span", { class: "off", text: ` (off by ${fmt(Math.abs(g - value))})` }) : null)));
    reveal.disabled = shown;
    entry.hidden = shown;
    answer.hidden = !shown;
    answer.dataset.value = shown ? String(value) : "";
    answer.textContent = shown ? `${plainText(st.lhs)} = ${fmt(value)}` : "";
  }

  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    if (["highlight", "pending", "editing", "playing"].includes(reason)) return;
    const net = store.state.request?.network ?? null;
    if (net !== network && reason !== "step") {
      // A changed network has other numbers: earlier guesses and reveals no longer apply.
      // (Compared only when there is something to forget: a drag makes a network per frame.)
      if (network !== null && (guesses.size || revealed.size) && JSON.stringify(net) !== JSON.stringify(network)) {
        guesses.clear();
        revealed.clear();
      }
      network = net;
    }
    paint();
  });
}
