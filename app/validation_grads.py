"""Checks the graph switches of a step request: grad_before (addresses, shapes, frozen tensors),
backward_passes and no_grad together. Each problem names its field, as a 422 reports it."""

from __future__ import annotations

import re

from .schemas import StepRequest

_PARAM = re.compile(r"^(W|b):([1-9][0-9]{0,3})$")


def _err(loc: tuple, msg: str) -> dict:
    return {"type": "value_error", "loc": ("body",) + loc, "msg": msg, "input": None}


def _shape(values) -> list[int]:
    """The shape of nested lists, [-1] when rows differ in length."""
    if not values or not isinstance(values[0], list):
        return [len(values)]
    widths = {len(row) for row in values}
    return [len(values), widths.pop()] if len(widths) == 1 else [-1]


def grad_errors(req: StepRequest) -> list[dict]:
    """Problems of grad_before / backward_passes / no_grad; empty when the engine can run them."""
    errors = []
    if req.no_grad and (req.grad_before is not None or req.backward_passes > 1):
        field = "grad_before" if req.grad_before is not None else "backward_passes"
        errors.append(_err((field,), "no_grad runs no backward pass: omit grad_before and backward_passes"))
    if req.grad_before is None:
        return errors
    net = req.network
    fan_ins = net.fan_ins()
    for address, values in req.grad_before.items():
        loc = ("grad_before", address[:40])
        if address == "x":
            want, frozen = [len(req.x), net.inputs], False
        else:
            m = _PARAM.match(address)
            layer = int(m.group(2)) if m else 0
            if not m or layer > len(net.layers):
                errors.append(_err(loc, f"not a parameter address: expected W:l or b:l with l in "
                                        f"1..{len(net.layers)}, or x"))
                continue
            spec = net.layers[layer - 1]
            weight = m.group(1) == "W"
            want = [spec.units, fan_ins[layer - 1]] if weight else [spec.units]
            frozen = spec.freeze_weights if weight else spec.freeze_biases
        if frozen:
            errors.append(_err(loc, "this parameter is frozen (requires_grad=False): it has no .grad to add to"))
        elif _shape(values) != want:
            errors.append(_err(loc, f"must have shape {want}, like the tensor, got {_shape(values)}"))
    return errors
