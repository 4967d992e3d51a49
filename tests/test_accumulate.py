"""The graph switches: .grad accumulated without zero_grad, and the inference-only run under torch.no_grad()."""

from __future__ import annotations

import copy

import pytest
import torch

from helpers import MISSING, served_addresses, step

ADDRESSES = ("W:1", "b:1", "W:2", "b:2")


def _grads(res: dict) -> dict:
    return {"W:1": res["layers"][0]["grad_weights"], "b:1": res["layers"][0]["grad_biases"],
            "W:2": res["layers"][1]["grad_weights"], "b:2": res["layers"][1]["grad_biases"], "x": res["grad_input"]}


def _doubled(v):
    return [_doubled(e) for e in v] if isinstance(v, list) else 2 * v


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp", "xor"])
def test_backward_twice_without_zero_grad_doubles_every_grad_exactly(client, preset):
    req = client.get(f"/api/presets/{preset}").json()
    once = step(client, req)
    twice = step(client, dict(req, backward_passes=2))
    assert _grads(twice) == {k: _doubled(v) for k, v in _grads(once).items()}
    assert twice["loss"] == once["loss"]  # the same batch, the same weights: the same loss each pass
    acc = twice["accumulation"]
    assert acc["backward_passes"] == 2 and acc["grad_before"] == []
    assert {k: acc["pass_grads"][k] for k in _grads(once)} == _grads(once)
    assert once["accumulation"] is None


def test_carried_over_grad_adds_to_this_backward_and_the_step_uses_the_sum(client, lecture):
    once = step(client, lecture)
    carried = {k: v for k, v in _grads(once).items()}
    res = step(client, dict(lecture, grad_before=carried))
    assert _grads(res) == {k: _doubled(v) for k, v in _grads(once).items()}
    assert res["accumulation"]["grad_before"] == sorted(carried)
    # SGD moves each weight by lr · (the accumulated .grad): twice the ordinary step, as torch would
    model = torch.nn.Linear(3, 2, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(lecture["network"]["layers"][0]["weights"], dtype=torch.float64))
    model.weight.grad = torch.tensor(res["layers"][0]["grad_weights"], dtype=torch.float64)
    torch.optim.SGD([model.weight], lr=lecture["optimizer"]["lr"]).step()
    assert res["network_after"]["layers"][0]["weights"] == model.weight.tolist()


def test_accumulation_equals_a_torch_loop_that_skips_zero_grad(client, lecture):
    # three passes worth: one carried over (a different batch), then two passes on this one
    other = dict(lecture, x=[[1.0, -0.5, 0.25]], y=[[0.0]])
    carried = step(client, other)
    req = dict(lecture, grad_before={k: v for k, v in _grads(carried).items() if k != "x"}, backward_passes=2,
               optimizer={"name": "sgd", "lr": 0.5, "momentum": 0.9})
    res = step(client, req)
    torch.manual_seed(0)
    lin = [torch.nn.Linear(3, 2, dtype=torch.float64), torch.nn.Linear(2, 1, dtype=torch.float64)]
    with torch.no_grad():
        for k, layer in enumerate(lecture["network"]["layers"]):
            lin[k].weight.copy_(torch.tensor(layer["weights"], dtype=torch.float64))
            lin[k].bias.copy_(torch.tensor(layer["biases"], dtype=torch.float64))
    params = [p for m in lin for p in (m.weight, m.bias)]
    opt = torch.optim.SGD(params, lr=0.5, momentum=0.9)
    opt.zero_grad()
    for x, y in ((other["x"], other["y"]), (lecture["x"], lecture["y"]), (lecture["x"], lecture["y"])):
        out = lin[1](torch.sigmoid(lin[0](torch.tensor(x, dtype=torch.float64))))
        torch.nn.functional.mse_loss(out, torch.tensor(y, dtype=torch.float64)).backward()
    assert res["layers"][0]["grad_weights"] == lin[0].weight.grad.tolist()
    assert res["layers"][1]["grad_biases"] == lin[1].bias.grad.tolist()
    opt.step()
    assert res["network_after"]["layers"][0]["weights"] == lin[0].weight.tolist()
    assert res["optimizer_state"]["params"]["layers.1.weight"]["momentum_buffer"] == \
        opt.state[lin[1].weight]["momentum_buffer"].tolist()


def test_no_grad_returns_the_forward_pass_and_no_gradient_and_no_step(client, lecture):
    full = step(client, lecture)
    res = step(client, dict(lecture, no_grad=True))
    assert res["no_grad"] is True and full["no_grad"] is False
    assert res["loss"] == full["loss"] and res["output"] == full["output"]
    for got, want in zip(res["layers"], full["layers"]):
        assert (got["pre"], got["post"]) == (want["pre"], want["post"])
        assert [got[k] for k in ("grad_pre", "grad_post", "grad_weights", "grad_biases")] == [None] * 4
    assert res["grad_input"] is None and res["sample_grads"] is None
    assert res["network_after"] == res["network"]
    assert [n["kind"] for n in res["autograd"]["nodes"]] == ["output"] and res["autograd"]["edges"] == []


def test_no_grad_passes_the_optimizer_state_through_unchanged(client, lecture):
    req = dict(lecture, optimizer={"name": "adam", "lr": 0.1})
    first = step(client, req)
    res = step(client, dict(req, network=first["network_after"], optimizer_state=first["optimizer_state"],
                            no_grad=True))
    assert res["optimizer_state"] == first["optimizer_state"]
    assert res["optimizer_terms"] is None


def test_a_no_grad_answers_addresses_of_gradients_resolve_to_nothing_numeric(client, lecture):
    res = step(client, dict(lecture, no_grad=True))
    addresses = served_addresses(client)
    ctx = {"request": lecture, "response": res}
    assert addresses.get(ctx, "dL/dW:1,0,0") in (None, MISSING)
    assert addresses.number(ctx, "z:1,0,1") == res["layers"][0]["post"][0][1]


@pytest.mark.parametrize("change, field", [
    ({"grad_before": {"W:3": [[1.0]]}}, "W:3"),
    ({"grad_before": {"W:1": [[1.0, 2.0]]}}, "W:1"),
    ({"grad_before": {"x": [[1.0]]}}, "x"),
    ({"grad_before": {"layers.0.weight": [[1.0]]}}, "layers.0.weight"),
    ({"grad_before": {"W:1": "many"}}, "W:1"),
    ({"grad_before": {"b:1": [1.0, float("nan")]}}, "b:1"),
    ({"backward_passes": 5}, "backward_passes"),
    ({"backward_passes": 0}, "backward_passes"),
    ({"backward_passes": "2"}, "backward_passes"),
    ({"no_grad": "yes"}, "no_grad"),
    ({"no_grad": True, "backward_passes": 2}, "backward_passes"),
])
def test_bad_accumulation_fields_are_a_422_naming_the_field(client, lecture, change, field):
    body = copy.deepcopy(lecture) | change
    r = client.post("/api/step", content=_dumps(body), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    locs = [e["loc"] for e in r.json()["detail"]]
    assert any(field in [str(p) for p in loc] for loc in locs), locs


def test_a_frozen_parameter_has_no_grad_to_carry_over(client, lecture):
    req = copy.deepcopy(lecture)
    req["network"]["layers"][0]["freeze_weights"] = True
    r = client.post("/api/step", json=dict(req, grad_before={"W:1": [[0.0] * 3] * 2}))
    assert r.status_code == 422
    assert "frozen" in r.json()["detail"][0]["msg"]


def _dumps(body: dict) -> bytes:
    import json

    return json.dumps(body, allow_nan=True).encode()
