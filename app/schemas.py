"""The contract: what a step request carries and what a step response returns (API v1).

Every field has a description: these models are the OpenAPI docs at `/docs`.
Shapes follow `torch.nn.Linear`: a layer's `weights` is (units, fan_in), `biases` is (units).
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, create_model

from .registry import ACTIVATIONS, LOSSES, OPTIMIZERS
from .schemas_graph import AutogradGraph, GraphEdge, GraphNode  # noqa: F401  (part of the contract)

# The enums come from the registry: adding an operation there adds it here.
Activation = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
LossName = Literal[tuple(LOSSES)]  # type: ignore[valid-type]
OptimizerName = Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]
DType = Literal["float64", "float32"]
# A number in a response: a float, or one of "NaN", "Infinity", "-Infinity" when not finite.
Num = Union[float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # "3" is not a number, "yes" not a boolean


class LayerSpec(_Strict):
    """One fully connected layer: s = W·a + β, then z = φ(s)."""

    units: int = Field(ge=1, description="Number of neurons in the layer (rows of `weights`).")
    activation: Activation = Field(
        "identity", description="φ, the activation applied after the weighted sum: "
        + ", ".join(f"{a.id} ({a.name})" for a in ACTIVATIONS.values()) + "."
    )
    weights: list[list[FiniteFloat]] | None = Field(
        None,
        description="W, shape (units, fan_in) like nn.Linear.weight: row i holds the weights "
        "into neuron i. Omitted: initialised from `network.seed` as PyTorch does.",
    )
    biases: list[FiniteFloat] | None = Field(
        None, description="β, shape (units). Omitted: initialised from `network.seed`."
    )
    freeze_weights: bool = Field(
        False, description="requires_grad=False on W: no gradient, the optimizer leaves it alone (and keeps its "
        "state for W, as a torch optimizer holding every parameter does)."
    )
    freeze_biases: bool = Field(
        False, description="requires_grad=False on β: no gradient, the optimizer leaves it alone (and keeps its "
        "state for β)."
    )
    negative_slope: FiniteFloat = Field(
        0.01, description="Slope for s < 0 when `activation` is leaky_relu."
    )


def count_parameters(inputs: int, units: list[int]) -> int:
    """How many weights and biases a network of these sizes has."""
    return sum((fan_in + 1) * u for fan_in, u in zip([inputs] + units[:-1], units))


class NetworkSpec(_Strict):
    """A small multilayer perceptron: inputs, then layers in order, then a loss."""

    inputs: int = Field(ge=1, description="Number of input features x₀, x₁, … (fan_in of layer 1).")
    layers: list[LayerSpec] = Field(
        min_length=1, description="The layers in order; the last one produces ŷ."
    )
    loss: LossName = Field(
        "mse", description="L: " + "; ".join(f"{key}, {loss.words}" for key, loss in LOSSES.items()) + "."
    )
    seed: int = Field(0, ge=0, description="Seed for layers that omit weights or biases.")

    def fan_ins(self) -> list[int]:
        """How many values feed each layer: the inputs, then the previous layer's units."""
        return [self.inputs] + [layer.units for layer in self.layers[:-1]]

    def parameters(self) -> int:
        """How many weights and biases the network has."""
        return count_parameters(self.inputs, [layer.units for layer in self.layers])


def _hyper_fields() -> dict:
    """One field per hyper-parameter any optimizer of the registry has, described there."""
    fields: dict = {"name": (OptimizerName, Field("sgd", description="The optimizer: " + ", ".join(
        f"{o.id} ({o.torch})" for o in OPTIMIZERS.values()) + "."))}
    for opt in OPTIMIZERS.values():
        for h in opt.hyper:
            if h.key in fields:
                continue
            if isinstance(h.default, bool):
                fields[h.key] = (bool, Field(h.default, description=h.description))
            elif isinstance(h.default, tuple):  # a JSON array of that many numbers (strict: no tuple in JSON)
                # made by a factory: a list default is deep-copied on every request (13k instructions);
                # the schema still shows it
                n, default = len(h.default), list(h.default)
                fields[h.key] = (list[FiniteFloat], Field(default_factory=lambda d=default: list(d), min_length=n,
                                                          max_length=n, description=h.description,
                                                          json_schema_extra={"default": default}))
            else:
                bound = {"gt": h.min} if h.exclusive_min else {"ge": h.min} if h.min is not None else {}
                fields[h.key] = (FiniteFloat, Field(h.default, description=h.description, **bound))
    return fields


