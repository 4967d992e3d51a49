// The explanation panel: the current step's formula in symbols, then with the numbers
// substituted, then its value, as MathML; every token that lives in the diagram can be
// hovered or focused to highlight it there.

import { fmt } from "../format.js";
import { explanationLines, splitTerms, tokensToNodes } from "../mathtokens.js";
import { PHASE_NAMES } from "../progress.js";
import { symbolText, text as plainText } from "../render/text.js";
import { KIND_TITLES, sentence } from "../words.js";
import { h, mathRow, morph, sameShape, setText } from "./dom.js";

export function mountExplain(root, store) {
  const head = h("p", { class: "explain-head", "data-step-head": "" });
  const title = h("h2", { class: "explain-title" });
  const math = h("div", { class: "formula", "data-formula": "" });
  const text = h("p", { class: "explain-text", "data-explain-text": "" });
  const batch = h("p", { class: "explain-batch", "data-batch-note": "" });
  root.append(head, title, math, text, batch);
  let shownKey = null;
  let shownNumbers = null; // the numbers the formula on screen shows (numbersOf)
  let fitting = false;

  const hover = (e) => {
    const ref = e.target.closest?.("[data-ref]")?.getAttribute("data-ref") ?? null;
    store.setHighlight(ref);
  };
  math.addEventListener("pointerover", hover);
  math.addEventListener("focusin", hover);
  math.addEventListener("pointerleave", () => store.setHighlight(null));
  math.addEventListener("focusout", () => store.setHighlight(null));

  store.addEventListener("change", (e) => {
    // Every number here comes from the answer: an edit repaints when its answer arrives.
    if (["highlight", "pending", "editing", "playing", "request"].includes(e.detail.reason)) return;
    const { response, step, reg } = store.state;
    const steps = store.steps;
    const st = response ? steps[step] : null;
    if (!st) {
      head.textContent = response ? "Nothing to show" : "Loading…";
      return;
    }
    // Same step of the same structure: leave the symbols (and any focused token) alone; a new
    // answer replaces only the lines with numbers.
    const key = JSON.stringify([step, store.state.explanation.key]);
    if (key === shownKey && e.detail.reason !== "response") return;
    const value = (a) => store.value(a);
    const ctx = { value, element: (a) => store.element(a) };
    const numbersOnly = key === shownKey;
    // An answer that changed none of this step's numbers (an edit elsewhere in the network)
    // leaves the formula as it is: nothing to build, compare or lay out.
    const numbers = numbersOf(st, value);
    const same = numbersOnly && numbers === shownNumbers;
    const rows = same ? [] : formula(st, ctx, numbersOnly);
    shownNumbers = numbers;
    let refit = !same;
    if (!numbersOnly) {
      head.textContent = `Step ${step + 1} of ${steps.length} · ${PHASE_NAMES[st.phase]}`;
      root.dataset.phase = st.phase;
      title.textContent = KIND_TITLES[st.kind] ?? st.kind;
      math.replaceChildren(...rows);
    } else if (!same) {
      const old = [...math.querySelectorAll("[data-line=numbers], [data-line=value]")].flatMap((row) => [row.previousElementSibling, row]);
      const before = old.reduce((n, row) => n + row.textContent.length, 0);
      // The same formula with other numbers: its text changes in place where the rows keep their shape.
      const inPlace = old.length === rows.length && rows.every((row, i) => sameShape(old[i], row));
      if (inPlace) rows.forEach((row, i) => morph(old[i], row));
      else {
        for (const row of old) row.remove();
        math.append(...rows);
      }
      // Measuring forces a layout of the whole page: skip it when the numbers got no longer
      // (digits are all as wide), so a drag or a typed value costs one layout, not two.
      refit = rows.reduce((n, row) => n + row.textContent.length, 0) > before;
    }
    shownKey = key;
    // Measured at the next frame, when the layout is done once for every view's changes
    // (measuring here would force a layout of the whole page now, and the frame another).
    if (refit && !fitting) {
      fitting = true;
      const fresh = !numbersOnly;
      requestAnimationFrame(() => {
        fitting = false;
        fit(math, fresh);
        showResult(root, math, fresh);
      });
    }
    const symbol = (s) => symbolText(s.lhs.find((t) => t.t === "sym") ?? { s: "" });
    setText(text, sentence(st, { reg, value, fmt, symbol }));
    if (st.contribution !== null && st.contribution !== undefined) {
      batch.hidden = false;
      batch.replaceChildren(
        h("span", { text: "This sample's share: " }),
        h("strong", { "data-batch-share": "", text: fmt(value(st.contribution)) }),
        h("span", { text: ". Summed over the batch of " + (st.words?.args?.samples ?? "") + ": " }),
        mathRow(tokensToNodes(st.lhs, false, false, ctx)),
        h("span", { text: " = " }),
        h("strong", { "data-batch-total": "", text: fmt(value(st.value)) }),
      );
    } else {
      batch.hidden = true;
      batch.replaceChildren();
    }
    // The same formula as plain text, for screen readers.
    const last = st.forms.at(-1);
    const said = [plainText(st.lhs), st.rel, ...st.forms.map((f) => plainText(f))].join(" ");
    root.setAttribute("aria-label", `${said}; ${plainText(last, { numeric: true, value, fmt })} = ${fmt(value(st.contribution ?? st.value))}`);
  });
}

