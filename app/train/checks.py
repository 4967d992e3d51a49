"""Checks a data or train request against the limits and against itself: each problem one 422 error
with the field's path, naming the limit and its variable where a setting is the reason."""

from __future__ import annotations

from ..config import Settings
from ..engine.addresses import parse as parse_address
from ..engine.addresses import param_name
from ..registry import LOSSES
from ..validation import _network_errors, limit_message
from .datasets import CLASSIFICATION, MULTICLASS
from .schemas import DataSpec, TrainRequest

MAX_START_STEP = 10**9


def err(loc: tuple, msg: str, kind: str = "value_error") -> dict:
    return {"type": kind, "loc": ("body",) + loc, "msg": msg, "input": None}


def _limit(loc: tuple, settings: Settings, field: str, what: str, got) -> list[dict]:
    limit = getattr(settings, field)
    return [err(loc, limit_message(field, limit, what, got), "limit")] if got > limit else []


def rows_of(data: DataSpec) -> int:
    return len(data.x) if data.x is not None else data.n


def data_errors(data: DataSpec, settings: Settings, at: tuple = ()) -> list[dict]:
    """The data object on its own: generated or a table (not both), within the sample limit, rectangular."""
    if data.name is None and data.x is None:
        return [err(at, "give a generated set's `name` (xor, gaussians, circles, spiral, line, sine), "
                    "or your own table as `x` and `y`")]
    if data.name is not None and (data.x is not None or data.y is not None):
        return [err(at + ("x",), "give either a generated set's `name` or your own `x` and `y`, not both")]
    if data.name is not None:
        errors = _limit(at + ("n",), settings, "train_max_samples", "samples", data.n)
        if data.name in ("line", "sine") and data.targets == "classes":
            errors.append(err(at + ("targets",), f"{data.name} is a regression set: its targets are a column"))
        elif data.name not in MULTICLASS and data.classes != 2:
            errors.append(err(at + ("classes",), f"{data.name} has 2 classes; only gaussians and spiral take more"))
        return errors
    if data.y is None:
        return [err(at + ("y",), "your table needs targets `y` as well as inputs `x`")]
    errors = _limit(at + ("x",), settings, "train_max_samples", "samples", len(data.x))
    if not data.x:
        return [err(at + ("x",), "your table has no rows")]
    width = len(data.x[0])
    if width == 0:
        return [err(at + ("x", 0), "a row needs at least one input value")]
    errors += _limit(at + ("x", 0), settings, "max_inputs", "inputs", width)
    for r, row in enumerate(data.x):
        if len(row) != width:
            errors.append(err(at + ("x", r), f"every row must have {width} values, like row 0; got {len(row)}"))
            break
    if len(data.y) != len(data.x):
        errors.append(err(at + ("y",), f"must have one target per row of x: {len(data.x)}, got {len(data.y)}"))
    elif data.y and not isinstance(data.y[0], int):
        outs = len(data.y[0])
        for r, row in enumerate(data.y):
            if len(row) != outs or outs == 0:
                errors.append(err(at + ("y", r), f"every target row must have {max(outs, 1)} values, like row 0"))
                break
    elif any(label < 0 for label in data.y):
        errors.append(err(at + ("y",), "class indices start at 0"))
    return errors


def split_errors(n: int, test_fraction: float) -> list[dict]:
    if test_fraction > 0 and n - round(test_fraction * n) < 1:
        return [err(("test_fraction",), f"leaves no training rows out of {n}: lower it or add rows")]
    return []


def as_classes(req: TrainRequest) -> bool:
    """Are a generated set's targets class indices? As `data.targets` says, else as the loss needs."""
    if req.data.targets is not None:
        return req.data.targets == "classes"
    return LOSSES[req.network.loss].targets == "classes"


def _fit_errors(req: TrainRequest) -> list[dict]:
    """Does the data fit the network: its inputs, its outputs, the loss's kind of target?"""
    net, data = req.network, req.data
    last = len(net.layers) - 1
    outputs = net.layers[-1].units
    wants_classes = LOSSES[net.loss].targets == "classes"
    out_loc = ("network", "layers", last, "units")
    if data.name is not None:
        inputs = 2 if data.name in CLASSIFICATION else 1
        errors = []
        if net.inputs != inputs:
            errors.append(err(("network", "inputs"), f"{data.name} has {inputs} input(s); network.inputs is {net.inputs}"))
        if data.name in CLASSIFICATION:
            classes = as_classes(req)
            k = data.classes if data.name in MULTICLASS else 2
            if classes != wants_classes:
                errors.append(err(("data", "targets"), f"{net.loss} takes " + ("class indices: targets \"classes\""
                              if wants_classes else "a column of values: targets \"column\"")))
            elif classes and outputs < k:
                errors.append(err(out_loc, f"{data.name} has {k} classes: the last layer needs {k} units, has {outputs}"))
            elif not classes and k > 2:
                errors.append(err(("data", "classes"), f"{k} classes need targets \"classes\" and cross_entropy"))
        elif wants_classes:
            errors.append(err(("network", "loss"), f"{data.name} is a regression set: cross_entropy needs classes"))
        if not wants_classes and outputs != 1 and not errors:
            errors.append(err(out_loc, f"{data.name}'s targets are one column: the last layer needs 1 unit, has {outputs}"))
        return errors
    if len(data.x[0]) != net.inputs:
        return [err(("data", "x", 0), f"must have {net.inputs} values (network.inputs), got {len(data.x[0])}")]
    if wants_classes:
        if not isinstance(data.y[0], int):
            return [err(("data", "y"), "cross_entropy takes class indices (integers), not rows of values")]
        top = max(data.y)
        return [err(("data", "y"), f"class index must be in 0..{outputs - 1} (output units), got {top}")] \
            if top >= outputs else []
    if isinstance(data.y[0], int):
        return [err(("data", "y"), f"{net.loss} takes rows of values, not class indices")]
    if len(data.y[0]) != outputs:
        return [err(("data", "y", 0), f"must have {outputs} values (output units), got {len(data.y[0])}")]
    if net.loss == "bce" and any(not 0.0 <= v <= 1.0 for row in data.y for v in row):
        return [err(("data", "y"), "bce targets must lie in [0, 1]")]
    return []


