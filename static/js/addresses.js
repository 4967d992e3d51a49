// Addresses: one name for every number of a step, "W:2,0,1" or "L" (spec §1). The table
// of quantities comes from the server (GET /api/registry → quantities); this module only
// reads it. Pure: no DOM.

import { toNumber } from "./format.js";

const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);
const INDEX_SLOT = /\{(\w+)(?:([+-])(\d+))?\}/g;
const DIGITS = /^\d+$/;

// The offset of an index slot: {l-1} → −1, {l} → 0.
const shiftOf = (sign, k) => (k === undefined ? 0 : sign === "-" ? -Number(k) : Number(k));

// "{l-1}" with l = 2 → "1"; null when the segment needs an index that is not given.
function fill(template, values) {
  let missing = false;
  const text = String(template).replace(INDEX_SLOT, (_, name, sign, k) => {
    if (values[name] === undefined) missing = true;
    return String(values[name] + shiftOf(sign, k));
  });
  return missing ? null : text;
}

// A concrete key matched against a template ("layers.{l-1}.weight" ~ "layers.0.weight"):
// the index values it implies ({l: 1}), or null.
function unfill(template, concrete) {
  const source = String(template);
  const literal = (text) => text.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
  const slots = [];
  let pattern = "";
  let last = 0;
  for (const m of source.matchAll(INDEX_SLOT)) {
    pattern += `${literal(source.slice(last, m.index))}(\\d+)`;
    slots.push({ name: m[1], shift: shiftOf(m[2], m[3]) });
    last = m.index + m[0].length;
  }
  const match = new RegExp(`^${pattern}${literal(source.slice(last))}$`).exec(String(concrete));
  if (!match) return null;
  const values = {};
  for (const [g, { name, shift }] of slots.entries()) {
    const v = Number(match[g + 1]) - shift;
    if (values[name] !== undefined && values[name] !== v) return null;
    values[name] = v;
  }
  return values;
}