OptimizerSpec = create_model(
    "OptimizerSpec", __base__=_Strict, __doc__="The torch.optim optimizer that takes the step, and its "
    "hyper-parameters (from the registry; each optimizer reads its own).", **_hyper_fields())


class StepRequest(_Strict):
    """One forward pass, loss, backward pass and optimizer step on `network`."""

    network: NetworkSpec = Field(description="The whole network: the API keeps no state.")
    x: list[list[FiniteFloat]] = Field(
        min_length=1, description="Inputs, shape (N, inputs): one row per sample."
    )
    y: list[list[FiniteFloat]] | list[int] = Field(
        description="Targets: shape (N, outputs) for mse, sse and bce; N class indices for "
        "cross_entropy."
    )
    optimizer: OptimizerSpec = Field(
        default_factory=OptimizerSpec, description="The optimizer that takes the step."
    )
    optimizer_state: dict[str, Any] | None = Field(
        None,
        description="The `optimizer_state` of the previous response, sent back unchanged so "
        "that k calls equal k steps of one torch loop. Omit for a fresh optimizer.",
    )
    trace_sample: int = Field(0, ge=0, description="Which sample (row of x) the trace follows.")
    dtype: DType = Field("float64", description="Precision of every tensor.")
    grad_before: dict[str, list[list[FiniteFloat]] | list[FiniteFloat]] | None = Field(
        None,
        description="Gradient accumulation: the `.grad` an earlier backward left in each tensor, not zeroed "
        "(keys: parameter addresses W:l and b:l, and x; values shaped like the tensor, e.g. a previous answer's "
        "grad_weights). This step's backward adds to it, as PyTorch does without zero_grad, and the optimizer "
        "uses the sum. Frozen parameters have no .grad (refused). Omit: .grad starts at zero (zero_grad).",
    )
    backward_passes: int = Field(
        1, ge=1, le=4, description="Forward and backward this many times on the same batch before the optimizer's "
        "step, without zero_grad between them: with 2, every .grad is exactly twice one pass's gradient.",
    )
    no_grad: bool = Field(
        False, description="Inference only, under torch.no_grad(): forward and loss, no graph, no gradients, no "
        "step (the answer's gradient fields are null, network_after equals network, optimizer_state is the "
        "request's, the autograd graph holds only the loss).",
    )


class LayerOut(LayerSpec):
    """A layer as a response returns it: every weight filled in, NaN/Infinity as strings."""

    weights: list[list[Num]] = Field(description="W, shape (units, fan_in).")
    biases: list[Num] = Field(description="β, shape (units).")


class NetworkOut(NetworkSpec):
    """The network as a response returns it; send it back as `network` to take the next step."""

    layers: list[LayerOut] = Field(description="The layers in order, weights filled in.")


class LayerResult(BaseModel):
    """Everything one layer computed, each of shape (N, units) unless stated."""

    pre: list[list[Num]] = Field(description="s = W·a + β, before the activation.")
    post: list[list[Num]] = Field(description="z = φ(s), after the activation.")
    grad_pre: list[list[Num]] | None = Field(description="∂L/∂s, as autograd computed it (of the last backward "
                                              "pass); null for a no_grad run.")
    grad_post: list[list[Num]] | None = Field(description="∂L/∂z, as autograd computed it (of the last backward "
                                               "pass); null for a no_grad run.")
    grad_weights: list[list[Num]] | None = Field(
        description="∂L/∂W, shape (units, fan_in): W's .grad after the backward pass(es), the accumulated sum "
        "with grad_before or backward_passes > 1; null when the weights are frozen or for a no_grad run."
    )
    grad_biases: list[Num] | None = Field(
        description="∂L/∂β, shape (units): β's .grad (accumulated as for grad_weights); null when the biases are "
        "frozen or for a no_grad run."
    )


class SampleGrads(BaseModel):
    """The traced sample's share of one layer's batch gradients."""

    weights: list[list[Num]] | None = Field(description="Its share of ∂L/∂W (null when W is frozen).")
    biases: list[Num] | None = Field(description="Its share of ∂L/∂β (null when β is frozen).")


class Accumulation(BaseModel):
    """Gradient accumulation: .grad before, what one backward pass adds, how many passes ran."""

    backward_passes: int = Field(description="Backward passes run on the batch without zero_grad.")
    grad_before: list[str] = Field(description="Addresses (W:l, b:l, x) whose .grad the request carried.")
    pass_grads: dict[str, Any] = Field(description="The gradient one backward pass adds, by address (W:l, b:l, x), "
                                       "shaped like the tensor: .grad = grad_before + backward_passes × this.")


