"""The contract: what a step request carries and what a step response returns (API v1).

Every field has a description: these models are the OpenAPI docs at `/docs`.
Shapes follow `torch.nn.Linear`: a layer's `weights` is (units, fan_in), `biases` is (units).
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

Activation = Literal["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"]
LossName = Literal["mse", "sse", "bce", "cross_entropy"]
OptimizerName = Literal["sgd", "adam"]
DType = Literal["float64", "float32"]
# A number in a response: a float, or one of "NaN", "Infinity", "-Infinity" when not finite.
Num = Union[float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LayerSpec(_Strict):
    """One fully connected layer: s = W·a + β, then z = φ(s)."""

    units: int = Field(ge=1, description="Number of neurons in the layer (rows of `weights`).")
    activation: Activation = Field(
        "identity", description="φ, the activation applied after the weighted sum."
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
        False, description="requires_grad=False on W: no gradient, the optimizer leaves it alone."
    )
    freeze_biases: bool = Field(
        False, description="requires_grad=False on β: no gradient, the optimizer leaves it alone."
    )
    negative_slope: FiniteFloat = Field(
        0.01, description="Slope for s < 0 when `activation` is leaky_relu."
    )


class NetworkSpec(_Strict):
    """A small multilayer perceptron: inputs, then layers in order, then a loss."""

    inputs: int = Field(ge=1, description="Number of input features x₀, x₁, … (fan_in of layer 1).")
    layers: list[LayerSpec] = Field(
        min_length=1, description="The layers in order; the last one produces ŷ."
    )
    loss: LossName = Field(
        "mse",
        description="L: mse (torch's mean of squared errors), sse (sum of squared errors), "
        "bce (binary cross-entropy on a sigmoid output), cross_entropy (softmax + negative "
        "log-likelihood on logits; targets are class indices).",
    )
    seed: int = Field(0, ge=0, description="Seed for layers that omit weights or biases.")

    def fan_ins(self) -> list[int]:
        """How many values feed each layer: the inputs, then the previous layer's units."""
        return [self.inputs] + [layer.units for layer in self.layers[:-1]]


class OptimizerSpec(_Strict):
    """The torch.optim optimizer that takes the step, and its hyper-parameters."""

    name: OptimizerName = Field("sgd", description="sgd (torch.optim.SGD) or adam (torch.optim.Adam).")
    lr: FiniteFloat = Field(0.1, ge=0, description="ε, the learning rate.")
    momentum: FiniteFloat = Field(0.0, ge=0, description="SGD momentum μ (0 = plain SGD).")
    dampening: FiniteFloat = Field(0.0, ge=0, description="SGD dampening of the momentum.")
    nesterov: bool = Field(False, description="SGD Nesterov momentum (needs momentum > 0).")
    weight_decay: FiniteFloat = Field(0.0, ge=0, description="L2 penalty λ added to the gradient.")
    betas: tuple[FiniteFloat, FiniteFloat] = Field(
        (0.9, 0.999), description="Adam's β₁, β₂: decay rates of the moment estimates."
    )
    eps: FiniteFloat = Field(1e-8, gt=0, description="Adam's ε̂ added to √v̂ for stability.")


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
    grad_pre: list[list[Num]] = Field(description="∂L/∂s, as autograd computed it.")
    grad_post: list[list[Num]] = Field(description="∂L/∂z, as autograd computed it.")
    grad_weights: list[list[Num]] | None = Field(
        description="∂L/∂W, shape (units, fan_in); null when the weights are frozen."
    )
    grad_biases: list[Num] | None = Field(
        description="∂L/∂β, shape (units); null when the biases are frozen."
    )


class GraphNode(BaseModel):
    """One node of the autograd graph, as torchviz's make_dot would draw it, with values."""

    id: str = Field(description="Stable id within this response.")
    name: str = Field(description="The grad_fn class name, e.g. AddmmBackward0, or AccumulateGrad.")
    kind: Literal["function", "parameter", "output"] = Field(
        description="function: a backward op; parameter: an AccumulateGrad leaf; output: the loss."
    )
    param: str | None = Field(None, description="For a parameter: e.g. layers.1.weight.")
    label: str | None = Field(None, description="The parameter in the lecture's notation, e.g. W¹.")
    shape: list[int] | None = Field(None, description="Shape of the parameter or output tensor.")
    value: Any = Field(None, description="The parameter's value (or the loss) as nested lists.")
    grad: Any = Field(None, description="The parameter's gradient, as autograd accumulated it.")


