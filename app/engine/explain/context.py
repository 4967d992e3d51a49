"""What the explanation is built from: the network's structure, never its values."""

from __future__ import annotations

from dataclasses import dataclass

from .notation import Notation
from .tokens import addresses


@dataclass(frozen=True)
class Layer:
    """One layer as the explanation sees it."""

    units: int
    activation: str
    freeze_weights: bool = False
    freeze_biases: bool = False


@dataclass(frozen=True)
class Structure:
    """Everything the player's steps depend on, and nothing else: the key of the explanation.

    `labels` are cross-entropy's class targets (which probability each sample's term reads);
    `momentum_state` names the parameters whose momentum buffer the request carries (the
    first momentum step reads no buffer). Under `no_grad` (torch.no_grad()) no graph is built:
    there is no backward pass and no update to explain.
    """

    inputs: int
    layers: tuple[Layer, ...]
    loss: str
    samples: int
    sample: int
    optimizer: str
    momentum: bool = False
    dampening: bool = False
    nesterov: bool = False
    weight_decay: bool = False
    labels: tuple[int, ...] | None = None
    momentum_state: frozenset[str] = frozenset()
    no_grad: bool = False  # an inference-only run: the forward pass and the loss, nothing after


class Context:
    """The structure, the notation, and the shorthands every phase uses."""

    def __init__(self, st: Structure) -> None:
        self.st = st
        self.n = st.sample
        self.N = st.samples
        self.L = len(st.layers)
        self.K = st.layers[-1].units
        self.widths = [st.inputs] + [layer.units for layer in st.layers]
        self.note = Notation(self.L, self.K, self.n)

    def layer(self, layer: int) -> Layer:
        return self.st.layers[layer - 1]

    def identity(self, layer: int) -> bool:
        return self.layer(layer).activation == "identity"

    def node(self, layer: int, unit: int) -> dict:
        """The quantity a layer's weights feed: s, or z itself when φ is the identity."""
        return self.note.z(layer, unit) if self.identity(layer) else self.note.s(layer, unit)


def make_step(phase: str, kind: str, layer: int | None, unit: int | None, target: str, lhs: list[dict],
              forms: list[list[dict]], value: str, *, col: int | None = None, contribution: str | None = None,
              rel: str = "=", op: str | None = None, words: str | None = None, args: dict | None = None,
              sample: int = 0, extra_refs: tuple[str, ...] = ()) -> dict:
    """One step of the player: what it is about, its formulas, the address of its value."""
    refs: dict[str, None] = {target: None}
    for tokens in (lhs, *forms):
        for a in addresses(tokens):
            refs[a] = None
    for a in extra_refs:
        refs[a] = None
    return {
        "phase": phase, "kind": kind, "layer": layer, "unit": unit, "col": col, "sample": sample,
        "target": target, "refs": list(refs), "lhs": lhs, "rel": rel, "forms": forms,
        "value": value, "contribution": contribution, "op": op,
        "words": {"id": words or kind, "args": args or {}},
    }
