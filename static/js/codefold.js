// Focus and context for a script on a projector: the lines in hand (those the player's step
// computes, those of the tensor selected), the lines that enclose them (their `class`, their
// `def`, their `with`) and a line of context either side stay; every other run of lines folds
// into one summary row ("class MyMiniMLP(torch.nn.Module): … 14 lines") that opens on demand.
// Pure: no DOM.

const indent = (line) => line.length - line.trimStart().length;
const blank = (line) => line.trim() === "";

/** The lines that enclose line i: each earlier line indented less than the last one found. */
export function enclosing(lines, i) {
  const out = [];
  let level = indent(lines[i]);
  for (let k = i - 1; k >= 0 && level > 0; k--) {
    if (blank(lines[k]) || indent(lines[k]) >= level) continue;
    out.push(k);
    level = indent(lines[k]);
  }
  return out;
}

/**
 * The rows to show for `lines`: {kind: "line", i} or {kind: "fold", from, to, head} (lines
 * from..to folded, `head` the index of its first non-blank line). `marked` and `opened` are
 * sets of line indices always shown; `context` lines either side of a marked one are shown
 * too. With `split`, a run ends where a paragraph of the module begins (a blank line, then a
 * line not indented), so each summary names what it folds. A run of one line is shown rather
 * than folded (its summary would take the same room); a run of blank lines is left out. With
 * nothing marked, everything is shown.
 */
export function foldLines(lines, marked, opened = new Set(), { context = 1, split = true } = {}) {
  if (!marked.size) return lines.map((_, i) => ({ kind: "line", i }));
  const shown = new Set(opened);
  for (const i of marked) {
    for (let k = i - context; k <= i + context; k++) if (k >= 0 && k < lines.length) shown.add(k);
    for (const k of enclosing(lines, i)) shown.add(k);
  }
  // Lines inside a triple-quoted string (a docstring's paragraphs are one run).
  const quoted = new Set();
  let open = false;
  lines.forEach((line, k) => {
    if (open) quoted.add(k);
    if ((line.match(/"""/g) ?? []).length % 2 === 1) open = !open;
  });
  const rows = [];
  for (let i = 0; i < lines.length;) {
    if (shown.has(i)) {
      rows.push({ kind: "line", i });
      i += 1;
      continue;
    }
    const paragraph = (k) => split && k > 0 && !quoted.has(k) && blank(lines[k - 1]) && !blank(lines[k]) && indent(lines[k]) === 0;
    let j = i;
    while (j + 1 < lines.length && !shown.has(j + 1) && !paragraph(j + 1)) j += 1;
    const filled = [];
    for (let k = i; k <= j; k++) if (!blank(lines[k])) filled.push(k);
    if (filled.length === 1) rows.push({ kind: "line", i: filled[0] });
    else if (filled.length > 1) rows.push({ kind: "fold", from: i, to: j, head: filled[0], count: filled.length });
    i = j + 1;
  }
  return rows;
}

/**
 * A line shortened for a projector when it is longer than `max` characters and holds a list of
 * numbers (the weights loaded, the inputs): its first two numbers, then "…", brackets kept.
 */
export function shortLine(line, max) {
  if (line.length <= max) return line;
  const open = line.indexOf("[");
  const close = line.lastIndexOf("]");
  if (open < 0 || close < open) return line;
  const depth = /^\[*/.exec(line.slice(open))[0].length;
  const numbers = line.slice(open, close + 1).match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? [];
  if (numbers.length <= 2) return line;
  const short = (n) => (n.length > 8 ? Number(n).toPrecision(4) : n);
  return `${line.slice(0, open)}${"[".repeat(depth)}${numbers.slice(0, 2).map(short).join(", ")}, …${"]".repeat(depth)}${line.slice(close + 1)}`;
}
