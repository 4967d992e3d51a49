"""The numeric gradient check: autograd's ∂L/∂w next to the central finite difference
(L(w + h) − L(w − h)) / 2h, both computed here in float64 — the proof that backprop is right.

A ReLU (or leaky ReLU) whose weighted sum is at its kink, or crosses it between w − h and
w + h, makes the two disagree without either being wrong: such a check says kink.
"""

from __future__ import annotations

import torch

from ..registry import ACTIVATIONS, LOSSES
from .addresses import parse
from .network import initial_parameters
from .ops import make_activation, make_loss
from .stepio import Shape, as_tensor

REL, ABS = 1e-6, 1e-9  # ok when |autograd − numeric| ≤ REL·|autograd| + ABS
DEFAULT_H = 1e-6


def parameter_addresses(shape: Shape) -> list[str]:
    """Every weight and bias element, layer by layer: W:l,i,j row by row, then b:l,i."""
    out = []
    for layer, (fan_in, (units, *_)) in enumerate(zip(shape.fan_ins(), shape.layers), start=1):
        out += [f"W:{layer},{i},{j}" for i in range(units) for j in range(fan_in)]
        out += [f"b:{layer},{i}" for i in range(units)]
    return out


def address_error(shape: Shape, address: str) -> str | None:
    """Why an address is not a parameter element of this network, or None."""
    try:
        q, idx = parse(address)
    except ValueError:
        idx, q = (), ""
    if q not in ("W", "b") or len(idx) != (3 if q == "W" else 2):
        return "not a parameter element: expected W:l,i,j or b:l,i"
    layer = idx[0]
    if not 1 <= layer <= len(shape.layers):
        return f"layer must be in 1..{len(shape.layers)}"
    units, fan_in = shape.layers[layer - 1][0], shape.fan_ins()[layer - 1]
    if not 0 <= idx[1] < units or (q == "W" and not 0 <= idx[2] < fan_in):
        return f"index out of range: layer {layer} has W of shape [{units}, {fan_in}] and b of shape [{units}]"
    return None


class _Net:
    """The network as float64 tensors and the registry's torch modules, every parameter requiring grad."""

    def __init__(self, shape: Shape, weights: list, biases: list, slopes: list[float], seed: int) -> None:
        initial = None
        if any(w is None for w in weights) or any(b is None for b in biases):
            initial = initial_parameters(shape.fan_ins(), [u for u, *_ in shape.layers], seed)
        f64 = torch.float64
        self.params = []
        for k in range(len(shape.layers)):
            w = as_tensor(weights[k], f64) if weights[k] is not None else initial[k][0]
            b = as_tensor(biases[k], f64) if biases[k] is not None else initial[k][1]
            self.params.append((w.requires_grad_(), b.requires_grad_()))
        self.phis = [make_activation(act, slope) for (_, act, *_), slope in zip(shape.layers, slopes)]
        self.kinked = [ACTIVATIONS[act].kink for _, act, *_ in shape.layers]
        self.loss_fn = make_loss(shape.loss)

    def loss(self, a: torch.Tensor, y: torch.Tensor, start: int = 0) -> tuple[torch.Tensor, list, list]:
        """L from layer `start` (from 0) on, fed `a`; and each of those layers' input a and weighted sum s."""
        inputs, pres = [], []
        for (w, b), phi in zip(self.params[start:], self.phis[start:]):
            inputs.append(a)
            s = torch.nn.functional.linear(a, w, b)
            pres.append(s)
            a = phi(s)
        return self.loss_fn(a, y), inputs, pres


def _crosses_kink(net: _Net, layer: int, base: list, plus: list, minus: list) -> bool:
    """Does a kinked unit in layer `layer` or above sit at s = 0, or change sign between w − h and w + h?

    `plus` and `minus` hold the weighted sums of layers `layer` and above only.
    """
    for k in range(layer - 1, len(base)):
        if not net.kinked[k]:
            continue
        s0, sp, sm = base[k], plus[k - layer + 1], minus[k - layer + 1]
        if bool((s0 == 0).any() or (torch.sign(sp) != torch.sign(sm)).any() or (torch.sign(sp) != torch.sign(s0)).any()):
            return True
    return False


def check(shape: Shape, weights: list, biases: list, slopes: list[float], seed: int, x: list, y: list,
          addresses: list[str], h: float = DEFAULT_H) -> list[dict]:
    """For each parameter element: autograd's gradient, the central difference, their errors, ok, kink."""
    net = _Net(shape, weights, biases, slopes, seed)
    xt = as_tensor(x, torch.float64)
    yt = torch.tensor(y, dtype=torch.long) if LOSSES[shape.loss].targets == "classes" else as_tensor(y, torch.float64)
    loss, _, _ = net.loss(xt, yt)
    loss.backward()
    out = []
    with torch.no_grad():
        _, inputs, base = net.loss(xt, yt)  # a parameter of layer l changes only layers l and above
        for address in addresses:
            q, (layer, *cell) = parse(address)
            p = net.params[layer - 1][0 if q == "W" else 1]
            cell = tuple(cell)
            a = p.grad[cell].item()
            original = p[cell].item()
            p[cell] = original + h
            lp, _, plus = net.loss(inputs[layer - 1], yt, layer - 1)
            p[cell] = original - h
            lm, _, minus = net.loss(inputs[layer - 1], yt, layer - 1)
            p[cell] = original
            n = (lp.item() - lm.item()) / (2 * h)
            err = abs(a - n)
            scale = max(abs(a), abs(n))
            out.append({"address": address, "autograd": a, "numeric": n, "abs_error": err,
                        "rel_error": err / scale if scale > 0 else 0.0, "ok": err <= REL * abs(a) + ABS,
                        "kink": _crosses_kink(net, layer, base, plus, minus)})
    return out
