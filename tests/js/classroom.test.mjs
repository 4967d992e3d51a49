import { test } from "node:test";
import assert from "node:assert/strict";
import { checkNumber } from "../../static/js/format.js";
import { focusLayer, layoutNetwork, placeLabels } from "../../static/js/layout.js";
import { splitTerms } from "../../static/js/mathtokens.js";
import { lossGrowth } from "../../static/js/progress.js";

test("a typed value is a number, or a message says what is wrong with it", () => {
  assert.deepEqual(checkNumber("0.5"), { value: 0.5 });
  assert.deepEqual(checkNumber("−1,5"), { value: -1.5 });
  assert.match(checkNumber("0.7x").error, /“0.7x” is not a number/);
  assert.match(checkNumber("").error, /Type a number/);
  assert.match(checkNumber("1e400").error, /too large/);
  assert.match(checkNumber("1.5", { integer: true }).error, /not a whole number/);
  assert.match(checkNumber("3", { min: 0, max: 1 }).error, /out of range: it must be at most 1/);
  assert.match(checkNumber("0", { above: 0 }).error, /must be above 0/);
  assert.match(checkNumber("1", { below: 1 }).error, /must be below 1/);
});

test("the loss warning comes after two rises in a row, before the loss is infinite", () => {
  assert.equal(lossGrowth([0.5, 0.4, 0.3]), null);
  assert.equal(lossGrowth([0.5, 0.6]), null); // one rise can be noise
  assert.deepEqual(lossGrowth([0.5, 0.6, 2e12]), { updates: 2, from: 0.5, to: 2e12 });
  assert.deepEqual(lossGrowth([3, 1, 2e12, 1e40, 1e80]), { updates: 3, from: 1, to: 1e80 });
  assert.equal(lossGrowth([1, 2, "Infinity"]), null); // the diverged banner says that one
});

test("the focused layer is the one whose weights the step names, and its gap widens", () => {
  const parse = (a) => ({ q: a.split(":")[0], idx: (a.split(":")[1] ?? "").split(",").filter(Boolean).map(Number) });
  assert.equal(focusLayer(["s:2,0,1", "W:2,1,0", "z:1,0,0", "W:2,1,1", "b:2,1"], parse), 2);
  assert.equal(focusLayer(["dL/dz:1,0,0", "W:2,0,0", "dL/ds:2,0,0"], parse), 2);
  assert.equal(focusLayer(["L", "z:2,0,0", "y:0,0"], parse), null);
  const ids = { neuron: (l, u) => `L${l}N${u}`, edge: (l, r, c) => `L${l}W${r}_${c}`, target: (k) => `Y${k}` };
  const plain = layoutNetwork([8, 64, 32, 1], { width: 900, height: 600, font: 17, ids });
  const focused = layoutNetwork([8, 64, 32, 1], { width: 900, height: 600, font: 17, ids, focus: 2 });
  const gap = (lay, l) => lay.layers[l].x - lay.layers[l - 1].x;
  assert.ok(gap(focused, 2) > 1.5 * gap(plain, 2));
  assert.ok(gap(focused, 1) >= 0.6 * gap(plain, 1) - 1e-9);
  assert.ok(Math.abs(focused.layers[3].x - plain.layers[3].x) < 1e-6); // the outputs stay where they were
});

test("a forced label with no free place takes the one it covers least, inside the bounds", () => {
  const edge = { x1: 0, y1: 50, x2: 100, y2: 50, t: 0.5, w: 30, h: 10 };
  const placed = placeLabels([{ id: "a", ...edge }, { id: "b", ...edge, force: true }], [], { left: 0, right: 100, top: 0, bottom: 100 });
  const [a, b] = [placed.get("a"), placed.get("b")];
  assert.ok(Math.abs(a.x - b.x) * 2 >= a.w + b.w || Math.abs(a.y - b.y) * 2 >= a.h + b.h, "the two labels do not overlap");
  assert.ok(b.y - b.h / 2 >= 0 && b.y + b.h / 2 <= 100);
});

test("a long product may break between its factors, a sum between its terms", () => {
  const toks = [{ t: "num", v: 2 }, { t: "op", s: "·" }, { t: "op", s: "(" }, { t: "sym", s: "a" }, { t: "op", s: "−" }, { t: "sym", s: "b" },
    { t: "op", s: ")" }, { t: "op", s: "·" }, { t: "sym", s: "c" }];
  assert.equal(splitTerms(toks).length, 1);
  assert.deepEqual(splitTerms(toks, true).map((t) => t.length), [1, 6, 2]); // not inside the brackets
});
