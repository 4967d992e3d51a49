// Every formula the player shows computes the number torch computed. For each case that
// tests/test_formula_fixtures.py wrote (gzipped JSON: quantities, request, response,
// explanation; the registry beside them as registry.json), each step's last form, with the
// numbers at its addresses substituted, is evaluated by the tests' own evaluator and
// compared with the step's value. The registry's templates are checked against the
// evaluator's reference functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { makeAddresses } from "../../static/js/addresses.js";
import { FUNCTIONS, evaluate } from "./evaluate.mjs";
import { fmt } from "../../static/js/format.js";
import { indexRegistry } from "../../static/js/registry.js";
import { KIND_TITLES, sentence } from "../../static/js/words.js";

const DIR = new URL("./fixtures/formulas/", import.meta.url);
const REGENERATE = "run `pytest tests/test_formula_fixtures.py`: it writes the fixtures, then runs this file";
const read = (name) => {
  assert.ok(existsSync(new URL(name, DIR)), `no ${name} in ${DIR.pathname}: ${REGENERATE}`);
  const bytes = readFileSync(new URL(name, DIR));
  return JSON.parse((name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"));
};
const cases = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith(".json.gz")).sort() : [];

// The registry the fixtures were written with (the fixture test writes it beside them).
const REGISTRY = existsSync(new URL("registry.json", DIR)) ? JSON.parse(readFileSync(new URL("registry.json", DIR))) : null;
const RTOL = 1e-9;
const ATOL = 1e-12;
const near = (actual, expected) =>
  Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected)) ||
  Math.abs(actual - expected) <= RTOL * Math.abs(expected) + ATOL;

// The tokens of a list that stand for a number: syms and ∂s with an address.
const addressed = (tokens) => tokens.filter((t) => (t.t === "sym" || t.t === "d") && t.a != null);

test("the formula fixtures exist", () => {
  assert.ok(cases.length > 0, `no fixtures in ${DIR.pathname}: ${REGENERATE}`);
});

for (const name of cases) {
  test(`every step of ${name} computes its value from the numbers at its addresses`, () => {
    const { quantities, request, response, explanation } = read(name);
    const A = makeAddresses(quantities);
    const reg = indexRegistry({ ...REGISTRY, quantities });
    const ctx = { request, response };
    const value = (a) => A.get(ctx, a);
    const number = (a, where) => {
      const v = value(a);
      assert.equal(typeof v, "number", `${where}: ${a} gives ${JSON.stringify(v)}`);
      if (!response.diverged) assert.ok(Number.isFinite(v), `${where}: ${a} gives ${v}`);
      return v;
    };
    assert.ok(explanation.steps.length > 0, "the explanation has no steps");
    for (const step of explanation.steps) {
      const where = `step ${step.i} (${step.phase} ${step.kind}, layer ${step.layer}, unit ${step.unit}, col ${step.col})`;
      assert.ok(A.parse(step.target), `${where}: target ${step.target} is no address`);
      assert.ok(A.element(step.target), `${where}: target ${step.target} has no diagram element`);
      for (const a of step.refs) assert.ok(A.parse(a), `${where}: ref ${a} is no address`);
      for (const t of addressed(step.lhs)) number(t.a, `${where} lhs`);
      for (const [k, form] of step.forms.entries()) {
        for (const t of form) {
          if (t.t === "fn") assert.ok(t.s in FUNCTIONS, `${where}: no reference implementation of ${t.s}`);
          if (t.t === "d" && t.at != null) assert.ok(A.element(t.at), `${where}: ∂ placed at ${t.at}, no element`);
          if (t.a == null) continue;
          const parsed = A.parse(t.a);
          assert.ok(parsed, `${where} form ${k}: ${t.a} is no address`);
          // A partial address names a whole array, which no formula computes with.
          if (parsed.idx.length < quantities[parsed.q].indices.length) assert.ok(Array.isArray(value(t.a)), `${where}: ${t.a}`);
          else number(t.a, `${where} form ${k}`);
        }
      }
      for (const [key, arg] of Object.entries(step.words.args)) {
        if (typeof arg === "string") number(arg, `${where} words.args.${key}`);
      }
      const expected = number(step.contribution ?? step.value, `${where} value`);
      const actual = evaluate(step.forms.at(-1), value);
      assert.ok(near(actual, expected), `${where}: the last form computes ${actual}, torch ${expected}`);
      // The page has a title and words for every step the server explains (the prose is the page's).
      assert.ok(KIND_TITLES[step.kind], `${where}: no title for kind ${step.kind}`);
      const said = sentence(step, { reg, value, fmt, symbol: () => "s" });
      assert.ok(said && !/undefined|NaN/.test(said), `${where}: words ${step.words.id} say ${JSON.stringify(said)}`);
    }
  });
}

test("the fixtures cover every kind of step, batches, the loss's unwritten rest and damped momentum", () => {
  const words = new Set();
  const refs = new Set();
  let contributions = 0;
  for (const name of cases) {
    for (const step of read(name).explanation.steps) {
      words.add(step.words.id);
      for (const a of step.refs) refs.add(a.split(":")[0]);
      if (step.contribution != null) contributions++;
    }
  }
  const kinds = ["weighted_sum", "activation", "loss", "grad_output", "grad_post", "grad_pre", "grad_weight",
    "grad_bias", "update_sgd", "update_momentum_first", "update_momentum", "update_nesterov", "update_adam"];
  assert.deepEqual(kinds.filter((k) => !words.has(k)), [], "step kinds no fixture shows");
  for (const q of ["Lrest", "dampening", "buf.W", "mhat.W", "vhat.W", "p", "alpha"]) assert.ok(refs.has(q), `no step refers to ${q}`);
  assert.ok(contributions > 0, "no batch step with the traced sample's contribution");
});

