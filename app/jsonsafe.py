"""Non-finite numbers made safe for every JSON parser: NaN and ±∞ become their names."""

from __future__ import annotations

import math

import numpy as np


def _name(v: float) -> str:
    if v != v:
        return "NaN"
    return "Infinity" if v > 0 else "-Infinity"


def finite_or_text(value):
    """A copy of nested dicts/lists (numpy arrays made lists) with every NaN/Inf float replaced by
    "NaN", "Infinity" or "-Infinity"."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else _name(value)
    if isinstance(value, dict):
        return {k: finite_or_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_text(v) for v in value]
    return value
