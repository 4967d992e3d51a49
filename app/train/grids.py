"""What the network draws over its input space: the decision boundary and each hidden neuron's map
(2-D inputs) or the fitted curve (1-D input), as forward passes of torch over a grid of points."""

from __future__ import annotations

import torch

from ..engine.network import MLP


def _extent(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The data's range on each input, widened by a tenth (by 0.5 where every row has the same value)."""
    lo, hi = x.min(0).values, x.max(0).values
    pad = torch.where(hi > lo, 0.1 * (hi - lo), torch.full_like(lo, 0.5))
    return lo - pad, hi + pad


def _points(lo: torch.Tensor, hi: torch.Tensor, size: int) -> torch.Tensor:
    """size points per axis; 2-D: row r at x1 = r-th value (upwards), column c at x0 = c-th value."""
    axes = [torch.linspace(float(a), float(b), size, dtype=torch.float64) for a, b in zip(lo, hi)]
    if len(axes) == 1:
        return axes[0].unsqueeze(1)
    x1, x0 = torch.meshgrid(axes[1], axes[0], indexing="ij")
    return torch.stack([x0.reshape(-1), x1.reshape(-1)], 1)


class Grids:
    """The grid points of one run (fixed by the data's range) and the maps of a network over them."""

    def __init__(self, x: torch.Tensor, size: int, neuron_size: int, softmax: bool) -> None:
        self.dims = x.shape[1]
        self.size, self.neuron_size, self.softmax = size, neuron_size, softmax
        self.lo, self.hi = _extent(x)
        self.points = _points(self.lo, self.hi, size) if size else None
        self.neuron_points = _points(self.lo, self.hi, neuron_size) if neuron_size else None

    @property
    def active(self) -> bool:
        return self.dims <= 2 and (self.size > 0 or self.neuron_size > 0)

    def _shape(self, t: torch.Tensor, size: int):
        """(points, units) → per unit a size×size map (2-D) or size values (1-D), numpy, rounded to 4 decimals:
        the maps are drawn as colours and curves, and 4 decimals make their JSON half as long."""
        per_unit = t.T.contiguous()
        shape = (t.shape[1], size, size) if self.dims == 2 else (t.shape[1], size)
        return torch.round(per_unit.reshape(shape), decimals=4).numpy()

    @torch.no_grad()
    def maps(self, net: MLP) -> dict | None:
        """The grid's answer for `net`: {kind, x0, x1?, size, output, neuron_size, neurons}."""
        if not self.active:
            return None
        out = {"kind": "map" if self.dims == 2 else "curve", "x0": [float(self.lo[0]), float(self.hi[0])]}
        if self.dims == 2:
            out["x1"] = [float(self.lo[1]), float(self.hi[1])]
        out["size"] = self.size
        if self.size:
            y = net(self.points)
            out["output"] = self._shape(torch.softmax(y, 1) if self.softmax else y, self.size)
            if self.dims == 1:
                out["x"] = self.points[:, 0].numpy()
        else:
            out["output"] = None
        out["neuron_size"] = self.neuron_size
        neurons = None
        if self.neuron_size:
            neurons, a = [], self.neuron_points
            for linear, phi in net.pairs[:-1]:
                a = phi(linear(a))
                neurons.append(self._shape(a, self.neuron_size))
            if self.dims == 1:
                out["neuron_x"] = self.neuron_points[:, 0].numpy()
        out["neurons"] = neurons
        return out


@torch.no_grad()
def dead_units(net: MLP, x: torch.Tensor, dies: list[bool]) -> list[list[bool]]:
    """Per hidden layer, per unit: s ≤ 0 on every row of x, in a layer whose activation `dies` there (the
    registry's: a ReLU is dead, its gradient 0 for all of them; a leaky ReLU nearly dead, its gradient α times)."""
    out, a = [], x
    for (linear, phi), can_die in zip(net.pairs[:-1], dies):
        s = linear(a)
        a = phi(s)
        out.append((s <= 0).all(0).tolist() if can_die and len(x) else [False] * s.shape[1])
    return out
