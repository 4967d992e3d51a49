"""Hostile and careless bodies, class by class, on every endpoint that reads one: each is a 4xx that
names the problem (a JSON `detail` with the field's path), short, never a 5xx and never an echo of
the input. The fuzzers (test_fuzz.py) explore further; `FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 python -m
pytest tests/test_fuzz.py` runs them with a larger budget (see the README)."""

from __future__ import annotations

import json

import pytest

from app.engine.presets import get_preset

LECTURE = json.dumps(get_preset("lecture"))


def _swap(old: str, new: str) -> bytes:
    assert old in LECTURE, old
    return LECTURE.replace(old, new, 1).encode()


def _deep(n: int) -> bytes:
    return b'{"network": ' + b"[" * n + b"]" * n + b"}"


CASES = {
    # wrong types (strict: no string-to-number or string-to-boolean coercion)
    "string for a number": (_swap('"lr": 0.5', '"lr": "0.5"'), "optimizer.lr"),
    "yes for a boolean": (_swap('"freeze_weights": false', '"freeze_weights": "yes"'), "freeze_weights"),
    "object for a list": (_swap('"x": [', '"x": {"a": [') .replace(b"]], \"y\"", b"]]}, \"y\"", 1), "x"),
    "null for a required field": (_swap('"inputs": 3', '"inputs": null'), "network.inputs"),
    "a float for an integer": (_swap('"inputs": 3', '"inputs": 3.5'), "network.inputs"),
    "an unknown field": (_swap('"x": [', '"exploit": 1, "x": ['), "exploit"),
    "a list for the body": (b"[]", ""),
    "a string for the body": (b'"hello"', ""),
    "null for the body": (b"null", ""),
    "an empty body": (b"", ""),
    # non-finite and enormous numbers
    "NaN": (_swap('"lr": 0.5', '"lr": NaN'), ""),
    "Infinity": (_swap("0.2, 0.9", "Infinity, 0.9"), ""),
    "-Infinity": (_swap("0.2, 0.9", "-Infinity, 0.9"), ""),
    "1e400": (_swap("0.2, 0.9", "1e400, 0.9"), ""),
    "a 4,400-digit integer": (_swap('"lr": 0.5', '"lr": ' + "9" * 4400), ""),
    "10**400 as the seed": (_swap('"seed": 0', '"seed": 1' + "0" * 400), ""),
    "2**64 as the seed": (_swap('"seed": 0', f'"seed": {2**64}'), "network.seed"),
    "10**400 in the optimizer state": (
        _swap('"x": [', '"optimizer_state": {"name": "sgd", "params": {"layers.0.bias": {"momentum_buffer": [1'
              + "0" * 400 + ', 1]}}}, "x": ['), ""),
    # deep JSON
    "5,000 nested arrays": (_deep(5000), ""),
    "300 nested objects in the optimizer state": (
        _swap('"x": [', '"optimizer_state": ' + '{"a": ' * 300 + "1" + "}" * 300 + ', "x": ['), ""),
    # bad encodings
    "invalid UTF-8": (_swap('"mse"', '"mse"').replace(b'"mse"', b'"m\xffse"'), ""),
    "UTF-16": (LECTURE.encode("utf-16"), ""),
    "Latin-1 text": (_swap('"mse"', '"mse"').replace(b'"mse"', '"msé"'.encode("latin-1")), ""),
    "a NUL byte": (b"\x00" + LECTURE.encode(), ""),
    # surrogates
    "a lone surrogate in a value": (_swap('"mse"', '"\\ud800"'), ""),
    "a lone surrogate in a key": (_swap('"loss"', '"\\udfff"'), ""),
    # trailing garbage, truncation
    "trailing garbage": (LECTURE.encode() + b"}", ""),
    "truncated": (LECTURE.encode()[:-10], ""),
}


# The explanation reads the optimizer state's structure (which tensors have a momentum buffer), not its
# numbers: /api/step (and /api/code, which takes the step) check those.
PAIRS = [(path, case) for case in CASES for path in ("/api/step", "/api/explain", "/api/code")
         if not (path == "/api/explain" and case == "10**400 in the optimizer state")]


@pytest.mark.parametrize("path, case", PAIRS)
def test_a_hostile_body_is_a_short_4xx_naming_the_problem(client, path, case):
    body, field = CASES[case]
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, r.text[:300]
    assert r.status_code == 422
    detail = r.json()["detail"]  # strict JSON: no NaN, no lone surrogates
    assert detail and all(d["msg"] and d["loc"][0] == "body" for d in detail)
    if field:
        assert any(".".join(str(p) for p in d["loc"][1:]).endswith(field) for d in detail), detail
    assert len(r.content) < 20_000
    assert b"9" * 100 not in r.content and b"0" * 100 not in r.content  # no echo of a huge number


@pytest.mark.parametrize("path, body, loc", [
    ("/api/train", b'{"data": {"x": [' + b",".join([b'"a"'] * 200_000) + b"]}}", ["body", "data", "x"]),
    ("/api/data", b'{"x": [' + b",".join([b'"a"'] * 200_000) + b"]}", ["body", "x"]),
])
def test_a_training_body_of_a_huge_array_is_refused_by_its_length_alone(client, path, body, loc):
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == loc and "limit train_max_samples" in error["msg"]


@pytest.mark.parametrize("path", ["/api/step", "/api/explain", "/api/code"])
def test_a_structure_beyond_the_limits_is_refused_before_anything_is_derived_from_it(client, path):
    """The sizes are checked first: a billion units (or samples) never reach the structure's plan,
    whose explanation would be built for them (once, it was: the test process ran out of memory)."""
    from app import plan

    before = plan._plan.cache_info().currsize
    body = _swap('"units": 2', '"units": 1000000000')
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert any(d["loc"] == ["body", "network", "layers", 0, "units"] and "limit max_units" in d["msg"]
               for d in r.json()["detail"]), r.json()
    assert plan._plan.cache_info().currsize == before
