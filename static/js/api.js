// The only module that talks to the server. Errors come back as ApiError with the
// server's messages (FastAPI's 422 {"detail": [{"loc", "msg"}]}) so the page can show them.

export class ApiError extends Error {
  constructor(message, status, details = []) {
    super(message);
    this.status = status;
    this.details = details; // [{loc: [...], msg}]
  }
}

async function call(url, options = {}) {
  let res;
  try {
    res = await fetch(url, options);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The server does not answer: is backprop-lab still running?", 0);
  }
  if (res.ok) return res.json();
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

export const listPresets = () => call("/api/presets");
export const getPreset = (id) => call(`/api/presets/${encodeURIComponent(id)}`);

/** One forward pass, loss, backward pass and optimizer step; `signal` aborts a stale one. */
export const step = (body, signal) =>
  call("/api/step", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