def steps_of(req: TrainRequest, n_train: int) -> int:
    """The run's steps: `steps`, or `epochs` × steps per epoch."""
    if req.steps is not None:
        return req.steps
    b = req.batch_size
    per_epoch = 1 if b is None or b >= n_train else -(-n_train // b)
    return req.epochs * per_epoch


def watch_entries(req: TrainRequest) -> tuple[list, list[dict]]:
    """The watched addresses as (address, parameter name, index), and the errors of the bad ones."""
    net = req.network
    fan_ins = net.fan_ins()
    entries, errors = [], []
    for i, address in enumerate(req.watch):
        try:
            q, idx = parse_address(address)
        except ValueError:
            q, idx = None, ()
        shape = None
        if q in ("W", "b") and len(idx) == (3 if q == "W" else 2) and 1 <= idx[0] <= len(net.layers):
            layer = net.layers[idx[0] - 1]
            shape = (layer.units, fan_ins[idx[0] - 1]) if q == "W" else (layer.units,)
        if shape is None or any(not 0 <= v < s for v, s in zip(idx[1:], shape)):
            errors.append(err(("watch", i), f"{address!r} is not a weight or bias of this network: "
                              f"\"W:l,i,j\" or \"b:l,i\" with l in 1..{len(net.layers)}"))
            continue
        entries.append((address, param_name(q, idx[0]), tuple(idx[1:])))
    return entries, errors


def train_errors(req: TrainRequest, settings: Settings) -> list[dict]:
    """Every problem of a train request that can be seen before the data is made; empty when it can run."""
    net = req.network
    errors = _limit(("network", "layers"), settings, "max_layers", "layers", len(net.layers))
    for k, layer in enumerate(net.layers):
        errors += _limit(("network", "layers", k, "units"), settings, "max_units", "units per layer", layer.units)
    errors += _limit(("network", "inputs"), settings, "max_inputs", "inputs", net.inputs)
    errors += _limit(("network", "layers"), settings, "max_parameters", "parameters, weights and biases",
                     net.parameters())
    errors += data_errors(req.data, settings, ("data",))
    if errors:
        return errors
    errors = _network_errors(req) + _fit_errors(req)
    n = rows_of(req.data)
    errors += split_errors(n, req.test_fraction)
    if (req.steps is None) == (req.epochs is None):
        errors.append(err(("steps",), "give `steps` or `epochs` (one of them)"))
    if req.start_step > MAX_START_STEP:
        errors.append(err(("start_step",), f"must be at most {MAX_START_STEP}"))
    opt = req.optimizer
    if opt.nesterov and (opt.momentum <= 0 or opt.dampening != 0):
        errors.append(err(("optimizer", "nesterov"), "Nesterov momentum needs momentum > 0 and dampening = 0"))
    if opt.name == "adam" and not all(0.0 <= b < 1.0 for b in opt.betas):
        errors.append(err(("optimizer", "betas"), "Adam's betas must lie in [0, 1)"))
    for key in ("grid", "neuron_grid"):
        value = getattr(req, key)
        if value is not None:
            errors += _limit((key,), settings, "train_max_grid", "points a side", value)
    errors += watch_entries(req)[1]
    if errors:
        return errors
    n_train = n - round(req.test_fraction * n)
    steps = steps_of(req, n_train)
    errors += _limit(("steps" if req.steps is not None else "epochs",), settings, "train_max_steps", "steps", steps)
    batch = n_train if req.batch_size is None else min(req.batch_size, n_train)
    if batch > settings.max_samples:  # a step must fit /api/step to be replayed there
        errors.append(err(("batch_size",), "a step's batch is replayed by /api/step: " + limit_message(
            "max_samples", settings.max_samples, "rows per batch", batch), "limit"))
    every = req.snapshot_every or max(1, round(steps / 20))
    snapshots = steps // every + 2
    if snapshots > settings.train_max_snapshots:
        errors.append(err(("snapshot_every",), f"gives {snapshots} snapshots: " + limit_message(
            "train_max_snapshots", settings.train_max_snapshots, "snapshots a run", snapshots), "limit"))
    return errors
