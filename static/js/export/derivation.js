// The current step's derivation for a slide or a handout: the formula in symbols, then with
// the numbers substituted, then the value, as LaTeX (an aligned block) or as plain text.
// Reuses the explanation's own lines and renderers. Pure: no DOM.

import { explanationLines } from "../mathtokens.js";
import { PHASE_NAMES } from "../progress.js";
import { latex } from "../render/latex.js";
import { text } from "../render/text.js";
import { KIND_TITLES } from "../words.js";

// The value line as a token the renderers look up by address (fmt, as the page shows it).
function lines(step, value) {
  const address = step.contribution ?? step.value;
  return explanationLines(step, value).map((line) =>
    line.result ? { ...line, tokens: [{ t: "sym", s: "", a: address }] } : line);
}

/** "Step k of n · Phase · Title". */
export function stepHeading(step, k, n) {
  return `Step ${k + 1} of ${n} · ${PHASE_NAMES[step.phase] ?? step.phase} · ${KIND_TITLES[step.kind] ?? step.kind}`;
}

/** The derivation as plain text, one line per row: lhs rel form, then "  = …" rows. */
export function derivationText(step, value, heading = "") {
  const out = heading ? [heading] : [];
  const lhs = text(step.lhs);
  const pad = " ".repeat([...lhs].length);
  lines(step, value).forEach((line, i) => {
    const right = text(line.tokens, { numeric: line.numeric, value });
    out.push(`${i === 0 ? lhs : pad} ${line.rel} ${right}`);
  });
  return `${out.join("\n")}\n`;
}

/** The derivation as a LaTeX aligned block (the heading as a comment). */
export function derivationLatex(step, value, heading = "") {
  const rel = (r) => latex([{ t: "op", s: r }]).trim();
  const rows = lines(step, value).map((line, i) =>
    `${i === 0 ? latex(step.lhs) : ""} &${rel(line.rel)} ${latex(line.tokens, { numeric: line.numeric, value })}`);
  const head = heading ? `% ${heading}\n` : "";
  return `${head}\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}\n`;
}

/**
 * The steps a handout shows (indices): every step of a small network; for a big one, the
 * first of each kind of step per layer — one representative neuron and weight per layer.
 */
export function handoutSteps(steps, limit = 80) {
  if (steps.length <= limit) return steps.map((_, i) => i);
  const seen = new Set();
  const keep = [];
  steps.forEach((st, i) => {
    const [quantity, indices = ""] = String(st.target ?? "").split(":");
    const key = [st.phase, st.kind, quantity, indices.split(",")[0]].join("|");
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(i);
    }
  });
  return keep;
}
