"""Same request, same response, byte for byte; omitted weights are torch's own, from the seed."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from helpers import step

NETWORK = {
    "inputs": 3,
    "layers": [{"units": 4, "activation": "relu"}, {"units": 2, "activation": "tanh"},
               {"units": 1, "activation": "identity"}],
    "loss": "mse",
    "seed": 42,
}
REQUEST = {"network": NETWORK, "x": [[0.1, -0.2, 0.3], [1.0, 0.5, -0.5]], "y": [[1.0], [0.0]],
           "optimizer": {"name": "adam", "lr": 0.01}}


def _torch_layers(seed: int, sizes: list[tuple[int, int]]) -> list[nn.Linear]:
    torch.manual_seed(seed)
    return [nn.Linear(fan_in, units) for fan_in, units in sizes]


SIZES = [(3, 4), (4, 2), (2, 1)]


def test_the_same_request_twice_gives_byte_identical_responses(client, lecture):
    for req in (REQUEST, lecture, dict(REQUEST, dtype="float32"), dict(REQUEST, trace_sample=1)):
        first = client.post("/api/step", json=req)
        second = client.post("/api/step", json=req)
        assert first.status_code == 200
        assert first.content == second.content


def test_the_same_structure_twice_gives_a_byte_identical_explanation(client, lecture):
    for req in (REQUEST, lecture, dict(REQUEST, trace_sample=1)):
        first = client.post("/api/explain", json=req)
        second = client.post("/api/explain", json=req)
        assert first.status_code == 200
        assert first.content == second.content
    # the cache is not what makes them equal: derived again, it is the same bytes
    from app.engine.explain import explain_json

    cached = client.post("/api/explain", json=REQUEST).content
    explain_json.cache_clear()
    assert client.post("/api/explain", json=REQUEST).content == cached


def test_omitted_weights_are_torch_manual_seed_then_nn_linear_in_order(client):
    res = step(client, REQUEST)
    expected = _torch_layers(42, SIZES)
    for layer, linear in zip(res["network"]["layers"], expected):
        assert layer["weights"] == linear.weight.detach().double().tolist()
        assert layer["biases"] == linear.bias.detach().double().tolist()


def test_a_layer_with_weights_given_still_takes_its_turn_in_the_seeds_sequence(client):
    given = [[0.5, -0.5, 0.25]] * 4
    net = dict(NETWORK, layers=[dict(NETWORK["layers"][0], weights=given, biases=[0.0] * 4)] + NETWORK["layers"][1:])
    res = step(client, dict(REQUEST, network=net))
    expected = _torch_layers(42, SIZES)
    assert res["network"]["layers"][0]["weights"] == given
    assert res["network"]["layers"][1]["weights"] == expected[1].weight.detach().double().tolist()
    assert res["network"]["layers"][2]["biases"] == expected[2].bias.detach().double().tolist()


def test_another_seed_gives_other_weights(client):
    a = step(client, REQUEST)["network"]["layers"][0]["weights"]
    b = step(client, dict(REQUEST, network=dict(NETWORK, seed=43)))["network"]["layers"][0]["weights"]
    assert a != b
    assert b == _torch_layers(43, SIZES)[0].weight.detach().double().tolist()


def test_float32_omitted_weights_are_the_same_torch_initialisation(client):
    res = step(client, dict(REQUEST, dtype="float32"))
    assert res["network"]["layers"][0]["weights"] == _torch_layers(42, SIZES)[0].weight.detach().tolist()


def test_a_step_leaves_the_global_random_state_alone(client):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    step(client, REQUEST)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("preset", ["mini-mlp", "xor"])
def test_seeded_presets_are_the_same_on_every_call(client, preset):
    a = client.get(f"/api/presets/{preset}")
    b = client.get(f"/api/presets/{preset}")
    assert a.status_code == 200 and a.content == b.content


def test_mini_mlp_preset_weights_are_my_mini_mlp_after_manual_seed_0(client):
    net = client.get("/api/presets/mini-mlp").json()["network"]
    expected = _torch_layers(net["seed"], [(8, 16), (16, 1)])
    assert [lay["weights"] for lay in net["layers"]] == [lin.weight.detach().double().tolist() for lin in expected]


def test_a_layer_with_weights_but_no_biases_gets_the_seeds_biases(client):
    given = [[0.5, -0.5, 0.25]] * 4
    net = dict(NETWORK, layers=[dict(NETWORK["layers"][0], weights=given)] + NETWORK["layers"][1:])
    res = step(client, dict(REQUEST, network=net))
    expected = _torch_layers(42, SIZES)
    assert res["network"]["layers"][0]["weights"] == given
    assert res["network"]["layers"][0]["biases"] == expected[0].bias.detach().double().tolist()
