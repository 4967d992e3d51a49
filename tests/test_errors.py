"""Every bad request is a 422 naming the field and the problem; an overflow is a 200. Never a 500."""

from __future__ import annotations

import asyncio
import copy
import json
import threading

import pytest

from helpers import (with_value, app_client, explain, is_non_finite, served_addresses, step, step_addresses, strict_json,
                     with_defaults)

from app.bodylimit import BodyLimitMiddleware


def _errors(r, loc: list | None = None) -> list[dict]:
    """The 422's error list; with `loc`, assert one error is at exactly that path."""
    assert r.status_code == 422, (r.status_code, r.text[:500])
    detail = r.json()["detail"]
    assert isinstance(detail, list) and detail
    if loc is not None:
        locs = [e["loc"] for e in detail]
        assert loc in locs, locs
    return detail


def _msg(r, loc: list) -> str:
    return next(e["msg"] for e in _errors(r, loc) if e["loc"] == loc)




def _net(layers: int = 1, units: int = 1, inputs: int = 1, samples: int = 1) -> dict:
    """A request with the given sizes, weights left to the seed."""
    return {
        "network": {"inputs": inputs, "layers": [{"units": units, "activation": "tanh"}] * (layers - 1)
                    + [{"units": 1, "activation": "identity"}], "loss": "mse"},
        "x": [[0.5] * inputs for _ in range(samples)],
        "y": [[0.0] for _ in range(samples)],
    }


# ---- limits ---------------------------------------------------------------------------------

SMALL = {"max_layers": 2, "max_units": 3, "max_inputs": 4, "max_samples": 5}


@pytest.fixture(scope="module")
def small():
    with app_client(**SMALL) as c:
        yield c


@pytest.mark.parametrize("field, request_, loc, limit", [
    ("max_layers", _net(layers=3), ["body", "network", "layers"], "at most 2 layers"),
    ("max_units", _net(layers=2, units=4), ["body", "network", "layers", 0, "units"], "at most 3 units"),
    ("max_inputs", _net(inputs=5), ["body", "network", "inputs"], "at most 4 inputs"),
    ("max_samples", _net(samples=6), ["body", "x"], "at most 5 samples"),
])
def test_a_request_beyond_a_configured_limit_is_422_naming_the_field_and_the_limit(small, field, request_, loc, limit):
    msg = _msg(small.post("/api/step", json=request_), loc)
    assert limit in msg and field in msg and f"BACKPROP_LAB_{field.upper()}" in msg


@pytest.mark.parametrize("request_", [_net(layers=2), _net(layers=2, units=3), _net(inputs=4), _net(samples=5)])
def test_a_request_at_a_configured_limit_is_served(small, request_):
    step(small, request_)


@pytest.mark.parametrize("request_, loc, limit", [
    (_net(layers=9), ["body", "network", "layers"], "at most 8 layers"),
    (_net(layers=2, units=65), ["body", "network", "layers", 0, "units"], "at most 64 units"),
    (_net(inputs=65), ["body", "network", "inputs"], "at most 64 inputs"),
    (_net(samples=1025), ["body", "x"], "at most 1024 samples"),
    (_net(inputs=64, layers=3, units=64), ["body", "network", "layers"], "at most 4096 parameters"),
])
def test_the_default_limits_are_8_layers_64_units_64_inputs_1024_samples_4096_parameters(client, request_, loc, limit):
    assert limit in _msg(client.post("/api/step", json=request_), loc)


@pytest.mark.parametrize("request_", [_net(layers=8, units=2), _net(layers=2, units=64), _net(inputs=64),
                                      _net(samples=1024)])
def test_the_default_limits_themselves_are_served(client, request_):
    # one limit at a time: all at once (8 × 64 × 64) would be a 60,000-step trace, ~7 s and
    # 88 MB, which max_parameters refuses
    step(client, request_)


