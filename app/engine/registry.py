"""Registries: activation, loss and optimizer names mapped to real torch implementations.

Each activation sits beside its local derivative φ'(s), written in terms of s and z = φ(s),
which the trace uses to spell out the chain rule (autograd computes the real gradients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class ActivationInfo:
    """How an activation is built, written and differentiated."""

    make: Callable[[float], nn.Module]
    symbol: str  # φ as the lecture would write it
    derivative: Callable[[float, float, float], float]  # φ'(s) from (s, z, slope)
    derivative_text: str  # φ'(s) in symbols, with z for φ(s)


ACTIVATIONS: dict[str, ActivationInfo] = {
    "identity": ActivationInfo(lambda _: nn.Identity(), "id", lambda s, z, a: 1.0, "1"),
    "relu": ActivationInfo(
        lambda _: nn.ReLU(), "ReLU", lambda s, z, a: 1.0 if s > 0 else 0.0, "[s > 0]"
    ),
    "leaky_relu": ActivationInfo(
        lambda slope: nn.LeakyReLU(slope),
        "LeakyReLU",
        lambda s, z, a: 1.0 if s > 0 else a,
        "(1 if s > 0 else α)",
    ),
    "sigmoid": ActivationInfo(lambda _: nn.Sigmoid(), "σ", lambda s, z, a: z * (1.0 - z), "z(1 − z)"),
    "tanh": ActivationInfo(lambda _: nn.Tanh(), "tanh", lambda s, z, a: 1.0 - z * z, "1 − z²"),
    # softmax couples the units of a layer; its Jacobian is handled apart in the trace.
    "softmax": ActivationInfo(lambda _: nn.Softmax(dim=1), "softmax", lambda s, z, a: z * (1.0 - z), ""),
}


def make_loss(name: str) -> nn.Module:
    """The torch loss module for a loss name."""
    if name == "mse":
        return nn.MSELoss()
    if name == "sse":
        return nn.MSELoss(reduction="sum")
    if name == "bce":
        return nn.BCELoss()
    if name == "cross_entropy":
        return nn.CrossEntropyLoss()
    raise KeyError(name)


def make_optimizer(spec, params: list[torch.nn.Parameter]) -> torch.optim.Optimizer:
    """The torch.optim optimizer an OptimizerSpec names, over `params`."""
    if spec.name == "sgd":
        return torch.optim.SGD(
            params,
            lr=spec.lr,
            momentum=spec.momentum,
            dampening=spec.dampening,
            nesterov=spec.nesterov,
            weight_decay=spec.weight_decay,
        )
    if spec.name == "adam":
        return torch.optim.Adam(
            params, lr=spec.lr, betas=tuple(spec.betas), eps=spec.eps, weight_decay=spec.weight_decay
        )
    raise KeyError(spec.name)
