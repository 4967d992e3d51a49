// A composite widget for the keyboard: a set of cells (a tensor's numbers, the autograd graph's
// nodes) is one tab stop; the arrow keys move to the nearest cell on screen that way (across
// matrices and wrapped rows alike), Home and End to the first and the last, Enter or Space does
// what a click does. The cell in hand keeps the tab stop when the view redraws its cells.

import { setAttrs } from "./dom.js";

const ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

const shown = (el) => el.getClientRects().length > 0;
const centre = (el) => {
  const r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
};

/**
 * The cell nearest `from` in direction [dx, dy] among `cells` (screen geometry), or null: the
 * nearest of those in the same row (for left and right; the same column for up and down), else
 * the nearest that way, a step across counting three times a step along.
 */
export function nearest(from, cells, [dx, dy]) {
  const a = from.getBoundingClientRect();
  const ca = centre(from);
  let best = null;
  let bestScore = Infinity;
  for (const el of cells) {
    if (el === from) continue;
    const r = el.getBoundingClientRect();
    const b = centre(el);
    const along = (b.x - ca.x) * dx + (b.y - ca.y) * dy;
    if (along < 1) continue;
    const across = Math.abs((b.x - ca.x) * dy) + Math.abs((b.y - ca.y) * dx);
    const inLine = dx ? r.top < a.bottom - 1 && r.bottom > a.top + 1 : r.left < a.right - 1 && r.right > a.left + 1;
    const score = inLine ? along + across / 10 : 1e6 + along + 3 * across;
    if (score < bestScore) [best, bestScore] = [el, score];
  }
  return best;
}

/**
 * Make the elements matching `selector` inside `container` one tab stop. `key(el)` names a cell
 * across redraws; `activate(el)` is Enter or Space; `onFocus(el | null)` follows the cell in hand
 * (null when the focus leaves). Returns `sync()`: call it after the cells are redrawn.
 */
export function roving(container, selector, { key, activate, onFocus = () => {} }) {
  let current = null; // the key of the cell holding the tab stop
  const cells = () => [...container.querySelectorAll(selector)].filter(shown);

  function sync() {
    const all = cells();
    const mine = all.find((el) => key(el) === current) ?? all[0] ?? null;
    for (const el of container.querySelectorAll(selector)) setAttrs(el, { tabindex: el === mine ? "0" : "-1" });
    current = mine ? key(mine) : null;
    return mine;
  }

  // The tab stop goes to `el` (the cell that had it gives it up).
  function hold(el) {
    for (const other of container.querySelectorAll(`${selector}[tabindex="0"]`)) if (other !== el) other.setAttribute("tabindex", "-1");
    setAttrs(el, { tabindex: "0" });
    current = key(el);
  }

  function move(el, scroll = true) {
    hold(el);
    el.focus({ preventScroll: !scroll });
    if (scroll) el.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }

  container.addEventListener("keydown", (e) => {
    const from = e.target.closest?.(selector);
    if (!from || !container.contains(from) || e.altKey || e.ctrlKey || e.metaKey) return;
    let to = null;
    if (ARROWS[e.key]) to = nearest(from, cells(), ARROWS[e.key]);
    else if (e.key === "Home") to = cells()[0];
    else if (e.key === "End") to = cells().at(-1);
    else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      e.stopPropagation();
      activate(from);
      return;
    } else return;
    // The arrows stay in the widget (the page's own arrow keys step the player).
    e.preventDefault();
    e.stopPropagation();
    if (to) move(to);
  });
  // A click does what it did (a cell's click handler) without taking the focus there, so the page's
  // arrow keys still step the player, unless the keyboard is already in the widget.
  container.addEventListener("mousedown", (e) => {
    const el = e.target.closest?.(selector);
    if (!el) return;
    if (container.contains(document.activeElement) && document.activeElement !== container) move(el, false);
    else e.preventDefault();
  });
  container.addEventListener("focusin", (e) => {
    const el = e.target.closest?.(selector);
    if (!el) return;
    if (key(el) !== current) hold(el);
    onFocus(el);
  });
  container.addEventListener("focusout", (e) => {
    if (!container.contains(e.relatedTarget)) onFocus(null);
  });
  return sync;
}