/** The addresses of one quantities table: parse, format, look up, write, map to elements. */
export function makeAddresses(quantities) {
  /** An address as {q, idx}; null when malformed, unknown, or with too many indices. */
  function parse(address) {
    if (typeof address !== "string") return null;
    const colon = address.indexOf(":");
    const q = colon < 0 ? address : address.slice(0, colon);
    const spec = Object.hasOwn(quantities, q) ? quantities[q] : null;
    if (!spec) return null;
    if (colon < 0) return { q, idx: [] };
    const parts = address.slice(colon + 1).split(",");
    if (!parts.every((p) => DIGITS.test(p)) || parts.length > spec.indices.length) return null;
    return { q, idx: parts.map(Number) };
  }

  /** The address of quantity q at these indices: format("W", 1, 0, 2) → "W:1,0,2". */
  function format(q, ...idx) {
    return idx.length ? `${q}:${idx.join(",")}` : q;
  }

  // The index values by name, e.g. {l: 2, i: 0}, of a parsed address.
  const named = ({ q, idx }) => Object.fromEntries(idx.map((v, k) => [quantities[q].indices[k], v]));

  // The concrete keys of the address's path, stopping where an index is missing.
  function keys(parsed) {
    const values = named(parsed);
    const out = [];
    for (const segment of quantities[parsed.q].path) {
      const key = fill(segment, values);
      if (key === null) break;
      out.push(DIGITS.test(key) ? Number(key) : key);
    }
    return out;
  }

  const step = (node, key) => {
    if (node === null || typeof node !== "object") return undefined;
    if (typeof key === "number") return Array.isArray(node) ? node[key] : undefined;
    return Array.isArray(node) || !Object.hasOwn(node, key) ? undefined : node[key];
  };

  // Each address's root and keys, worked out once: a repaint looks up thousands of numbers.
  const paths = new Map();
  function walk(address) {
    let found = paths.get(address);
    if (found === undefined) {
      const parsed = parse(address);
      found = parsed ? { root: quantities[parsed.q].root, keys: keys(parsed) } : null;
      if (paths.size > 200_000) paths.clear();
      paths.set(address, found);
    }
    return found;
  }

  /** The number at an address in {request, response} (a nested array when partial), or undefined. */
  function get(ctx, address) {
    const found = walk(address);
    if (!found) return undefined;
    let node = ctx?.[found.root];
    for (const key of found.keys) node = step(node, key);
    return typeof node === "string" && NON_FINITE.has(node) ? toNumber(node) : node ?? undefined;
  }

  /** Where an address's number sits: {root, keys}, e.g. W:2,0,1 → response, network.layers.1.weights.0.1. */
  function path(address) {
    const parsed = parse(address);
    return parsed && { root: quantities[parsed.q].root, keys: keys(parsed) };
  }

  const elements = new Map();
  /** The diagram element an address lives in ("L1N0"), or null. */
  function element(address) {
    let found = elements.get(address);
    if (found === undefined) {
      const parsed = parse(address);
      const template = parsed && quantities[parsed.q].element;
      found = template ? fill(template, named(parsed)) : null;
      if (elements.size > 200_000) elements.clear();
      elements.set(address, found);
    }
    return found;
  }

  // The request holds the network too: the weights the response serves under network.
  const inRequest = (spec) => spec.root === "request" || (spec.root === "response" && spec.path[0] === "network");

  /** A copy of the page's request with the number at a full address replaced. */
  function set(request, address, value) {
    const parsed = parse(address);
    if (!parsed) throw new Error(`unknown address ${address}`);
    const spec = quantities[parsed.q];
    if (parsed.idx.length !== spec.indices.length) throw new Error(`${address} names no single number`);
    if (!inRequest(spec)) throw new Error(`${address} is computed by the server, not set by the page`);
    const copy = structuredClone(request);
    const where = keys(parsed);
    const last = where.pop();
    let node = copy;
    for (const key of where) node = step(node, key);
    // An array element must exist; an object may lack the key (a hyper-parameter left at its default).
    const fits = Array.isArray(node)
      ? typeof last === "number" && last < node.length
      : node !== null && typeof node === "object" && typeof last === "string";
    if (!fits) throw new Error(`${address} is not in the request`);
    node[last] = value;
    return copy;
  }

  // The index values a concrete path gives a quantity's path template, or null when it does not fit.
  function match(template, concrete) {
    if (concrete.length > template.length) return null;
    const values = {};
    for (const [k, key] of concrete.entries()) {
      const got = unfill(template[k], key);
      if (!got) return null;
      for (const [name, v] of Object.entries(got)) {
        if (values[name] !== undefined && values[name] !== v) return null;
        values[name] = v;
      }
    }
    return values;
  }

  /** The address a concrete path points at, e.g. a 422's loc ["body", "x", 0, 2] → "x:0,2"; or null. */
  function fromPath(root, path) {
    const concrete = root === "request" && path[0] === "body" ? path.slice(1) : path;
    let best = null;
    for (const [q, spec] of Object.entries(quantities)) {
      if (root === "request" ? !inRequest(spec) : spec.root !== root) continue;
      const values = match(spec.path, concrete);
      if (!values) continue;
      const missing = spec.indices.findIndex((name) => values[name] === undefined);
      const idx = spec.indices.slice(0, missing < 0 ? spec.indices.length : missing).map((name) => values[name]);
      // The address must name exactly this place: ["optimizer"] is not lr, ["network", "layers", 0] not W:1.
      const own = keys({ q, idx });
      if (own.length !== concrete.length || own.some((key, k) => String(key) !== String(concrete[k]))) continue;
      // A full address wins over a partial one (["y", 0] is the class target c:0, not the row y:0).
      const full = idx.length === spec.indices.length;
      if (!best || (full && !best.full)) best = { full, address: format(q, ...idx) };
    }
    return best ? best.address : null;
  }

  return { parse, format, get, path, element, set, fromPath };
}
