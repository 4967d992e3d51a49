import { test } from "node:test";
import assert from "node:assert/strict";
import { backwardOrder, collapse, layoutDag, moduleOf, ranks } from "../../static/js/dag.js";

// The lecture's graph as /api/step sends it (3 → 2 sigmoid → 1, MSE).
const leaf = (id, address) => ({ id, name: "AccumulateGrad", kind: "parameter", address });
const fn = (id, name) => ({ id, name, kind: "function", address: null });
const NODES = [
  { id: "loss", name: "loss", kind: "output", address: "L" }, fn("n0", "MseLossBackward0"), fn("n1", "AddmmBackward0"),
  leaf("n2", "b:2"), fn("n3", "SigmoidBackward0"), fn("n4", "TBackward0"), fn("n5", "AddmmBackward0"), leaf("n6", "W:2"),
  leaf("n7", "b:1"), leaf("n8", "x"), fn("n9", "TBackward0"), leaf("n10", "W:1"),
];
const EDGES = [["loss", "n0"], ["n0", "n1"], ["n1", "n2"], ["n1", "n3"], ["n1", "n4"], ["n3", "n5"], ["n4", "n6"],
  ["n5", "n7"], ["n5", "n8"], ["n5", "n9"], ["n9", "n10"]].map(([from, to]) => ({ from, to }));

test("autograd's order starts at the loss and runs each node after every node that feeds it", () => {
  const order = backwardOrder(NODES, EDGES);
  assert.equal(order[0], "loss");
  assert.equal(order.length, NODES.length);
  for (const e of EDGES) assert.ok(order.indexOf(e.from) < order.indexOf(e.to), `${e.from} before ${e.to}`);
});

test("the API's own order wins when every node but the root carries one", () => {
  const nodes = NODES.map((n, k) => ({ ...n, order: n.id === "loss" ? null : NODES.length - k }));
  assert.deepEqual(backwardOrder(nodes, EDGES), ["loss", ...NODES.slice(1).reverse().map((n) => n.id)]);
  const partial = nodes.map((n) => (n.id === "n5" ? { ...n, order: null } : n));
  assert.equal(backwardOrder(partial, EDGES)[1], "n0", "a node fed but without an order: autograd's rule instead");
});

test("every edge points down a rank, the loss alone on top", () => {
  const rank = ranks(NODES, EDGES);
  assert.equal(rank.get("loss"), 0);
  for (const e of EDGES) assert.ok(rank.get(e.to) > rank.get(e.from));
  assert.equal(rank.get("n10"), 6); // loss → Mse → Addmm → Sigmoid → Addmm → T → W
});

test("the layout places every node once, inside the drawing, without overlaps in a rank", () => {
  const lay = layoutDag(NODES, EDGES, () => ({ w: 120, h: 40 }), { gap: 10, rowGap: 30 });
  assert.equal(lay.nodes.length, NODES.length);
  assert.equal(lay.edges.length, EDGES.length);
  for (const n of lay.nodes) {
    assert.ok(n.x >= 0 && n.x + n.w <= lay.width + 1e-9 && n.y >= 0 && n.y + n.h <= lay.height + 1e-9);
  }
  const byRank = new Map();
  for (const n of lay.nodes) byRank.set(n.rank, [...(byRank.get(n.rank) ?? []), n]);
  for (const row of byRank.values()) {
    row.sort((a, b) => a.x - b.x);
    for (let k = 1; k < row.length; k += 1) assert.ok(row[k].x >= row[k - 1].x + row[k - 1].w + 10 - 1e-9);
  }
  for (const e of lay.edges) assert.ok(e.y2 > e.y1, "edges run downward");
});

