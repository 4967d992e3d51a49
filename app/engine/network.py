"""The network spec made into a real torch.nn.Module, and the module read back into a spec."""

from __future__ import annotations

import torch
from torch import nn

from ..schemas import NetworkSpec
from .registry import ACTIVATIONS

DTYPES = {"float64": torch.float64, "float32": torch.float32}


class MLP(nn.Module):
    """Linear layers, each followed by its activation: s = W·a + β, z = φ(s)."""

    def __init__(self, linears: list[nn.Linear], activations: list[nn.Module]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(linears)
        self.activations = nn.ModuleList(activations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for linear, phi in zip(self.layers, self.activations):
            x = phi(linear(x))
        return x

    def forward_captured(self, x: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """The forward pass keeping (s, z) of every layer, with their gradients retained."""
        captured = []
        a = x
        for linear, phi in zip(self.layers, self.activations):
            s = linear(a)
            s.retain_grad()
            z = phi(s)
            if z is not s:
                z.retain_grad()
            captured.append((s, z))
            a = z
        return captured


def _default_init(spec: NetworkSpec) -> list[nn.Linear]:
    """PyTorch's own initialisation, as after torch.manual_seed(seed) and building the layers."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(spec.seed)
        return [nn.Linear(f, layer.units) for f, layer in zip(spec.fan_ins(), spec.layers)]


def _linear(weight: nn.Parameter, bias: nn.Parameter) -> nn.Linear:
    """A real nn.Linear holding these parameters; its random init is skipped (the spec has the numbers)."""
    linear = nn.Linear.__new__(nn.Linear)
    nn.Module.__init__(linear)
    linear.out_features, linear.in_features = weight.shape
    linear.weight = weight
    linear.bias = bias
    return linear


def build_network(spec: NetworkSpec, dtype: torch.dtype) -> MLP:
    """A real MLP of nn.Linear and activation modules with the spec's weights and biases."""
    needs_init = any(layer.weights is None or layer.biases is None for layer in spec.layers)
    initial = _default_init(spec) if needs_init else None
    linears = []
    for k, layer in enumerate(spec.layers):
        if layer.weights is not None:
            weight = torch.tensor(layer.weights, dtype=dtype)
        else:
            weight = initial[k].weight.detach().to(dtype)
        if layer.biases is not None:
            bias = torch.tensor(layer.biases, dtype=dtype)
        else:
            bias = initial[k].bias.detach().to(dtype)
        linears.append(_linear(nn.Parameter(weight, requires_grad=not layer.freeze_weights),
                               nn.Parameter(bias, requires_grad=not layer.freeze_biases)))
    activations = [ACTIVATIONS[layer.activation].make(layer.negative_slope) for layer in spec.layers]
    return MLP(linears, activations)


def network_spec_dict(spec: NetworkSpec, weights: list, biases: list) -> dict:
    """The spec as a dict with the given weights and biases filled in."""
    return {
        "inputs": spec.inputs,
        "loss": spec.loss,
        "seed": spec.seed,
        "layers": [
            {
                "units": layer.units,
                "activation": layer.activation,
                "weights": w,
                "biases": b,
                "freeze_weights": layer.freeze_weights,
                "freeze_biases": layer.freeze_biases,
                "negative_slope": layer.negative_slope,
            }
            for layer, w, b in zip(spec.layers, weights, biases)
        ],
    }
