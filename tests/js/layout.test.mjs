import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutNetwork, placeLabels } from "../../static/js/layout.js";

// The page takes element ids from the server's address table; these are the ones it serves.
const ids = { neuron: (l, u) => `L${l}N${u}`, edge: (l, i, j) => `L${l}W${i}_${j}`, target: (k) => `Y${k}` };
const box = { width: 860, height: 560, font: 18, ids };

test("the lecture's 3-2-1 network has its neurons, edges, one target and the loss", () => {
  const lay = layoutNetwork([3, 2, 1], box);
  assert.deepEqual(lay.neurons.map((n) => n.id), ["L0N0", "L0N1", "L0N2", "L1N0", "L1N1", "L2N0"]);
  assert.deepEqual(lay.edges.map((e) => e.id), ["L1W0_0", "L1W0_1", "L1W0_2", "L1W1_0", "L1W1_1", "L1W1_2", "L2W0_0", "L2W0_1"]);
  assert.equal(lay.targets.length, 1);
  assert.ok(lay.loss.x > lay.targets[0].x);
});

test("every neuron lies inside the box, columns left to right", () => {
  for (const sizes of [[2, 2, 1], [8, 8, 8, 8, 8, 2], [3, 16, 1], [64, 64, 1]]) {
    const lay = layoutNetwork(sizes, box);
    for (const n of lay.neurons) {
      assert.ok(n.x - n.r >= 0 && n.x + n.r <= box.width, `x of ${n.id} in ${sizes}`);
      assert.ok(n.y - n.r >= 0 && n.y + n.r <= box.height, `y of ${n.id} in ${sizes}`);
      assert.ok(n.r > 0);
    }
    assert.ok(lay.loss.x + lay.loss.r <= box.width);
    const xs = lay.layers.map((l) => l.x);
    assert.deepEqual([...xs].sort((a, b) => a - b), xs);
  }
});

test("neurons of a column never overlap, even with 64 units", () => {
  for (const units of [2, 4, 8, 16, 64]) {
    const lay = layoutNetwork([units, units, 1], box);
    const col = lay.neurons.filter((n) => n.layer === 1);
    for (let i = 1; i < col.length; i++) assert.ok(col[i].y - col[i - 1].y >= col[i].r * 2);
  }
});

test("small columns show full values and labels; crowded ones abbreviate or hide them", () => {
  const lay = layoutNetwork([3, 2, 1], box);
  assert.ok(lay.layers.every((l) => l.value === "full" && l.labels));
  const big = layoutNetwork([8, 16, 1], box);
  assert.notEqual(big.layers[1].value, "full");
  assert.equal(big.edgeLabels[1], "refs");
  assert.equal(lay.edgeLabels[1], "all");
});

test("edges run from circle rim to circle rim", () => {
  const lay = layoutNetwork([3, 2, 1], box);
  const e = lay.edges[0];
  const a = lay.neurons[0];
  assert.ok(Math.abs(Math.hypot(e.x1 - a.x, e.y1 - a.y) - a.r) < 1e-9);
});

test("placeLabels keeps labels apart and away from circles, moving them along the edge", () => {
  const edge = (id, y1, y2) => ({ id, x1: 0, y1, x2: 200, y2, t: 0.5, w: 40, h: 20 });
  const spots = placeLabels([edge("a", 0, 0), edge("b", 0, 0)]);
  const [a, b] = [spots.get("a"), spots.get("b")];
  assert.ok(a && b);
  assert.ok(Math.abs(a.x - b.x) >= 40 || Math.abs(a.y - b.y) >= 20);
  const none = placeLabels([edge("c", 0, 0)], [{ x: 100, y: 0, r: 500 }]);
  assert.equal(none.has("c"), false);
  const forced = placeLabels([{ ...edge("d", 0, 0), force: true }], [{ x: 100, y: 0, r: 500 }]);
  assert.equal(forced.get("d").x, 100);
});

test("the target box and the loss node never overlap, however many layers", () => {
  for (const font of [17, 24]) {
    for (const sizes of [[3, 2, 1], [8, 8, 8, 8, 8, 1], [2, 4, 4, 4, 4, 4, 4, 4, 2]]) {
      const lay = layoutNetwork(sizes, { width: 810, height: 520, font, ids });
      const t = lay.targets[0];
      const outs = lay.neurons.filter((n) => n.layer === sizes.length - 1);
      assert.ok(t.x - t.w / 2 > outs[0].x + outs[0].r, `target clear of ŷ for ${sizes} at ${font}px`);
      assert.ok(lay.loss.x - lay.loss.r > t.x + t.w / 2, `loss clear of target for ${sizes} at ${font}px`);
      assert.ok(lay.loss.x + lay.loss.r <= 810);
    }
  }
});
