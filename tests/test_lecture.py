"""The lecture's worked example, number for number, its autograd graph, and the presets."""

from __future__ import annotations

from collections import Counter

import pytest

from app.schemas import StepRequest, StepResponse
from helpers import assert_close, step


def test_lecture_preset_reproduces_the_slide_numbers(client, lecture):
    res = step(client, lecture)
    assert [round(v, 4) for v in res["layers"][0]["post"][0]] == [0.4675, 0.5175]
    assert round(res["output"][0][0], 4) == 0.6428
    assert round(res["loss"], 4) == 0.1276
    assert round(res["layers"][1]["grad_weights"][0][0], 4) == -0.3340
    # and the unrounded values, to the precision float64 has
    assert res["output"][0][0] == pytest.approx(0.6427724165340816, abs=1e-14)
    assert res["loss"] == pytest.approx((1.0 - 0.6427724165340816) ** 2, abs=1e-14)


def test_lecture_preset_is_the_slide_network(lecture):
    net = lecture["network"]
    assert lecture["x"] == [[0.2, 0.9, -1.1]] and lecture["y"] == [[1.0]]
    assert net["inputs"] == 3 and net["loss"] == "mse"
    hidden, out = net["layers"]
    assert (hidden["units"], hidden["activation"]) == (2, "sigmoid")
    assert hidden["weights"] == [[0.1, 0.2, 0.3], [0.3, 0.5, 0.4]] and hidden["biases"] == [0.0, 0.0]
    assert (out["units"], out["activation"]) == (1, "identity")
    assert out["weights"] == [[0.6, 0.7]] and out["biases"] == [0.0]


def test_trace_shows_the_prediction_with_the_numbers_substituted(client, lecture):
    res = step(client, lecture)
    yhat = [s for s in res["trace"] if s["phase"] == "forward" and s["target"] == "L2N0"]
    assert len(yhat) == 1  # identity output: the weighted sum is ŷ, no separate φ step
    assert yhat[0]["kind"] == "weighted_sum"
    assert yhat[0]["substituted"] == "0.6·0.4675 + 0.7·0.5175 + 0.0 = 0.6428"
    assert yhat[0]["formula"] == "ŷ = w₀ᵒᵘᵗ·z⁰ + w₁ᵒᵘᵗ·z¹ + βᵒᵘᵗ"
    grad = next(s for s in res["trace"] if s["kind"] == "grad_weight" and s["target"] == "L2W0_0")
    assert grad["substituted"].endswith("= −0.334")
    assert grad["value"] == pytest.approx(-0.3340404365783096, abs=1e-14)


def _graph(res: dict):
    nodes = {n["id"]: n for n in res["autograd"]["nodes"]}
    return nodes, res["autograd"]["edges"]


def test_lecture_autograd_graph_has_the_nodes_torch_records(client, lecture):
    res = step(client, lecture)
    nodes, edges = _graph(res)
    names = Counter(n["name"] for n in nodes.values() if n["kind"] != "output")
    assert names == Counter({"MseLossBackward0": 1, "AddmmBackward0": 2, "SigmoidBackward0": 1,
                             "TBackward0": 2, "AccumulateGrad": 5})
    leaves = {n["param"]: n for n in nodes.values() if n["name"] == "AccumulateGrad"}
    assert set(leaves) == {"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "x"}
    assert all(n["kind"] == "parameter" for n in leaves.values())
    layers = res["layers"]
    expected = {
        "layers.0.weight": ([2, 3], layers[0]["grad_weights"], lecture["network"]["layers"][0]["weights"]),
        "layers.0.bias": ([2], layers[0]["grad_biases"], [0.0, 0.0]),
        "layers.1.weight": ([1, 2], layers[1]["grad_weights"], [[0.6, 0.7]]),
        "layers.1.bias": ([1], layers[1]["grad_biases"], [0.0]),
        "x": ([1, 3], res["grad_input"], [[0.2, 0.9, -1.1]]),
    }
    for param, (shape, grad, value) in expected.items():
        assert leaves[param]["shape"] == shape, param
        assert_close(leaves[param]["grad"], grad, rtol=0, atol=0, what=f"{param}.grad")
        assert leaves[param]["value"] == value, param  # the value before the step
    assert leaves["layers.1.weight"]["label"] == "Wᵒᵘᵗ"


def test_lecture_autograd_graph_edges_run_from_the_loss_to_the_leaves(client, lecture):
    res = step(client, lecture)
    nodes, edges = _graph(res)
    assert all(e["from"] in nodes and e["to"] in nodes for e in edges)
    children = {}
    for e in edges:
        children.setdefault(e["from"], []).append(e["to"])
    loss = [n for n in nodes.values() if n["kind"] == "output"]
    assert len(loss) == 1 and loss[0]["value"] == res["loss"]
    # every node is reachable from the loss; leaves have no children
    seen, pending = set(), [loss[0]["id"]]
    while pending:
        n = pending.pop()
        if n not in seen:
            seen.add(n)
            pending += children.get(n, [])
    assert seen == set(nodes)
    for n in nodes.values():
        if n["name"] == "AccumulateGrad":
            assert n["id"] not in children
    name_of = lambda i: nodes[i]["name"]  # noqa: E731
    # the mse node feeds the output addmm; each weight is reached through a transpose
    mse = next(i for i in nodes if name_of(i) == "MseLossBackward0")
    assert [name_of(c) for c in children[mse]] == ["AddmmBackward0"]
    for i, n in nodes.items():
        if n.get("param", "") and n["param"].endswith(".weight"):
            parents = [e["from"] for e in edges if e["to"] == i]
            assert [name_of(p) for p in parents] == ["TBackward0"]


def test_all_presets_are_listed_and_each_takes_a_step(client):
    listed = client.get("/api/presets").json()
    ids = [p["id"] for p in listed]
    assert set(ids) >= {"lecture", "mini-mlp", "xor", "two-outputs"}
    assert all(p["title"] and p["description"] for p in listed)
    for preset_id in ids:
        r = client.get(f"/api/presets/{preset_id}")
        assert r.status_code == 200, preset_id
        StepRequest.model_validate(r.json())  # the route's declared response_model
        res = step(client, r.json())
        assert res["diverged"] is False, preset_id
        StepResponse.model_validate(res)  # returned as raw JSON, so checked here against the contract


def test_mini_mlp_is_the_slides_module(client):
    req = client.get("/api/presets/mini-mlp").json()
    net = req["network"]
    assert net["inputs"] == 8 and net["loss"] == "mse"
    assert [(lay["units"], lay["activation"]) for lay in net["layers"]] == [(16, "relu"), (1, "identity")]
    assert len(net["layers"][0]["weights"]) == 16 and len(net["layers"][0]["weights"][0]) == 8
    assert len(req["x"][0]) == 8


def test_two_outputs_preset_is_a_batch_of_two_with_two_outputs(client):
    req = client.get("/api/presets/two-outputs").json()
    assert len(req["x"]) == 2 and len(req["y"][0]) == 2
    assert req["network"]["layers"][-1]["units"] == 2


def test_xor_preset_is_the_four_xor_samples(client):
    req = client.get("/api/presets/xor").json()
    assert req["x"] == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert req["y"] == [[0.0], [1.0], [1.0], [0.0]]
    assert req["network"]["loss"] == "bce" and req["network"]["layers"][-1]["activation"] == "sigmoid"
