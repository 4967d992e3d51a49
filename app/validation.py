"""Checks a step request against the limits and against itself (shapes, names, indices).

Each problem becomes one error with the path of the field, as FastAPI reports a 422.
"""

from __future__ import annotations

from .config import Settings
from .plan import answer_bound
from .registry import ACTIVATIONS, LOSSES
from .schemas import StepRequest, count_parameters
from .validation_grads import grad_errors


def _err(loc: tuple, msg: str, kind: str = "value_error") -> dict:
    return {"type": kind, "loc": ("body",) + loc, "msg": msg, "input": None}


def _short(value) -> str:
    """A number as an error message quotes it: a huge one by its first digits and its length."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text)} digits)"


def limit_message(field: str, limit: int, what: str, got) -> str:
    """A limit's refusal, naming the setting and its variable: 'at most 8 layers (limit …); got 9'."""
    return f"at most {limit} {what} (limit {field}, BACKPROP_LAB_{field.upper()}); got {_short(got)}"


def _sizes(req: StepRequest) -> tuple[list[int], int, int]:
    """The units per layer, the parameter count and the answer's size bound (see plan.answer_bound)."""
    net = req.network
    units = [layer.units for layer in net.layers]
    params = count_parameters(net.inputs, units)
    return units, params, answer_bound(net.inputs, units, params, len(req.x), req.optimizer.name, len(units))


def answer_size(req: StepRequest) -> int:
    """An upper bound of a step answer's size in bytes, from its shape."""
    return _sizes(req)[2]


def limit_errors(req: StepRequest, settings: Settings) -> list[dict]:
    """Fields beyond the configured limits, each naming the limit and its variable.

    Worked out from the request's sizes alone: nothing is derived or cached from a request
    before it is known to be within the limits (see plan)."""
    units, params, size = _sizes(req)
    # The common case, a request within every limit, costs six comparisons (a table of them
    # cost a tenth of the lecture's validation); only a refusal builds the messages below.
    s = settings
    if (len(units) <= s.max_layers and max(units) <= s.max_units and req.network.inputs <= s.max_inputs
            and params <= s.max_parameters and len(req.x) <= s.max_samples and size <= s.max_answer_bytes):
        return []
    checks = [
        (("network", "layers"), "max_layers", "layers", len(units)),
        *((("network", "layers", k, "units"), "max_units", "units per layer", u) for k, u in enumerate(units)),
        (("network", "inputs"), "max_inputs", "inputs", req.network.inputs),
        (("network", "layers"), "max_parameters", "parameters, weights and biases", params),
        (("x",), "max_samples", "samples", len(req.x)),
        ((), "max_answer_bytes", "bytes in the answer (fewer samples, units or layers make it smaller)", size),
    ]
    limits = {field: getattr(settings, field) for field in {c[1] for c in checks}}
    return [_err(loc, limit_message(field, limits[field], what, got), "limit")
            for loc, field, what, got in checks if got > limits[field]]


_MAX_SEED = 2**64 - 1


def _first_not(rows: list, width: int) -> int | None:
    """The index of the first row that is not a list of `width` values; None when all are (the common
    case: one pass in C over the rows' lengths)."""
    if rows and type(rows[0]) is list and set(map(len, rows)) == {width}:
        return None
    return next((r for r, row in enumerate(rows) if not isinstance(row, list) or len(row) != width), None)


def _network_errors(req: StepRequest) -> list[dict]:
    errors = []
    net = req.network
    for k, (fan_in, layer) in enumerate(zip(net.fan_ins(), net.layers)):
        loc = ("network", "layers", k)
        if layer.weights is not None:
            if len(layer.weights) != layer.units:
                errors.append(_err(loc + ("weights",), f"must have {layer.units} rows (units), got {len(layer.weights)}"))
            r = _first_not(layer.weights, fan_in)
            if r is not None:
                errors.append(_err(loc + ("weights", r), f"must have {fan_in} columns (fan_in), got {len(layer.weights[r])}"))
        if layer.biases is not None and len(layer.biases) != layer.units:
            errors.append(_err(loc + ("biases",), f"must have {layer.units} values (units), got {len(layer.biases)}"))
        need = ACTIVATIONS[layer.activation].min_units
        if layer.units < need:
            errors.append(_err(loc + ("activation",), f"{layer.activation} needs at least {need} units"))
    if net.seed > _MAX_SEED:  # torch.manual_seed takes a 64-bit seed
        errors.append(_err(("network", "seed"), f"must be at most {_MAX_SEED} (2^64 − 1), the largest seed torch takes"))
    last = net.layers[-1]
    allowed = LOSSES[net.loss].output_activations
    if allowed and last.activation not in allowed:
        why = "applies softmax itself (the output is the logits)" if LOSSES[net.loss].targets == "classes" \
            else "needs ŷ in (0, 1)"
        errors.append(_err(("network", "loss"), f"{net.loss} {why}: the last layer's activation must be "
                           f"{' or '.join(allowed)}, not {last.activation}"))
    return errors


def _data_errors(req: StepRequest) -> list[dict]:
    errors = []
    net = req.network
    r = _first_not(req.x, net.inputs)
    if r is not None:
        errors.append(_err(("x", r), f"must have {net.inputs} values (network.inputs), got {len(req.x[r])}"))
    outputs = net.layers[-1].units
    if len(req.y) != len(req.x):
        errors.append(_err(("y",), f"must have one target per sample: {len(req.x)}, got {len(req.y)}"))
    elif LOSSES[net.loss].targets == "classes":
        for r, label in enumerate(req.y):
            if not isinstance(label, int) or isinstance(label, bool):
                errors.append(_err(("y", r), "cross_entropy targets are class indices (integers)"))
                break
            if not 0 <= label < outputs:
                errors.append(_err(("y", r), f"class index must be in 0..{outputs - 1} (output units), got {_short(label)}"))
                break
    elif (r := _first_not(req.y, outputs)) is not None:
        errors.append(_err(("y", r), f"must have {outputs} values (output units)"))
    elif net.loss == "bce":
        for r, row in enumerate(req.y):
            if any(not 0.0 <= v <= 1.0 for v in row):
                errors.append(_err(("y", r), "bce targets must lie in [0, 1]"))
                break
    if req.trace_sample >= len(req.x):
        errors.append(_err(("trace_sample",), f"must be below the number of samples ({len(req.x)})"))
    return errors + optimizer_errors(req.optimizer, _err)


def optimizer_errors(opt, err) -> list[dict]:
    """The optimizer's hyper-parameters that torch would refuse together (err(loc, msg) makes each error)."""
    errors = []
    if opt.nesterov and (opt.momentum <= 0 or opt.dampening != 0):
        errors.append(err(("optimizer", "nesterov"), "Nesterov momentum needs momentum > 0 and dampening = 0"))
    if opt.name == "adam" and not all(0.0 <= b < 1.0 for b in opt.betas):
        errors.append(err(("optimizer", "betas"), "Adam's betas must lie in [0, 1)"))
    return errors


def request_errors(req: StepRequest, settings: Settings) -> list[dict]:
    """Every problem of the request; empty when the engine can compute it."""
    errors = limit_errors(req, settings)
    if errors:
        return errors
    return _network_errors(req) + _data_errors(req) + grad_errors(req)
