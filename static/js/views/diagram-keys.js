// The diagram as ONE keyboard widget: one tab stop (roving tabindex), arrow keys move between
// its neurons, weights, biases, targets and the loss; +/− nudge the focused value, Enter or
// Space edits it (views/editing.js listens for those). Tab leaves the diagram; outside it
// ←/→ step the player as before.
//
// Each focusable element carries data-col (its column: inputs, weights of layer 1, layer 1's
// neurons and biases, …, targets, loss); ↑/↓ move within a column, ←/→ to the neighbouring
// column's element nearest in height.

import { setAttrs } from "./dom.js";

const FOCUSABLE = "[data-col]";

const shown = (el) => el.getAttribute("display") !== "none" && !el.closest("[display=none]");
const centre = (el) => {
  const r = el.getBoundingClientRect();
  return r.top + r.height / 2;
};

/** Make `active` (or, if gone, the first element) the diagram's one tab stop. */
export function rove(svgEl, activeId = null) {
  const items = [...svgEl.querySelectorAll(FOCUSABLE)].filter(shown);
  const keep = items.find((el) => el.dataset.ref === activeId) ?? items[0];
  for (const el of svgEl.querySelectorAll(FOCUSABLE)) el.setAttribute("tabindex", el === keep ? "0" : "-1");
  return keep;
}

/** The element the arrow `key` moves to from `from`, or null at an edge of the drawing. */
export function neighbour(svgEl, from, key) {
  const items = [...svgEl.querySelectorAll(FOCUSABLE)].filter(shown);
  const cols = [...new Set(items.map((el) => Number(el.dataset.col)))].sort((a, b) => a - b);
  const col = Number(from.dataset.col);
  const inCol = (c) => items.filter((el) => Number(el.dataset.col) === c);
  if (key === "ArrowUp" || key === "ArrowDown") {
    const same = inCol(col);
    const i = same.indexOf(from);
    return same[i + (key === "ArrowDown" ? 1 : -1)] ?? null;
  }
  const c = cols[cols.indexOf(col) + (key === "ArrowRight" ? 1 : -1)];
  if (c === undefined) return null;
  const y = centre(from);
  let best = null;
  for (const el of inCol(c)) if (!best || Math.abs(centre(el) - y) < Math.abs(centre(best) - y)) best = el;
  return best;
}

export function mountDiagramKeys(root) {
  let active = null; // data-ref of the element that holds the tab stop, kept across rebuilds
  root.addEventListener("focusin", (e) => {
    const el = e.target.closest?.(FOCUSABLE);
    if (!el) return;
    active = el.dataset.ref;
    // Only the elements whose tab stop changes are written (each write invalidates the style).
    for (const other of el.closest("svg").querySelectorAll('[data-col][tabindex="0"]')) if (other !== el) other.setAttribute("tabindex", "-1");
    setAttrs(el, { tabindex: "0" });
  });
  root.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !e.key.startsWith("Arrow")) return;
    const el = e.target.closest?.(FOCUSABLE);
    if (!el) return;
    e.preventDefault(); // inside the diagram the arrows move; the player keeps its other keys
    e.stopPropagation();
    const next = neighbour(el.closest("svg"), el, e.key);
    next?.focus();
  });
  return { rebuilt: (svgEl) => rove(svgEl, active) };
}
