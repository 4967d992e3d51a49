// The network a training run trains: the page's current network, with its input count and
// its output (units, activation, loss) adapted to the data set when they don't fit, and a
// sentence for each change so the panel can say what it did. Layers whose shape changes lose
// their weights (the server initialises them from the network's seed). Pure: no DOM.

const OUTPUT_FOR = {
  // classification with two classes: one sigmoid unit and binary cross-entropy
  binary: { units: 1, activation: "sigmoid", loss: "bce" },
  // more classes: one unit per class, softmax inside cross-entropy
  classes: (k) => ({ units: k, activation: "identity", loss: "cross_entropy" }),
  regression: { units: 1, activation: "identity", loss: "mse" },
};

/** Does the network's loss suit the task? (bce and cross_entropy classify, mse and sse fit values.) */
function fits(net, task, classes) {
  const out = net.layers.at(-1);
  if (task === "regression") return ["mse", "sse"].includes(net.loss) && out.units === 1 && !["sigmoid", "softmax"].includes(out.activation);
  if (classes > 2) return net.loss === "cross_entropy" && out.units === classes;
  if (net.loss === "bce") return out.units === 1 && out.activation === "sigmoid";
  return net.loss === "cross_entropy" && out.units === 2;
}

const lossName = { bce: "binary cross-entropy", cross_entropy: "cross-entropy", mse: "MSE" };

/**
 * {network, changes, targets}: the network to train on data with `inputs` columns for a
 * `task` ("classification" | "regression") with `classes` classes; `targets` is how the data
 * set's y must be shaped for its loss ("classes" for cross-entropy, else "column").
 */
export function adaptNetwork(network, { inputs, task, classes = null, label = "the data" }) {
  const net = structuredClone(network);
  const changes = [];
  const reshape = (layer) => {
    delete layer.weights;
    delete layer.biases;
  };
  if (net.inputs !== inputs) {
    changes.push(`inputs set to ${inputs} for ${label} (was ${net.inputs})`);
    net.inputs = inputs;
    reshape(net.layers[0]);
  }
  if (!fits(net, task, classes)) {
    const want = task === "regression" ? OUTPUT_FOR.regression : classes > 2 ? OUTPUT_FOR.classes(classes) : OUTPUT_FOR.binary;
    const out = net.layers.at(-1);
    if (out.units !== want.units) reshape(out);
    Object.assign(out, { units: want.units, activation: want.activation });
    net.loss = want.loss;
    const what = task === "regression" ? "regression" : `${classes > 2 ? classes : "two"} classes`;
    changes.push(`output set to ${want.units} ${want.activation} unit${want.units > 1 ? "s" : ""} with ${lossName[want.loss]} for ${what}`);
  }
  return { network: net, changes, targets: net.loss === "cross_entropy" ? "classes" : "column" };
}

/** Every weight and bias address of a network (W:l,i,j and b:l,i, layers from 1), for the parameter menu. */
export function parameterAddresses(network) {
  const out = [];
  let fanIn = network.inputs;
  network.layers.forEach((layer, k) => {
    const l = k + 1;
    for (let i = 0; i < layer.units; i++) for (let j = 0; j < fanIn; j++) out.push(`W:${l},${i},${j}`);
    for (let i = 0; i < layer.units; i++) out.push(`b:${l},${i}`);
    fanIn = layer.units;
  });
  return out;
}
