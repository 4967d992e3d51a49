"""Frozen parameters (requires_grad=False): no gradient, never moved, no gradient or update step."""

from __future__ import annotations

import math
from collections import Counter

import pytest

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


def test_state_of_a_parameter_frozen_after_training_is_ignored(client):
    opt = {"name": "sgd", "lr": 0.5, "momentum": 0.9}
    first = step(client, {"network": NETWORK, "x": X, "y": Y, "optimizer": opt})
    network = first["network_after"]
    network["layers"][0]["freeze_weights"] = True
    res = step(client, {"network": network, "x": X, "y": Y, "optimizer": opt,
                        "optimizer_state": first["optimizer_state"]})
    assert res["network_after"]["layers"][0]["weights"] == network["layers"][0]["weights"]
    assert "layers.0.weight" not in res["optimizer_state"]["params"]
