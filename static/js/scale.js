// Colour and width scales: one diverging palette for every signed number on the page.
// Colours are CSS color-mix() strings over the theme's custom properties, so switching
// theme recolours the diagram without re-rendering. Pure: no DOM.

import { toNumber } from "./format.js";

/** The largest finite |v| over nested lists of API numbers (at least `floor`). */
export function maxAbs(values, floor = 1e-12) {
  let m = 0;
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else {
      const n = Math.abs(toNumber(v));
      if (Number.isFinite(n) && n > m) m = n;
    }
  };
  walk(values);
  return Math.max(m, floor);
}

/** Magnitude in [0, 1] relative to `max`; square root so small values stay visible. */
export function intensity(v, max) {
  const n = toNumber(v);
  if (!Number.isFinite(n)) return 1;
  if (n === 0 || max <= 0) return 0;
  return Math.min(1, Math.sqrt(Math.abs(n) / max));
}

/** "pos", "neg", "zero" or "nan": which hue of the palette a value takes. */
export function signOf(v) {
  const n = toNumber(v);
  if (Number.isNaN(n)) return "nan";
  if (n > 0) return "pos";
  if (n < 0) return "neg";
  return "zero";
}

/** The CSS colour of a value: grey at zero, saturating toward the sign's hue. */
export function colorFor(v, max) {
  const sign = signOf(v);
  if (sign === "nan") return "var(--nan)";
  if (sign === "zero") return "var(--zero)";
  const pct = Math.round(25 + 75 * intensity(v, max));
  return `color-mix(in srgb, var(--${sign}) ${pct}%, var(--zero))`;
}

/** Stroke width ∝ |v|, between `min` and `max` pixels. */
export function widthFor(v, max, min = 1.5, maxWidth = 10) {
  const n = Math.abs(toNumber(v));
  if (!Number.isFinite(n)) return maxWidth;
  if (max <= 0) return min;
  return min + (maxWidth - min) * Math.min(1, n / max);
}
