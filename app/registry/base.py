"""The shape of a registry entry: everything about one activation, loss or optimizer.

Entries are data: the torch class is named by its dotted path and resolved by the engine
(so importing the registry, or the schemas built from it, never imports torch).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .template import top_level_ops, tpl

# The names a template fills in: an activation's (s, z, α, g = ∂L/∂z, Σ a sum over the
# layer) and a loss's (ŷ, y, p a probability, onehot 1 for the true class).
VARS = frozenset({"s", "z", "α", "g", "Σ"})
LOSS_VARS = frozenset({"ŷ", "y", "p", "onehot"})


@dataclass(frozen=True)
class Activation:
    """φ: built as `torch(**kwargs)`, written `forward`, differentiated as `derivative`.

    Templates are over s (the weighted sum), z = φ(s) and α (the layer's negative slope);
    `backward` gives ∂L/∂s from g = ∂L/∂z (by default g times the derivative), and Σ stands
    for the sum over the layer's units that a coupled activation (softmax) needs.
    """

    id: str
    name: str
    symbol: str
    torch: str
    code: str
    forward: str
    derivative: str
    words: str
    derivative_words: str
    kwargs: dict = field(default_factory=dict)  # torch kwargs; "alpha" stands for the layer's slope
    min_units: int = 1
    couples_units: bool = False  # softmax: ∂z_k/∂s_i ≠ 0 for k ≠ i
    kink: bool = False  # not differentiable at s = 0 (ReLU's corner): a finite difference across it disagrees
    backward: str = ""
    # "dead" (ReLU) or "nearly dead" (leaky ReLU): what a hidden unit is when s ≤ 0 for every sample,
    # and `dead_words` what that does to its learning; "" for an activation that s ≤ 0 does not stop.
    dies: str = ""
    dead_words: str = ""

    def backward_template(self) -> str:
        """∂L/∂s in terms of g = ∂L/∂z: the given rule, else g times the derivative."""
        if self.backward:
            return self.backward
        summed = bool(top_level_ops(tpl(self.derivative, VARS)) & {"+", "−"})
        if self.derivative == "1":
            return "g"
        return f"g·({self.derivative})" if summed else f"g·{self.derivative}"

    def json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "symbol": self.symbol, "torch": self.torch, "code": self.code,
            "forward": tpl(self.forward, VARS), "derivative": tpl(self.derivative, VARS),
            "backward": tpl(self.backward_template(), VARS),
            "words": self.words, "derivative_words": self.derivative_words, "min_units": self.min_units,
            "couples_units": self.couples_units, "dies": self.dies, "dead_words": self.dead_words,
        }


@dataclass(frozen=True)
class Loss:
    """L over the batch: a `term` per output (or per sample), reduced by sum or mean.

    `term` and `derivative` (∂term/∂ŷ) are templates over ŷ, y, p (a probability) and
    onehot (1 for the true class, else 0); `negate` puts a minus in front of the sum.
    """

    id: str
    name: str
    torch: str
    code: str
    term: str
    derivative: str
    words: str
    derivative_words: str
    reduction: str  # "mean" or "sum"
    targets: str = "values"  # or "classes"
    output_activations: tuple[str, ...] | None = None  # what the last layer's φ must be
    negate: bool = False
    kwargs: dict = field(default_factory=dict)

    def json(self) -> dict:
        names = LOSS_VARS
        return {
            "id": self.id, "name": self.name, "torch": self.torch, "code": self.code,
            "term": tpl(self.term, names), "derivative": tpl(self.derivative, names),
            "words": self.words, "derivative_words": self.derivative_words, "reduction": self.reduction,
            "targets": self.targets, "output_activations": self.output_activations, "negate": self.negate,
        }


@dataclass(frozen=True)
class Hyper:
    """One hyper-parameter of an optimizer, as a field of the request's `optimizer`."""

    key: str
    symbol: str
    default: float | bool | tuple
    description: str
    min: float | None = 0.0
    exclusive_min: bool = False
    below: float | None = None  # strictly less than (Adam's betas)


@dataclass(frozen=True)
class Optimizer:
    """A torch.optim optimizer: its hyper-parameters, its per-parameter state, its rules.

    `rules` maps a rule id to an update template over p (the parameter), g (the gradient,
    with weight decay already added when there is any), and the optimizer's own symbols.
    """

    id: str
    name: str
    torch: str
    code: str
    hyper: tuple[Hyper, ...]
    state: tuple[str, ...]
    rules: dict[str, str]
    rule_vars: frozenset[str]
    words: str
    decayed_gradient: str = "(g + λ·p)"

    def json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "torch": self.torch, "code": self.code, "state": list(self.state),
            "hyper": [{"key": h.key, "symbol": h.symbol, "default": h.default, "description": h.description,
                       "min": h.min, "exclusive_min": h.exclusive_min, "below": h.below} for h in self.hyper],
            "rules": {k: tpl(v, self.rule_vars) for k, v in self.rules.items()},
            "words": self.words,
        }
