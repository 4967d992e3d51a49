"""SGD: one registry entry — torch.optim.SGD, its hyper-parameters, state and update rules."""

from ..base import Hyper, Optimizer

ENTRY = Optimizer(
    id="sgd",
    name="SGD",
    torch="torch.optim.SGD",
    code="torch.optim.SGD(params={params}, lr={lr}, momentum={momentum}, dampening={dampening}, "
         "nesterov={nesterov}, weight_decay={weight_decay})",
    hyper=(
        Hyper("lr", "ε", 0.1, "ε, the learning rate."),
        Hyper("momentum", "μ", 0.0, "SGD momentum μ (0 = plain SGD)."),
        Hyper("dampening", "τ", 0.0, "SGD dampening τ of the momentum."),
        Hyper("nesterov", "", False, "SGD Nesterov momentum (needs momentum > 0 and dampening 0).", min=None),
        Hyper("weight_decay", "λ", 0.0, "L2 penalty λ added to the gradient."),
    ),
    state=("momentum_buffer",),
    rules={
        "sgd": "p − ε·g",
        "momentum_first": "p − ε·g",
        "momentum": "p − ε·(μ·b + g)",
        "momentum_damped": "p − ε·(μ·b + (1 − τ)·g)",
        "nesterov": "p − ε·(g + μ·b′)",
    },
    rule_vars=frozenset({"p", "g", "ε", "μ", "τ", "b", "b′", "λ"}),
    words="torch.optim.SGD: step against the gradient, scaled by the learning rate ε (with momentum: "
          "along the velocity b = μ·b + (1 − τ)·g).",
)
