// What each step says in words. The server sends structure (words.id and small args, some
// of them addresses); the prose lives here, the operations' own sentences in the registry.
// Pure: no DOM.

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * One sentence (or two) for a step of the explanation.
 * ctx: {reg (indexRegistry), value(address), fmt(number), symbol(step) → the target's symbol text}.
 */
export function sentence(step, { reg, value, fmt, symbol }) {
  const a = step.words?.args ?? {};
  const act = reg.activations.get(step.op);
  const loss = reg.losses.get(step.op);
  const others = a.samples === 2 ? "the other sample's share" : `the other ${a.samples - 1} samples' shares`;
  const batch = a.samples > 1 ? ` Autograd adds this sample's share to ${others}.` : "";
  switch (step.words?.id) {
    case "weighted_sum":
      return `Weighted sum of ${symbol(step)}: each input times its weight, plus the bias β.`;
    case "activation":
      return `The activation is φ = ${act.symbol}. ${act.words}`;
    case "loss": {
      const shown = a.shown < a.count ? ` Only this sample's terms are written out; “…” is the other ${plural(a.count - a.shown, "term")}, summed.` : "";
      return `The loss L compares the prediction ŷ with the truth y: ${loss.words}, over ${plural(a.count, "term")}.${shown}`;
    }
    case "grad_output": {
      const mean = loss.reduction === "mean" && a.count > 1 ? ` The mean over ${plural(a.count, "term")} divides it by ${a.count}.` : "";
      return `${loss.derivative_words}${mean}`;
    }
    case "grad_post":
      return a.fan_out > 1
        ? `The neuron feeds ${plural(a.fan_out, "neuron")} of the next layer: add the gradient coming back along each weight.`
        : "The neuron feeds one neuron of the next layer: the gradient coming back along its weight.";
    case "grad_pre":
      return `Chain rule through φ = ${act.symbol}: multiply by its local derivative. ${act.derivative_words}`;
    case "grad_weight":
      return `The weight's gradient: the gradient at the neuron it feeds times the input it carries.${batch}`;
    case "grad_bias":
      return `The bias's gradient: the bias is added with weight 1, so it gets the neuron's gradient.${batch}`;
    case "update_sgd":
      return "Gradient descent: step against the gradient, scaled by the learning rate ε.";
    case "update_momentum_first":
      return "SGD with momentum, first step: the velocity b starts as the gradient.";
    case "update_momentum":
    case "update_momentum_damped":
      return `SGD with momentum: the velocity b = μ·b + ${step.words.id.endsWith("damped") ? "(1 − τ)·" : ""}g = ${fmt(value(a.b))} remembers earlier steps.`;
    case "update_nesterov":
      return `SGD with Nesterov momentum: the velocity is b = ${fmt(value(a.b))}, and the step looks ahead by g + μ·b.`;
    case "update_adam":
      return `Adam, step t = ${value(a.t)}: m = β₁·m + (1 − β₁)·g = ${fmt(value(a.m))}, v = β₂·v + (1 − β₂)·g² = ${fmt(value(a.v))}; m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) correct their start at 0.`;
    default:
      return "";
  }
}

/** The panel's title for a step's kind. */
export const KIND_TITLES = {
  weighted_sum: "Weighted sum",
  activation: "Activation",
  loss: "Loss",
  grad_output: "Gradient at the output",
  grad_post: "Gradient at a neuron's output",
  grad_pre: "Through the activation",
  grad_weight: "Gradient of a weight",
  grad_bias: "Gradient of a bias",
  update_weight: "Update a weight",
  update_bias: "Update a bias",
};