class GraphEdge(BaseModel):
    """Gradient flows from `from` (closer to the loss) to `to`."""

    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", description="Node the gradient leaves.")
    to: str = Field(description="Node the gradient reaches (a next_functions entry).")


class AutogradGraph(BaseModel):
    """The graph autograd recorded in the forward pass, walked from the loss."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]


class Token(BaseModel):
    """One token of a formula: a symbol with its value, an operator, a number or a derivative."""

    t: Literal["sym", "op", "num", "fn", "d", "text"] = Field(description="Token type.")
    s: str | None = Field(None, description="Base symbol, operator or function name.")
    sub: str | None = Field(None, description="Subscript of a symbol.")
    sup: str | None = Field(None, description="Superscript of a symbol.")
    v: Num | None = Field(None, description="The numeric value the symbol stands for.")
    ref: str | None = Field(None, description="Diagram element it lives in (data-node/data-edge id).")
    of: dict[str, Any] | None = Field(None, description="For a derivative ∂of/∂wrt: the numerator.")
    wrt: dict[str, Any] | None = Field(None, description="For a derivative: the denominator.")


class TraceStep(BaseModel):
    """One step the player shows: what it is about, the formula, the numbers, the value."""

    i: int = Field(description="Position in the trace.")
    phase: Literal["forward", "loss", "backward", "update"] = Field(description="One of four phases.")
    kind: str = Field(
        description="weighted_sum, activation, loss, grad_output, grad_post, grad_pre, "
        "grad_weight, grad_bias, update_weight or update_bias."
    )
    layer: int | None = Field(description="0 = inputs, i = network.layers[i-1]; null for the loss.")
    unit: int | None = Field(description="Neuron (row) index within the layer.")
    col: int | None = Field(None, description="For a weight: the column (input index).")
    sample: int = Field(description="The traced sample (row of x).")
    target: str = Field(description="Diagram element the step is about, e.g. L1N0, L2W0_1, L1B0, loss.")
    refs: list[str] = Field(description="Every diagram element the formula draws on.")
    rel: Literal["=", "←"] = Field(description="= for a computed quantity, ← for an update.")
    lhs: list[Token] = Field(description="The quantity computed, as tokens.")
    forms: list[list[Token]] = Field(
        description="Right-hand sides in symbols, most general first (e.g. the chain rule, then "
        "its expansion); the numbers substituted are the last form with each symbol's `v`."
    )
    value: Num = Field(description="The resulting value (for a batch gradient: the batch total).")
    contribution: Num | None = Field(
        None, description="For a batch gradient: the traced sample's share of `value`."
    )
    factors: list[Num] | None = Field(
        None, description="Chain-rule factors whose product is `contribution` (or `value`)."
    )
    terms: list[list[Num]] | None = Field(
        None, description="For a sum of products: the factors of each term."
    )
    formula: str = Field(description="The formula in symbols, as plain text.")
    substituted: str = Field(description="The same with the numbers substituted, as plain text.")
    text: str = Field(description="One sentence saying what the step does, in words.")


class StepResponse(BaseModel):
    """The forward pass, the loss, the backward pass and the optimizer step, every number shown."""

    loss: Num = Field(description="L, the loss of the batch.")
    output: list[list[Num]] = Field(description="ŷ, shape (N, outputs): the last layer's z.")
    probabilities: list[list[Num]] | None = Field(
        None, description="softmax(ŷ) for cross_entropy, else null."
    )
    layers: list[LayerResult] = Field(description="Per layer: values and gradients.")
    grad_input: list[list[Num]] = Field(description="∂L/∂x, shape (N, inputs).")
    network: NetworkOut = Field(description="The network before the step, weights filled in.")
    network_after: NetworkOut = Field(
        description="The same network after the optimizer step (non-finite weights, when the step "
        "diverged, come as strings and are refused if sent back)."
    )
    optimizer_state: dict[str, Any] | None = Field(
        description="Opaque optimizer state: send it back with the next request."
    )
    autograd: AutogradGraph = Field(description="The autograd graph from the loss to the parameters.")
    trace: list[TraceStep] = Field(description="The ordered steps the player shows.")
    trace_sample: int = Field(description="The sample the trace follows.")
    dtype: DType = Field(description="Precision the tensors were computed in.")
    diverged: bool = Field(description="True when any number is NaN or infinite.")


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