test("every address the explanations name maps back from its path (what a 422's loc is turned into)", () => {
  const { quantities } = read("registry.json");
  const A = makeAddresses(quantities);
  const seen = new Set();
  for (const name of cases) for (const step of read(name).explanation.steps) for (const a of step.refs) seen.add(a);
  // p:l,n,k sits at probabilities[n][k]: no path names its layer, so none maps back to it.
  const located = (q) => quantities[q].indices.every((i) => quantities[q].path.some((seg) => String(seg).includes(`{${i}`)));
  assert.ok(seen.size > 0);
  for (const a of [...seen].filter((a) => located(A.parse(a).q))) {
    const { root, keys } = A.path(a);
    assert.equal(A.fromPath(root, keys), a, `${a} at ${root}.${keys.join(".")}`);
  }
});

// The registry's templates against the references, away from kinks (ReLU at 0).
const POINTS = [-2.1, -0.7, -0.05, 0.3, 1.4, 3.2];
const SLOPE = 0.07;
const H = 1e-6;
const central = (f, s) => (f(s + H) - f(s - H)) / (2 * H);
const closeTo = (actual, expected, tol, what) =>
  assert.ok(Math.abs(actual - expected) <= tol * (1 + Math.abs(expected)), `${what}: ${actual} != ${expected}`);
const softmax = (s) => {
  const top = Math.max(...s);
  const e = s.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};
const none = () => undefined;

test("every elementwise activation of the registry has a reference, and its templates agree with it", () => {
  const { activations } = read("registry.json");
  for (const act of activations.filter((a) => !a.couples_units)) {
    const f = FUNCTIONS[act.symbol];
    assert.ok(f, `no reference implementation of ${act.id} (${act.symbol})`);
    const phi = (s) => f(s, SLOPE);
    for (const s of POINTS) {
      const z = phi(s);
      const vars = { s, z, α: SLOPE };
      closeTo(evaluate(act.forward, none, vars), z, 1e-12, `${act.id} forward at ${s}`);
      const derivative = central(phi, s);
      closeTo(evaluate(act.derivative, none, vars), derivative, 1e-7, `${act.id} derivative at ${s}`);
      closeTo(evaluate(act.backward, none, { ...vars, g: -1.3 }), -1.3 * derivative, 1e-7, `${act.id} backward at ${s}`);
    }
  }
});

test("a coupled activation (softmax): forward over Σ, backward as the Jacobian times g", () => {
  const { activations } = read("registry.json");
  const coupled = activations.filter((a) => a.couples_units);
  assert.deepEqual(coupled.map((a) => a.id), ["softmax"], "a new coupled activation needs a reference here");
  const [act] = coupled;
  const s = [0.4, -1.2, 2.0];
  const g = [0.3, -0.8, 1.1];
  const z = softmax(s);
  const L = (v) => softmax(v).reduce((acc, zk, k) => acc + zk * g[k], 0); // ∂L/∂z = g
  s.forEach((si, i) => {
    const sumExp = s.reduce((a, v) => a + Math.exp(v), 0);
    closeTo(evaluate(act.forward, none, { s: si, z: z[i], Σ: sumExp }), z[i], 1e-12, `softmax forward ${i}`);
    const grad = central((v) => L(s.map((w, k) => (k === i ? v : w))), si);
    const dot = z.reduce((a, zk, k) => a + zk * g[k], 0);
    closeTo(evaluate(act.backward, none, { s: si, z: z[i], g: g[i], Σ: dot }), grad, 1e-7, `softmax backward ${i}`);
  });
});

test("every loss's derivative template is the derivative of its term", () => {
  const { losses } = read("registry.json");
  for (const loss of losses) {
    const sign = loss.negate ? -1 : 1;
    if (loss.targets === "classes") {
      // L = −log p_c with p = softmax(s): ∂L/∂s_k = the template at p_k and onehot_k.
      const s = [0.2, -0.9, 1.3];
      const c = 1;
      const term = (v) => sign * evaluate(loss.term, none, { p: softmax(v)[c] });
      const p = softmax(s);
      s.forEach((sk, k) => {
        const numeric = central((v) => term(s.map((w, m) => (m === k ? v : w))), sk);
        closeTo(evaluate(loss.derivative, none, { p: p[k], onehot: k === c ? 1 : 0 }), numeric, 1e-7, `${loss.id} ∂/∂s${k}`);
      });
      continue;
    }
    for (const [yhat, y] of [[0.3, 1], [0.8, 0], [0.45, 0.6]]) {
      const numeric = central((v) => sign * evaluate(loss.term, none, { ŷ: v, y }), yhat);
      closeTo(evaluate(loss.derivative, none, { ŷ: yhat, y }), numeric, 1e-7, `${loss.id} at ŷ=${yhat}, y=${y}`);
    }
  }
});
