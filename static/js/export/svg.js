// The diagram as a stand-alone SVG file: a copy of the drawing with every element's
// computed colours, strokes and fonts written as presentation attributes, so it looks the
// same without the page's CSS (in a slide, an editor, a browser tab). Elements not shown
// (display: none) are left out. The copy is made in a separate document, never the page's.

const PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "font-style",
  "text-anchor", "text-decoration", "visibility",
];
const SVG_NS = "http://www.w3.org/2000/svg";

/** The SVG element `el` as the text of an .svg file, and its size in CSS pixels. */
export function standaloneSvg(el, background) {
  const doc = new DOMParser().parseFromString(new XMLSerializer().serializeToString(el), "image/svg+xml");
  const copy = doc.documentElement;
  inline(el, copy);
  const width = Number(el.getAttribute("width")) || el.getBoundingClientRect().width;
  const height = Number(el.getAttribute("height")) || el.getBoundingClientRect().height;
  copy.setAttribute("xmlns", SVG_NS);
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  copy.setAttribute("viewBox", `0 0 ${width} ${height}`);
  for (const a of ["class", "role", "tabindex", "data-diagram"]) copy.removeAttribute(a);
  if (background) {
    const bg = doc.createElementNS(SVG_NS, "rect");
    for (const [k, v] of Object.entries({ x: 0, y: 0, width, height, fill: background })) bg.setAttribute(k, String(v));
    copy.insertBefore(bg, copy.firstChild);
  }
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`, width, height };
}

// Walk the page's tree and the copy together (same shape): computed style → attributes.
function inline(src, dst) {
  const cs = getComputedStyle(src);
  if (src !== dst && cs.display === "none") {
    dst.remove();
    return;
  }
  dst.removeAttribute("style");
  dst.removeAttribute("tabindex");
  if (dst.tagName !== "title") for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v && !(p === "text-decoration" && v.startsWith("none"))) dst.setAttribute(p, v);
  }
  const a = [...src.children];
  const b = [...dst.children];
  a.forEach((child, i) => inline(child, b[i]));
}
