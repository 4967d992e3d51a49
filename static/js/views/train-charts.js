// The Train panel's charts, one at a time under small tabs: the loss (train and test) and
// the accuracy; the gradient health (‖∂L/∂W‖ per layer on a log scale, so vanishing
// gradients show); the optimizer's internals for a chosen parameter (its trajectory, its
// gradient and the state behind each step: velocity, or Adam's m, v and m̂, v̂) and SGD,
// momentum and Adam compared from the same initial weights.

import { gradNormSeries, series, watchSeries } from "../train/history.js";
import { parameterAddresses } from "../train/adapt.js";
import { OPTIMIZERS } from "../trainrun.js";
import { fmt, fmtPercent } from "../format.js";
import { h, svg } from "./dom.js";
import { drawChart } from "./train-linechart.js";

const TABS = [["loss", "Loss"], ["grads", "Gradients"], ["optimizer", "Optimizer"]];
const STATE_NAMES = { momentum_buffer: "velocity b", exp_avg: "m", exp_avg_sq: "v", m_hat: "m̂", v_hat: "v̂", mhat: "m̂", vhat: "v̂" };

export function mountTrainCharts(root, run) {
  let tab = "loss";
  const buttons = TABS.map(([id, title]) => h("button", { type: "button", "data-chart-tab": id, "aria-pressed": String(id === tab),
    onclick: () => { tab = id; paint(); } }, title));
  const param = h("select", { "data-train-control": "param", "aria-label": "Parameter" });
  param.addEventListener("change", () => run.set({ param: param.value }, "param"));
  const compare = h("button", { type: "button", "data-train-control": "compare", onclick: () => run.compare(param.value) }, "Compare optimizers");
  const paramRow = h("div", { class: "chart-tools" }, h("label", { class: "field" }, h("span", { class: "field-label", text: "Parameter" }), param), compare);
  // Vanishing gradients in one click: the deep sigmoid stack, trained on the data shown.
  const vanish = h("button", { type: "button", "data-train-control": "vanishing", onclick: () => run.example("deep-sigmoid"),
    title: "Load the preset “Vanishing gradients” (2 → five sigmoid layers of 4 → 1) and train it on this data" }, "Example: deep sigmoid stack");
  const gradsRow = h("div", { class: "chart-tools" }, vanish,
    h("span", { class: "chart-note", text: "Each sigmoid multiplies the gradient by σ′ ≤ 0.25: the first layers’ lines sit far below the last’s." }));
  const readout = h("p", { class: "chart-readout", "data-chart-readout": "", "aria-live": "polite" });
  const charts = h("div", { class: "charts" });
  root.append(h("div", { class: "chart-tabs", role: "group", "aria-label": "Charts" }, ...buttons), paramRow, gradsRow, charts, readout);

  const chart = (key) => svg("svg", { class: "chart", "data-chart": key, role: "img" });
  const els = { loss: chart("loss"), accuracy: chart("accuracy"), grads: chart("grads"), traj: chart("trajectory"), state: chart("state"), compare: chart("compare") };
  // Sized from the box's width and the window's height (the box's own height follows its charts).
  let width = 400;
  new ResizeObserver(([entry]) => {
    if (Math.abs(entry.contentRect.width - width) < 1) return;
    width = entry.contentRect.width;
    paint();
  }).observe(charts);

  function paint() {
    const s = run.state;
    const hist = s.history;
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.chartTab === tab));
    paramRow.hidden = tab !== "optimizer";
    gradsRow.hidden = tab !== "grads";
    const font = parseFloat(getComputedStyle(root).fontSize) || 16;
    const w = Math.max(200, Math.floor(width));
    const size = { height: Math.max(240, innerHeight * 0.42) };
    const marker = s.cursor;
    const shown = [];
    if (tab === "loss") {
      const classify = s.dataset?.task === "classification";
      const hh = Math.max(font * 9, Math.floor((size.height - 8) * (classify ? 0.6 : 1)));
      drawChart(els.loss, [
        { key: "loss", label: "train loss", cls: "s0", points: series(hist, (l) => l.loss) },
        { key: "test_loss", label: "test loss", cls: "s1", points: series(hist, (l) => l.test_loss) },
      ].filter((x) => x.points.length || x.key === "loss"), { width: w, height: hh, font, marker, title: "Loss L per step" });
      shown.push(els.loss);
      if (classify) {
        drawChart(els.accuracy, [
          { key: "accuracy", label: "train", cls: "s0", points: series(hist, (l) => l.accuracy) },
          { key: "test_accuracy", label: "test", cls: "s1", points: series(hist, (l) => l.test_accuracy) },
        ].filter((x) => x.points.length || x.key === "accuracy"), { width: w, height: Math.max(font * 7, Math.floor((size.height - 8) * 0.4)), font, marker, yDomain: [0, 1], title: "Accuracy" });
        shown.push(els.accuracy);
      }
    } else if (tab === "grads") {
      const layers = gradNormSeries(hist);
      drawChart(els.grads, layers.map((points, l) => ({ key: `layer-${l + 1}`, label: `layer ${l + 1}`, cls: `s${l % 6}`, points })),
        { width: w, height: Math.max(180, size.height - 4), font, marker, log: true, title: "‖∂L/∂W‖ per layer (log scale)" });
      shown.push(els.grads);
    } else {
      fillParams(param, s);
      const address = param.value;
      const watched = watchSeries(hist, address);
      const hh = Math.max(font * 8, Math.floor((size.height - 8) / (s.compare ? 3 : 2))); // the panel scrolls rather than squash them
      drawChart(els.traj, [{ key: "value", label: "value", cls: "s0", points: watched.value }, { key: "grad", label: "gradient", cls: "s1", points: watched.grad }],
        { width: w, height: hh, font, marker, title: watched.value.length || !hist.steps.length ? `${address} per step` : `${address}: not followed in this run (Reset, Play)` });
      const keys = Object.keys(watched.state).filter((k) => k !== "step");
      drawChart(els.state, keys.map((k, i) => ({ key: k, label: STATE_NAMES[k] ?? k, cls: `s${(i + 2) % 6}`, points: watched.state[k] })),
        { width: w, height: hh, font, marker, title: keys.length ? "Its optimizer state" : "SGD keeps no state: a step is −ε·gradient" });
      shown.push(els.traj, els.state);
      if (s.compare) {
        const runs = s.compare.runs.map((r, i) => ({ key: r.kind, label: OPTIMIZERS.find(([k]) => k === r.kind)[1].replace(/ \(.*/, ""), cls: `s${i}`, points: watchSeries(r.history, s.compare.address).value }));
        drawChart(els.compare, runs, { width: w, height: hh, font, title: `${s.compare.address}, same start${s.compare.running ? " (running…)" : ""}` });
        shown.push(els.compare);
      }
    }
    charts.replaceChildren(...shown);
    const last = hist.steps.at(-1);
    readout.textContent = last ? `Step ${last.step}: L = ${fmt(last.loss)}${last.accuracy != null ? `, accuracy ${fmtPercent(last.accuracy)}` : ""}` : "";
    compare.disabled = !run.canTrain;
    vanish.disabled = s.running || !s.dataset;
  }

  function fillParams(select, s) {
    const list = s.adapted ? parameterAddresses(s.adapted.network) : [];
    if (select.options.length !== list.length || [...select.options].some((o, i) => o.value !== list[i])) {
      select.replaceChildren(...list.map((a) => h("option", { value: a, text: a })));
    }
    if (s.param) select.value = s.param;
  }

  run.addEventListener("change", paint);
  return { paint };
}
