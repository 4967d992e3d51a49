"""POST /api/gradcheck: autograd's gradient beside the central finite difference, the proof that backprop is right."""

from __future__ import annotations

import json

import pytest

from helpers import app_client, random_request, step


def gradcheck(client, body: dict, status: int = 200) -> dict:
    r = client.post("/api/gradcheck", json=body)
    assert r.status_code == status, r.text[:2000]
    return r.json()


def _step_grads(res: dict) -> dict:
    out = {}
    for layer, got in enumerate(res["layers"], start=1):
        for i, row in enumerate(got["grad_weights"]):
            out.update({f"W:{layer},{i},{j}": v for j, v in enumerate(row)})
        out.update({f"b:{layer},{i}": v for i, v in enumerate(got["grad_biases"])})
    return out


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp"])
def test_every_parameter_of_the_preset_passes_the_check_and_autograd_is_the_steps_gradient(client, preset):
    req = client.get(f"/api/presets/{preset}").json()
    res = gradcheck(client, {"request": req})
    grads = _step_grads(step(client, req))
    assert [c["address"] for c in res["checks"]] == list(grads)  # every element, layer by layer
    assert res["omitted"] == 0 and res["h"] == 1e-6 and "1e-06·|autograd| + 1e-09" in res["rule"]
    for c in res["checks"]:
        assert c["autograd"] == grads[c["address"]]
        assert c["abs_error"] == abs(c["autograd"] - c["numeric"])
        assert abs(c["autograd"] - c["numeric"]) <= 1e-6 * abs(c["autograd"]) + 1e-9, c
        assert c["ok"] and not c["kink"], c


def test_the_checks_come_in_the_order_asked_with_the_chosen_h(client, lecture):
    res = gradcheck(client, {"request": lecture, "addresses": ["b:2,0", "W:1,1,2"], "h": 1e-4})
    assert [c["address"] for c in res["checks"]] == ["b:2,0", "W:1,1,2"] and res["h"] == 1e-4
    assert all(c["ok"] for c in res["checks"])


def _kinked(s_offset: float) -> dict:
    # s¹ = 0.5·1.0 − 0.5 + offset: exactly ReLU's kink when the offset is 0
    return {"network": {"inputs": 1, "loss": "mse", "layers": [
        {"units": 1, "activation": "relu", "weights": [[0.5]], "biases": [-0.5 + s_offset]},
        {"units": 1, "activation": "identity", "weights": [[1.0]], "biases": [0.0]}]},
        "x": [[1.0]], "y": [[1.0]]}


def test_a_relu_exactly_at_its_kink_is_reported_as_a_kink_not_a_failure(client):
    res = gradcheck(client, {"request": _kinked(0.0), "addresses": ["W:1,0,0", "b:1,0", "W:2,0,0"]})
    w1, b1, w2 = res["checks"]
    assert w1["autograd"] == 0.0 and w1["numeric"] == pytest.approx(-1.0, abs=1e-5)  # ReLU′(0) = 0 in torch
    assert w1["kink"] and not w1["ok"]
    assert b1["kink"]
    assert not w2["kink"] and w2["ok"]  # above the kinked layer: its finite difference crosses no corner


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_a_weighted_sum_within_h_of_the_kink_is_a_kink_and_one_far_from_it_is_not(client, act):
    near = _kinked(1e-8)
    near["network"]["layers"][0]["activation"] = act
    assert gradcheck(client, {"request": near, "addresses": ["W:1,0,0"]})["checks"][0]["kink"]
    far = random_request(5, act, "mse", n_layers=2)
    assert not any(c["kink"] for c in gradcheck(client, {"request": far})["checks"])


def test_frozen_parameters_are_checked_too(client, lecture):
    req = json.loads(json.dumps(lecture))
    req["network"]["layers"][0]["freeze_weights"] = True
    res = gradcheck(client, {"request": req, "addresses": ["W:1,0,0"]})
    assert res["checks"][0]["ok"] and res["checks"][0]["autograd"] != 0.0


