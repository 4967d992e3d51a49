// A matrix of numbers by address, as the slides draw one: brackets, its symbol above and its
// shape below. Shared by the tensor, module and graph views. Cells carry data-address (the
// quantity), data-ref (the diagram element it belongs to) and, once painted, data-value (the
// full-precision number) so hovers, the player and tests can find them.

import { exact, fmt, fmtShort } from "../format.js";
import { shapeText } from "../tensorforms.js";
import { h, setAttrs, setText } from "./dom.js";

// More cells than this and a matrix shows two decimals (the full value stays in the title).
const SHORT_ABOVE = 24;

/**
 * A matrix element for a term {symbol, cells, t, kind, shape, dims}; `element(address)` names its
 * diagram element. `keep` ({u, f, N}: tensorforms.keptIndices) elides the rows and columns a
 * crowded matrix leaves out: one ⋮ row or … column for each run of them, a button that shows
 * them all (`expand`). The shape printed under it is always the whole tensor's.
 */
export function matrixEl(term, element, keep = null, expand = null) {
  const count = term.cells.reduce((n, row) => n + row.length, 0);
  const [rowDim, colDim] = term.dims ?? [null, null];
  const rowsKept = (rowDim && keep?.[rowDim]) || term.cells.map((_, r) => r);
  const colsKept = (colDim && keep?.[colDim]) || (term.cells[0] ?? []).map((_, c) => c);
  const gap = (list, k) => k > 0 && list[k] !== list[k - 1] + 1;
  const more = (n, what) => h("td", { class: "elided", role: "button", tabindex: 0, "data-expand": "",
    title: `${n} ${what} not shown: show all of ${shapeText(term.shape)}`, "aria-label": `${n} ${what} not shown: show all`,
    onclick: () => expand?.(), onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); expand?.(); } } }, what === "rows" ? "⋮" : "…");
  // A single row wraps when it is wider than the panel (as NumPy prints a long row); its shape says what it is.
  const oneRow = term.cells.length === 1 && count > 1 ? " one-row" : "";
  const table = h("table", { class: `matrix kind-${term.kind}${oneRow}`, "data-matrix": term.symbol });
  const cells = [];
  rowsKept.forEach((r, k) => {
    if (gap(rowsKept, k)) {
      const tr = h("tr");
      colsKept.forEach((c, m) => {
        if (gap(colsKept, m)) tr.append(h("td", { class: "elided-gap" }));
        tr.append(m === 0 ? more(rowsKept[k] - rowsKept[k - 1] - 1, "rows") : h("td", { class: "elided-gap" }));
      });
      table.append(tr);
    }
    const tr = h("tr");
    colsKept.forEach((c, m) => {
      if (gap(colsKept, m)) tr.append(more(colsKept[m] - colsKept[m - 1] - 1, "columns"));
      const address = term.cells[r][c];
      const td = h("td", { "data-address": address, "data-ref": element(address) });
      cells.push({ td, address });
      tr.append(td);
    });
    table.append(tr);
  });
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
