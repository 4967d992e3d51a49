// The autograd graph's nodes in words, from the API's answer: which tensor a node stands for,
// whether the player's step is about it, the gradient it receives and passes on. Pure: no DOM.

import { fmtTensor } from "./format.js";
import { tensorOfAddress, tensorOfParam } from "./linking.js";

/** The tensor a node stands for (linking.js): a leaf its parameter, a backward node the output whose gradient it receives. */
export function nodeTensor(n) {
  if (n.kind === "parameter") return tensorOfParam(n.address);
  if (n.kind === "module") return `W:${n.module.slice(1)}`;
  if (n.kind === "output") return "L";
  return n.receives?.length ? tensorOfAddress(n.receives[0]) : "L";
}

/**
 * Is node `n` the one the player's step is about? Backward: it receives the gradient the step
 * computes; forward: it is the backward node of the operation that computed the step's value
 * (s → Addmm, z → the activation's); the loss: the root; update: the parameter's leaf.
 */
export function isStepNode(n, step) {
  const target = step?.target;
  if (!target || n.kind === "module") return false;
  const gets = (a) => (n.receives ?? []).some((r) => a === r || a.startsWith(`${r},`));
  if (step.phase === "backward") return gets(target);
  if (target === "L") return n.kind === "output";
  const [q, idx = ""] = target.split(":");
  if (step.phase === "update") return n.kind === "parameter" && n.address === `${q.replace(/'$/, "")}:${idx.split(",")[0]}`;
  return n.kind === "function" && ["s", "z"].includes(q) && gets(`dL/d${target}`);
}
const SYMBOL = { b: "β", x: "x", W: "W", s: "s", z: "z" };

/** A gradient's address in words: "dL/ds:2" → "∂L/∂s of layer 2", "dL/dx" → "∂L/∂x". */
export function gradName(address) {
  const [q, idx] = address.split(":");
  const m = /^dL\/d(\w+)$/.exec(q);
  const name = m ? `∂L/∂${SYMBOL[m[1]] ?? m[1]}` : q;
  return idx ? `${name} of layer ${idx.split(",")[0]}` : name;
}

/**
 * What node `n` receives and passes on, by the addresses the API names, with their numbers
 * (`value(address)`), as the words after the node's name (": receives …; passes on …").
 * Shorter for a projector's two lines: `brief` 1, what it passes on by name only (the nodes
 * that receive it show its numbers when they run); 2, fewer numbers, the layer said once;
 * 3, only the first gradient it receives.
 */
export function flowText(n, value, brief = 0) {
  const all = n.receives ?? (n.kind === "parameter" ? [n.grad_address] : []);
  const got = brief === 3 ? all.slice(0, 1) : all;
  const layer = [...got, ...(n.passes ?? [])].map((a) => a.split(":")[1]?.split(",")[0]).find(Boolean);
  const name = (a) => (brief >= 2 && layer ? gradName(a).split(" of ")[0] : gradName(a));
  const say = (a) => `${name(a)} = ${fmtTensor(value(a), brief ? Math.max(1, 3 - brief) : 6)}`;
  const parts = [];
  if (got.length) parts.push(`${n.kind === "parameter" ? "adds to .grad" : "receives"} ${got.map(say).join(", ")}${n.transposed && !brief ? " (as its transpose)" : ""}`);
  if (n.passes?.length) parts.push(`passes on ${n.passes.map(brief ? name : say).join(", ")}`);
  const of = brief >= 2 && layer ? ` (layer ${layer})` : "";
  return parts.length ? `${of}: ${parts.join("; ")}` : "";
}
