"""Addresses: one name for every quantity of a step, defined once.

An address is `Q:i,j,k` — a quantity and its indices (layers from 1, the inputs being
layer 0; samples, units and columns from 0) — or `Q` alone. The table says where each
quantity's number sits in the request or the response; the page gets it from
GET /api/registry and finds every number on screen by its address, and the explanation
names numbers only by address. Pure: no torch.
"""

from __future__ import annotations

import re

# quantity: (indices, root, path, diagram element, description)
_W, _B = ("l", "i", "j"), ("l", "i")
_PW, _PB = "layers.{l-1}.weight", "layers.{l-1}.bias"
_TABLE: dict[str, tuple] = {
    "x": (("n", "j"), "request", ["x", "{n}", "{j}"], "L0N{j}", "Input x_j of sample n."),
    "y": (("n", "k"), "request", ["y", "{n}", "{k}"], "Y{k}", "Target y_k of sample n."),
    "c": (("n",), "request", ["y", "{n}"], "Y0", "Class index of sample n (cross_entropy)."),
    "W": (_W, "response", ["network", "layers", "{l-1}", "weights", "{i}", "{j}"], "L{l}W{i}_{j}",
          "Weight from unit j of layer l−1 into unit i of layer l."),
    "b": (_B, "response", ["network", "layers", "{l-1}", "biases", "{i}"], "L{l}B{i}", "Bias β of unit i of layer l."),
    "alpha": (("l",), "response", ["network", "layers", "{l-1}", "negative_slope"], None,
              "Slope α of leaky_relu for s < 0 in layer l."),
    "s": (("l", "n", "i"), "response", ["layers", "{l-1}", "pre", "{n}", "{i}"], "L{l}N{i}",
          "Weighted sum s of unit i of layer l, sample n."),
    "z": (("l", "n", "i"), "response", ["layers", "{l-1}", "post", "{n}", "{i}"], "L{l}N{i}",
          "Activation z = φ(s) of unit i of layer l, sample n (ŷ in the last layer)."),
    "p": (("l", "n", "k"), "response", ["probabilities", "{n}", "{k}"], "L{l}N{k}",
          "Softmax probability p_k of sample n (cross_entropy); l is the output layer."),
    "L": ((), "response", ["loss"], "loss", "The loss of the batch."),
    "Lrest": ((), "response", ["loss_rest"], "loss",
              "The loss terms the formula does not write out, summed (sign as in the registry's term)."),
    "dL/dx": (("n", "j"), "response", ["grad_input", "{n}", "{j}"], "L0N{j}", "∂L/∂x_j of sample n."),
    "dL/ds": (("l", "n", "i"), "response", ["layers", "{l-1}", "grad_pre", "{n}", "{i}"], "L{l}N{i}", "∂L/∂s."),
    "dL/dz": (("l", "n", "i"), "response", ["layers", "{l-1}", "grad_post", "{n}", "{i}"], "L{l}N{i}", "∂L/∂z."),
    "dL/dW": (_W, "response", ["layers", "{l-1}", "grad_weights", "{i}", "{j}"], "L{l}W{i}_{j}", "∂L/∂w (batch)."),
    "dL/db": (_B, "response", ["layers", "{l-1}", "grad_biases", "{i}"], "L{l}B{i}", "∂L/∂β (batch)."),
    "dLn/dW": (_W, "response", ["sample_grads", "{l-1}", "weights", "{i}", "{j}"], "L{l}W{i}_{j}",
               "The traced sample's share of ∂L/∂w (batches only)."),
    "dLn/db": (_B, "response", ["sample_grads", "{l-1}", "biases", "{i}"], "L{l}B{i}",
               "The traced sample's share of ∂L/∂β (batches only)."),
    "W'": (_W, "response", ["network_after", "layers", "{l-1}", "weights", "{i}", "{j}"], "L{l}W{i}_{j}",
           "The weight after the optimizer step."),
    "b'": (_B, "response", ["network_after", "layers", "{l-1}", "biases", "{i}"], "L{l}B{i}",
           "The bias after the optimizer step."),
    "lr": ((), "response", ["optimizer", "lr"], None, "ε, the learning rate."),
    "momentum": ((), "response", ["optimizer", "momentum"], None, "SGD momentum μ."),
    "dampening": ((), "response", ["optimizer", "dampening"], None, "SGD dampening τ."),
    "weight_decay": ((), "response", ["optimizer", "weight_decay"], None, "Weight decay λ."),
    "beta1": ((), "response", ["optimizer", "betas", "0"], None, "Adam's β₁."),
    "beta2": ((), "response", ["optimizer", "betas", "1"], None, "Adam's β₂."),
    "eps": ((), "response", ["optimizer", "eps"], None, "Adam's ε̂."),
}
# Optimizer state of each element, before the step (from the request) and after (from the response).
for _kind, _idx, _pname in (("W", _W, _PW), ("b", _B, _PB)):
    _cells = ["{i}", "{j}"] if _kind == "W" else ["{i}"]
    _el = "L{l}W{i}_{j}" if _kind == "W" else "L{l}B{i}"
    _TABLE[f"buf.{_kind}"] = (_idx, "request", ["optimizer_state", "params", _pname, "momentum_buffer", *_cells], _el,
                              "SGD's momentum buffer b before the step.")
    _TABLE[f"buf'.{_kind}"] = (_idx, "response", ["optimizer_state", "params", _pname, "momentum_buffer", *_cells],
                               _el, "SGD's momentum buffer b after the step.")
    _TABLE[f"m'.{_kind}"] = (_idx, "response", ["optimizer_state", "params", _pname, "exp_avg", *_cells], _el,
                             "Adam's first moment m after the step.")
    _TABLE[f"v'.{_kind}"] = (_idx, "response", ["optimizer_state", "params", _pname, "exp_avg_sq", *_cells], _el,
                             "Adam's second moment v after the step.")
    _TABLE[f"t'.{_kind}"] = (("l",), "response", ["optimizer_state", "params", _pname, "step"], None,
                             "Adam's step count t after the step.")
    _TABLE[f"mhat.{_kind}"] = (_idx, "response", ["optimizer_terms", "{l-1}", _pname.split(".")[-1], "m_hat", *_cells],
                               _el, "Adam's m̂ = m/(1 − β₁ᵗ).")
    _TABLE[f"vhat.{_kind}"] = (_idx, "response", ["optimizer_terms", "{l-1}", _pname.split(".")[-1], "v_hat", *_cells],
                               _el, "Adam's v̂ = v/(1 − β₂ᵗ).")

