// NDJSON: the training stream arrives in chunks that cut lines anywhere; this gathers them
// into whole lines and parses each. Pure: no DOM, no fetch (api.js feeds it).

/** A splitter: push(text) returns the complete lines so far (parsed); end() the last one. */
export function lineSplitter() {
  let rest = "";
  const parse = (line) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new SyntaxError(`the server sent a line that is not JSON: ${line.slice(0, 80)}`);
    }
  };
  return {
    push(text) {
      rest += text;
      const lines = rest.split("\n");
      rest = lines.pop();
      return lines.filter((l) => l.trim() !== "").map(parse);
    },
    end() {
      const last = rest.trim();
      rest = "";
      return last ? [parse(last)] : [];
    },
  };
}