def test_a_body_over_max_body_bytes_with_content_length_is_422():
    with app_client(max_body_bytes=2048) as c:
        body = json.dumps(_net(samples=200)).encode()
        assert len(body) > 2048
        r = c.post("/api/step", content=body, headers={"content-type": "application/json"})
        msg = _msg(r, ["body"])
        assert "2048 bytes" in msg and "max_body_bytes" in msg
        step(c, _net(samples=2))  # a small body still passes


def test_a_chunked_body_over_max_body_bytes_is_422():
    with app_client(max_body_bytes=2048) as c:
        body = json.dumps(_net(samples=200)).encode()
        chunks = (body[i:i + 500] for i in range(0, len(body), 500))  # no Content-Length: streamed
        r = c.post("/api/step", content=chunks, headers={"content-type": "application/json"})
        assert "max_body_bytes" in _msg(r, ["body"])
        small = json.dumps(_net(samples=2)).encode()
        r = c.post("/api/step", content=iter([small[:50], small[50:]]), headers={"content-type": "application/json"})
        assert r.status_code == 200


def test_the_body_limit_cuts_an_endless_stream_without_reading_it_all():
    calls = {"app": 0, "received": 0}

    async def app(scope, receive, send):
        calls["app"] += 1

    async def receive():
        calls["received"] += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}  # never ends

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "headers": [(b"transfer-encoding", b"chunked")]}
    # in a thread of its own: an earlier test (Playwright's sync API) may leave this thread's loop running
    runner = threading.Thread(target=asyncio.run, args=(BodyLimitMiddleware(app, max_bytes=4096)(scope, receive, send),))
    runner.start()
    runner.join(timeout=10)
    assert calls == {"app": 0, "received": 5}
    assert sent[0]["status"] == 422
    assert "max_body_bytes" in json.loads(sent[1]["body"])["detail"][0]["msg"]


# ---- shapes and names -----------------------------------------------------------------------

@pytest.mark.parametrize("path, value, loc, words", [
    ("network.layers.0.weights", [[0.1, 0.2], [0.3, 0.5, 0.4]], ["body", "network", "layers", 0, "weights", 0],
     "3 columns (fan_in)"),
    ("network.layers.1.weights", [[0.6, 0.7, 0.8]], ["body", "network", "layers", 1, "weights", 0],
     "2 columns (fan_in)"),
    ("network.layers.0.weights", [[0.1, 0.2, 0.3]], ["body", "network", "layers", 0, "weights"], "2 rows (units)"),
    ("network.layers.0.biases", [0.0], ["body", "network", "layers", 0, "biases"], "2 values (units)"),
    ("x", [[0.2, 0.9]], ["body", "x", 0], "3 values (network.inputs)"),
    ("y", [[1.0, 2.0]], ["body", "y", 0], "1 values (output units)"),
    ("y", [[1.0], [2.0]], ["body", "y"], "one target per sample"),
    # the first row that is wrong is named, wherever it is (the rows' lengths are read in one pass)
    ("network.layers.0.weights", [[0.1, 0.2, 0.3], [0.3, 0.5]], ["body", "network", "layers", 0, "weights", 1],
     "3 columns (fan_in), got 2"),
    ("y", [1], ["body", "y", 0], "1 values (output units)"),  # class indices for mse
    ("trace_sample", 1, ["body", "trace_sample"], "below the number of samples (1)"),
    ("network.layers.0.activation", "swish", ["body", "network", "layers", 0, "activation"], "'sigmoid'"),
    ("network.loss", "hinge", ["body", "network", "loss"], "'cross_entropy'"),
    ("optimizer.name", "rmsprop", ["body", "optimizer", "name"], "'adam'"),
    ("dtype", "float16", ["body", "dtype"], "'float32'"),
    ("optimizer.nesterov", True, ["body", "optimizer", "nesterov"], "momentum > 0"),
    ("optimizer.lr", -0.1, ["body", "optimizer", "lr"], "greater than or equal to 0"),
    ("network.layers.0.units", 0, ["body", "network", "layers", 0, "units"], "greater than or equal to 1"),
    ("network.layers", [], ["body", "network", "layers"], "at least 1"),
    ("network.seed", 2**70, ["body", "network", "seed"], "2^64"),
    ("network.color", "red", ["body", "network", "color"], "Extra inputs"),
])
def test_a_malformed_request_is_422_at_the_path_of_the_field(client, lecture, path, value, loc, words):
    msg = _msg(client.post("/api/step", json=with_value(lecture, path, value)), loc)
    assert words in msg, msg


