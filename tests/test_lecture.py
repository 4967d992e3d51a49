"""The lecture's worked example, number for number, its explanation and autograd graph, and the presets."""

from __future__ import annotations

from collections import Counter

import pytest

from app.schemas import StepRequest, StepResponse
from helpers import assert_close, explain, served_addresses, step


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


def _text(tokens: list[dict]) -> str:
    """Tokens as plain text, w_0^out for w₀ᵒᵘᵗ: enough to read a formula in an assertion."""
    def one(t: dict) -> str:
        if t["t"] == "sym":
            return t["s"] + (f"_{t['sub']}" if "sub" in t else "") + (f"^{t['sup']}" if "sup" in t else "")
        if t["t"] == "d":
            return f"∂{one(t['of'])}/∂{one(t['wrt'])}"
        if t["t"] == "num":
            return f"{t['v']:g}"
        return {"+": " + ", "−": " − "}.get(t["s"], t["s"])
    return "".join(one(t) for t in tokens)


def _numbers(addresses, ctx: dict, tokens: list[dict]) -> list[float]:
    """The numbers the tokens' addresses name, in order: the formula with the numbers substituted."""
    return [addresses.number(ctx, t["a"]) for t in tokens if t["t"] in ("sym", "d") and "a" in t]


def test_the_explanation_shows_the_prediction_with_the_numbers_substituted(client, lecture):
    res, ex = step(client, lecture), explain(client, lecture)
    addresses = served_addresses(client)
    ctx = {"request": lecture, "response": res}
    yhat = ex["steps"][4]  # the fifth step: z⁰ and z¹ (sum and σ each) come first
    assert (yhat["phase"], yhat["kind"], yhat["target"]) == ("forward", "weighted_sum", "z:2,0,0")
    assert [s["target"] for s in ex["steps"] if s["phase"] == "forward"].count("z:2,0,0") == 1  # identity: no φ step
    assert f"{_text(yhat['lhs'])} = {_text(yhat['forms'][-1])}" == "ŷ = w_0^out·z^0 + w_1^out·z^1 + β^out"
    numbers = _numbers(addresses, ctx, yhat["forms"][-1])
    assert numbers[0::2] == [0.6, 0.7, 0.0]  # w₀ᵒᵘᵗ, w₁ᵒᵘᵗ, βᵒᵘᵗ as the slide has them
    assert [round(v, 4) for v in numbers[1::2]] == [0.4675, 0.5175]  # z⁰, z¹
    assert numbers[1::2] == res["layers"][0]["post"][0]
    assert addresses.number(ctx, yhat["value"]) == pytest.approx(0.6428, abs=1e-4)
    assert addresses.number(ctx, yhat["value"]) == res["output"][0][0]


def test_the_explanation_shows_the_chain_rule_for_the_first_output_weight(client, lecture):
    res, ex = step(client, lecture), explain(client, lecture)
    addresses = served_addresses(client)
    ctx = {"request": lecture, "response": res}
    grad = next(s for s in ex["steps"] if s["kind"] == "grad_weight" and s["target"] == "dL/dW:2,0,0")
    chain, numbers = (f"{_text(grad['lhs'])} = " + " = ".join(_text(f) for f in grad["forms"]),
                      _numbers(addresses, ctx, grad["forms"][-1]))
    assert chain == "∂L/∂w_0^out = ∂L/∂ŷ·∂ŷ/∂w_0^out = 2·(ŷ − y)·z^0"
    assert [round(v, 4) for v in numbers] == [0.6428, 1.0, 0.4675]  # ŷ, y, z⁰
    assert addresses.number(ctx, grad["value"]) == pytest.approx(-0.3340404365783096, abs=1e-14)


def _graph(res: dict):
    nodes = {n["id"]: n for n in res["autograd"]["nodes"]}
    return nodes, res["autograd"]["edges"]


def test_lecture_autograd_graph_has_the_nodes_torch_records(client, lecture):
    res = step(client, lecture)
    addresses = served_addresses(client)
    ctx = {"request": lecture, "response": res}
    nodes, edges = _graph(res)
    names = Counter(n["name"] for n in nodes.values() if n["kind"] != "output")
    assert names == Counter({"MseLossBackward0": 1, "AddmmBackward0": 2, "SigmoidBackward0": 1,
                             "TBackward0": 2, "AccumulateGrad": 5})
    leaves = {n["param"]: n for n in nodes.values() if n["name"] == "AccumulateGrad"}
    assert set(leaves) == {"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "x"}
    assert all(n["kind"] == "parameter" for n in leaves.values())
    layers = res["layers"]
    expected = {  # shape, value address (before the step), gradient address, and their numbers
        "layers.0.weight": ([2, 3], "W:1", "dL/dW:1", lecture["network"]["layers"][0]["weights"],
                            layers[0]["grad_weights"]),
        "layers.0.bias": ([2], "b:1", "dL/db:1", [0.0, 0.0], layers[0]["grad_biases"]),
        "layers.1.weight": ([1, 2], "W:2", "dL/dW:2", [[0.6, 0.7]], layers[1]["grad_weights"]),
        "layers.1.bias": ([1], "b:2", "dL/db:2", [0.0], layers[1]["grad_biases"]),
        "x": ([1, 3], "x", "dL/dx", [[0.2, 0.9, -1.1]], res["grad_input"]),
    }
    for param, (shape, address, grad_address, value, grad) in expected.items():
        leaf = leaves[param]
        assert (leaf["shape"], leaf["address"], leaf["grad_address"]) == (shape, address, grad_address), param
        assert addresses.get(ctx, leaf["address"]) == value, param  # the value before the step
        assert_close(addresses.get(ctx, leaf["grad_address"]), grad, rtol=0, atol=0, what=f"{param}.grad")
        assert "value" not in leaf and "grad" not in leaf, "numbers are named by address, not copied"
    assert all(n["address"] is None and n["grad_address"] is None for n in nodes.values() if n["kind"] == "function")
    assert leaves["layers.1.weight"]["label"] == "Wᵒᵘᵗ"


def test_lecture_autograd_graph_edges_run_from_the_loss_to_the_leaves(client, lecture):
    res = step(client, lecture)
    nodes, edges = _graph(res)
    assert all(e["from"] in nodes and e["to"] in nodes for e in edges)
    children = {}
    for e in edges:
        children.setdefault(e["from"], []).append(e["to"])
    loss = [n for n in nodes.values() if n["kind"] == "output"]
    assert len(loss) == 1 and loss[0]["address"] == "L"
    assert served_addresses(client).number({"request": lecture, "response": res}, loss[0]["address"]) == res["loss"]
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
