"""What every phase of the trace shares: the context it reads and the shape of one step."""

from __future__ import annotations

from . import tokens as tk
from .notation import Notation


def _refs(tokens: list[dict], seen: dict) -> None:
    for t in tokens:
        ref = t.get("ref")
        if ref:
            seen[ref] = None


def make_step(phase, kind, layer, unit, sample, target, lhs, forms, value, *, col=None,
              contribution=None, factors=None, terms=None, rel="=", text="", extra_refs=()) -> dict:
    """One trace step, with its refs and plain-text formula derived from its tokens."""
    seen: dict = {target: None}
    _refs(lhs, seen)
    for form in forms:
        _refs(form, seen)
    for ref in extra_refs:  # elements the formula uses without naming them, e.g. the class target
        seen[ref] = None
    shown = contribution if contribution is not None else value
    return {
        "i": 0, "phase": phase, "kind": kind, "layer": layer, "unit": unit, "col": col,
        "sample": sample, "target": target, "refs": list(seen), "rel": rel,
        "lhs": lhs, "forms": forms, "value": value, "contribution": contribution,
        "factors": factors, "terms": terms,
        "formula": tk.text(lhs) + f" {rel} " + " = ".join(tk.text(f) for f in forms),
        "substituted": tk.text(forms[-1], numeric=True) + " = " + tk.fmt(shown),
        "text": text,
    }


class TraceContext:
    """What every phase of the trace reads: the request, the captured numbers, the notation."""

    def __init__(self, req, cap) -> None:
        self.req = req
        self.cap = cap
        self.spec = req.network
        self.n = req.trace_sample
        self.N = len(req.x)
        self.L = len(self.spec.layers)
        self.K = self.spec.layers[-1].units
        self.note = Notation(self.L, self.K)

    def a(self, layer: int) -> list[float]:
        """Values of layer `layer` (0 = inputs) for the traced sample."""
        return self.cap.x[self.n] if layer == 0 else self.cap.post[layer - 1][self.n]

    def identity(self, layer: int) -> bool:
        return self.spec.layers[layer - 1].activation == "identity"

    def node(self, layer: int, unit: int, v=None) -> dict:
        """The quantity a layer's weights feed: s, or z itself when φ is the identity."""
        if self.identity(layer):
            return self.note.z(layer, unit, v)
        return self.note.s(layer, unit, v)