@pytest.mark.parametrize("bad", [1, 4, 6])
def test_the_first_short_row_of_x_or_y_is_named(client, lecture, bad):
    req = with_value(lecture, "x", [[0.2, 0.9, -1.1] if r != bad else [0.2, 0.9] for r in range(7)])
    req = with_value(req, "y", [[1.0]] * 7)
    assert "got 2" in _msg(client.post("/api/step", json=req), ["body", "x", bad])
    req = with_value(req, "x", [[0.2, 0.9, -1.1]] * 7)
    req = with_value(req, "y", [[1.0] if r < bad else [1.0, 0.0] for r in range(7)])
    assert "1 values" in _msg(client.post("/api/step", json=req), ["body", "y", bad])


def test_nesterov_with_dampening_is_refused(client, lecture):
    req = with_value(lecture, "optimizer", {"name": "sgd", "momentum": 0.9, "dampening": 0.1, "nesterov": True})
    assert "dampening = 0" in _msg(client.post("/api/step", json=req), ["body", "optimizer", "nesterov"])


def test_bce_needs_a_sigmoid_output_and_targets_in_0_1(client, lecture):
    req = with_value(lecture, "network.loss", "bce")
    assert "sigmoid" in _msg(client.post("/api/step", json=req), ["body", "network", "loss"])
    req = with_value(req, "network.layers.1.activation", "sigmoid")
    step(client, req)
    assert "[0, 1]" in _msg(client.post("/api/step", json=with_value(req, "y", [[1.5]])), ["body", "y", 0])


def test_cross_entropy_needs_logits_and_class_indices_in_range(client, lecture):
    req = with_value(with_value(lecture, "network.loss", "cross_entropy"), "y", [0])
    req = with_value(req, "network.layers.1", {"units": 3, "activation": "identity"})
    step(client, req)
    msg = _msg(client.post("/api/step", json=with_value(req, "y", [3])), ["body", "y", 0])
    assert "0..2" in msg and "got 3" in msg
    assert "class indices" in _msg(client.post("/api/step", json=with_value(req, "y", [[0.0, 1.0, 0.0]])), ["body", "y", 0])
    bad = with_value(req, "network.layers.1.activation", "softmax")
    assert "identity" in _msg(client.post("/api/step", json=bad), ["body", "network", "loss"])


def test_softmax_needs_two_units(client, lecture):
    req = with_value(lecture, "network.layers.1.activation", "softmax")
    assert "2 units" in _msg(client.post("/api/step", json=req), ["body", "network", "layers", 1, "activation"])


@pytest.mark.parametrize("where, text, loc", [
    ("x", "[[0.2, NaN, -1.1]]", ["body", "x", 0, 1]),
    ("x", "[[0.2, Infinity, -1.1]]", ["body", "x", 0, 1]),
    ("x", '[[0.2, "NaN", -1.1]]', ["body", "x", 0, 1]),
    ("y", "[[-Infinity]]", ["body", "y", "list[list[float]]", 0, 0]),
    ("weights", "[[0.1, 0.2, NaN], [0.3, 0.5, 0.4]]", ["body", "network", "layers", 0, "weights", 0, 2]),
    ("biases", "[0.0, Infinity]", ["body", "network", "layers", 0, "biases", 1]),
    ("lr", "NaN", ["body", "optimizer", "lr"]),
])
def test_nan_or_infinity_in_the_request_is_422_at_its_path(client, lecture, where, text, loc):
    req = copy.deepcopy(lecture)
    holder = {"x": req, "y": req, "weights": req["network"]["layers"][0], "biases": req["network"]["layers"][0],
              "lr": req["optimizer"]}[where]
    holder[where] = "__MARK__"
    body = json.dumps(req).replace('"__MARK__"', text)  # raw JSON text, as a careless client sends it
    r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    # a bare NaN is a number that is not finite; the string "NaN" is not a number at all (strict types)
    assert ("valid number" if '"' in text else "finite") in _msg(r, loc)


