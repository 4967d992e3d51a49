import { test } from "node:test";
import assert from "node:assert/strict";
import { lineSplitter } from "../../static/js/train/ndjson.js";

test("lines cut anywhere across chunks come out whole and parsed", () => {
  const s = lineSplitter();
  assert.deepEqual(s.push('{"step": 1, "lo'), []);
  assert.deepEqual(s.push('ss": 0.5}\n{"step": 2, "loss": 0.4}\n{"sn'), [{ step: 1, loss: 0.5 }, { step: 2, loss: 0.4 }]);
  assert.deepEqual(s.push('apshot": {"step": 2}}\n'), [{ snapshot: { step: 2 } }]);
  assert.deepEqual(s.end(), []);
});

test("a last line without a newline is given at the end; blank lines are skipped", () => {
  const s = lineSplitter();
  assert.deepEqual(s.push('\n\n{"done": true}'), []);
  assert.deepEqual(s.end(), [{ done: true }]);
});

test("a line that is not JSON is an error that quotes it", () => {
  const s = lineSplitter();
  assert.throws(() => s.push("<html>oops\n"), /not JSON: <html>oops/);
});
