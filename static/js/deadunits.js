// Dead units: a hidden ReLU whose weighted sum s ≤ 0 for every sample is 0 for all of them,
// and so is every gradient through it: its incoming weights and bias cannot learn from them.
// A leaky ReLU there is "nearly dead" (its gradients are α times). Which activations die, and
// the words for it, come from the registry (`dies`, `dead_words`); the numbers s from the
// server's answer, or, for a training snapshot opened in the player, the server's own verdict
// over the whole training set. Pure: no DOM.

// With a single sample, s ≤ 0 is just a ReLU doing its job (half of them, typically): a unit is
// called dead only when it is 0 for a batch of at least this many samples.
export const MIN_SAMPLES = 2;

const nonPositive = (v) => typeof v === "number" && v <= 0; // "NaN", "Infinity" or null (diverged): not dead

/**
 * The dead hidden units of `network`: [{layer (from 1), unit, kind ("dead" | "nearly dead"),
 * samples, over ("batch" | "training"), words}].
 * - pre: per layer, per sample, per unit, the s of the answer (response.layers[k].pre);
 * - training: {dead: per hidden layer, per unit, a bool; samples} — the server's verdict over a
 *   training set (a snapshot's "dead"); when given, it is what "dead" means.
 */
export function deadUnits({ network, pre, reg, training = null }) {
  const out = [];
  const hidden = network.layers.slice(0, -1);
  hidden.forEach((layer, k) => {
    const act = reg.activations.get(layer.activation);
    if (!act?.dies) return;
    const words = act.dead_words ?? "";
    if (training) {
      (training.dead?.[k] ?? []).forEach((dead, unit) => {
        if (dead) out.push({ layer: k + 1, unit, kind: act.dies, samples: training.samples, over: "training", words });
      });
      return;
    }
    const rows = pre?.[k] ?? [];
    if (rows.length < MIN_SAMPLES) return;
    for (let unit = 0; unit < layer.units; unit++) {
      if (rows.every((row) => nonPositive(row[unit]))) out.push({ layer: k + 1, unit, kind: act.dies, samples: rows.length, over: "batch", words });
    }
  });
  return out;
}

/** "dead: s ≤ 0 for all 4 samples" (of the batch) or "… for all 160 training samples". */
export function deadLabel(d) {
  const what = d.over === "training" ? `training sample${d.samples === 1 ? "" : "s"}` : `sample${d.samples === 1 ? "" : "s"}`;
  return `${d.kind}: s ≤ 0 for ${d.samples === 1 ? "its 1" : `all ${d.samples}`} ${what}`;
}

/** The tooltip: the label, where the samples are from, and what it means for learning. */
export function deadTitle(d) {
  const where = d.over === "training" ? " of the run's training set" : " of this batch";
  return `${deadLabel(d)}${where}, ${d.words}`.trim();
}