@pytest.mark.parametrize("where, value, loc", [
    ("lr", "0.5", ["body", "optimizer", "lr"]),
    ("x", [["0.2", 0.9, -1.1]], ["body", "x", 0, 0]),
    ("inputs", "3", ["body", "network", "inputs"]),
    ("nesterov", "yes", ["body", "optimizer", "nesterov"]),
])
def test_strings_are_not_numbers_or_booleans(client, lecture, where, value, loc):
    req = copy.deepcopy(lecture)
    holder = {"lr": req["optimizer"], "x": req, "inputs": req["network"], "nesterov": req["optimizer"]}[where]
    holder[where] = value
    r = client.post("/api/step", json=req)
    assert r.status_code == 422 and _msg(r, loc)


def test_a_body_that_is_not_json_is_422(client):
    r = client.post("/api/step", content=b"{not json", headers={"content-type": "application/json"})
    _errors(r)


# ---- optimizer state ------------------------------------------------------------------------

def _momentum_state(client, lecture) -> tuple[dict, dict]:
    req = with_value(lecture, "optimizer", {"name": "sgd", "lr": 0.5, "momentum": 0.9})
    return req, step(client, req)["optimizer_state"]


def test_optimizer_state_of_another_optimizer_is_refused(client, lecture):
    req, state = _momentum_state(client, lecture)
    adam = dict(with_value(req, "optimizer", {"name": "adam"}), optimizer_state=state)
    msg = _msg(client.post("/api/step", json=adam), ["body", "optimizer_state", "name"])
    assert "'sgd'" in msg and "'adam'" in msg


def test_optimizer_state_of_another_shape_is_refused(client, lecture):
    req, state = _momentum_state(client, lecture)
    state["params"]["layers.0.weight"]["momentum_buffer"] = [[0.0, 0.0], [0.0, 0.0]]
    r = client.post("/api/step", json=dict(req, optimizer_state=state))
    msg = _msg(r, ["body", "optimizer_state", "params", "layers.0.weight", "momentum_buffer"])
    assert "[2, 2]" in msg and "[2, 3]" in msg


@pytest.mark.parametrize("entry, key", [
    ({"step": 1.0, "exp_avg": [[0.0] * 3] * 2}, None),  # exp_avg_sq missing
    ({"step": 1.0}, None),
    ({"step": -1.0, "exp_avg": [[0.0] * 3] * 2, "exp_avg_sq": [[0.0] * 3] * 2}, "step"),
    ({"step": 1.5, "exp_avg": [[0.0] * 3] * 2, "exp_avg_sq": [[0.0] * 3] * 2}, "step"),
    ({"step": 1.0, "exp_avg": [[0.0] * 3] * 2, "exp_avg_sq": [[-1.0] * 3] * 2}, "exp_avg_sq"),
    ({"step": 1.0, "exp_avg": [[0.0] * 3] * 2, "exp_avg_sq": [[0.0] * 3] * 2, "foo": 1}, "foo"),
    ({"step": 1.0, "exp_avg": [["a"] * 3] * 2, "exp_avg_sq": [[0.0] * 3] * 2}, "exp_avg"),
    ({"step": [1], "exp_avg": [[0.0] * 3] * 2, "exp_avg_sq": [[0.0] * 3] * 2}, "step"),
    ([1, 2], None),
])
def test_a_damaged_adam_state_is_422_not_500(client, lecture, entry, key):
    req = dict(with_value(lecture, "optimizer", {"name": "adam"}),
               optimizer_state={"name": "adam", "params": {"layers.0.weight": entry}})
    loc = ["body", "optimizer_state", "params", "layers.0.weight"] + ([key] if key else [])
    _errors(client.post("/api/step", json=req), loc)


