"""The autograd graph of a step answer: torchviz's nodes with the gradients they receive and pass, by address,
their output shapes, and the order autograd ran them."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from helpers import served_addresses, step

FREEZES = [
    pytest.param({}, id="nothing-frozen"),
    pytest.param({0: (True, False)}, id="first-weights"),
    pytest.param({0: (True, True), 1: (False, True)}, id="first-layer-and-a-bias"),
]


def _frozen(req: dict, freeze: dict) -> dict:
    req = copy.deepcopy(req)
    for k, (w, b) in freeze.items():
        req["network"]["layers"][k].update(freeze_weights=w, freeze_biases=b)
    return req


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp", "xor"])
@pytest.mark.parametrize("freeze", FREEZES)
def test_one_accumulate_grad_per_tensor_that_requires_grad_and_none_for_frozen_ones(client, preset, freeze):
    req = _frozen(client.get(f"/api/presets/{preset}").json(), freeze)
    res = step(client, req)
    leaves = [n["param"] for n in res["autograd"]["nodes"] if n["name"] == "AccumulateGrad"]
    requiring = ["x"] + [f"layers.{k}.{kind}" for k, layer in enumerate(req["network"]["layers"])
                         for kind, key in (("weight", "freeze_weights"), ("bias", "freeze_biases")) if not layer[key]]
    assert sorted(leaves) == sorted(requiring)  # each exactly once


def _node_map(res: dict) -> dict:
    return {n["id"]: n for n in res["autograd"]["nodes"]}


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp", "xor"])
def test_every_gradient_a_node_receives_is_in_the_answer_with_the_nodes_output_shape(client, preset):
    req = client.get(f"/api/presets/{preset}").json()
    res = step(client, req)
    addresses = served_addresses(client)
    ctx = {"request": req, "response": res}
    named = 0
    for node in res["autograd"]["nodes"]:
        for address in node["receives"]:
            value = np.asarray(addresses.get(ctx, address), dtype=float)
            shape = list(value.shape)
            assert (shape[::-1] if node["transposed"] else shape) == node["out_shape"], (node, address)
            named += 1
    functions = [n for n in res["autograd"]["nodes"] if n["kind"] != "output"]
    assert named >= len(functions) - 1  # only the loss's own node receives no addressed gradient (∂L/∂L = 1)


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp", "xor"])
def test_a_node_passes_on_what_its_children_receive_along_its_edges(client, preset):
    res = step(client, client.get(f"/api/presets/{preset}").json())
    nodes = _node_map(res)
    for node in nodes.values():
        out = [e for e in res["autograd"]["edges"] if e["from"] == node["id"]]
        for e in out:
            child = nodes[e["to"]]
            assert e["grad_address"] == (child["receives"][0] if child["receives"] else None)
        if node["kind"] != "output":
            assert node["passes"] == [e["grad_address"] for e in out if e["grad_address"] is not None]


def test_the_lecture_graph_names_the_chain_rule_as_the_slides_do(client, lecture):
    res = step(client, lecture)
    by_receives = {(n["name"], tuple(n["receives"])): n for n in res["autograd"]["nodes"]}
    sigmoid = by_receives[("SigmoidBackward0", ("dL/dz:1",))]
    assert sigmoid["passes"] == ["dL/ds:1"] and sigmoid["out_shape"] == [1, 2]
    top = by_receives[("AddmmBackward0", ("dL/ds:2", "dL/dz:2"))]  # identity output: ŷ is s²
    assert top["passes"] == ["dL/db:2", "dL/dz:1", "dL/dW:2"]
    bottom = by_receives[("AddmmBackward0", ("dL/ds:1",))]
    assert bottom["passes"] == ["dL/db:1", "dL/dx", "dL/dW:1"]
    t = by_receives[("TBackward0", ("dL/dW:1",))]
    assert t["transposed"] and t["out_shape"] == [3, 2]
    root = next(n for n in res["autograd"]["nodes"] if n["name"] == "MseLossBackward0")
    assert root["receives"] == [] and root["passes"] == ["dL/ds:2"] and root["order"] == 0


def _torch_order(req: dict) -> list[str]:
    """The backward nodes' names in the order a plain torch loop's backward runs them (hooks of our own)."""
    layers = req["network"]["layers"]
    x = torch.tensor(req["x"], dtype=torch.float64, requires_grad=True)
    acts = {"sigmoid": torch.nn.Sigmoid(), "identity": torch.nn.Identity(), "relu": torch.nn.ReLU(),
            "tanh": torch.nn.Tanh()}
    a = x
    for layer in layers:
        lin = torch.nn.Linear(len(layer["weights"][0]), layer["units"], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(layer["weights"], dtype=torch.float64))
            lin.bias.copy_(torch.tensor(layer["biases"], dtype=torch.float64))
        a = acts[layer["activation"]](lin(a))
    loss_fn = torch.nn.BCELoss() if req["network"]["loss"] == "bce" else torch.nn.MSELoss()
    loss = loss_fn(a, torch.tensor(req["y"], dtype=torch.float64))
    ran, seen, stack, handles = [], set(), [loss.grad_fn], []
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        handles.append(fn.register_prehook(lambda g, fn=fn: ran.append(type(fn).__name__)))
        stack += [c for c, _ in fn.next_functions if c is not None]
    loss.backward()
    return ran


@pytest.mark.parametrize("preset", ["lecture", "mini-mlp", "xor"])
def test_order_is_the_order_torchs_backward_runs_the_nodes_and_every_child_runs_after_its_parent(client, preset):
    req = client.get(f"/api/presets/{preset}").json()
    for _ in range(2):  # the second answer comes from the session's cached graph
        res = step(client, req)
        nodes = [n for n in res["autograd"]["nodes"] if n["kind"] != "output"]
        assert sorted(n["order"] for n in nodes) == list(range(len(nodes)))
        assert [n["name"] for n in sorted(nodes, key=lambda n: n["order"])] == _torch_order(req)
        by_id = _node_map(res)
        for e in res["autograd"]["edges"]:
            if e["from"] != "loss":
                assert by_id[e["from"]]["order"] < by_id[e["to"]]["order"], e


def test_a_no_grad_run_has_no_graph_to_order(client, lecture):
    res = step(client, dict(lecture, no_grad=True))
    assert res["autograd"]["nodes"][0]["order"] is None and len(res["autograd"]["nodes"]) == 1
