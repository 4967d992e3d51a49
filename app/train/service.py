"""Training requests from bytes to NDJSON lines: parse, check, make the data, build the run, encode.

The route calls these on the training threads; the tests and the benchmark call them directly.
"""

from __future__ import annotations

import orjson

from ..config import Settings
from ..engine.errors import SpecError
from ..engine.ops import hyper_of
from ..jsonsafe import finite_or_text
from ..service import RequestInvalid, validate
from .checks import as_classes, data_errors, rows_of, split_errors, steps_of, train_errors, watch_entries
from .datasets import Dataset, generate, table
from .runner import Plan, Run
from .schemas import DataRequest, DataSpec, TrainRequest

_OPT = orjson.OPT_SERIALIZE_NUMPY


def make_data(data: DataSpec, test_fraction: float, classes: bool) -> Dataset:
    """The rows and the split (a checked data object)."""
    if data.name is not None:
        return generate(data.name, data.n, data.noise, data.seed, data.classes, classes, test_fraction)
    return table(data.x, data.y, data.seed, test_fraction)


def data_bytes(body: bytes, settings: Settings) -> bytes:
    """POST /api/data: the data set and its split as JSON."""
    req = validate(DataRequest, body, settings, samples="train_max_samples")
    errors = data_errors(req, settings) or split_errors(rows_of(req), req.test_fraction)
    if errors:
        raise RequestInvalid(errors)
    classes = req.targets == "classes" or (req.targets is None and req.classes > 2)
    d = make_data(req, req.test_fraction, classes)
    return orjson.dumps({"x": d.x.numpy(), "y": d.y.numpy(), "train": d.train.numpy(), "test": d.test.numpy(),
                        "task": d.task, "inputs": d.inputs, "classes": d.classes}, option=_OPT)


def plan_of(req: TrainRequest, settings: Settings) -> Plan:
    """The run's plan for a request (RequestInvalid when it cannot run)."""
    errors = train_errors(req, settings)
    if errors:
        raise RequestInvalid(errors)
    data = make_data(req.data, req.test_fraction, as_classes(req))
    steps = steps_of(req, len(data.train))
    dims = data.inputs
    grid = req.grid if req.grid is not None else {2: 32, 1: 64}.get(dims, 0)
    neuron_grid = req.neuron_grid if req.neuron_grid is not None else {2: 16, 1: 64}.get(dims, 0)
    return Plan(
        network=req.network.model_dump(), optimizer=req.optimizer.name,
        hyper=hyper_of(req.optimizer.name, req.optimizer), state=req.optimizer_state, data=data, steps=steps,
        batch_size=req.batch_size, seed=req.seed, start_step=req.start_step,
        snapshot_every=req.snapshot_every or max(1, round(steps / 20)), watch=watch_entries(req)[0],
        grid=min(grid, settings.train_max_grid) if dims <= 2 else 0,
        neuron_grid=min(neuron_grid, settings.train_max_grid) if dims <= 2 else 0,
    )


def start(body: bytes, settings: Settings) -> tuple[Run, bytes]:
    """A run for the request's bytes, and its first line (the snapshot at start_step)."""
    plan = plan_of(validate(TrainRequest, body, settings, table="data", samples="train_max_samples"), settings)
    try:
        run = Run(plan)
    except SpecError as exc:  # an optimizer_state that does not fit the network
        raise RequestInvalid([{"type": "value_error", "loc": ("body", *exc.loc), "msg": exc.msg, "input": None}]) \
            from None
    return run, encode([run.snapshot_line()], run)


def encode(lines: list[dict], run: Run) -> bytes:
    """NDJSON: one object a line. Step lines write a non-finite number as null (and say "diverged": true);
    snapshot and done lines of a diverged run write them as "NaN", "Infinity", "-Infinity", as /api/step does."""
    out = []
    for line in lines:
        if run.diverged and ("snapshot" in line or "done" in line):
            line = finite_or_text(line)
        out.append(orjson.dumps(line, option=_OPT))
    out.append(b"")
    return b"\n".join(out)


def advance(run: Run, count: int) -> bytes:
    """Up to `count` steps more, as NDJSON lines (snapshots included where due)."""
    return encode(run.advance(count), run)


def finish(run: Run, reason: str) -> bytes:
    """The last lines: a snapshot at the last step if none was sent there, then the done line."""
    if not run.params_finite():  # the last update overflowed, after a finite loss
        run.diverged, reason = True, "diverged"
    lines = [] if run.snapshotted == run.k else [run.snapshot_line()]
    return encode(lines + [run.done_line(reason)], run)


def run_all(body: bytes, settings: Settings, chunk: int = 64) -> bytes:
    """A whole run in one go (tests, benchmark): every line /api/train would stream, without a time limit."""
    run, first = start(body, settings)
    parts = [first]
    while not run.finished:
        parts.append(advance(run, chunk))
    parts.append(finish(run, "diverged" if run.diverged else "finished"))
    return b"".join(parts)
