"""Checks a step request against the limits and against itself (shapes, names, indices).

Each problem becomes one error with the path of the field, as FastAPI reports a 422.
"""

from __future__ import annotations

from .config import Settings
from .schemas import StepRequest


def _err(loc: tuple, msg: str, kind: str = "value_error") -> dict:
    return {"type": kind, "loc": ("body",) + loc, "msg": msg, "input": None}


def limit_errors(req: StepRequest, settings: Settings) -> list[dict]:
    """Fields beyond the configured limits, each naming the limit and its variable."""
    errors = []
    net = req.network
    if len(net.layers) > settings.max_layers:
        errors.append(_err(("network", "layers"), f"at most {settings.max_layers} layers (limit max_layers, "
                           f"BACKPROP_LAB_MAX_LAYERS); got {len(net.layers)}", "limit"))
    for k, layer in enumerate(net.layers):
        if layer.units > settings.max_units:
            errors.append(_err(("network", "layers", k, "units"), f"at most {settings.max_units} units per layer "
                               f"(limit max_units, BACKPROP_LAB_MAX_UNITS); got {layer.units}", "limit"))
    if net.inputs > settings.max_inputs:
        errors.append(_err(("network", "inputs"), f"at most {settings.max_inputs} inputs (limit max_inputs, "
                           f"BACKPROP_LAB_MAX_INPUTS); got {net.inputs}", "limit"))
    fan_ins = [net.inputs] + [layer.units for layer in net.layers[:-1]]
    params = sum((f + 1) * layer.units for f, layer in zip(fan_ins, net.layers))
    if params > settings.max_parameters:
        errors.append(_err(("network", "layers"), f"at most {settings.max_parameters} parameters, weights and "
                           f"biases (limit max_parameters, BACKPROP_LAB_MAX_PARAMETERS); got {params}", "limit"))
    if len(req.x) > settings.max_samples:
        errors.append(_err(("x",), f"at most {settings.max_samples} samples (limit max_samples, "
                           f"BACKPROP_LAB_MAX_SAMPLES); got {len(req.x)}", "limit"))
    return errors


_MAX_SEED = 2**64 - 1


def _network_errors(req: StepRequest) -> list[dict]:
    errors = []
    net = req.network
    fan_in = net.inputs
    for k, layer in enumerate(net.layers):
        loc = ("network", "layers", k)
        if layer.weights is not None:
            if len(layer.weights) != layer.units:
                errors.append(_err(loc + ("weights",), f"must have {layer.units} rows (units), got {len(layer.weights)}"))
            for r, row in enumerate(layer.weights):
                if len(row) != fan_in:
                    errors.append(_err(loc + ("weights", r), f"must have {fan_in} columns (fan_in), got {len(row)}"))
                    break
        if layer.biases is not None and len(layer.biases) != layer.units:
            errors.append(_err(loc + ("biases",), f"must have {layer.units} values (units), got {len(layer.biases)}"))
        if layer.activation == "softmax" and layer.units < 2:
            errors.append(_err(loc + ("activation",), "softmax needs at least 2 units"))
        fan_in = layer.units
    if net.seed > _MAX_SEED:  # torch.manual_seed takes a 64-bit seed
        errors.append(_err(("network", "seed"), f"must be at most {_MAX_SEED} (2^64 − 1), the largest seed torch takes"))
    last = net.layers[-1]
    if net.loss == "bce" and last.activation != "sigmoid":
        errors.append(_err(("network", "loss"), "bce needs a sigmoid output layer (ŷ in (0, 1)); "
                           f"the last layer's activation is {last.activation}"))
    if net.loss == "cross_entropy" and last.activation != "identity":
        errors.append(_err(("network", "loss"), "cross_entropy applies softmax itself: the last layer's "
                           f"activation must be identity (logits), not {last.activation}"))
    return errors


def _data_errors(req: StepRequest) -> list[dict]:
    errors = []
    net = req.network
    for r, row in enumerate(req.x):
        if len(row) != net.inputs:
            errors.append(_err(("x", r), f"must have {net.inputs} values (network.inputs), got {len(row)}"))
            break
    outputs = net.layers[-1].units
    if len(req.y) != len(req.x):
        errors.append(_err(("y",), f"must have one target per sample: {len(req.x)}, got {len(req.y)}"))
    elif net.loss == "cross_entropy":
        for r, label in enumerate(req.y):
            if not isinstance(label, int) or isinstance(label, bool):
                errors.append(_err(("y", r), "cross_entropy targets are class indices (integers)"))
                break
            if not 0 <= label < outputs:
                errors.append(_err(("y", r), f"class index must be in 0..{outputs - 1} (output units), got {label}"))
                break
    else:
        for r, row in enumerate(req.y):
            if not isinstance(row, list) or len(row) != outputs:
                errors.append(_err(("y", r), f"must have {outputs} values (output units)"))
                break
            if net.loss == "bce" and any(not 0.0 <= v <= 1.0 for v in row):
                errors.append(_err(("y", r), "bce targets must lie in [0, 1]"))
                break
    if req.trace_sample >= len(req.x):
        errors.append(_err(("trace_sample",), f"must be below the number of samples ({len(req.x)})"))
    opt = req.optimizer
    if opt.nesterov and (opt.momentum <= 0 or opt.dampening != 0):
        errors.append(_err(("optimizer", "nesterov"), "Nesterov momentum needs momentum > 0 and dampening = 0"))
    if opt.name == "adam" and not all(0.0 <= b < 1.0 for b in opt.betas):
        errors.append(_err(("optimizer", "betas"), "Adam's betas must lie in [0, 1)"))
    return errors


def request_errors(req: StepRequest, settings: Settings) -> list[dict]:
    """Every problem of the request; empty when the engine can compute it."""
    errors = limit_errors(req, settings)
    if errors:
        return errors
    return _network_errors(req) + _data_errors(req)
