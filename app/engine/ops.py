"""The registry's operations made real: torch classes resolved from their dotted names.

Resolved once, when the engine is first imported (at start-up), so a registry entry that
names a class torch does not have fails then, not in a request.
"""

from __future__ import annotations

from importlib import import_module

import torch
from torch import nn

from ..registry import ACTIVATIONS, LOSSES, OPTIMIZERS


def resolve(dotted: str) -> type:
    """The class a dotted name such as torch.nn.Sigmoid names."""
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


_ACT = {key: resolve(entry.torch) for key, entry in ACTIVATIONS.items()}
_LOSS = {key: resolve(entry.torch) for key, entry in LOSSES.items()}
_OPT = {key: resolve(entry.torch) for key, entry in OPTIMIZERS.items()}


def make_activation(name: str, slope: float) -> nn.Module:
    """φ as its torch module; a kwarg given as "alpha" takes the layer's negative slope."""
    kwargs = {k: slope if v == "alpha" else v for k, v in ACTIVATIONS[name].kwargs.items()}
    return _ACT[name](**kwargs)


def make_loss(name: str, reduction: str | None = None) -> nn.Module:
    """The loss module (reduction "none": one term per element, for the terms L does not write out)."""
    kwargs = dict(LOSSES[name].kwargs)
    if reduction is not None:
        kwargs["reduction"] = reduction
    return _LOSS[name](**kwargs)


def make_optimizer(name: str, params: list[nn.Parameter], hyper: dict) -> torch.optim.Optimizer:
    """The torch.optim optimizer over `params` with these hyper-parameters (the registry's keys).

    foreach=False names the implementation torch picks itself for CPU tensors (the single-tensor
    loop; foreach kernels are for CUDA), so it decides nothing: it saves that decision per step."""
    return _OPT[name](params, **hyper, foreach=False)


def hyper_of(name: str, spec) -> dict:
    """The optimizer's torch kwargs read from an object with the registry's hyper-parameter names."""
    out = {}
    for h in OPTIMIZERS[name].hyper:
        value = getattr(spec, h.key)
        out[h.key] = tuple(value) if isinstance(value, (list, tuple)) else value
    return out
