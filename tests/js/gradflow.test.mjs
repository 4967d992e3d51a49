import assert from "node:assert/strict";
import test from "node:test";

import { flowText, gradName } from "../../static/js/gradflow.js";

const ADDMM = { kind: "function", name: "AddmmBackward0", receives: ["dL/ds:1"], passes: ["dL/db:1", "dL/dx", "dL/dW:1"] };
const VALUES = { "dL/ds:1": [[0.25, -0.5, 0.125, 1]], "dL/db:1": [0.25, -0.5, 0.125, 1], "dL/dx": [[1, 2, 3]], "dL/dW:1": [[1, 2], [3, 4]] };

test("a gradient's address in words", () => {
  assert.equal(gradName("dL/ds:2"), "∂L/∂s of layer 2");
  assert.equal(gradName("dL/db:1"), "∂L/∂β of layer 1");
  assert.equal(gradName("dL/dx"), "∂L/∂x");
});

test("a node's flow in full, then shorter for a projector, each shorter than the last", () => {
  const texts = [0, 1, 2, 3].map((brief) => flowText(ADDMM, (a) => VALUES[a], brief));
  assert.match(texts[0], /^: receives ∂L\/∂s of layer 1 = \[0\.25, −0\.5, 0\.13, 1\]; passes on ∂L\/∂β of layer 1 = \[/);
  // Brief: what it passes on by name only; the layer said once; the numbers it receives always shown.
  assert.equal(texts[1], ": receives ∂L/∂s of layer 1 = [0.25, −0.5, …]; passes on ∂L/∂β of layer 1, ∂L/∂x, ∂L/∂W of layer 1");
  assert.equal(texts[2], " (layer 1): receives ∂L/∂s = [0.25, …]; passes on ∂L/∂β, ∂L/∂x, ∂L/∂W");
  for (let k = 1; k < texts.length; k++) assert.ok(texts[k].length <= texts[k - 1].length);
});
