"""The lecture's notation for every quantity of a network: x, w, β, s, z, ŷ, y, L.

Hidden unit i of the only hidden layer is z^i, its weights w_j^i and bias β^i; the output is
ŷ with weights w_j^out and bias β^out (ŷ_k, w_j^{out,k} when there are several outputs).
With several hidden layers the superscript also names the layer: z^{l,i}. Every symbol
carries the address of its number for the traced sample n.
"""

from __future__ import annotations

from ..addresses import addr
from .tokens import bare, d, sym


class Notation:
    """Symbols of one network of `n_layers` layers (inputs are layer 0), for sample n."""

    def __init__(self, n_layers: int, outputs: int, n: int) -> None:
        self.n_layers = n_layers
        self.outputs = outputs
        self.n = n

    def _sup(self, layer: int, unit: int) -> str | None:
        if layer == self.n_layers:
            return "out" if self.outputs == 1 else f"out,{unit}"
        return str(unit) if self.n_layers == 2 else f"{layer},{unit}"

    def z(self, layer: int, unit: int, n: int | None = None) -> dict:
        """The value of neuron `unit` of `layer` after φ: x_j, z^i or ŷ."""
        n = self.n if n is None else n
        if layer == 0:
            return sym("x", addr("x", n, unit), sub=str(unit))
        if layer == self.n_layers:
            return sym("ŷ", addr("z", layer, n, unit), sub=None if self.outputs == 1 else str(unit))
        return sym("z", addr("z", layer, n, unit), sup=self._sup(layer, unit))

    def s(self, layer: int, unit: int) -> dict:
        """The weighted sum of neuron `unit` before φ."""
        return sym("s", addr("s", layer, self.n, unit), sup=self._sup(layer, unit))

    def w(self, layer: int, row: int, col: int) -> dict:
        """The weight from neuron `col` of layer−1 into neuron `row` of `layer`."""
        return sym("w", addr("W", layer, row, col), sub=str(col), sup=self._sup(layer, row))

    def b(self, layer: int, unit: int) -> dict:
        """The bias β of neuron `unit`."""
        return sym("β", addr("b", layer, unit), sup=self._sup(layer, unit))

    def y(self, unit: int, n: int | None = None) -> dict:
        """The target y (y_k with several outputs)."""
        n = self.n if n is None else n
        return sym("y", addr("y", n, unit), sub=None if self.outputs == 1 else str(unit))

    def p(self, unit: int, n: int | None = None) -> dict:
        """The softmax probability p_k of the output (cross-entropy)."""
        n = self.n if n is None else n
        return sym("p", addr("p", self.n_layers, n, unit), sub=str(unit))

    def loss(self) -> dict:
        return sym("L", addr("L"))

    def dL(self, wrt: dict, a: str | None = None) -> dict:
        """∂L/∂(wrt), worth the number at `a`, placed where wrt lives."""
        return d(sym("L"), wrt, a, None if a else wrt.get("a"))

    def param_label(self, layer: int, kind: str) -> str:
        """W or β of a layer as the lecture labels the whole tensor, e.g. Wᵒᵘᵗ."""
        base = "W" if kind == "weight" else "β"
        if layer == self.n_layers:
            return base + "ᵒᵘᵗ"
        return base if self.n_layers == 2 else base + f"({layer})"

    def symbols(self, widths: list[int], pre: list[bool]) -> dict[str, dict]:
        """Every element's symbol, keyed by its address without the sample: the diagram's labels."""
        out: dict[str, dict] = {"L": {"s": "L"}}
        for j in range(widths[0]):
            out[addr("x", j)] = bare(self.z(0, j))
        for layer in range(1, len(widths)):
            for i in range(widths[layer]):
                out[addr("z", layer, i)] = bare(self.z(layer, i))
                if pre[layer - 1]:
                    out[addr("s", layer, i)] = bare(self.s(layer, i))
                out[addr("b", layer, i)] = bare(self.b(layer, i))
                for j in range(widths[layer - 1]):
                    out[addr("W", layer, i, j)] = bare(self.w(layer, i, j))
        for k in range(widths[-1]):
            out[addr("y", k)] = bare(self.y(k))
        return out