def test_nan_inside_the_optimizer_state_is_422(client, lecture):
    req, state = _momentum_state(client, lecture)
    state["params"]["layers.0.weight"]["momentum_buffer"] = "__MARK__"
    body = json.dumps(dict(req, optimizer_state=state)).replace('"__MARK__"', "[[NaN, 0, 0], [0, 0, 0]]")
    r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    assert "finite" in _msg(r, ["body", "optimizer_state", "params", "layers.0.weight", "momentum_buffer"])


def test_optimizer_state_that_is_not_keyed_by_parameter_is_422(client, lecture):
    req, _ = _momentum_state(client, lecture)
    _errors(client.post("/api/step", json=dict(req, optimizer_state={"name": "sgd", "params": [1]})),
            ["body", "optimizer_state", "params"])


# ---- presets --------------------------------------------------------------------------------

def test_an_unknown_preset_is_404(client):
    r = client.get("/api/presets/no-such-thing")
    assert r.status_code == 404
    assert "no-such-thing" in r.json()["detail"]


# ---- divergence -----------------------------------------------------------------------------

def _numbers(res: dict) -> list:
    """Every leaf where the contract puts a number: values, gradients, weights, optimizer state."""
    out = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        else:
            out.append(v)

    walk([res["loss"], res["output"], res["layers"], res["grad_input"], res["probabilities"] or []])
    walk([[layer["weights"], layer["biases"]] for layer in res["network_after"]["layers"]])
    walk((res["optimizer_state"] or {}).get("params", {}))
    # the numbers the explanation names beyond API v1: shares, Adam's m̂ and v̂, the loss's other terms
    walk([share for share in res["sample_grads"] or [] if share is not None])
    walk([terms for terms in res["optimizer_terms"] or [] if terms is not None])
    if res["loss_rest"] is not None:
        out.append(res["loss_rest"])
    return out


