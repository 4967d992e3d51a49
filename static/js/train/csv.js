// The user's own table of samples, typed or pasted as CSV: a feature table like the
// lecture's (x₀, x₁, …) with the target in the last column. Checked here so a mistake is
// named by row and column before anything goes to the server (which checks it again).
// Pure: no DOM.

import { parseInput } from "../format.js";

/** Split one line on commas, semicolons or tabs (whichever the header or first line uses). */
function splitter(line) {
  if (line.includes("\t")) return "\t";
  if (line.includes(";")) return ";";
  return ",";
}

const isNumber = (cell) => parseInput(cell) !== null;

/**
 * Parse CSV text into {x, y, columns, task} or {errors: [{row, column, message}]}.
 * Rows and columns are counted from 1 as a spreadsheet shows them (a header row counts).
 * `classes`: true when the target must be a class index (0, 1, 2 …); else any number.
 * `limits`: {maxSamples, maxInputs} from the server's registry.
 */
export function parseTable(text, { classes = false, maxSamples = 1024, maxInputs = 64 } = {}) {
  const lines = String(text).split(/\r?\n/).map((l, i) => ({ row: i + 1, text: l.trim() })).filter((l) => l.text !== "" && !l.text.startsWith("#"));
  if (!lines.length) return { errors: [{ row: 1, column: null, message: "the table is empty: type one sample per row, the target last" }] };
  const sep = splitter(lines[0].text);
  const cells = lines.map((l) => ({ row: l.row, cells: l.text.split(sep).map((c) => c.trim()) }));
  let header = null;
  if (!cells[0].cells.some(isNumber)) header = cells.shift();
  const width = header ? header.cells.length : cells[0]?.cells.length ?? 0;
  const errors = [];
  if (!cells.length) errors.push({ row: (header?.row ?? 0) + 1, column: null, message: "no samples below the header" });
  if (width < 2) errors.push({ row: header?.row ?? cells[0].row, column: null, message: "need at least two columns: the inputs, then the target" });
  if (width - 1 > maxInputs) errors.push({ row: header?.row ?? cells[0].row, column: null, message: `${width - 1} inputs is more than the server's limit of ${maxInputs}` });
  if (cells.length > maxSamples) errors.push({ row: cells[maxSamples].row, column: null, message: `more than ${maxSamples} samples (the server's limit)` });
  if (errors.length) return { errors };

  const x = [];
  const y = [];
  for (const { row, cells: r } of cells) {
    if (r.length !== width) {
      errors.push({ row, column: null, message: `has ${r.length} values, expected ${width} (${width - 1} inputs and the target)` });
      continue;
    }
    const nums = r.map((c, j) => {
      const v = parseInput(c);
      if (v === null) errors.push({ row, column: j + 1, message: c === "" ? "is empty: type a number" : `“${c}” is not a number` });
      return v;
    });
    if (nums.includes(null)) continue;
    const target = nums[width - 1];
    if (classes && !(Number.isInteger(target) && target >= 0)) {
      errors.push({ row, column: width, message: `the target must be a class 0, 1, 2 …, not ${r[width - 1]}` });
      continue;
    }
    x.push(nums.slice(0, -1));
    y.push(classes ? target : [target]);
  }
  if (errors.length) return { errors };
  const columns = header ? header.cells : [...Array.from({ length: width - 1 }, (_, j) => `x${j}`), "y"];
  return { x, y, columns };
}

/** A message for the page: "row 3, column 2: “abc” is not a number". */
export function describeError({ row, column, message }) {
  return `row ${row}${column ? `, column ${column}` : ""}: ${message}`;
}

/** {x, y} back to CSV text with a header (for the editor, from a generated set or a preset). */
export function toCsv(x, y, columns = null) {
  const inputs = x[0]?.length ?? 0;
  const head = columns ?? [...Array.from({ length: inputs }, (_, j) => `x${j}`), "y"];
  const rows = x.map((row, i) => [...row, Array.isArray(y[i]) ? y[i][0] : y[i]].join(","));
  return [head.join(","), ...rows].join("\n");
}
