// The derivation exported for slides (LaTeX, plain text) and the handout's choice of steps,
// on the lecture's own steps from the API (fixtures written by tests/test_js.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { derivationLatex, derivationText, handoutSteps, stepHeading } from "../../static/js/export/derivation.js";

const lecture = JSON.parse(readFileSync(new URL("./fixtures/lecture-explanation.json", import.meta.url)));
// The lecture's numbers (DESIGN.md): z = (0.4675, 0.5175), ŷ = 0.6428.
const VALUES = { "W:2,0,0": 0.6, "W:2,0,1": 0.7, "z:1,0,0": 0.46752653, "z:1,0,1": 0.51749286, "b:2,0": 0, "z:2,0,0": 0.6427724165340816 };
const value = (a) => VALUES[a];
const yhat = lecture.steps.findIndex((s) => s.target === "z:2,0,0");

test("the output's weighted sum as text: symbols, numbers, value", () => {
  const st = lecture.steps[yhat];
  assert.equal(derivationText(st, value, stepHeading(st, yhat, lecture.steps.length)),
    "Step 5 of 33 · Forward · Weighted sum\n" +
    "ŷ = w₀ᵒᵘᵗ·z⁰ + w₁ᵒᵘᵗ·z¹ + βᵒᵘᵗ\n" +
    "  = 0.6·0.4675 + 0.7·0.5175 + 0.0\n" +
    "  = 0.6428\n");
});

test("the same derivation as a LaTeX aligned block with the right numbers", () => {
  const st = lecture.steps[yhat];
  const tex = derivationLatex(st, value);
  assert.equal(tex,
    "\\begin{aligned}\n" +
    "\\hat{y} &= w_{0}^{\\mathrm{out}} \\cdot z^{0} + w_{1}^{\\mathrm{out}} \\cdot z^{1} + \\beta^{\\mathrm{out}} \\\\\n" +
    " &= 0.6 \\cdot 0.4675 + 0.7 \\cdot 0.5175 + 0.0 \\\\\n" +
    " &= 0.6428\n" +
    "\\end{aligned}\n");
});

test("a small network's handout has every step", () => {
  assert.deepEqual(handoutSteps(lecture.steps), lecture.steps.map((_, i) => i));
});

test("a big network's handout keeps one step of each kind per layer, in order", () => {
  const kept = handoutSteps(lecture.steps, 10);
  assert.ok(kept.length < lecture.steps.length);
  assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
  const keys = kept.map((i) => {
    const st = lecture.steps[i];
    const [q, idx = ""] = st.target.split(":");
    return `${st.phase}|${st.kind}|${q}|${idx.split(",")[0]}`;
  });
  assert.equal(new Set(keys).size, keys.length, "no kind of step twice for the same layer");
  // The first weight of each layer is there, both in the backward pass and in the update.
  for (const layer of ["1", "2"]) {
    assert.ok(kept.some((i) => lecture.steps[i].phase === "backward" && lecture.steps[i].target.startsWith(`dL/dW:${layer},`)), `dL/dW of layer ${layer}`);
    assert.ok(kept.some((i) => lecture.steps[i].phase === "update" && lecture.steps[i].target.startsWith(`W:${layer},`)), `the update of W in layer ${layer}`);
  }
});
