"""Adam: one registry entry — torch.optim.Adam, its hyper-parameters, state and update rule."""

from ..base import Hyper, Optimizer

ENTRY = Optimizer(
    id="adam",
    name="Adam",
    torch="torch.optim.Adam",
    code="torch.optim.Adam(params={params}, lr={lr}, betas={betas}, eps={eps}, weight_decay={weight_decay})",
    hyper=(
        Hyper("lr", "ε", 0.1, "ε, the learning rate."),
        Hyper("betas", "β₁, β₂", (0.9, 0.999), "Adam's β₁, β₂: decay rates of the moment estimates, each in [0, 1).",
              below=1.0),
        Hyper("eps", "ε̂", 1e-8, "Adam's ε̂ added to √v̂ for stability.", exclusive_min=True),
        Hyper("weight_decay", "λ", 0.0, "L2 penalty λ added to the gradient."),
    ),
    state=("step", "exp_avg", "exp_avg_sq"),
    rules={"adam": "p − ε·m̂/(√v̂ + ε̂)"},
    rule_vars=frozenset({"p", "g", "ε", "m̂", "v̂", "ε̂", "λ"}),
    words="torch.optim.Adam: m = β₁·m + (1 − β₁)·g and v = β₂·v + (1 − β₂)·g², corrected for their start at 0 "
          "as m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ); the step is ε·m̂/(√v̂ + ε̂).",
)
