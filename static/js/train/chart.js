// Line-chart geometry: linear scales, round ticks and SVG path data over [x, y] points.
// Points that are not finite (a diverged step) break the line instead of breaking the chart.
// Pure: no DOM.

/** The [min, max] of the finite values (a small span around a constant; [0, 1] when empty). */
export function extent(values, { includeZero = false } = {}) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === Infinity) return [0, 1];
  if (includeZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (lo === hi) { const d = Math.abs(lo) * 0.1 || 1; return [lo - d, hi + d]; }
  return [lo, hi];
}

/** A linear map from [d0, d1] onto [r0, r1]. */
export function linear([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** About `count` round tick values (1, 2, 5 × 10ⁿ) inside [lo, hi]. */
export function ticks([lo, hi], count = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return out;
}

/**
 * SVG path data of the points through the scales; a non-finite y starts a new piece.
 * Long series are thinned to about `maxPoints` (keeping each bucket's lowest and highest y,
 * so a spike never disappears).
 */
export function pathData(points, sx, sy, maxPoints = 800) {
  const pts = thin(points, maxPoints);
  let d = "";
  let pen = false;
  for (const [x, y] of pts) {
    if (!Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? "L" : "M"}${round(sx(x))},${round(sy(y))}`;
    pen = true;
  }
  return d;
}

const round = (v) => Math.round(v * 10) / 10;

/** At most about `maxPoints` points: per bucket, its lowest and highest y in x order. */
export function thin(points, maxPoints) {
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / (maxPoints / 2));
  const out = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    if (bucket.some(([, y]) => !Number.isFinite(y))) { out.push(...bucket.filter(([, y]) => !Number.isFinite(y)).slice(0, 1)); continue; }
    let lo = bucket[0];
    let hi = bucket[0];
    for (const p of bucket) { if (p[1] < lo[1]) lo = p; if (p[1] > hi[1]) hi = p; }
    out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]).filter((p, j, a) => j === 0 || p !== a[0]));
  }
  return out;
}