QUANTITIES = _TABLE


def quantities_json() -> dict:
    """The table as GET /api/registry serves it."""
    return {q: {"indices": list(idx), "root": root, "path": path, "element": element, "description": text}
            for q, (idx, root, path, element, text) in _TABLE.items()}


def addr(q: str, *idx: int) -> str:
    """The address of quantity q at these indices: addr("W", 1, 0, 2) == "W:1,0,2"."""
    if q not in _TABLE:
        raise KeyError(q)
    return q if not idx else f"{q}:{','.join(str(i) for i in idx)}"


def parse(address: str) -> tuple[str, tuple[int, ...]]:
    """(quantity, indices) of an address."""
    q, _, rest = address.partition(":")
    return q, tuple(int(i) for i in rest.split(",")) if rest else ()


_PARAM = re.compile(r"^layers\.(\d+)\.(weight|bias)$")


def param_address(name: str) -> tuple[str, int]:
    """A torch parameter name as its quantity and layer: "layers.0.weight" → ("W", 1)."""
    m = _PARAM.match(name)
    if m is None:
        raise KeyError(name)
    return ("W" if m.group(2) == "weight" else "b"), int(m.group(1)) + 1


def param_name(kind: str, layer: int) -> str:
    """The torch parameter name of W or b of layer `layer` (from 1): ("W", 1) → "layers.0.weight"."""
    return (_PW if kind == "W" else _PB).replace("{l-1}", str(layer - 1))
