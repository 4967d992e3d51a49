"""The network as a real torch.nn.Module: nn.Linear layers, each followed by its activation."""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn

DTYPES = {"float64": torch.float64, "float32": torch.float32}


class MLP(nn.Module):
    """Linear layers, each followed by its activation: s = W·a + β, z = φ(s)."""

    def __init__(self, linears: list[nn.Linear], activations: list[nn.Module]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(linears)
        self.activations = nn.ModuleList(activations)
        self.pairs = list(zip(linears, activations))  # a plain list: ModuleList lookups cost per call

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for linear, phi in zip(self.layers, self.activations):
            x = phi(linear(x))
        return x

    def forward_captured(self, x: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """The forward pass keeping (s, z) of every layer, with their gradients retained.

        Each module's own forward is called: no module hooks are ever registered on these, and
        nn.Module.__call__'s hook bookkeeping cost more than the lecture's matrix products."""
        captured = []
        a = x
        for linear, phi in self.pairs:
            s = linear.forward(a)
            s.retain_grad()
            z = phi.forward(s)
            if z is not s:
                z.retain_grad()
            captured.append((s, z))
            a = z
        return captured


def linear(weight: nn.Parameter, bias: nn.Parameter) -> nn.Linear:
    """A real nn.Linear holding these parameters; its random init is skipped (the request has the numbers)."""
    layer = nn.Linear.__new__(nn.Linear)
    nn.Module.__init__(layer)
    layer.out_features, layer.in_features = weight.shape
    layer.weight = weight
    layer.bias = bias
    return layer


@lru_cache(maxsize=128)
def _initial(fan_ins: tuple[int, ...], units: tuple[int, ...], seed: int) -> tuple[tuple[torch.Tensor, torch.Tensor], ...]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers = [nn.Linear(f, u) for f, u in zip(fan_ins, units)]
    return tuple((lin.weight.detach().double(), lin.bias.detach().double()) for lin in layers)


def initial_parameters(fan_ins: list[int], units: list[int], seed: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """PyTorch's own initialisation, as after torch.manual_seed(seed) and building the layers (float64 copies)."""
    return [(w.clone(), b.clone()) for w, b in _initial(tuple(fan_ins), tuple(units), seed)]
