"""The worst requests a client can send within (and beside) the default limits, for the ordering
test and the fault benchmark: each costs the server as much as one request can."""

from __future__ import annotations

import random

import orjson


def widest(units: int = 62, samples: int = 950, inputs: int = 64) -> dict:
    """A step as large as max_parameters and max_answer_bytes allow: 64 → units → 1, Adam, many samples."""
    r = random.Random(units)
    return {"network": {"inputs": inputs, "loss": "mse", "layers": [{"units": units, "activation": "tanh"},
                                                                    {"units": 1, "activation": "identity"}]},
            "x": [[round(r.uniform(-1, 1), 4) for _ in range(inputs)] for _ in range(samples)],
            "y": [[round(r.uniform(-1, 1), 4)] for _ in range(samples)], "optimizer": {"name": "sgd", "lr": 0.01}}


def worst_valid(k: int) -> bytes:
    """The explanation of a structure not seen before (nothing cached), as large as the limits allow:
    the most expensive valid request (≈ 0.7 s of one core, 7 MB of JSON). k picks the structure."""
    units = 62 - k % 40
    return orjson.dumps(widest(units, samples=1))


def worst_invalid() -> bytes:
    """A body of 1024 × 64 wrong values (as many as the limits let through to the values themselves)."""
    return orjson.dumps({"network": {"inputs": 64, "loss": "mse", "layers": [{"units": 1, "activation": "identity"}]},
                         "x": [["a"] * 64] * 1024, "y": [[1]] * 1024})


def worst_invalid_megabyte() -> bytes:
    """A megabyte of wrong values in one array (250,000 of them)."""
    return b'{"network": {"inputs": 1, "loss": "mse", "layers": [{"units": 1}]}, "x": [' + \
        b",".join([b'"a"'] * 250_000) + b'], "y": [[1]]}'