// Every number the step's numeric lines write, in order, as one string (-0 kept apart from 0).
function numbersOf(st, value) {
  const exactly = (v) => (Object.is(v, -0) ? "-0" : String(v));
  return explanationLines(st, value).filter((line) => line.numeric)
    .flatMap((line) => line.tokens.map((t) => exactly(t.a != null ? value(t.a) : t.v))).join(" ");
}

const ELIDE_FROM = 5; // terms in a line of symbols from which its middle ones may be elided

// lhs rel form₁ = form₂ = numbers = value: a grid whose left column holds the lhs or "=".
function formula(st, ctx, numbersOnly = false) {
  const rows = [];
  explanationLines(st, ctx.value).forEach((line, i) => {
    if (numbersOnly && !line.numeric) return;
    const rel = { tag: "mo", text: line.rel };
    const left = mathRow(i === 0 ? [...tokensToNodes(st.lhs, false, false, ctx), rel] : [rel]);
    const terms = line.result ? [line.tokens] : splitTerms(line.tokens);
    const right = terms.map((term, k) => {
      // A product too long for the panel (a projector at 1024 px) may break between its
      // factors, and only then: its factors sit in one box that wraps when it must.
      const factors = line.numeric ? splitTerms(term, true) : [term];
      const rows = factors.map((f, j) => mathRow(tokensToNodes(f, line.numeric, k > 0 || j > 0, ctx)));
      return rows.length > 1 ? h("span", { class: "term" }, ...rows) : rows[0];
    });
    // A long sum in symbols (a wide layer's weighted sum) can show its first and last terms
    // around "+ …" when the formula is taller than its panel (see fit); the numbers line keeps them all.
    if (!line.numeric && right.length > ELIDE_FROM) {
      right.slice(2, -2).forEach((node) => node.classList.add("elided"));
      right.splice(2, 0, mathRow([{ tag: "mo", text: "+", attrs: { form: "infix" } }, { tag: "mi", text: "…", attrs: { mathvariant: "normal" } }], { class: "ellipsis", "aria-hidden": "true" }));
    }
    const cls = line.result ? "rhs result" : line.numeric ? "rhs numbers" : "rhs";
    rows.push(h("div", { class: "lhs" }, left));
    rows.push(h("div", { class: cls, "data-line": line.result ? "value" : line.numeric ? "numbers" : "symbols", "data-rel": i ? line.rel : null }, ...right));
  });
  return rows;
}

// A formula taller than its panel (a wide layer's weighted sum at 24 px on a small projector):
// the panel scrolls for the result to show at its bottom edge, hiding whole lines at the top
// (the fewest it can), never half of one; a new step starts from the top.
function showResult(panel, math, fresh) {
  if (fresh) panel.scrollTop = 0;
  const result = math.querySelector("[data-line=value]");
  if (!result || panel.scrollHeight <= panel.clientHeight + 1) return;
  const box = panel.getBoundingClientRect();
  const below = result.getBoundingClientRect().bottom - box.bottom;
  if (below <= 0) return;
  const need = panel.scrollTop + below + 6;
  const origin = box.top - panel.scrollTop + 4; // where scrollTop 0 puts the content, less a margin
  // (the formula's rows are display: contents: their cells have the boxes)
  const boxes = [...panel.children, ...math.querySelectorAll(":scope > *, :scope > * > *")].map((el) => el.getBoundingClientRect());
  const lines = boxes.filter((r) => r.height > 0).map((r) => r.top - origin);
  panel.scrollTop = Math.ceil(lines.filter((top) => top >= need).sort((a, b) => a - b)[0] ?? need);
}

// Shrink the formula until its widest line fits the panel (never below the mode's minimum:
// 24 px in presentation mode), so a long product is not cut off.
function fit(math, fresh = true) {
  // A new formula starts from the panel's size; new numbers in the same formula keep the size
  // it was given (so a live edit is one measurement, not a reset and a second layout).
  if (fresh) math.style.fontSize = "";
  math.classList.remove("wrap-products", "lhs-above", "compact-sums");
  const min = document.documentElement.hasAttribute("data-presenting") ? 24 : 15;
  let size = parseFloat(getComputedStyle(math).fontSize);
  // The formula's width scales with the font: one measurement gives the size that fits
  // (each measurement is a layout, so no step-by-step search); a last check corrects rounding.
  for (let tries = 0; tries < 3 && math.scrollWidth > math.clientWidth + 1 && size > min; tries++) {
    size = Math.max(min, Math.floor(size * (math.clientWidth / math.scrollWidth)) - (tries ? 1 : 0));
    math.style.fontSize = `${size}px`;
  }
  // Still too wide at the smallest size: the left-hand side on a line of its own gives the
  // lines its width; only a product wider than that may break, between its factors.
  if (math.scrollWidth > math.clientWidth + 1) math.classList.add("lhs-above");
  if (math.scrollWidth > math.clientWidth + 1) math.classList.add("wrap-products");
  // Taller than the panel: a long sum in symbols shows its first and last terms around "+ …",
  // so the step's title and the numbers' line stay in view together (showResult scrolls the rest).
  const panel = math.parentElement;
  const result = math.querySelector("[data-line=value]");
  if (!panel || !result || !math.querySelector(".elided")) return;
  const top = panel.getBoundingClientRect().top - panel.scrollTop; // where the panel's content starts
  if (result.getBoundingClientRect().bottom - top > panel.clientHeight) math.classList.add("compact-sums");
}
