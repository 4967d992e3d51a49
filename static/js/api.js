// The only module that talks to the server. Errors come back as ApiError with the
// server's messages (FastAPI's 422 {"detail": [{"loc", "msg"}]}) so the page can show them.
// URLs are relative: the page works behind any proxy or path prefix.

export class ApiError extends Error {
  constructor(message, status, details = []) {
    super(message);
    this.status = status;
    this.details = details; // [{loc: [...], msg}]
  }
}

async function call(url, options = {}, as = "json") {
  let res;
  try {
    res = await fetch(url, options);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The server does not answer: is backprop-lab still running?", 0);
  }
  if (res.ok) return as === "text" ? res.text() : res.json();
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status line only
  }
  const detail = body?.detail;
  const details = Array.isArray(detail) ? detail : detail ? [{ loc: [], msg: String(detail) }] : [];
  const message = details.length
    ? details.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ")
    : `HTTP ${res.status}`;
  throw new ApiError(message, res.status, details);
}

const post = (url, body, signal) =>
  call(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });

/** Every activation, loss and optimizer, the address table and the server's limits. */
export const registry = () => call("api/registry");
export const listPresets = () => call("api/presets");
export const getPreset = (id) => call(`api/presets/${encodeURIComponent(id)}`);

/** One forward pass, loss, backward pass and optimizer step: numbers by address; `signal` aborts it. */
export const step = (body, signal) => post("api/step", body, signal);

/** The player's steps for the body's network structure (fetched only when its key changes). */
export const explain = (body, signal) => post("api/explain", body, signal);

/** The runnable PyTorch script for a step request (text/x-python). */
export const code = (body, signal) =>
  call("api/code", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal }, "text");

/** The server's central finite difference beside autograd's value for each address: {checks: [...]}. */
export const gradcheck = (request, addresses, h, signal) => post("api/gradcheck", { request, addresses, h }, signal);