class StepResponse(BaseModel):
    """The forward pass, the loss, the backward pass and the optimizer step, every number shown."""

    loss: Num = Field(description="L, the loss of the batch.")
    output: list[list[Num]] = Field(description="ŷ, shape (N, outputs): the last layer's z.")
    probabilities: list[list[Num]] | None = Field(
        None, description="softmax(ŷ) for cross_entropy, else null."
    )
    layers: list[LayerResult] = Field(description="Per layer: values and gradients.")
    grad_input: list[list[Num]] | None = Field(description="∂L/∂x, shape (N, inputs): x's .grad (x requires "
                                                "grad; accumulated as the parameters' are); null for a no_grad run.")
    network: NetworkOut = Field(description="The network before the step, weights filled in.")
    network_after: NetworkOut = Field(
        description="The same network after the optimizer step (non-finite weights, when the step "
        "diverged, come as strings and are refused if sent back)."
    )
    optimizer: OptimizerSpec = Field(
        description="The optimizer that took the step, every hyper-parameter filled in (defaults included)."
    )
    optimizer_state: dict[str, Any] | None = Field(
        description="Opaque optimizer state: send it back with the next request. A frozen parameter's entry "
        "goes out unchanged; a no_grad run returns the request's state (null without one)."
    )
    autograd: AutogradGraph = Field(description="The autograd graph from the loss to the parameters (of the last "
                                    "backward pass; a no_grad run: the loss node alone).")
    explain_key: str = Field(description="Names the network's structure: POST /api/explain gives the player's "
                             "steps for it (fetch again only when this changes).")
    sample_grads: list[SampleGrads] | None = Field(
        None, description="Per layer, the traced sample's share of the gradients (batches only).")
    optimizer_terms: list[dict[str, Any]] | None = Field(
        None, description="Adam only, per layer: m̂ and v̂ of the weight and the bias, as torch computed them.")
    loss_rest: Num | None = Field(
        None, description="When the loss formula writes out only the traced sample's terms: the other terms, summed.")
    trace_sample: int = Field(description="The sample the trace follows.")
    dtype: DType = Field(description="Precision the tensors were computed in.")
    no_grad: bool = Field(False, description="True for an inference-only run (the request's no_grad): the "
                          "gradient fields are null and no step was taken.")
    accumulation: Accumulation | None = Field(
        None, description="With grad_before or backward_passes > 1: what added up into .grad. Null otherwise.")
    diverged: bool = Field(description="True when any number is NaN or infinite.")


class ExplainStep(BaseModel):
    """One step the player shows, as structure: what it computes and which numbers, by address."""

    i: int = Field(description="Position in the explanation.")
    phase: Literal["forward", "loss", "backward", "update"] = Field(description="One of four phases.")
    kind: str = Field(description="weighted_sum, activation, loss, grad_output, grad_post, grad_pre, grad_weight, "
                      "grad_bias, update_weight or update_bias.")
    layer: int | None = Field(description="1 = network.layers[0]; null for the loss.")
    unit: int | None = Field(description="Neuron (row) index within the layer.")
    col: int | None = Field(None, description="For a weight: the column (input index).")
    sample: int = Field(description="The traced sample (row of x).")
    target: str = Field(description="Address of the quantity the step computes or updates.")
    refs: list[str] = Field(description="Addresses of every number the step's formulas use.")
    lhs: list[dict[str, Any]] = Field(description="The quantity computed, as tokens.")
    rel: Literal["=", "←"] = Field(description="= for a computed quantity, ← for an update.")
    forms: list[list[dict[str, Any]]] = Field(description="Right-hand sides as tokens, most general first; a token "
                                              "names its number by address (`a`), never carries it.")
    value: str = Field(description="Address of the resulting value (for a batch gradient: the batch total).")
    contribution: str | None = Field(None, description="Address of the traced sample's share of a batch gradient.")
    op: str | None = Field(None, description="The registry id whose template the formula uses.")
    words: dict[str, Any] = Field(description="Which sentence the page shows ({id, args}); the page owns the prose.")


class Explanation(BaseModel):
    """The ordered steps of the four phases for one network structure, and its symbols."""

    key: str = Field(description="The structure's key (a step answer's explain_key).")
    symbols: dict[str, dict[str, Any]] = Field(description="Each element's symbol, by address without the sample.")
    steps: list[ExplainStep] = Field(description="The steps in the order the player shows them.")


class PresetSummary(BaseModel):
    """A preset as listed: its id, title and one line of what it shows."""

    id: str
    title: str
    description: str


class Health(BaseModel):
    """The server is up, and which torch it computes with."""

    status: Literal["ok"]
    version: str
    torch: str