test("a rank wider than maxWidth takes several rows, each within it, its edges still between the boxes' sides", () => {
  const wide = (n) => ({ w: n.kind === "parameter" ? 220 : 240, h: 60 });
  const beside = (n) => n.kind === "parameter" || n.kind === "output";
  const free = layoutDag(NODES, EDGES, wide, { gap: 12, rowGap: 12, pad: 4, beside });
  assert.ok(free.width > 640, "three boxes in a row: wider than a 1024 px projector's panel");
  const lay = layoutDag(NODES, EDGES, wide, { gap: 12, rowGap: 12, pad: 4, beside, maxWidth: 640 });
  assert.ok(lay.width <= 640, `${lay.width} px wide`);
  assert.equal(lay.nodes.length, NODES.length);
  assert.ok(lay.height > free.height, "the rows it takes make it taller");
  const at = new Map(lay.nodes.map((n) => [n.id, n]));
  for (const a of lay.nodes) for (const b of lay.nodes) {
    if (a === b) continue;
    const apart = a.x + a.w <= b.x + 1e-9 || b.x + b.w <= a.x + 1e-9 || a.y + a.h <= b.y + 1e-9 || b.y + b.h <= a.y + 1e-9;
    assert.ok(apart, `${a.id} and ${b.id} overlap`);
  }
  // Each edge starts on its box's border and ends on the other's.
  const onBorder = (n, x, y) => (Math.abs(x - n.x) < 1e-6 || Math.abs(x - n.x - n.w) < 1e-6 || Math.abs(y - n.y) < 1e-6 || Math.abs(y - n.y - n.h) < 1e-6)
    && x >= n.x - 1e-6 && x <= n.x + n.w + 1e-6 && y >= n.y - 1e-6 && y <= n.y + n.h + 1e-6;
  for (const e of lay.edges) {
    assert.ok(onBorder(at.get(e.from), e.x1, e.y1), `${e.from}→${e.to} starts off its box`);
    assert.ok(onBorder(at.get(e.to), e.x2, e.y2), `${e.from}→${e.to} ends off its box`);
  }
});

test("each Linear's Addmm, T and parameter leaves belong to its module; the activation, the loss and x to none", () => {
  const group = moduleOf(NODES, EDGES);
  assert.deepEqual(Object.fromEntries([...group].sort()), {
    n1: "L2", n10: "L1", n2: "L2", n4: "L2", n5: "L1", n6: "L2", n7: "L1", n9: "L1",
  });
});

test("collapsing a module draws its nodes as one box with the edges in and out of it", () => {
  const { nodes, edges } = collapse(NODES, EDGES, new Set(["L1"]));
  const box = nodes.find((n) => n.id === "module:L1");
  assert.deepEqual(box.members.sort(), ["n10", "n5", "n7", "n9"]);
  assert.equal(nodes.length, NODES.length - 3);
  assert.deepEqual(edges.filter((e) => e.from === "module:L1" || e.to === "module:L1"),
    [{ from: "n3", to: "module:L1" }, { from: "module:L1", to: "n8" }]);
  assert.deepEqual(collapse(NODES, EDGES, new Set()).nodes, NODES);
});

test("a frozen layer's bias leaf gone, its Addmm still joins the module through TBackward0", () => {
  const nodes = NODES.filter((n) => n.id !== "n7");
  const edges = EDGES.filter((e) => e.to !== "n7");
  assert.equal(moduleOf(nodes, edges).get("n5"), "L1");
});

test("an edge that crosses a row runs through a gap between its boxes, never behind one", () => {
  // At 1024 px presenting: leaves beside their parents where they fit, the rest in rows of their own;
  // a wide rank broken over several rows. Edges from a row to one two rows down crossed a box.
  const wide = (n) => ({ w: n.kind === "parameter" ? 220 : 240, h: 60 });
  const beside = (n) => n.kind === "parameter" || n.kind === "output";
  let crossing = 0;
  for (const maxWidth of [520, 640, 760, Infinity]) {
    const lay = layoutDag(NODES, EDGES, wide, { gap: 12, rowGap: 8, pad: 4, beside, maxWidth });
    for (const e of lay.edges) {
      assert.deepEqual(e.points[0], [e.x1, e.y1]);
      assert.deepEqual(e.points.at(-1), [e.x2, e.y2]);
      crossing += e.points.length > 2;
      for (let k = 1; k < e.points.length; k += 1) {
        const [[xa, ya], [xb, yb]] = [e.points[k - 1], e.points[k]];
        for (let t = 0; t <= 1; t += 1 / 64) {
          const x = xa + (xb - xa) * t;
          const y = ya + (yb - ya) * t;
          for (const n of lay.nodes) {
            if (n.id === e.from || n.id === e.to) continue;
            const inside = x > n.x + 0.5 && x < n.x + n.w - 0.5 && y > n.y + 0.5 && y < n.y + n.h - 0.5;
            assert.ok(!inside, `maxWidth ${maxWidth}: ${e.from}→${e.to} runs behind ${n.id} at (${x.toFixed(1)}, ${y.toFixed(1)})`);
          }
        }
      }
    }
  }
  assert.ok(crossing > 0, "the case this test is about (an edge across a row) did not occur");
});
