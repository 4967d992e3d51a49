// The Train panel's settings: the data set (six generated sets and the user's own table,
// typed or pasted as CSV and checked here, row and column named), its size, noise, test
// share and seed; the optimizer, its learning rate, the batch size and the number of steps.

import { describeError, parseTable } from "../train/csv.js";
import { DATASETS, OPTIMIZERS } from "../trainrun.js";
import { h } from "./dom.js";

const BATCHES = [["", "full batch"], ["1", "1"], ["4", "4"], ["8", "8"], ["16", "16"], ["32", "32"], ["64", "64"]];

export function mountTrainData(root, run, store) {
  const field = (text, input, attrs = {}) => h("label", { class: "field", ...attrs }, h("span", { class: "field-label", text }), input);
  const num = (control, attrs) => {
    const input = h("input", { type: "number", "data-train-control": control, ...attrs });
    input.addEventListener("keydown", (e) => e.key === "Enter" && input.blur());
    return input;
  };
  const source = h("select", { "data-train-control": "dataset" }, ...DATASETS.map(([v, t]) => h("option", { value: v, text: t })));
  const n = num("n", { min: 4, max: 1000, step: 1 });
  const noise = num("noise", { min: 0, max: 1, step: 0.05 });
  const seed = num("seed", { min: 0, step: 1 });
  const testFraction = num("test-fraction", { min: 0, max: 0.9, step: 0.1 });
  const genFields = h("div", { class: "gen-fields" }, field("Samples n", n), field("Noise", noise), field("Seed", seed));
  const table = h("textarea", { "data-train-control": "table", rows: 6, spellcheck: "false", "aria-describedby": "table-errors",
    "aria-label": "Your samples as CSV: one row per sample, the inputs then the target; a header row is optional" });
  const useTable = h("button", { type: "button", "data-train-control": "use-table" }, "Use this table");
  const tableErrors = h("ul", { id: "table-errors", class: "table-errors", "data-table-errors": "", role: "alert" });
  const tableBox = h("div", { class: "table-box" },
    h("p", { class: "hint", text: "One sample per row: the inputs, then the target (a class 0/1 or a value). Paste from a spreadsheet." }),
    table, useTable, tableErrors);

  const kind = h("select", { "data-train-control": "optimizer" }, ...OPTIMIZERS.map(([v, t]) => h("option", { value: v, text: t })));
  const lr = num("lr", { min: 0, step: "any" });
  const batch = h("select", { "data-train-control": "batch" }, ...BATCHES.map(([v, t]) => h("option", { value: v, text: t })));
  const steps = num("steps", { min: 1, max: 5000, step: 1 });
  const dataError = h("p", { class: "train-error", "data-data-error": "", role: "alert" });
  const changes = h("p", { class: "train-changes", "data-train-changes": "", role: "status" });

  root.append(
    changes,
    h("h3", { text: "Data" }), field("Data set", source), genFields, tableBox, field("Test share", testFraction), dataError,
    h("h3", { text: "Training" }), field("Optimizer", kind), field("Learning rate ε", lr), field("Batch", batch), field("Steps", steps),
  );

  const int = (input, lo, hi) => Math.min(hi, Math.max(lo, Math.round(Number(input.value))));
  source.addEventListener("change", () => run.setData({ source: source.value }, source.value === "table" ? tryTable() : null));
  for (const [input, key, f] of [[n, "n", () => int(n, 4, 1000)], [noise, "noise", () => Math.min(1, Math.max(0, Number(noise.value) || 0))],
    [seed, "seed", () => int(seed, 0, 2 ** 31 - 1)], [testFraction, "testFraction", () => Math.min(0.9, Math.max(0, Number(testFraction.value) || 0))]]) {
    input.addEventListener("change", () => run.setData({ [key]: f() }, run.state.source === "table" ? tryTable() : null));
  }
  kind.addEventListener("change", () => run.set({ kind: kind.value }, "settings"));
  lr.addEventListener("change", () => {
    const v = Number(lr.value);
    if (v > 0 && Number.isFinite(v)) run.set({ lr: { ...run.state.lr, [run.state.kind]: v } }, "settings");
  });
  batch.addEventListener("change", () => run.set({ batchSize: batch.value ? Number(batch.value) : null }, "settings"));
  steps.addEventListener("change", () => run.set({ steps: int(steps, 1, 5000) }, "settings"));
  useTable.addEventListener("click", () => { const t = tryTable(); if (t) run.setData({ source: "table" }, t); });

  // The table, checked in the page: its mistakes are listed by row and column, and nothing is sent.
  function tryTable() {
    const limits = store.state.reg?.limits ?? {};
    const parsed = parseTable(table.value, { maxSamples: limits.max_samples ?? 1024, maxInputs: limits.max_inputs ?? 64 });
    tableErrors.replaceChildren(...(parsed.errors ?? []).slice(0, 5).map((e) => h("li", { "data-table-error": "", text: describeError(e) })));
    table.toggleAttribute("aria-invalid", Boolean(parsed.errors));
    run.state.table = table.value;
    return parsed.errors ? null : parsed;
  }

  function paint() {
    const s = run.state;
    if (document.activeElement !== source) source.value = s.source;
    const showNumbers = (input, v) => { if (document.activeElement !== input) input.value = String(v); };
    showNumbers(n, s.n); showNumbers(noise, s.noise); showNumbers(seed, s.seed); showNumbers(testFraction, s.testFraction);
    showNumbers(lr, s.lr[s.kind]); showNumbers(steps, s.steps);
    if (!table.value) table.value = s.table;
    kind.value = s.kind;
    batch.value = s.batchSize === null ? "" : String(s.batchSize);
    genFields.hidden = s.source === "table";
    tableBox.hidden = s.source !== "table";
    dataError.textContent = s.dataError ? `⚠ ${s.dataError}` : "";
    changes.textContent = s.adapted?.changes.length ? `Trained network: ${s.adapted.changes.join("; ")}.` : "";
    for (const el of [source, n, noise, seed, testFraction, table, useTable, kind, lr, batch, steps]) el.disabled = s.running;
  }
  run.addEventListener("change", (e) => { if (e.detail.reason !== "progress") paint(); });
  paint();
}
