// The Train view: a training run over a data set, live. Transport (Play / Pause / Step /
// Reset), a progress bar and the run's status; the scrubber over the history with "Open step
// k in the player"; the settings; the data with the decision boundary (or fitted curve) and
// the hidden neurons' maps; the charts. It draws only while its tab is shown.

import { fmt, fmtPercent } from "../format.js";
import { symbolText } from "../render/text.js";
import { lastStep } from "../train/history.js";
import { TrainRun } from "../trainrun.js";
import { h } from "./dom.js";
import { isShown } from "./tabs.js";
import { mountTrainCharts } from "./train-charts.js";
import { mountTrainData } from "./train-data.js";
import { mountTrainMap } from "./train-map.js";
import { mountTrainWeights } from "./train-weights.js";

export function mountTrain(root, store) {
  const run = new TrainRun(store);
  store.trainRun = run; // for the console and the browser tests (backpropLab.trainRun)
  const btn = (control, text, onclick, title) => h("button", { type: "button", "data-train-control": control, onclick, title }, text);
  const play = btn("play", "▶ Play", () => run.play(), "Train until the number of steps is reached");
  const pause = btn("pause", "Pause", () => run.stop(), "End the stream: the server stops; Play goes on from the last snapshot");
  const step = btn("step", "Step", () => run.stepOnce(), "One step: one batch, forward, backward, update");
  const reset = btn("reset", "Reset", () => run.reset(), "Back to the initial weights");
  const bar = h("progress", { class: "train-progress", "data-train-progress": "", max: 1, value: 0, "aria-label": "Training progress" });
  const status = h("p", { class: "train-status", "data-train-status": "", role: "status", "aria-live": "polite" });
  const scrub = h("input", { type: "range", class: "train-scrub", "data-train-scrub": "", min: 0, max: 0, step: 1, value: 0, "aria-label": "History: the step shown" });
  const scrubText = h("span", { class: "scrub-text", "data-scrub-text": "" });
  const open = btn("open-step", "Open step in the player", () => run.openStep(Math.max(1, run.shown().step)), "Replay this step exactly in the step-by-step player");
  const settings = h("div", { class: "train-settings", "data-train-settings": "" });
  const mapBox = h("div", { class: "train-map-box" });
  const chartBox = h("div", { class: "train-charts" });
  root.append(
    h("div", { class: "train-bar" }, play, pause, step, reset, bar, status),
    h("div", { class: "train-bar" }, h("span", { class: "scrub-label", text: "History" }), scrub, scrubText, open),
    h("div", { class: "train-body" }, settings, mapBox, chartBox),
  );
  root.classList.add("train-view");
  scrub.addEventListener("input", () => run.scrub(Number(scrub.value)));
  addEventListener("pagehide", () => run.stop()); // a closed page stops the work on the server

  mountTrainData(settings, run, store);
  const map = mountTrainMap(mapBox);
  const weights = mountTrainWeights(mapBox);
  mountTrainCharts(chartBox, run);

  let mapSize = 320;
  // The map is square: as wide as its column, and short enough that the neurons' maps show under it.
  new ResizeObserver(([entry]) => {
    const font = parseFloat(getComputedStyle(root).fontSize) || 16;
    const room = root.clientHeight - (mapBox.offsetTop - root.offsetTop) - font * 4;
    mapSize = Math.floor(Math.max(200, Math.min(entry.contentRect.width, room, 640)));
    draw("resize");
  }).observe(mapBox);

  const label = (l, u) => {
    const sym = store.state.explanation?.symbols?.[`z:${l},${u}`];
    return sym && store.state.request?.network.layers.length === run.state.adapted?.network.layers.length ? symbolText(sym) : `unit ${u}`;
  };

  function draw(reason) {
    if (!isShown(store, "train")) return;
    const s = run.state;
    const h_ = s.history;
    const last = lastStep(h_);
    const { step: shownStep, snapshot } = run.shown();
    const font = parseFloat(getComputedStyle(root).fontSize) || 16;
    if (reason !== "progress") { // the maps change with snapshots, not with every step
      map.draw({ dataset: s.dataset, snapshot, size: mapSize, font, probability: s.adapted?.network.loss !== "mse" && s.dataset?.task === "classification",
        classes: s.dataset?.classes ?? 2, label, dying: (l) => store.state.reg?.activations.get(snapshot?.network.layers[l]?.activation) });
      weights.draw(snapshot);
    }
    play.disabled = !run.canTrain || last >= s.steps || h_.diverged !== null;
    pause.disabled = !s.running;
    step.disabled = !run.canTrain || h_.diverged !== null;
    reset.disabled = !s.dataset || (last === 0 && !s.running);
    bar.max = s.steps;
    bar.value = Math.min(last, s.steps);
    scrub.max = String(last);
    scrub.value = String(shownStep);
    scrub.disabled = last === 0;
    scrubText.textContent = last ? `step ${shownStep} of ${last}${snapshot && snapshot.step !== shownStep ? ` (map of step ${snapshot.step})` : ""}` : "no steps yet";
    scrubText.dataset.step = String(shownStep);
    open.textContent = `Open step ${Math.max(1, shownStep)} in the player`;
    open.disabled = last === 0 || s.running || s.replaying;
    status.textContent = statusText(s, last);
    status.classList.toggle("bad", h_.diverged !== null || Boolean(s.error));
  }

  run.addEventListener("change", (e) => draw(e.detail.reason));
  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    document.documentElement.toggleAttribute("data-train-shown", isShown(store, "train"));
    // The data set is fetched the first time the tab is shown with a network in the page.
    if (isShown(store, "train") && !run.asked && store.state.request && store.state.reg) {
      run.asked = true;
      run.setData({});
    }
    if (reason === "tab" || reason === "theme" || reason === "present") draw(reason);
    // A new shape of network in the page (a preset, the Build panel): the next run trains it, from
    // a fresh history — unless it is the step this panel just opened in the player.
    if (reason === "request" && store.state.request?.network !== run.opened) {
      networkKey(store) !== run.networkKey && run.state.dataset && run.networkChanged();
    }
    run.networkKey = networkKey(store);
  });
  return { run };
}

const networkKey = (store) => {
  const net = store.state.request?.network;
  return net ? JSON.stringify([net.inputs, net.loss, net.layers.map((l) => [l.units, l.activation])]) : null;
};

function statusText(s, last) {
  const h = s.history;
  if (s.error) return `⚠ ${s.error}`;
  if (h.diverged !== null) return `Diverged at step ${h.diverged}: the loss is not finite (NaN or ∞). Lower the learning rate ε and press Reset.`;
  const line = h.steps.at(-1);
  const acc = line?.accuracy != null ? ` · accuracy ${fmtPercent(line.accuracy)}` : "";
  const loss = line ? `L = ${fmt(line.loss)}${acc}` : "";
  if (s.replaying) return "Replaying to the chosen step…";
  if (s.running) return `Training… step ${last} of ${s.steps}${loss ? ` · ${loss}` : ""}`;
  if (h.done?.reason === "server_stopping") return `Stopped at step ${last}: the server is shutting down. Press Play to go on when it is back. ${loss}`;
  if (h.done?.reason === "time_limit") return `Stopped at step ${last}: the server's time limit for a run. Press Play to go on. ${loss}`;
  if (last >= s.steps) return `Finished ${last} steps · ${loss}`;
  if (last > 0) return `Paused at step ${last} · ${loss}`;
  return s.dataset ? "Ready: press Play, or Step for one batch." : "Loading the data…";
}