def test_a_float32_request_is_checked_in_float64(client, lecture):
    res = gradcheck(client, {"request": dict(lecture, dtype="float32")})
    assert all(c["ok"] for c in res["checks"])


def test_without_a_list_the_check_stops_at_the_limit_and_counts_the_rest(lecture):
    with app_client(max_gradcheck_addresses=3) as c:
        res = gradcheck(c, {"request": lecture})
        assert [x["address"] for x in res["checks"]] == ["W:1,0,0", "W:1,0,1", "W:1,0,2"]
        assert res["omitted"] == 11 - 3  # W¹ 6, β¹ 2, W² 2, β² 1: the first three checked
        r = c.post("/api/gradcheck", json={"request": lecture, "addresses": ["W:1,0,0"] * 4})
        assert r.status_code == 422
        err = r.json()["detail"][0]
        assert err["loc"] == ["body", "addresses"] and "max_gradcheck_addresses" in err["msg"] and "3" in err["msg"]


@pytest.mark.parametrize("body, loc", [
    ({"addresses": "W:1,0,0"}, ["body", "addresses"]),
    ({"addresses": [1, 2]}, ["body", "addresses", 0]),
    ({"addresses": ["W:1,0,0", "W:3,0,0"]}, ["body", "addresses", 1]),
    ({"addresses": ["x:0,0"]}, ["body", "addresses", 0]),
    ({"addresses": ["W:1,0"]}, ["body", "addresses", 0]),
    ({"addresses": ["W:1,9,0"]}, ["body", "addresses", 0]),
    ({"addresses": ["b:1,-1"]}, ["body", "addresses", 0]),
    ({"addresses": ["W:1,0,99999999999999999999999"]}, ["body", "addresses", 0]),
    ({"addresses": ["W:" + "1," * 500 + "0"]}, ["body", "addresses", 0]),
    ({"addresses": ["W:1,0,0"] * 50_000}, ["body", "addresses"]),
    ({"h": 0.0}, ["body", "h"]),
    ({"h": -1e-6}, ["body", "h"]),
    ({"h": "1e-6"}, ["body", "h"]),
    ({"h": 5.0}, ["body", "h"]),
    ({"extra": 1}, ["body", "extra"]),
])
def test_hostile_gradcheck_bodies_are_a_422_naming_the_field(client, lecture, body, loc):
    r = client.post("/api/gradcheck", json={"request": lecture} | body)
    assert r.status_code == 422, r.text[:500]
    assert loc in [e["loc"] for e in r.json()["detail"]], r.json()["detail"][:3]


@pytest.mark.parametrize("body", [b"", b"[]", b"{", b'{"request": 3}', b'{"addresses": ["W:1,0,0"]}',
                                  b'{"request": {"network": {"inputs": 1, "layers": []}, "x": [[1.0]], "y": [[1.0]]}}'])
def test_malformed_gradcheck_bodies_are_a_422_never_a_500(client, body):
    r = client.post("/api/gradcheck", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:500]


def test_an_inner_request_beyond_a_limit_is_a_422_under_request(client, lecture):
    bad = json.loads(json.dumps(lecture))
    bad["x"] = [[0.1, 0.2]]
    r = client.post("/api/gradcheck", json={"request": bad})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][:3] == ["body", "request", "x"]


def test_the_work_of_one_check_is_bounded_by_the_cost_limit(lecture):
    # the lecture: 11 parameters, 1 sample, so one address costs 2 × 1 × 11 = 22
    with app_client(max_gradcheck_cost=22 * 4) as c:
        res = gradcheck(c, {"request": lecture})
        assert len(res["checks"]) == 4 and res["omitted"] == 7
        r = c.post("/api/gradcheck", json={"request": lecture, "addresses": ["b:1,0"] * 5})
        assert r.status_code == 422
        err = r.json()["detail"][0]
        assert err["loc"] == ["body", "addresses"] and "max_gradcheck_cost" in err["msg"] and "at most 4" in err["msg"]