@pytest.mark.parametrize("opt, weight", [
    ({"name": "sgd", "lr": 1e6}, None),
    ({"name": "sgd", "lr": 1e6, "momentum": 0.9}, None),
    ({"name": "adam", "lr": 1e6}, 1e200),
    ({"name": "sgd", "lr": 0.5}, 1e200),
])
def test_a_diverging_network_is_always_200_valid_json_and_flagged(client, lecture, opt, weight):
    addresses = served_addresses(client)
    req = with_value(lecture, "optimizer", with_defaults(client, opt))
    if weight is not None:
        req = with_value(req, "network.layers.1.weights", [[weight, weight]])
    flagged = False
    for _ in range(40):  # lr = 1e6 on the lecture net: the loss grows ~1e13× a step, inf at step 24
        r = client.post("/api/step", json=req)
        assert r.status_code == 200, r.text[:300]
        res = strict_json(r.content)  # NaN / Infinity as bare words would raise here
        numbers = _numbers(res)
        assert all(isinstance(v, float) or is_non_finite(v) for v in numbers), "every number is a float or its name"
        assert res["diverged"] is any(is_non_finite(v) for v in numbers)
        ctx = {"request": req, "response": res}
        for s in explain(client, req)["steps"]:  # every number the player shows is there, or its name
            for a in step_addresses(s):
                addresses.number(ctx, a)
        if res["diverged"]:
            flagged = True
            break
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])
    assert flagged, "the steps overflowed within 40 steps"
    # sending the diverged network back is bad input, not a crash
    r = client.post("/api/step", json=dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"]))
    assert r.status_code in (200, 422)


def test_an_overflow_hidden_behind_a_saturated_sigmoid_is_still_flagged(client):
    # s = 1e200·1e200 overflows to inf, yet σ(s) = 1 and every gradient is finite
    req = {"network": {"inputs": 1, "loss": "mse", "layers": [
        {"units": 1, "activation": "sigmoid", "weights": [[1e200]], "biases": [0.0]},
        {"units": 1, "activation": "identity", "weights": [[1.0]], "biases": [0.0]}]},
        "x": [[1e200]], "y": [[0.0]]}
    res = step(client, req)
    assert res["layers"][0]["pre"] == [["Infinity"]]
    assert res["diverged"] is True


def test_an_overflowing_adam_moment_is_flagged(client):
    req = {"network": {"inputs": 1, "loss": "sse", "layers": [
        {"units": 1, "activation": "identity", "weights": [[1e160]], "biases": [0.0]}]},
        "x": [[1.0]], "y": [[0.0]], "optimizer": {"name": "adam", "lr": 0.1}}
    res = step(client, req)
    assert res["optimizer_state"]["params"]["layers.0.weight"]["exp_avg_sq"] == [["Infinity"]]
    assert res["diverged"] is True


@pytest.mark.parametrize("loss", ["bce", "mse", "cross_entropy"])
def test_a_nan_output_is_a_diverged_200_for_every_loss(client, loss):
    # s = 1e300·1e300 + 1e300·(−1e300) = inf − inf = NaN; BCELoss itself refuses NaN input
    units = 2 if loss == "cross_entropy" else 1
    act = {"bce": "sigmoid", "mse": "tanh", "cross_entropy": "identity"}[loss]
    req = {"network": {"inputs": 2, "loss": loss, "layers": [
        {"units": units, "activation": act, "weights": [[1e300, 1e300]] * units, "biases": [0.0] * units}]},
        "x": [[1e300, -1e300]], "y": [0] if loss == "cross_entropy" else [[1.0]]}
    res = step(client, req)
    assert res["diverged"] is True
    assert res["loss"] == "NaN"


def test_a_422_about_a_huge_integer_is_json_and_does_not_echo_it(client, lecture):
    # found by the fuzzer: an integer beyond 64 bits where a list belongs
    req = with_value(lecture, "network.layers.0.biases", 18446744219061583872)
    r = client.post("/api/step", json=req)
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["body", "network", "layers", 0, "biases"] and detail["input"] is None


def test_a_diverged_response_conforms_to_the_documented_response_schema(client, lecture):
    from app.schemas import StepResponse

    res = step(client, with_value(lecture, "network.layers.1.weights", [[1e200, 1e200]]))
    assert res["diverged"] is True
    StepResponse.model_validate(res)


def test_an_overflowing_adam_v_hat_is_flagged_and_written_as_its_name_never_null(client):
    # ∂L/∂β = 2.6e154: v = (1 − β₂)·g² = 6.8e305 is finite, v̂ = g² = 6.8e308 is not; torch's own step is
    # finite, so only the v̂ the answer adds for the explanation overflows (orjson would write it as null)
    req = {"network": {"inputs": 1, "loss": "sse", "layers": [
        {"units": 1, "activation": "identity", "weights": [[0.0]], "biases": [1.3e154], "negative_slope": 0.01}]},
        "x": [[1.0]], "y": [[0.0]], "optimizer": with_defaults(client, {"name": "adam", "lr": 0.1})}
    res = step(client, req)
    assert res["optimizer_state"]["params"]["layers.0.bias"]["exp_avg_sq"][0] < 1.8e308
    v_hat = served_addresses(client).get({"request": req, "response": res}, "vhat.b:1,0")
    assert v_hat == "Infinity"
    assert res["diverged"] is True


def test_a_nan_loss_names_its_other_terms_as_nan_not_null(client):
    # nine terms (3 samples × 3 outputs): the formula writes the traced sample's three and Lrest for the rest
    req = {"network": {"inputs": 2, "loss": "bce", "layers": [
        {"units": 3, "activation": "sigmoid", "weights": [[1e300, 1e300]] * 3, "biases": [0.0] * 3,
         "negative_slope": 0.01}]},
        "x": [[1e300, -1e300]] * 3, "y": [[0.0] * 3] * 3, "optimizer": {"name": "sgd", "lr": 0.1}}
    res = step(client, req)
    assert res["diverged"] is True and res["loss"] == "NaN"
    loss = next(s for s in explain(client, req)["steps"] if s["kind"] == "loss")
    assert "Lrest" in loss["refs"]
    assert is_non_finite(served_addresses(client).get({"request": req, "response": res}, "Lrest"))


@pytest.mark.parametrize("rows, per_row", [(1000, 5), (300, 5)])  # a large body (checked in pieces) and a small one
def test_a_body_of_many_wrong_values_gets_a_short_422_that_counts_the_rest(client, rows, per_row):
    row = b"[" + b",".join([b'"a"'] * per_row) + b"]"
    body = b'{"network":{"inputs":5,"layers":[{"units":1}]},"x":[' + b",".join([row] * rows) + b'],"y":[[1]]}'
    r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert len(detail) == 51 and len(r.content) < 20_000
    assert detail[-1]["type"] == "too_many_errors" and f"{rows * per_row - 50} more" in detail[-1]["msg"]
    assert detail[0]["loc"] == ["body", "x", 0, 0] and detail[0]["msg"] == "Input should be a valid number"
    assert detail[1]["loc"] == ["body", "x", 0, 1]


@pytest.mark.parametrize("body, loc, words", [
    # Arrays longer than a limit are refused by their length, before a single value is read.
    (b'{"x":[' + b",".join([b'"a"'] * 250_000) + b"]}", ["body", "x"], "at most 1024 samples (limit max_samples"),
    (b'{"x":[[' + b",".join([b'"a"'] * 250_000) + b"]]}", ["body", "x", 0], "at most 64 values"),
    (b'{"network":{"layers":[' + b",".join([b"{}"] * 100_000) + b"]}}", ["body", "network", "layers"],
     "at most 8 layers (limit max_layers"),
    (b'{"network":{"layers":[{"weights":[' + b",".join([b"[1]"] * 100_000) + b"]}]}}",
     ["body", "network", "layers", 0, "weights"], "at most 64 units per layer (limit max_units"),
])
def test_a_huge_array_is_refused_by_its_length_alone(client, body, loc, words):
    r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == loc and words in error["msg"]


@pytest.mark.parametrize("state", [
    {"name": "sgd", "params": {"layers.0.bias": {"momentum_buffer": [10**400, 1]}}},
    {"name": "sgd", "params": {"layers.0.weight": {"momentum_buffer": [[1, 2, 3], [1]]}}},
    {"name": "sgd", "params": {"layers.0.bias": {"momentum_buffer": "abc"}}},
])
def test_an_optimizer_state_of_numbers_torch_cannot_hold_is_422_at_its_path(client, lecture, state):
    body = dict(lecture, optimizer=dict(lecture["optimizer"], momentum=0.9), optimizer_state=state)
    r = client.post("/api/step", content=json.dumps(body), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    loc = r.json()["detail"][0]["loc"]
    assert loc[:3] == ["body", "optimizer_state", "params"] and loc[-1] == "momentum_buffer"


def test_a_huge_integer_is_never_echoed_whole(client, lecture):
    huge = "1" + "0" * 400
    bodies = [json.dumps(lecture).replace("0.9", huge, 1),  # an input
              json.dumps(lecture).replace('"units": 2', '"units": ' + huge, 1)]  # a limit
    for body in bodies:
        r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422 and len(r.content) < 1000 and huge not in r.text, r.text[:300]
