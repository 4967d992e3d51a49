"""A large body's big arrays checked first, in short pieces, so an invalid one costs milliseconds.

pydantic validates a body in one call that holds the GIL throughout: a megabyte of wrong
values (hundreds of thousands of errors) held it for more than a second, during which not even
/api/health was answered. So a large body is first read by orjson (a few ms per MB) and its
arrays — x, y, each layer's weights and biases — are checked against the limits by their
lengths, then validated a few rows at a time (the GIL is released between pieces), stopping
after MAX_ERRORS errors: the rest are counted by a plain scan, not described. A body that passes
is then validated whole as always (valid numbers take pydantic ~6 ms per MB).
"""

from __future__ import annotations

import math

import orjson
from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic import FiniteFloat, StrictInt

from .config import Settings
from .validation import limit_message

MAX_ERRORS = 50
_ROWS = 16  # rows validated per call
_STRICT = ConfigDict(strict=True)
_MATRIX = TypeAdapter(list[list[FiniteFloat]], config=_STRICT)
_VECTOR = TypeAdapter(list[FiniteFloat], config=_STRICT)
_CLASSES = TypeAdapter(list[StrictInt], config=_STRICT)


def prescan(body: bytes, settings: Settings, table: str | None = None, samples: str = "max_samples") -> list[dict]:
    """Errors of the body's big arrays (at most MAX_ERRORS, then a count), or [] to validate it whole;
    x and y are in the object `table` names (a training run's `data`, whose rows `samples` limits:
    train_max_samples), or at the top."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []  # pydantic's parser stops at the first syntax error and says where
    if not isinstance(data, dict):
        return []
    scan = _Scan(settings)
    width = max(settings.max_inputs, settings.max_units)
    rows = data.get(table) if table else data
    rows = rows if isinstance(rows, dict) else {}
    at = (table,) if table else ()
    scan.array((*at, "x"), rows.get("x"), _MATRIX, getattr(settings, samples), samples, "samples", width)
    y = rows.get("y")
    if isinstance(y, list) and y and not isinstance(y[0], list):
        scan.array((*at, "y"), y, _CLASSES, getattr(settings, samples), samples, "samples", classes=True)
    else:
        scan.array((*at, "y"), y, _MATRIX, getattr(settings, samples), samples, "samples", settings.max_units)
    network = data.get("network")
    layers = network.get("layers") if isinstance(network, dict) else None
    if isinstance(layers, list):
        if len(layers) > settings.max_layers:
            scan.limit(("network", "layers"), "max_layers", "layers", len(layers))
        else:
            for k, layer in enumerate(layers):
                if isinstance(layer, dict):
                    loc = ("network", "layers", k)
                    scan.array((*loc, "weights"), layer.get("weights"), _MATRIX, settings.max_units, "max_units",
                               "units per layer", width)
                    scan.array((*loc, "biases"), layer.get("biases"), _VECTOR, settings.max_units, "max_units",
                               "units per layer")
    return scan.result()


class _Scan:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.errors: list[dict] = []
        self.more = 0

    def limit(self, loc: tuple, field: str, what: str, got: int) -> None:
        self._add({"type": "limit", "loc": ("body", *loc), "input": None,
                   "msg": limit_message(field, getattr(self.settings, field), what, got)})

    def _add(self, error: dict) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more += 1

    def array(self, loc: tuple, value, adapter: TypeAdapter, most: int, field: str, what: str,
              width: int | None = None, classes: bool = False) -> None:
        """Lengths against the limits first; then the values, a few rows per call."""
        if not isinstance(value, list):
            return  # missing or of another type: one error, pydantic's
        if len(value) > most:
            return self.limit(loc, field, what, len(value))
        if width is not None:
            for i, row in enumerate(value):
                if isinstance(row, list) and len(row) > width:
                    return self._add({"type": "too_long", "loc": ("body", *loc, i), "input": None,
                                      "msg": f"a row has at most {width} values (the limits max_inputs and "
                                             f"max_units); got {len(row)}"})
        for start in range(0, len(value), _ROWS):
            if len(self.errors) >= MAX_ERRORS:
                ok = _class if classes else _number
                self.more += sum(_wrong(row, width is not None, ok) for row in value[start:])
                return
            try:
                adapter.validate_python(value[start:start + _ROWS])
            except ValidationError as exc:
                for e in exc.errors(include_url=False):
                    self._add({"type": e["type"], "loc": ("body", *loc, start + e["loc"][0], *e["loc"][1:]),
                               "msg": e["msg"], "input": _echo(e.get("input"))})

    def result(self) -> list[dict]:
        if self.more:
            self.errors.append({"type": "too_many_errors", "loc": ("body",), "input": None,
                                "msg": f"and {self.more} more errors like these"})
        return self.errors


def _number(v) -> bool:
    return (type(v) is float and math.isfinite(v)) or type(v) is int


def _class(v) -> bool:
    return type(v) is int


def _wrong(row, matrix: bool, ok) -> int:
    """How many errors pydantic would report for one row (counted, not described)."""
    if not matrix:
        return 0 if ok(row) else 1
    if not isinstance(row, list):
        return 1
    return sum(1 for v in row if not ok(v))


def _echo(value):
    """Echo a short scalar only (as the 422s of small bodies do)."""
    if value is None or isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2**63):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return value if isinstance(value, str) and len(value) <= 80 else None
