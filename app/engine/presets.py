"""Presets: complete step requests for the lecture's examples and a few classics.

Each preset is built in code (no data is downloaded); weights a preset leaves out are
filled from its seed with PyTorch's own initialisation, so the page gets every number.
"""

from __future__ import annotations

import torch

from ..registry import OPTIMIZERS
from .network import initial_parameters


def _lecture() -> dict:
    return {
        "network": {
            "inputs": 3,
            "layers": [
                {"units": 2, "activation": "sigmoid",
                 "weights": [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]], "biases": [0.0, 0.0]},
                {"units": 1, "activation": "identity", "weights": [[0.6, 0.7]], "biases": [0.0]},
            ],
            "loss": "mse",
        },
        "x": [[0.2, 0.9, -1.1]],
        "y": [[1.0]],
        "optimizer": {"name": "sgd", "lr": 0.5},
    }


def _mini_mlp() -> dict:
    gen = torch.Generator().manual_seed(0)
    x0 = torch.randn(1, 8, generator=gen, dtype=torch.float64)
    return {
        "network": {
            "inputs": 8,
            "layers": [{"units": 16, "activation": "relu"}, {"units": 1, "activation": "identity"}],
            "loss": "mse",
            "seed": 0,
        },
        "x": [[round(v, 4) for v in x0[0].tolist()]],
        "y": [[0.0]],
        "optimizer": {"name": "sgd", "lr": 0.1},
    }


def _xor() -> dict:
    return {
        "network": {
            "inputs": 2,
            "layers": [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
            "loss": "bce",
            "seed": 3,
        },
        "x": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        "y": [[0.0], [1.0], [1.0], [0.0]],
        "optimizer": {"name": "sgd", "lr": 1.0},
    }


def _two_outputs() -> dict:
    return {
        "network": {
            "inputs": 2,
            "layers": [
                {"units": 3, "activation": "sigmoid",
                 "weights": [[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]], "biases": [0.1, -0.1, 0.0]},
                {"units": 2, "activation": "identity",
                 "weights": [[0.7, -0.3, 0.5], [-0.2, 0.6, 0.4]], "biases": [0.0, 0.1]},
            ],
            "loss": "mse",
        },
        "x": [[1.0, 0.5], [-0.5, 2.0]],
        "y": [[1.0, 0.0], [0.0, 1.0]],
        "optimizer": {"name": "sgd", "lr": 0.5},
    }


XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [[0.0], [1.0], [1.0], [0.0]]


def _dead_relu() -> dict:
    return {
        "network": {
            "inputs": 2,
            "layers": [
                {"units": 3, "activation": "relu", "weights": [[0.6, 0.5], [0.4, 0.7], [-0.5, 0.6]],
                 "biases": [0.0, -10.0, 0.1]},
                {"units": 1, "activation": "sigmoid", "weights": [[0.8, 0.5, -0.7]], "biases": [0.0]},
            ],
            "loss": "bce",
        },
        "x": XOR_X,
        "y": XOR_Y,
        "optimizer": {"name": "sgd", "lr": 1.0},
    }


def _deep_sigmoid() -> dict:
    return {
        "network": {
            "inputs": 2,
            "layers": [{"units": 4, "activation": "sigmoid"} for _ in range(5)] + [{"units": 1, "activation": "sigmoid"}],
            "loss": "bce",
            "seed": 0,
        },
        "x": XOR_X,
        "y": XOR_Y,
        "optimizer": {"name": "sgd", "lr": 1.0},
    }


PRESETS = {
    "lecture": ("The lecture's example", "x = (0.2, 0.9, −1.1), a sigmoid hidden layer of 2, ŷ = 0.6428; MSE, SGD ε = 0.5.", _lecture),
    "mini-mlp": ("MyMiniMLP", "The slide's torch module: Linear(8, 16), ReLU, Linear(16, 1); MSE against 0.", _mini_mlp),
    "xor": ("XOR", "Four samples no straight line separates: 2 → 2 tanh → 1 sigmoid, binary cross-entropy.", _xor),
    "two-outputs": ("Two outputs, two samples", "A batch of two samples and two outputs: how gradients add up.", _two_outputs),
    "dead-relu": ("A dead ReLU", "XOR through three ReLUs, one with bias β = −10: its s ≤ 0 for all four samples, so its "
                  "output and every gradient through it are 0 and it cannot learn.", _dead_relu),
    "deep-sigmoid": ("Vanishing gradients", "A deep sigmoid stack, 2 → five layers of 4 → 1: each σ′ ≤ 0.25, so the first "
                     "layer's gradients are about 10⁴ times smaller than the last's (Train tab, Gradients chart).",
                     _deep_sigmoid),
}


def list_presets() -> list[dict]:
    """Id, title and description of every preset."""
    return [{"id": key, "title": title, "description": text} for key, (title, text, _) in PRESETS.items()]


def get_preset(preset_id: str) -> dict | None:
    """The preset's full step request, every weight filled in; None if there is no such preset."""
    entry = PRESETS.get(preset_id)
    if entry is None:
        return None
    request = entry[2]()
    net = request["network"]
    units = [layer["units"] for layer in net["layers"]]
    initial = initial_parameters([net["inputs"]] + units[:-1], units, net.get("seed", 0))
    for layer, (w, b) in zip(net["layers"], initial):
        layer.setdefault("weights", w.tolist())
        layer.setdefault("biases", b.tolist())
        for key, default in (("freeze_weights", False), ("freeze_biases", False), ("negative_slope", 0.01)):
            layer.setdefault(key, default)
    net.setdefault("seed", 0)
    # Every hyper-parameter of the optimizer, defaults included: the page shows and edits them all.
    opt = request["optimizer"]
    for h in OPTIMIZERS[opt["name"]].hyper:
        opt.setdefault(h.key, list(h.default) if isinstance(h.default, tuple) else h.default)
    return request
