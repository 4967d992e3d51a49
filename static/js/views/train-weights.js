// The weights of the snapshot the scrubber shows, layer by layer (W and β as the lecture
// writes them): drag the scrubber back and they rewind with the boundary. Folded by default
// for a big network.

import { fmtShort } from "../format.js";
import { h } from "./dom.js";

const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const sup = (n) => String(n).split("").map((c) => SUP[Number(c)]).join("");

export function mountTrainWeights(root) {
  const summary = h("summary", { text: "Weights" });
  const body = h("div", { class: "snapshot-weights-body" });
  const box = h("details", { class: "snapshot-weights", "data-snapshot-weights": "" }, summary, body);
  root.append(box);
  let shown = null;
  let first = true;

  /** Show the network of `snapshot` (null: none yet). */
  function draw(snapshot) {
    box.hidden = !snapshot;
    if (!snapshot) return;
    summary.textContent = `Weights after step ${snapshot.step}`;
    box.dataset.step = String(snapshot.step);
    if (snapshot === shown) return;
    shown = snapshot;
    const net = snapshot.network;
    if (first) box.open = net.layers.reduce((n, l) => n + l.units * (1 + (l.weights[0]?.length ?? 0)), 0) <= 40;
    first = false;
    body.replaceChildren(...net.layers.map((layer, k) => {
      const l = k + 1;
      const rows = layer.weights.map((row, i) => h("tr", {},
        ...row.map((w, j) => h("td", { class: "num", "data-weight": `W:${l},${i},${j}`, text: fmtShort(w) })),
        h("td", { class: "num bias", "data-weight": `b:${l},${i}`, text: fmtShort(layer.biases[i]) })));
      return h("table", { class: "weights-table" },
        h("caption", { text: `Layer ${l}: W${sup(l)} | β${sup(l)}` }), h("tbody", {}, ...rows));
    }));
  }
  return { draw };
}
