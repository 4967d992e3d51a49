"""The lecture's notation for every quantity of a network: x, w, β, s, z, ŷ, y, L.

Hidden unit i of the only hidden layer is z^i, its weights w_j^i and bias β^i; the output is
ŷ with weights w_j^out and bias β^out (ŷ_k, w_j^{out,k} when there are several outputs).
With several hidden layers the superscript also names the layer: z^{l,i}.
Refs are the page's element ids: L{layer}N{unit}, L{layer}W{row}_{col}, L{layer}B{unit}.
"""

from __future__ import annotations

from . import tokens as tk


class Notation:
    """Symbols and diagram refs for one network of `n_layers` layers (inputs are layer 0)."""

    def __init__(self, n_layers: int, outputs: int) -> None:
        self.n_layers = n_layers
        self.outputs = outputs

    def _sup(self, layer: int, unit: int) -> str | None:
        if layer == self.n_layers:
            return "out" if self.outputs == 1 else f"out,{unit}"
        return str(unit) if self.n_layers == 2 else f"{layer},{unit}"

    def z(self, layer: int, unit: int, v=None) -> dict:
        """The value of neuron `unit` of `layer` after φ: x_j, z^i or ŷ."""
        ref = f"L{layer}N{unit}"
        if layer == 0:
            return tk.sym("x", v, sub=str(unit), ref=ref)
        if layer == self.n_layers:
            return tk.sym("ŷ", v, sub=None if self.outputs == 1 else str(unit), ref=ref)
        return tk.sym("z", v, sup=self._sup(layer, unit), ref=ref)

    def s(self, layer: int, unit: int, v=None) -> dict:
        """The weighted sum of neuron `unit` before φ."""
        return tk.sym("s", v, sup=self._sup(layer, unit), ref=f"L{layer}N{unit}")

    def w(self, layer: int, row: int, col: int, v=None) -> dict:
        """The weight from neuron `col` of layer-1 into neuron `row` of `layer`."""
        return tk.sym("w", v, sub=str(col), sup=self._sup(layer, row), ref=f"L{layer}W{row}_{col}")

    def b(self, layer: int, unit: int, v=None) -> dict:
        """The bias β of neuron `unit`."""
        return tk.sym("β", v, sup=self._sup(layer, unit), ref=f"L{layer}B{unit}")

    def y(self, unit: int, v=None) -> dict:
        """The target y (y_k with several outputs)."""
        return tk.sym("y", v, sub=None if self.outputs == 1 else str(unit), ref=f"Y{unit}")

    def loss(self, v=None) -> dict:
        return tk.sym("L", v, ref="loss")

    def dL(self, wrt: dict, v=None) -> dict:
        """∂L/∂(wrt), living where wrt lives."""
        return tk.d(tk.sym("L"), tk.bare(wrt), v, wrt.get("ref"))

    def param_label(self, layer: int, kind: str) -> str:
        """W or β of a layer as the lecture labels the whole tensor, e.g. Wᵒᵘᵗ."""
        base = "W" if kind == "weight" else "β"
        if layer == self.n_layers:
            return base + "ᵒᵘᵗ"
        return base if self.n_layers == 2 else base + f"({layer})"
