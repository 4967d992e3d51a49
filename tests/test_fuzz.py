"""Fuzzing: no request, however odd, makes the server fail (no 5xx), and every answer is JSON.

Two fuzzers: schemathesis generates requests from the app's own OpenAPI schema (mostly
422s: random shapes rarely agree), and a hypothesis strategy builds StepRequests whose shapes
agree, with extreme numbers, so that the engine, the explanation and the encoder run on them.
"""

from __future__ import annotations

import functools
import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from app.config import Settings
from app.main import create_app
from app.schemas import Explanation, StepRequest, StepResponse
from helpers import ACTIVATIONS, LOSSES, Addresses, is_non_finite, served_addresses, step_addresses, strict_json

APP = create_app(Settings(open_browser=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/api/")

# Bounded for CI; FUZZ_EXAMPLES=1000 FUZZ_RANDOM=1 explores further (new seeds each run).
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None,
                suppress_health_check=list(HealthCheck), derandomize="FUZZ_RANDOM" not in os.environ)


@schema.parametrize()
@FUZZ
def test_no_request_the_openapi_schema_describes_is_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


# ---- shape-consistent requests --------------------------------------------------------------

NUMBERS = st.one_of(
    st.floats(-3, 3, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 1e150, -1e150, 1e300, 1.0, -1.0]),
)


@st.composite
def step_requests(draw):
    inputs = draw(st.integers(1, 4))
    n_layers = draw(st.integers(1, 3))
    loss = draw(st.sampled_from(LOSSES))
    layers, fan_in = [], inputs
    for k in range(n_layers):
        last = k == n_layers - 1
        act = draw(st.sampled_from(ACTIVATIONS))
        if last and loss == "bce":
            act = "sigmoid"
        if last and loss == "cross_entropy":
            act = "identity"
        units = draw(st.integers(2 if act == "softmax" or (last and loss == "cross_entropy") else 1, 4))
        layer = {"units": units, "activation": act,
                 "freeze_weights": draw(st.booleans()), "freeze_biases": draw(st.booleans())}
        if draw(st.booleans()):
            layer["weights"] = draw(st.lists(st.lists(NUMBERS, min_size=fan_in, max_size=fan_in),
                                             min_size=units, max_size=units))
            layer["biases"] = draw(st.lists(NUMBERS, min_size=units, max_size=units))
        layers.append(layer)
        fan_in = units
    n = draw(st.integers(1, 4))
    x = draw(st.lists(st.lists(NUMBERS, min_size=inputs, max_size=inputs), min_size=n, max_size=n))
    outputs = layers[-1]["units"]
    if loss == "cross_entropy":
        y = draw(st.lists(st.integers(0, outputs - 1), min_size=n, max_size=n))
    elif loss == "bce":
        y = draw(st.lists(st.lists(st.floats(0, 1), min_size=outputs, max_size=outputs), min_size=n, max_size=n))
    else:
        y = draw(st.lists(st.lists(NUMBERS, min_size=outputs, max_size=outputs), min_size=n, max_size=n))
    opt = draw(st.sampled_from([
        {"name": "sgd", "lr": 0.1}, {"name": "sgd", "lr": 1e6, "momentum": 0.9, "weight_decay": 0.5},
        {"name": "sgd", "lr": 0.5, "momentum": 0.5, "nesterov": True}, {"name": "adam", "lr": 0.01},
        {"name": "adam", "lr": 1e3, "weight_decay": 1e3, "eps": 1e-300},
    ]))
    return {"network": {"inputs": inputs, "layers": layers, "loss": loss, "seed": draw(st.integers(0, 2**64 - 1))},
            "x": x, "y": y, "optimizer": opt, "trace_sample": draw(st.integers(0, n - 1)),
            "dtype": draw(st.sampled_from(["float64", "float32"]))}


@functools.cache
def _addresses(client) -> Addresses:
    return served_addresses(client)


@given(req=step_requests())
@FUZZ
def test_shape_consistent_requests_with_extreme_numbers_give_valid_json_never_a_5xx(client, req):
    r = client.post("/api/step", json=req)
    assert r.status_code in (200, 422), r.text[:500]
    body = strict_json(r.content)
    if r.status_code == 200:
        assert isinstance(body["diverged"], bool)
        assert body["diverged"] or not any(is_non_finite(v) for v in (body["loss"], *sum(body["output"], [])))
        if not body["diverged"]:
            StepResponse.model_validate(body)
        # Every address of the explanation names a number of this answer or its name: orjson writes a
        # stray inf as null. The request with its defaults filled in, as the page sends it (lr, eps, α
        # are read from the request).
        ex = client.post("/api/explain", json=req)
        assert ex.status_code == 200, ex.text[:500]
        explanation = strict_json(ex.content)
        Explanation.model_validate(explanation)
        assert explanation["key"] == body["explain_key"]
        ctx = {"request": StepRequest.model_validate(req).model_dump(mode="json"), "response": body}
        for s in explanation["steps"]:
            for a in step_addresses(s):
                v = _addresses(client).get(ctx, a)
                assert (isinstance(v, (int, float)) and not isinstance(v, bool)) or is_non_finite(v), (s["kind"], a, v)
        # send the next step as the page does: the diverged network is bad input, not a crash
        nxt = client.post("/api/step", json=dict(req, network=body["network_after"],
                                                 optimizer_state=body["optimizer_state"]))
        assert nxt.status_code in ((200, 422) if body["diverged"] else (200,)), nxt.text[:500]
        strict_json(nxt.content)
