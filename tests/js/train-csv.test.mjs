import { test } from "node:test";
import assert from "node:assert/strict";
import { describeError, parseTable, toCsv } from "../../static/js/train/csv.js";

test("a table with a header: inputs, then the target in the last column", () => {
  const t = parseTable("x0,x1,x2,y\n0.2,0.9,-1.1,1\n0.5, 0.1, 0.3, 0\n");
  assert.deepEqual(t.x, [[0.2, 0.9, -1.1], [0.5, 0.1, 0.3]]);
  assert.deepEqual(t.y, [[1], [0]]);
  assert.deepEqual(t.columns, ["x0", "x1", "x2", "y"]);
});

test("no header, semicolons or tabs, a typed minus sign and decimal commas are read", () => {
  assert.deepEqual(parseTable("1;2\n3;4").x, [[1], [3]]);
  assert.deepEqual(parseTable("1\t\u22122\n3\t4").y, [[-2], [4]]);
  assert.deepEqual(parseTable("0,5;1").x, [[0.5]]);
});

test("class targets are whole numbers from 0", () => {
  assert.deepEqual(parseTable("a,b,c\n1,2,0\n3,4,2", { classes: true }).y, [0, 2]);
  const bad = parseTable("a,b,c\n1,2,0\n3,4,0.5", { classes: true });
  assert.deepEqual(bad.errors, [{ row: 3, column: 3, message: "the target must be a class 0, 1, 2 …, not 0.5" }]);
});

test("a cell that is not a number is named by its row and column", () => {
  const { errors } = parseTable("x0,x1,y\n1,2,3\n4,abc,6\n7,8,");
  assert.deepEqual(errors.map(describeError), [
    "row 3, column 2: “abc” is not a number",
    "row 4, column 3: is empty: type a number",
  ]);
});

test("a row with the wrong number of values is named", () => {
  const { errors } = parseTable("x0,x1,y\n1,2,3\n4,5");
  assert.equal(describeError(errors[0]), "row 3: has 2 values, expected 3 (2 inputs and the target)");
});

test("empty tables, a single column and too many samples are refused with the limit", () => {
  assert.match(describeError(parseTable("  \n").errors[0]), /empty/);
  assert.match(describeError(parseTable("y\n1\n2").errors[0]), /at least two columns/);
  assert.match(describeError(parseTable("1,2\n3,4\n5,6", { maxSamples: 2 }).errors[0]), /^row 3: more than 2 samples/);
  assert.match(describeError(parseTable("1,2,3", { maxInputs: 1 }).errors[0]), /2 inputs is more than the server's limit of 1/);
});

test("toCsv writes what parseTable reads", () => {
  const text = toCsv([[0, 1], [1, 0]], [[1], [1]]);
  assert.equal(text, "x0,x1,y\n0,1,1\n1,0,1");
  assert.deepEqual(parseTable(text).x, [[0, 1], [1, 0]]);
  assert.equal(toCsv([[0.5]], [2]), "x0,y\n0.5,2");
});
