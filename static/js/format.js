// Every number the page shows is formatted here, and only here (the server sends numbers,
// never text). Pure: no DOM.

export const MINUS = "\u2212";

/** A value as the page shows it: 4 decimals, or 3-decimal scientific when tiny or huge. */
export function fmt(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") {
    // Non-finite numbers arrive from the API as strings.
    if (v === "NaN") return "NaN";
    if (v === "Infinity") return "∞";
    if (v === "-Infinity") return MINUS + "∞";
    return v;
  }
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : MINUS + "∞";
  if (v === 0) return "0.0";
  const a = Math.abs(v);
  let text;
  if (a >= 1e-3 && a < 1e5) {
    text = v.toFixed(4).replace(/0+$/, "");
    if (text.endsWith(".")) text += "0";
  } else {
    // 1.234e-05: the exponent's sign always, at least two digits.
    text = v.toExponential(3).replace(/e([+-])(\d+)$/, (_, s, d) => `e${s}${d.padStart(2, "0")}`);
  }
  return text.replace(/-/g, MINUS);
}

/** A constant of a formula: whole numbers without ".0" (2, 1, 4), else like fmt. */
export function fmtConst(v) {
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 1e6) {
    return String(v).replace(/-/g, MINUS);
  }
  return fmt(v);
}

/** A short form for crowded diagrams: at most 2 decimals ("0.47", "−1.1"). */
export function fmtShort(v) {
  const n = toNumber(v);
  if (!Number.isFinite(n)) return fmt(v);
  if (n === 0) return "0";
  const a = Math.abs(n);
  if (a >= 0.01 && a < 1000) return String(Number(n.toFixed(2))).replace(/-/g, MINUS);
  return n.toExponential(0).replace(/-/g, MINUS);
}

/** A number from the API (a float or "NaN"/"Infinity"/"-Infinity") as a JS number. */
export function toNumber(v) {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return NaN;
}


/** What a person typed, as a number: accepts "−" (U+2212), "," as decimal point, "1e-3". */
export function parseInput(text) {
  const clean = String(text).trim().replace(/\u2212/g, "-").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean)) return null;
  const n = Number(clean);
  return Number.isFinite(n) ? n : null;
}

/** The full-precision text a data-* hook carries ("NaN" etc. stay as the API sent them). */
export function exact(v) {
  return typeof v === "number" ? String(v) : String(v ?? "");
}

/** A tensor (a number or nested arrays) in one line: "[−0.0213, 0.1174, …]", at most `max` numbers. */
export function fmtTensor(v, max = 6) {
  if (v === null || v === undefined) return "—";
  if (!Array.isArray(v)) return fmt(v);
  const flat = v.flat(Infinity);
  const f = flat.length > 1 ? fmtShort : fmt;
  const shown = flat.slice(0, max).map(f);
  if (flat.length > max) shown.push("…");
  return `[${shown.join(", ")}]`;
}

/** A share in [0, 1] as a percentage: "100 %", "98.8 %" (one decimal, none when whole; a no-break space before %). */
export function fmtPercent(share) {
  const n = toNumber(share);
  if (!Number.isFinite(n)) return fmt(share);
  return `${String(Number((100 * n).toFixed(1))).replace(/-/g, MINUS)}\u00a0%`;
}

/**
 * What a person typed, checked: {value} or {error} saying what is wrong — not a number, too
 * large for a float64, not a whole number, or out of range (min/max inclusive unless
 * `above`/`below` say exclusive). Never a silent drop: the page shows the error beside the field.
 */
export function checkNumber(text, { min = null, max = null, above = null, below = null, integer = false } = {}) {
  const raw = String(text ?? "").trim();
  if (!raw) return { error: "Type a number, e.g. 0.5 or −1.2" };
  const clean = raw.replace(/\u2212/g, "-").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean)) return { error: `“${raw}” is not a number: type e.g. 0.5 or −1.2` };
  const value = Number(clean);
  if (!Number.isFinite(value)) return { error: `${raw} is too large: a float64 holds at most about 1.8e308` };
  if (integer && !Number.isInteger(value)) return { error: `${raw} is not a whole number` };
  const range = (limit, word) => ({ error: `${raw} is out of range: it must be ${word} ${fmt(limit)}` });
  if (min !== null && value < min) return range(min, "at least");
  if (max !== null && value > max) return range(max, "at most");
  if (above !== null && value <= above) return range(above, "above");
  if (below !== null && value >= below) return range(below, "below");
  return { value };
}
