"""JSON written in pieces is byte for byte the JSON orjson writes in one call."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from app import jsonpieces
from app.config import Settings
from app.engine.explain import explain
from app.service import answer, compute, parse, structure
from worst import widest

OPT = orjson.OPT_SERIALIZE_NUMPY


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, [[]], {"a": {"b": {"c": {"d": {"e": [1, 2]}}}}}, list(range(1000)),
    [{"x": i, "y": [i] * 70} for i in range(200)], {"é\"\\": ["\u2028", None, True, 1.5e-300]},
    {"m": np.arange(12.0).reshape(3, 4), "v": [np.ones(3), np.zeros((2, 0))]}, ("t", 1),
])
def test_pieces_are_the_bytes_of_one_call(value):
    assert jsonpieces.dumps(value, OPT) == orjson.dumps(value, option=OPT)


@pytest.mark.parametrize("req", [widest(20, 40), widest(62, 950)])
def test_a_step_answer_and_its_explanation_in_pieces_are_the_bytes_of_one_call(req):
    parsed = parse(orjson.dumps(req), Settings())
    result, key = compute(parsed)
    content = answer(parsed, result, key)
    assert jsonpieces.dumps(content, OPT) == orjson.dumps(content, option=OPT)
    steps = explain(structure(parsed))
    assert jsonpieces.dumps(steps) == orjson.dumps(steps)
