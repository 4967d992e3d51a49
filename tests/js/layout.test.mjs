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

test("a forced label with no free place along its edge takes the nearest free place in the drawing", () => {
  // A wall of circles over the edge (x 0…200, y 100) and the drawing's whole height; room only right of it.
  const wall = [];
  for (let x = -40; x <= 260; x += 20) for (let y = -20; y <= 320; y += 20) wall.push({ x, y, r: 12 });
  const bounds = { left: 0, right: 600, top: 0, bottom: 300 };
  const spots = placeLabels([{ id: "w", x1: 0, y1: 100, x2: 200, y2: 100, t: 0.5, w: 60, h: 20, force: true }], wall, bounds);
  const s = spots.get("w");
  const hits = wall.filter((c) => Math.max(Math.abs(c.x - s.x) - 30, 0) ** 2 + Math.max(Math.abs(c.y - s.y) - 10, 0) ** 2 < c.r ** 2);
  assert.deepEqual(hits, [], `the label at ${s.x},${s.y} covers a circle`);
  assert.ok(s.x - 30 >= 0 && s.x + 30 <= 600 && s.y - 10 >= 0 && s.y + 10 <= 300, "inside the drawing");
  // The nearest such place: just past the wall's right end (272 + 30), level with the edge.
  assert.ok(s.x < 330 && Math.abs(s.y - 100) < 10, `nearest free place, got ${s.x},${s.y}`);
});

test("inputs too small for their value show it on a plate when spaced for one (8 inputs on a projector)", () => {
  const lay = layoutNetwork([8, 64, 32, 16, 1], { width: 624, height: 635, font: 24, ids, focus: 1 });
  assert.equal(lay.layers[0].value, "plate");
  assert.equal(lay.layers[1].value, "none"); // a hidden layer stays condensed
  const crowded = layoutNetwork([64, 4, 1], { width: 624, height: 635, font: 24, ids });
  assert.equal(crowded.layers[0].value, "none"); // 64 inputs: no room for a plate's height
});
