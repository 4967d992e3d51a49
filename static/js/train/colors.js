// Heat-map colours for canvas pixels, on the page's one diverging palette (the theme's
// --pos, --neg and --zero, read once per paint and passed in). Pure: no DOM.

/** "#2166ac" or "rgb(33, 102, 172)" as [r, g, b]. */
export function parseColor(text) {
  const s = String(text).trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [...m[1]].map((c) => parseInt(c + c, 16));
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(s);
  if (m) return [m[1], m[2], m[3]].map(Number);
  return [128, 128, 128];
}

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

/**
 * The colour of a value t in [−1, 1]: the neutral colour at 0, the positive or negative
 * hue at ±1 (square root, so small values still show, as scale.js does for the diagram).
 * `palette` = {pos, neg, zero} as [r, g, b]; NaN gives `palette.nan` (or black).
 */
export function heatColor(t, palette) {
  if (!Number.isFinite(t)) return palette.nan ?? [0, 0, 0];
  const a = Math.min(1, Math.sqrt(Math.abs(t)));
  if (a === 0) return palette.zero;
  return mix(palette.zero, t > 0 ? palette.pos : palette.neg, 0.15 + 0.85 * a);
}

/**
 * How a map's values become t in [−1, 1]: a probability is centred on ½ (the boundary), any
 * other value on 0, scaled by the largest finite |value| of the map.
 */
export function mapScale(values, { probability = false } = {}) {
  if (probability) return (v) => (v - 0.5) * 2;
  let m = 0;
  for (const row of values) for (const v of row) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? (v) => v / m : () => 0;
}

/** RGBA bytes of a grid of values (rows top to bottom) for ImageData. */
export function gridPixels(values, toT, palette) {
  const h = values.length;
  const w = values[0]?.length ?? 0;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const [R, G, B] = heatColor(toT(values[r][c]), palette);
      const i = (r * w + c) * 4;
      out[i] = R; out[i + 1] = G; out[i + 2] = B; out[i + 3] = 255;
    }
  }
  return out;
}
