"""Frozen parameters (requires_grad=False): no gradient, never moved, no gradient or update step."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import torch

from helpers import explain, served_addresses, step, with_defaults

NETWORK = {
    "inputs": 2,
    "layers": [
        {"units": 3, "activation": "tanh", "weights": [[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]],
         "biases": [0.1, -0.1, 0.2]},
        {"units": 2, "activation": "sigmoid", "weights": [[0.7, -0.3, 0.5], [-0.2, 0.6, 0.4]],
         "biases": [0.3, 0.1]},
        {"units": 1, "activation": "identity", "weights": [[1.5, -0.5]], "biases": [0.25]},
    ],
    "loss": "mse",
}
X = [[1.0, 0.5], [-0.5, 2.0]]
Y = [[1.0], [0.0]]

OPTIMIZERS = [
    pytest.param({"name": "sgd", "lr": 0.5}, id="sgd"),
    pytest.param({"name": "sgd", "lr": 0.5, "momentum": 0.9, "weight_decay": 0.1}, id="momentum-decay"),
    pytest.param({"name": "sgd", "lr": 0.5, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}, id="nesterov"),
    pytest.param({"name": "adam", "lr": 0.1, "weight_decay": 0.1}, id="adam-decay"),
]


def _frozen(freeze: dict[int, tuple[bool, bool]]) -> dict:
    layers = [dict(layer) for layer in NETWORK["layers"]]
    for k, (w, b) in freeze.items():
        layers[k].update(freeze_weights=w, freeze_biases=b)
    return dict(NETWORK, layers=layers)


@pytest.mark.parametrize("opt", OPTIMIZERS)
@pytest.mark.parametrize("freeze", [
    pytest.param({0: (True, False)}, id="first-weights"),
    pytest.param({1: (False, True), 2: (False, True)}, id="biases"),
    pytest.param({0: (True, True), 2: (True, False)}, id="mixed"),
])
def test_frozen_parameters_get_no_gradient_and_keep_their_value_over_three_steps(client, opt, freeze):
    network = _frozen(freeze)
    addresses = served_addresses(client)
    req = {"network": network, "x": X, "y": Y, "optimizer": with_defaults(client, opt)}
    for _ in range(3):
        res = step(client, req)
        for k, layer in enumerate(res["network_after"]["layers"]):
            w_frozen, b_frozen = freeze.get(k, (False, False))
            got = res["layers"][k]
            before = network["layers"][k]
            assert layer["freeze_weights"] is w_frozen and layer["freeze_biases"] is b_frozen
            if w_frozen:
                assert got["grad_weights"] is None
                assert layer["weights"] == before["weights"]
            else:
                assert got["grad_weights"] is not None
                assert layer["weights"] != req["network"]["layers"][k]["weights"], "trainable weights move"
            if b_frozen:
                assert got["grad_biases"] is None
                assert layer["biases"] == before["biases"]
            else:
                assert got["grad_biases"] is not None
                assert layer["biases"] != req["network"]["layers"][k]["biases"], "trainable biases move"
        ex = explain(client, req)
        assert ex["key"] == res["explain_key"]
        ctx = {"request": req, "response": res}
        stepped = Counter()
        for s in ex["steps"]:
            if s["kind"] in ("grad_weight", "grad_bias", "update_weight", "update_bias"):
                w_frozen, b_frozen = freeze.get(s["layer"] - 1, (False, False))
                assert not (w_frozen if s["kind"].endswith("weight") else b_frozen), (s["kind"], s["target"])
                stepped[(s["layer"], s["kind"])] += 1
                # a trainable parameter's gradient and new value are numbers of the answer
                assert math.isfinite(addresses.number(ctx, s["value"])), s["value"]
        trainable = Counter()
        for k, layer in enumerate(network["layers"]):
            w_frozen, b_frozen = freeze.get(k, (False, False))
            for kind, frozen, count in (("weight", w_frozen, len(layer["weights"]) * len(layer["weights"][0])),
                                        ("bias", b_frozen, len(layer["biases"]))):
                if not frozen:
                    trainable[(k + 1, f"grad_{kind}")] = trainable[(k + 1, f"update_{kind}")] = count
        assert stepped == trainable
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])


def test_frozen_parameters_have_no_accumulate_grad_node(client):
    res = step(client, {"network": _frozen({0: (True, False)}), "x": X, "y": Y})
    params = {n["param"] for n in res["autograd"]["nodes"] if n["name"] == "AccumulateGrad"}
    assert "layers.0.weight" not in params
    assert {"layers.0.bias", "layers.1.weight", "layers.2.bias", "x"} <= params


def test_frozen_layers_still_pass_the_gradient_back(client):
    # freezing W² stops its update, not the chain rule through it
    frozen = step(client, {"network": _frozen({1: (True, True)}), "x": X, "y": Y})
    free = step(client, {"network": NETWORK, "x": X, "y": Y})
    assert frozen["layers"][0]["grad_weights"] == free["layers"][0]["grad_weights"]
    assert frozen["grad_input"] == free["grad_input"]


def test_a_network_with_every_parameter_frozen_takes_a_step_that_changes_nothing(client):
    network = _frozen({0: (True, True), 1: (True, True), 2: (True, True)})
    res = step(client, {"network": network, "x": X, "y": Y, "optimizer": {"name": "adam"}})
    assert res["network_after"] == res["network"]
    assert [lay["weights"] for lay in res["network_after"]["layers"]] == [lay["weights"] for lay in NETWORK["layers"]]
    ex = explain(client, {"network": network, "x": X, "y": Y, "optimizer": {"name": "adam"}})
    assert not [s for s in ex["steps"] if s["phase"] == "update" or s["kind"] in ("grad_weight", "grad_bias")]
    assert [s["phase"] for s in ex["steps"]].count("backward") > 0  # the chain rule still runs back to x
    assert res["grad_input"] != [[0.0, 0.0], [0.0, 0.0]]


def _torch_loop(opt: dict, frozen_at: list[bool]) -> list[dict]:
    """A plain torch loop whose optimizer holds every parameter; W¹ frozen with requires_grad_(False) on the
    steps marked True. Returns W¹, its momentum state and W² after each step."""
    torch.manual_seed(0)
    layers = [torch.nn.Linear(len(lay["weights"][0]), lay["units"], dtype=torch.float64) for lay in NETWORK["layers"]]
    with torch.no_grad():
        for lin, lay in zip(layers, NETWORK["layers"]):
            lin.weight.copy_(torch.tensor(lay["weights"], dtype=torch.float64))
            lin.bias.copy_(torch.tensor(lay["biases"], dtype=torch.float64))
    acts = [torch.tanh, torch.sigmoid, lambda s: s]
    params = [p for lin in layers for p in (lin.weight, lin.bias)]
    name = opt["name"]
    kwargs = {k: v for k, v in opt.items() if k != "name"}
    optimizer = (torch.optim.SGD if name == "sgd" else torch.optim.Adam)(params, **kwargs)
    x, y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    out = []
    for frozen in frozen_at:
        layers[0].weight.requires_grad_(not frozen)
        optimizer.zero_grad()
        a = x
        for lin, phi in zip(layers, acts):
            a = phi(lin(a))
        torch.nn.functional.mse_loss(a, y).backward()
        optimizer.step()
        state = optimizer.state.get(layers[0].weight, {})
        out.append({"W1": layers[0].weight.tolist(), "W2": layers[1].weight.tolist(),
                    "state": {k: v.tolist() for k, v in state.items()}})
    return out


@pytest.mark.parametrize("opt", [
    pytest.param({"name": "sgd", "lr": 0.5, "momentum": 0.9}, id="momentum"),
    pytest.param({"name": "sgd", "lr": 0.5, "momentum": 0.9, "weight_decay": 0.1}, id="momentum-decay"),
    pytest.param({"name": "adam", "lr": 0.1}, id="adam"),
])
def test_a_parameter_frozen_for_a_step_keeps_its_optimizer_state_as_a_torch_loop_does(client, opt):
    # train, freeze W¹ for one step, unfreeze: its momentum (Adam: its moments and step) survive the freeze
    frozen_at = [False, True, False, False]
    expected = _torch_loop(opt, frozen_at)
    req = {"network": NETWORK, "x": X, "y": Y, "optimizer": opt}
    for k, frozen in enumerate(frozen_at):
        network = dict(req["network"], layers=[dict(lay) for lay in req["network"]["layers"]])
        network["layers"][0]["freeze_weights"] = frozen
        before = (req.get("optimizer_state") or {}).get("params", {}).get("layers.0.weight")
        res = step(client, dict(req, network=network))
        after = res["optimizer_state"]["params"]["layers.0.weight"]
        assert res["network_after"]["layers"][0]["weights"] == expected[k]["W1"], k
        assert res["network_after"]["layers"][1]["weights"] == expected[k]["W2"], k
        assert after == expected[k]["state"], k
        if frozen:
            assert after == before, "a frozen parameter's state goes out unchanged"
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])
