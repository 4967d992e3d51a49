"""The operation registry: one entry per activation, loss and optimizer, the single source of truth.

Each entry lives in its own file (activations/gelu.py, losses/mse.py, optimizers/adam.py …)
and says everything about its operation: the torch class by dotted name, the lecture's
symbol, the forward and derivative templates, the PyTorch code, the limits. The schemas'
enums, GET /api/registry (menus, formulas, code on the page) and the engine all read it.
Pure data: importing it imports neither torch nor FastAPI.
"""

from __future__ import annotations

from importlib import import_module

from .base import Activation, Loss, Optimizer

_ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "gelu", "silu")
_LOSSES = ("mse", "sse", "bce", "cross_entropy")
_OPTIMIZERS = ("sgd", "adam")


def _load(kind: str, ids: tuple[str, ...]) -> dict:
    return {name: import_module(f".{kind}.{name}", __name__).ENTRY for name in ids}


ACTIVATIONS: dict[str, Activation] = _load("activations", _ACTIVATIONS)
LOSSES: dict[str, Loss] = _load("losses", _LOSSES)
OPTIMIZERS: dict[str, Optimizer] = _load("optimizers", _OPTIMIZERS)


def registry_json(quantities: dict) -> dict:
    """What GET /api/registry answers: every entry as JSON, and the address table."""
    return {
        "activations": [a.json() for a in ACTIVATIONS.values()],
        "losses": [loss.json() for loss in LOSSES.values()],
        "optimizers": [o.json() for o in OPTIMIZERS.values()],
        "quantities": quantities,
    }
