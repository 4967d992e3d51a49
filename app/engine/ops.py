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


def optimizer_step(optimizer: torch.optim.Optimizer):
    """The optimizer's own step, without the profiler wrapper torch.optim puts around every step.

    `Optimizer.step` is wrapped (profile_hook_step) in a record_function and the step hooks; the
    engine registers no optimizer hooks and runs no profiler, and the wrapper cost the lecture's step
    ~60k instructions, 40 % of the SGD update itself. The update is the same call either way."""
    step = type(optimizer).step
    inner = getattr(step, "__wrapped__", None) if getattr(step, "hooked", False) else None
    if inner is None or optimizer._optimizer_step_pre_hooks or optimizer._optimizer_step_post_hooks:
        return optimizer.step
    return inner.__get__(optimizer)


def hyper_of(name: str, spec) -> dict:
    """The optimizer's torch kwargs read from an object with the registry's hyper-parameter names."""
    fields = vars(spec)  # (its attributes' dict: a getattr per key cost the lecture's step 12k instructions)
    out = {}
    for h in OPTIMIZERS[name].hyper:
        value = fields[h.key]
        out[h.key] = tuple(value) if type(value) is list or type(value) is tuple else value
    return out
