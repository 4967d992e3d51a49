// A matrix of numbers by address, as the slides draw one: brackets, its symbol above and its
// shape below. Shared by the tensor, module and graph views. Cells carry data-address (the
// quantity), data-ref (the diagram element it belongs to) and, once painted, data-value (the
// full-precision number) so hovers, the player and tests can find them.

import { exact, fmt, fmtShort } from "../format.js";
import { shapeText } from "../tensorforms.js";
import { h, setAttrs, setText } from "./dom.js";

// More cells than this and a matrix shows two decimals (the full value stays in the title).
const SHORT_ABOVE = 24;

/** A matrix element for a term {symbol, cells, t, kind, shape}; `element(address)` names its diagram element. */
export function matrixEl(term, element) {
  const count = term.cells.reduce((n, row) => n + row.length, 0);
  // A single row wraps when it is wider than the panel (as NumPy prints a long row); its shape says what it is.
  const oneRow = term.cells.length === 1 && count > 1 ? " one-row" : "";
  const table = h("table", { class: `matrix kind-${term.kind}${oneRow}`, "data-matrix": term.symbol });
  const cells = [];
  for (const row of term.cells) {
    const tr = h("tr");
    for (const address of row) {
      const td = h("td", { "data-address": address, "data-ref": element(address) });
      cells.push({ td, address });
      tr.append(td);
    }
    table.append(tr);
  }
  const symbol = h("div", { class: "m-symbol" }, term.symbol, term.t ? h("sup", { text: "T" }) : null);
  const shape = h("div", { class: "m-shape", "data-shape": "" }, `${shapeText(term.shape)}${term.t ? "ᵀ" : ""}`);
  const el = h("figure", { class: "m" }, symbol, table, shape);
  return { el, cells, short: count > SHORT_ABOVE };
}

/** Write the numbers (value(address) → number | undefined) into a matrix's cells. */
export function paintMatrix(m, value) {
  const f = m.short ? fmtShort : fmt;
  for (const { td, address } of m.cells) {
    const v = value(address);
    const known = v !== undefined && v !== null;
    setText(td, known ? f(v) : "—");
    setAttrs(td, { "data-value": known ? exact(v) : null, title: known ? `${address} = ${fmt(v)}` : `${address}: not computed` });
    td.classList.toggle("neg", known && (typeof v === "number" ? v < 0 : v === "-Infinity"));
  }
}

/**
 * Mark the cells of the player's step (its target, the numbers its formula uses), the element
 * or tensor hovered and the element selected in any view (`link`: linking.js linkMarks), and
 * the parameter tensor picked in the graph (`selected`, "W:1").
 */
export function markCells(cells, { target = null, refs = new Set(), link = null, selected = null } = {}) {
  for (const { td, address } of cells) {
    td.classList.toggle("current", address === target);
    td.classList.toggle("in-formula", address !== target && refs.has(address));
    const m = link ? link.ref(td.dataset.ref) : { hl: false, focus: false };
    td.classList.toggle("hl", m.hl);
    td.classList.toggle("focus", m.focus);
    td.classList.toggle("selected", selected !== null && address.startsWith(`${selected},`));
  }
}
