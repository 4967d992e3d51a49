// The player along the bottom: first / previous / play-pause / next / last, speed, a step
// slider, the four phases with their progress (each a jump button), and "Apply update".

import { PHASES, PHASE_NAMES, phaseProgress } from "../progress.js";
import { h, setAttrs, setText, setValue, svg } from "./dom.js";

// Icons drawn as SVG paths: the media-control glyphs are missing from many system fonts.
const ICONS = {
  first: "M19 5v14l-7-7zM12 5v14l-7-7zM3 5h2v14H3z",
  previous: "M18 5v14l-9-7zM6 5h2v14H6z",
  play: "M7 4v16l13-8z",
  pause: "M6 5h4v14H6zM14 5h4v14h-4z",
  next: "M6 5v14l9-7zM16 5h2v14h-2z",
  last: "M5 5v14l7-7zM12 5v14l7-7zM19 5h2v14h-2z",
};
const icon = (name) => {
  const el = svg("svg", { viewBox: "0 0 24 24", width: "1.1em", height: "1.1em", "aria-hidden": "true", class: "glyph" });
  svg("path", { d: ICONS[name], fill: "currentColor" }, el);
  return el;
};

const BASE_MS = 1400;

export function mountPlayer(root, store) {
  const btn = (label, name, on, extra = {}) => h("button", { type: "button", class: "icon", "aria-label": label, title: label, onclick: on, ...extra }, icon(name));
  const first = btn("First step (Home)", "first", () => store.goTo(0));
  const prev = btn("Previous step (←)", "previous", () => store.previous(), { "data-player": "previous" });
  const play = btn("Play (P)", "play", () => store.togglePlay(), { "data-player": "play", "aria-pressed": "false" });
  const next = btn("Next step (→ or Space)", "next", () => store.next(), { "data-player": "next" });
  const last = btn("Last step (End)", "last", () => store.goTo(Infinity));
  const speed = h("select", { "aria-label": "Playback speed", class: "speed", onchange: () => store.set({ speed: Number(speed.value) }, "speed") },
    ...[0.5, 1, 2, 4].map((v) => h("option", { value: v, selected: v === 1, text: `${v}×` })));
  const slider = h("input", { type: "range", min: 0, max: 0, value: 0, class: "step-slider", "aria-label": "Step", "data-step-slider": "", oninput: () => store.goTo(Number(slider.value)) });
  const counter = h("span", { class: "counter", "data-step-counter": "", "aria-live": "polite" });
  const phases = PHASES.map((p, i) => {
    const fill = h("span", { class: "phase-fill" });
    const b = h("button", { type: "button", class: "phase", "data-phase-button": p, "aria-label": `Jump to the ${PHASE_NAMES[p]} phase (${i + 1})`, onclick: () => store.jumpToPhase(p) },
      h("span", { class: "phase-name", text: PHASE_NAMES[p] }), h("span", { class: "phase-bar", "aria-hidden": "true" }, fill));
    return { p, b, fill };
  });
  const apply = h("button", { type: "button", class: "apply", "data-apply": "", onclick: () => store.apply(), title: "Make the updated weights the current network (A)" }, "Apply update");

  root.append(
    h("div", { class: "player-row" }, slider),
    h("div", { class: "player-row controls" },
      h("div", { class: "transport", role: "group", "aria-label": "Player" }, first, prev, play, next, last, speed),
      h("div", { class: "phases", role: "group", "aria-label": "Phases" }, ...phases.map((x) => x.b)),
      counter, apply),
  );

  let timer = null;
  const schedule = () => {
    clearTimeout(timer);
    if (store.state.playing) timer = setTimeout(() => store.next(), BASE_MS / store.state.speed);
  };

  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    // "pending" changes nothing here until the edit is shown (reason "request", after the store's
    // grace, or its answer): a fast answer then costs no rendering of its own for Apply's state.
    if (reason === "highlight" || reason === "editing" || reason === "pending") return;
    const { response, step, playing } = store.state;
    const trace = response ? store.steps : [];
    // Every write below is skipped when nothing changed: this runs on each answer of a drag.
    setAttrs(play, { "aria-pressed": String(playing) });
    setAttrs(play.firstChild.firstChild, { d: ICONS[playing ? "pause" : "play"] });
    const max = String(Math.max(0, trace.length - 1));
    if (slider.max !== max) slider.max = max;
    setValue(slider, step);
    setAttrs(slider, { "aria-valuetext": trace.length ? `Step ${step + 1} of ${trace.length}` : "No steps" });
    setText(counter, trace.length ? `${step + 1} / ${trace.length}` : "–");
    const progress = phaseProgress(trace, step);
    const cur = trace[step]?.phase;
    for (const { p, b, fill } of phases) {
      const [done, total] = progress[p];
      const width = total ? `${(100 * done) / total}%` : "0%";
      if (fill.style.width !== width) fill.style.width = width;
      b.classList.toggle("current", p === cur);
      if (b.disabled !== (total === 0)) b.disabled = total === 0;
      setAttrs(b, { "aria-current": p === cur ? "step" : "false" });
    }
    const atEnd = step >= trace.length - 1;
    const can = store.canApply();
    for (const [button, off] of [[prev, step <= 0], [first, step <= 0], [last, atEnd], [next, atEnd], [apply, !can]]) {
      if (button.disabled !== off) button.disabled = off;
    }
    apply.classList.toggle("ready", cur === "update" && can);
    const title = response?.diverged ? "The step diverged: nothing to apply" : "Make the updated weights the current network (A)";
    if (apply.title !== title) apply.title = title;
    if (["step", "playing", "speed", "response"].includes(reason)) schedule();
  });
}
