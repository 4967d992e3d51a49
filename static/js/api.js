// The only module that talks to the server. Errors come back as ApiError with the
// server's messages (FastAPI's 422 {"detail": [{"loc", "msg"}]}) so the page can show them.
// URLs are relative: the page works behind any proxy or path prefix.

import { lineSplitter } from "./train/ndjson.js";

export class ApiError extends Error {
  constructor(message, status, details = [], retryAfter = 0) {
    super(message);
    this.status = status;
    this.details = details; // [{loc: [...], msg}]
    this.retryAfter = retryAfter; // seconds (a busy server's 503 says when to try again)
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
  throw await failure(res);
}

// FastAPI's error body as an ApiError naming each field ("data.x: …").
async function failure(res) {
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
  return new ApiError(message, res.status, details, Number(res.headers.get("retry-after")) || 0);
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

/** A data set (generated from its seed, or the user's table) with its train/test split. */
export const data = (body, signal) => post("api/data", body, signal);

/**
 * A training run, streamed: `onLine(line)` for every NDJSON line as it arrives (steps,
 * snapshots, then the done line). Resolves when the stream ends; `signal` aborts it (Pause,
 * Reset, a closed page), which also stops the work on the server.
 */
export async function train(body, signal, onLine) {
  let res;
  try {
    res = await fetch("api/train", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The server does not answer: is backprop-lab still running?", 0);
  }
  if (!res.ok) throw await failure(res);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const lines = lineSplitter();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const line of lines.push(decoder.decode(value, { stream: true }))) onLine(line);
  }
  for (const line of lines.push(decoder.decode())) onLine(line);
  for (const line of lines.end()) onLine(line);
}
