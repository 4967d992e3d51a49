// Tiny DOM helpers shared by the views: elements by namespace, never innerHTML with data.

export const SVG_NS = "http://www.w3.org/2000/svg";
export const MATHML_NS = "http://www.w3.org/1998/Math/MathML";

/** An SVG element with attributes (null/undefined/false values are left out). */
export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (parent) parent.append(node);
  return node;
}

/** An HTML element with attributes, text and children. */
export function h(tag, attrs = {}, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
}

/** Set (or remove, for null/undefined/false) attributes; unchanged ones are not touched. */
export function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) {
      if (node.hasAttribute(k)) node.removeAttribute(k);
    } else {
      const text = String(v);
      if (node.getAttribute(k) !== text) node.setAttribute(k, text);
    }
  }
}

/** Set textContent only when it changed (keeps repaints cheap and selection stable). */
export function setText(node, text) {
  if (node.textContent === text) return;
  // A lone text node is changed in place: a new one would be a new node to style, not just new text to lay out.
  const only = node.firstChild;
  if (text !== "" && only?.nodeType === 3 && !only.nextSibling) only.data = text;
  else node.textContent = text;
}

/** Set a field's value only when it changed (a rewritten field re-reads its text and lays itself out again). */
export function setValue(input, value) {
  if (input.value !== String(value)) input.value = value;
}

/** A MathML tree of plain objects (see mathtokens.js) as elements. */
export function mathml(node) {
  const el = document.createElementNS(MATHML_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs || {})) el.setAttribute(k, v);
  if (node.text !== undefined) el.textContent = node.text;
  for (const kid of node.kids || []) el.append(mathml(kid));
  return el;
}

/** <math> wrapping a list of MathML nodes. */
export function mathRow(nodes, attrs = {}) {
  return mathml({ tag: "math", attrs, kids: nodes });
}

/** Same tags, attribute names and children all the way down: `source` can be copied into `target` in place. */
export function sameShape(target, source) {
  if (target.nodeType !== source.nodeType || target.nodeName !== source.nodeName) return false;
  if (target.nodeType !== 1) return true;
  if (target.attributes.length !== source.attributes.length || target.childNodes.length !== source.childNodes.length) return false;
  for (let i = 0; i < target.childNodes.length; i++) if (!sameShape(target.childNodes[i], source.childNodes[i])) return false;
  return true;
}

function copyInto(target, source) {
  if (target.nodeType !== 1) {
    if (target.nodeValue !== source.nodeValue) target.nodeValue = source.nodeValue;
    return;
  }
  for (const { name, value } of source.attributes) if (target.getAttribute(name) !== value) target.setAttribute(name, value);
  for (let i = 0; i < target.childNodes.length; i++) copyInto(target.childNodes[i], source.childNodes[i]);
}

/**
 * Make `target` (in the page) show what `source` (freshly built, detached) shows by changing
 * only the text and attributes that differ, if both have the same shape; false (and nothing
 * changed) if not. New numbers in the same formula then cost the browser a few text nodes,
 * not a new subtree to style and lay out, and a focused or hovered token stays as it is.
 */
export function morph(target, source) {
  if (!sameShape(target, source)) return false;
  copyInto(target, source);
  return true;
}
