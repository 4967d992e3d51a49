// linking.js: which tensor an element, an address, a graph leaf or a line of code belongs to.
import assert from "node:assert/strict";
import test from "node:test";
import { lineNames, linkMarks, tensorOfAddress, tensorOfLine, tensorOfRef } from "../../static/js/linking.js";
import { layoutDag } from "../../static/js/dag.js";

test("an element of the diagram belongs to its tensor", () => {
  assert.equal(tensorOfRef("L1W0_2"), "W:1");
  assert.equal(tensorOfRef("L2B0"), "b:2");
  assert.equal(tensorOfRef("L1N1"), "n:1");
  assert.equal(tensorOfRef("L0N2"), "x");
  assert.equal(tensorOfRef("Y0"), "y");
  assert.equal(tensorOfRef("loss"), "L");
  assert.equal(tensorOfRef(null), null);
});

test("an address, its gradient and its updated value belong to the same tensor", () => {
  assert.equal(tensorOfAddress("W:2,0,1"), "W:2");
  assert.equal(tensorOfAddress("dL/dW:2,0,1"), "W:2");
  assert.equal(tensorOfAddress("W':2,0,1"), "W:2");
  assert.equal(tensorOfAddress("dL/ds:1,0,1"), "n:1");
  assert.equal(tensorOfAddress("z:1,0,1"), "n:1");
  assert.equal(tensorOfAddress("dL/dx"), "x");
  assert.equal(tensorOfAddress("L"), "L");
  assert.equal(tensorOfAddress("lr"), null);
});

test("a line of the script names the tensor of its attribute or of its layer's call", () => {
  assert.equal(tensorOfLine("    model.linear_2.weight.copy_(torch.tensor([[0.6, 0.7]]))"), "W:2");
  assert.equal(tensorOfLine("print('grad linear_1.bias =', ...)"), "b:1");
  assert.equal(tensorOfLine("        x = self.linear_1(x)"), "n:1");
  assert.equal(tensorOfLine("import torch"), null);
  assert.ok(lineNames("        x = self.activation_1(x)", "n:1"));
  assert.ok(!lineNames("        x = self.activation_1(x)", "n:2"));
});

test("the marks: an element hovered, a tensor hovered, an element selected", () => {
  const m = linkMarks({ highlight: "L1W0_2", hoverTensor: null, focus: "L2B0", selectedParam: null });
  assert.deepEqual(m.ref("L1W0_2"), { hl: true, focus: false });
  assert.deepEqual(m.ref("L2B0"), { hl: false, focus: true });
  assert.deepEqual(m.tensor("W:1"), { hl: true, focus: false });
  assert.deepEqual(m.tensor("b:2"), { hl: false, focus: true });
  const t = linkMarks({ highlight: null, hoverTensor: "n:1", focus: null, selectedParam: "W:2" });
  assert.equal(t.ref("L1N0").hl, true);
  assert.equal(t.ref("L2N0").hl, false);
  assert.equal(t.tensor("W:2").focus, true);
});

test("a leaf laid out beside its node shares its row, unless the row gets too wide", () => {
  const nodes = [{ id: "loss" }, { id: "f" }, { id: "leaf" }, { id: "g" }];
  const edges = [{ from: "loss", to: "f" }, { from: "f", to: "leaf" }, { from: "f", to: "g" }];
  const size = () => ({ w: 100, h: 20 });
  const tall = layoutDag(nodes, edges, size, { gap: 10, rowGap: 10, pad: 0 });
  const short = layoutDag(nodes, edges, size, { gap: 10, rowGap: 10, pad: 0, beside: (n) => n.id === "leaf" || n.id === "loss" });
  const at = (lay) => Object.fromEntries(lay.nodes.map((n) => [n.id, n]));
  assert.equal(at(tall).leaf.rank, 2);
  assert.equal(at(short).leaf.rank, at(short).f.rank);
  assert.equal(at(short).loss.rank, at(short).f.rank);
  assert.ok(short.height < tall.height);
  const edge = short.edges.find((e) => e.to === "leaf");
  assert.equal(edge.y1, edge.y2); // side by side: a level arrow
  const narrow = layoutDag(nodes, edges, size, { gap: 10, rowGap: 10, pad: 0, beside: (n) => n.id === "leaf", maxWidth: 150 });
  assert.equal(at(narrow).leaf.rank, 2);
});
