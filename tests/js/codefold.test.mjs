import assert from "node:assert/strict";
import test from "node:test";

import { enclosing, foldLines, shortLine } from "../../static/js/codefold.js";

const SCRIPT = `"""A docstring.

Its second paragraph."""

import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_1 = nn.Linear(3, 2)

    def forward(self, x):
        x = self.linear_1(x)
        return x


model = Net()
loss = f(model(x))
print("loss =", loss)`.split("\n");
const at = (text) => SCRIPT.findIndex((l) => l.includes(text));

test("a line's enclosing lines are its def and its class", () => {
  assert.deepEqual(enclosing(SCRIPT, at("x = self.linear_1(x)")), [at("def forward"), at("class Net")]);
  assert.deepEqual(enclosing(SCRIPT, at("model = Net()")), []);
});

test("the marked line, its context and what encloses it stay; each paragraph else is one fold naming its first line", () => {
  const rows = foldLines(SCRIPT, new Set([at("x = self.linear_1(x)")]));
  const shown = rows.filter((r) => r.kind === "line").map((r) => SCRIPT[r.i].trim());
  assert.deepEqual(shown, ["class Net(torch.nn.Module):", "def forward(self, x):", "x = self.linear_1(x)", "return x", "import torch"].sort((a, b) => at(a) - at(b)));
  const folds = rows.filter((r) => r.kind === "fold").map((r) => [SCRIPT[r.head].trim(), r.count]);
  // The docstring is one fold (its blank line does not split it); __init__ folds whole; the module's last paragraph is one fold.
  assert.deepEqual(folds, [['"""A docstring.', 2], ["def __init__(self):", 3], ["model = Net()", 3]]);
  // Every non-blank line is either shown or counted in a fold.
  const count = rows.reduce((n, r) => n + (r.kind === "fold" ? r.count : 1), 0);
  assert.equal(count, SCRIPT.filter((l) => l.trim()).length);
});

test("an opened fold shows its lines, and nothing marked shows everything", () => {
  const init = [at("def __init__"), at("super()"), at("self.linear_1 =")];
  const rows = foldLines(SCRIPT, new Set([at("x = self.linear_1(x)")]), new Set(init));
  for (const i of init) assert.ok(rows.some((r) => r.kind === "line" && r.i === i));
  assert.equal(foldLines(SCRIPT, new Set()).length, SCRIPT.length);
});

test("without context or paragraphs the folds are fewer", () => {
  const marked = new Set([at("x = self.linear_1(x)")]);
  assert.ok(foldLines(SCRIPT, marked, new Set(), { context: 0, split: false }).length < foldLines(SCRIPT, marked).length);
});

test("a long line of numbers keeps its first two and its brackets; a short line is kept whole", () => {
  const line = "    model.linear_1.weight.copy_(torch.tensor([[-0.0026469905860722065, 0.18966144323349, 0.5], [0.1, 0.2, 0.3]], dtype=DTYPE))";
  assert.equal(shortLine(line, 60), "    model.linear_1.weight.copy_(torch.tensor([[-0.002647, 0.1897, …]], dtype=DTYPE))");
  assert.equal(shortLine("x = 1", 60), "x = 1");
  assert.equal(shortLine("optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1, momentum=0.0)", 20), "optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1, momentum=0.0)");
});
