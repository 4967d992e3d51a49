// The page's state as a URL fragment: JSON, deflated ("deflate-raw"), base64url, behind a
// version prefix: "v1.<data>". Numbers survive exactly (JSON writes the shortest string that
// reads back as the same double). Pure: no DOM (CompressionStream is in browsers and node).

export const VERSION = 1;
const PREFIX = `v${VERSION}.`;

/** A state that cannot be read: `message` says why, in words a teacher can act on. */
export class StateError extends Error {}

// The bytes as a stream of one chunk (a Blob would cost a round trip to the browser process).
async function pipe(bytes, stream) {
  const source = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
  const out = source.pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export function toBase64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new StateError("the link's data has characters a link never has (was it cut or edited?)");
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Any JSON value → "v1.<deflated base64url>". */
export async function encodeState(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return PREFIX + toBase64url(await pipe(bytes, new CompressionStream("deflate-raw")));
}

/** "v1.<data>" (with or without the leading "#") → the value; a StateError says what is wrong. */
export async function decodeState(fragment) {
  const text = String(fragment).replace(/^#/, "");
  const m = /^v(\d+)\.(.*)$/s.exec(text);
  if (!m) throw new StateError("the link has no saved state (it should start with #v1.)");
  if (Number(m[1]) !== VERSION) throw new StateError(`the link's state is version ${m[1]}; this page reads version ${VERSION}`);
  let bytes;
  try {
    bytes = await pipe(fromBase64url(m[2]), new DecompressionStream("deflate-raw"));
  } catch (err) {
    if (err instanceof StateError) throw err;
    throw new StateError("the link's data is damaged (was it cut short?)");
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new StateError("the link's data is not a saved state");
  }
}

/** A short stable name for a text (FNV-1a, 32 bits, hex): names what is kept in localStorage. */
export function hashText(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
