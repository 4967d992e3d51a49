// The diagram as a stand-alone SVG file: a copy of the drawing with every element's
// computed colours, strokes and fonts written as presentation attributes, so it looks the
// same without the page's CSS (in a slide, an editor, a browser tab). Elements not shown
// (display: none) are left out. The copy is built element by element in a separate XML
// document and never gets a style attribute (the page's CSP refuses inline styles).

const PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "font-style",
  "text-anchor", "text-decoration", "visibility",
];
const SVG_NS = "http://www.w3.org/2000/svg";
const DROP = new Set(["style", "class", "tabindex", "role"]);

/** The SVG element `el` as the text of an .svg file, and its size in CSS pixels. */
export function standaloneSvg(el, background) {
  const doc = document.implementation.createDocument(SVG_NS, "svg", null);
  const copy = doc.documentElement;
  for (const a of el.attributes) if (!DROP.has(a.name) && !a.name.startsWith("data-")) copy.setAttribute(a.name, a.value);
  for (const child of el.childNodes) {
    const c = copyNode(doc, child);
    if (c) copy.append(c);
  }
  const width = Number(el.getAttribute("width")) || el.getBoundingClientRect().width;
  const height = Number(el.getAttribute("height")) || el.getBoundingClientRect().height;
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  copy.setAttribute("viewBox", `0 0 ${width} ${height}`);
  copy.setAttribute("font-family", getComputedStyle(el).fontFamily);
  if (background) {
    const bg = doc.createElementNS(SVG_NS, "rect");
    for (const [k, v] of Object.entries({ x: 0, y: 0, width, height, fill: background })) bg.setAttribute(k, String(v));
    copy.insertBefore(bg, copy.firstChild);
  }
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`, width, height };
}

// One node of the page's drawing → its copy with the computed style as attributes (null if not shown).
function copyNode(doc, src) {
  if (src.nodeType === Node.TEXT_NODE) return doc.createTextNode(src.data);
  if (src.nodeType !== Node.ELEMENT_NODE) return null;
  const cs = getComputedStyle(src);
  if (cs.display === "none") return null;
  const dst = doc.createElementNS(SVG_NS, src.localName);
  for (const a of src.attributes) if (!DROP.has(a.name)) dst.setAttribute(a.name, a.value);
  if (src.localName !== "title") {
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v && !(p === "text-decoration" && v.startsWith("none"))) dst.setAttribute(p, v);
    }
  }
  for (const child of src.childNodes) {
    const c = copyNode(doc, child);
    if (c) dst.append(c);
  }
  return dst;
}
