"""POST /api/train: the streamed run is a plain torch loop, bit for bit; any step replays through
/api/step bit for bit; a run resumed from a snapshot goes on exactly as the uninterrupted run."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from helpers import step, strict_json

OPTIMIZERS = {
    "sgd": {"name": "sgd", "lr": 0.3},
    "momentum": {"name": "sgd", "lr": 0.2, "momentum": 0.9},
    "adam": {"name": "adam", "lr": 0.05},
}
_ACT = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "identity": nn.Identity}
_LOSS = {"bce": nn.BCELoss, "mse": nn.MSELoss, "cross_entropy": nn.CrossEntropyLoss}


def lines_of(client, body: dict) -> list[dict]:
    r = client.post("/api/train", json=body)
    assert r.status_code == 200, r.text[:2000]
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [strict_json(line) for line in r.content.splitlines()]


def split_lines(lines: list[dict]):
    """(step lines by step, snapshots by step, the done line)."""
    steps = {line["step"]: line for line in lines if "loss" in line}
    snaps = {line["snapshot"]["step"]: line["snapshot"] for line in lines if "snapshot" in line}
    assert lines[-1]["done"] is True and all("done" not in line for line in lines[:-1])
    return steps, snaps, lines[-1]


def body_for(opt: str, batch_size: int | None, steps: int = 30, **extra) -> dict:
    return {"network": {"inputs": 2, "loss": "bce", "seed": 4, "layers": [
        {"units": 5, "activation": "tanh"}, {"units": 4, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]},
        "data": {"name": "gaussians", "n": 45, "noise": 0.3, "seed": 2}, "test_fraction": 0.2,
        "optimizer": OPTIMIZERS[opt], "steps": steps, "batch_size": batch_size, "seed": 11, **extra}


def plain_loop(client, body: dict) -> tuple[list[float], list[list[int] | None], nn.Sequential]:
    """The same run written as a plain torch loop: nn.Sequential, torch.optim, a seeded randperm per epoch."""
    d = client.post("/api/data", json={**body["data"], "test_fraction": body["test_fraction"]}).json()
    x = torch.tensor(d["x"], dtype=torch.float64)
    y = torch.tensor(d["y"], dtype=torch.float64)
    train = torch.tensor(d["train"])
    net = body["network"]
    torch.manual_seed(net["seed"])
    sizes = [net["inputs"]] + [layer["units"] for layer in net["layers"]]
    modules = []
    for (f, u), layer in zip(zip(sizes, sizes[1:]), net["layers"]):
        modules += [nn.Linear(f, u), _ACT[layer["activation"]]()]
    model = nn.Sequential(*modules).double()
    opt = dict(OPTIMIZERS_BY_BODY(body))
    cls = torch.optim.Adam if opt.pop("name") == "adam" else torch.optim.SGD
    optimizer = cls(model.parameters(), **opt)
    loss_fn = _LOSS[net["loss"]]()
    gen = torch.Generator().manual_seed(body["seed"])
    b = body["batch_size"]
    losses, batches = [], []
    while len(losses) < body["steps"]:
        order = train if b is None else train[torch.randperm(len(train), generator=gen)]
        for first in range(0, len(order), b or len(order)):
            if len(losses) == body["steps"]:
                break
            rows = order[first:first + (b or len(order))]
            loss = loss_fn(model(x[rows]), y[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            batches.append(None if b is None else rows.tolist())
    return losses, batches, model


def OPTIMIZERS_BY_BODY(body: dict) -> dict:
    return body["optimizer"]


@pytest.mark.parametrize("batch_size", [None, 8])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_the_streamed_run_is_a_plain_torch_loop_bit_for_bit(client, opt, batch_size):
    body = body_for(opt, batch_size)
    steps, snaps, done = split_lines(lines_of(client, body))
    losses, batches, model = plain_loop(client, body)
    assert [steps[k]["loss"] for k in range(1, 31)] == losses
    assert [steps[k]["batch"] for k in range(1, 31)] == batches
    weights = [m for m in model if isinstance(m, nn.Linear)]
    for layer, lin in zip(done["network"]["layers"], weights):
        assert layer["weights"] == lin.weight.tolist() and layer["biases"] == lin.bias.tolist()
    assert (done["reason"], done["step"]) == ("finished", 30)


def _replay(client, data: dict, network: dict, state: dict, rows: list[int], opt: dict) -> dict:
    req = {"network": network, "x": [data["x"][r] for r in rows], "y": [data["y"][r] for r in rows],
           "optimizer": opt}
    if state and state["params"]:
        req["optimizer_state"] = state
    return step(client, req)


@pytest.mark.parametrize("batch_size", [None, 7])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_every_step_replays_through_api_step_bit_for_bit(client, opt, batch_size):
    watch = ["W:1,0,1", "W:3,0,2", "b:2,3"]
    body = body_for(opt, batch_size, steps=12, snapshot_every=1, watch=watch)
    steps, snaps, _ = split_lines(lines_of(client, body))
    assert sorted(snaps) == list(range(13))
    data = client.post("/api/data", json={**body["data"], "test_fraction": body["test_fraction"]}).json()
    for k in range(12):
        s = snaps[k]
        a = _replay(client, data, s["network"], s["optimizer_state"], s["next_batch"], body["optimizer"])
        line = steps[k + 1]
        assert a["loss"] == line["loss"]
        assert line["batch"] in (None, s["next_batch"])
        for mine, theirs in zip(a["network_after"]["layers"], snaps[k + 1]["network"]["layers"]):
            assert mine["weights"] == theirs["weights"] and mine["biases"] == theirs["biases"]
        assert a["optimizer_state"] == snaps[k + 1]["optimizer_state"]
        w = line["watch"]["W:1,0,1"]
        assert w["grad"] == a["layers"][0]["grad_weights"][0][1]
        assert w["value"] == a["network"]["layers"][0]["weights"][0][1]
        assert w["after"] == a["network_after"]["layers"][0]["weights"][0][1]
        b = line["watch"]["b:2,3"]
        assert b["grad"] == a["layers"][1]["grad_biases"][3]
        if opt == "momentum":
            assert b["state"] == {"momentum_buffer": a["optimizer_state"]["params"]["layers.1.bias"]["momentum_buffer"][3]}
        if opt == "adam":
            terms = a["optimizer_terms"][0]["weight"]
            assert (w["state"]["m_hat"], w["state"]["v_hat"]) == (terms["m_hat"][0][1], terms["v_hat"][0][1])
            assert w["state"]["step"] == k + 1


@pytest.mark.parametrize("opt", ["momentum", "adam"])
def test_steps_between_snapshots_replay_as_a_chain_from_the_nearest_one(client, opt):
    body = body_for(opt, 6, steps=20, snapshot_every=10)
    steps, snaps, _ = split_lines(lines_of(client, body))
    assert sorted(snaps) == [0, 10, 20]
    data = client.post("/api/data", json={**body["data"], "test_fraction": body["test_fraction"]}).json()
    network, state = snaps[10]["network"], snaps[10]["optimizer_state"]
    for k in range(11, 21):
        rows = steps[k]["batch"]
        if k == 11:
            assert rows == snaps[10]["next_batch"]
        a = _replay(client, data, network, state, rows, body["optimizer"])
        assert a["loss"] == steps[k]["loss"]
        network, state = a["network_after"], a["optimizer_state"]
    assert network["layers"] == snaps[20]["network"]["layers"]


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_a_run_resumed_from_a_snapshot_goes_on_exactly_as_the_uninterrupted_run(client, opt):
    whole = body_for(opt, 8, steps=24, snapshot_every=5, watch=["W:2,1,1"])
    steps, snaps, done = split_lines(lines_of(client, whole))
    s = snaps[10]  # mid-epoch: 36 training rows are 5 batches of 8 (the last of 4)
    resumed = {**whole, "network": s["network"], "optimizer_state": s["optimizer_state"], "start_step": 10,
               "steps": 14}
    steps2, snaps2, done2 = split_lines(lines_of(client, resumed))
    assert sorted(steps2) == list(range(11, 25))
    for k in steps2:
        assert steps2[k] == steps[k]
    assert sorted(snaps2) == [10, 15, 20, 24]
    for k in snaps2:
        assert snaps2[k] == snaps[k]
    assert done2 == done


def test_epochs_count_whole_passes_over_the_training_rows(client):
    body = {**body_for("sgd", 10), "epochs": 3}
    del body["steps"]
    steps, _, done = split_lines(lines_of(client, body))
    assert done["step"] == len(steps) == 12  # 36 training rows: 4 batches an epoch
    for epoch in range(3):
        rows = [r for k in range(4 * epoch + 1, 4 * epoch + 5) for r in steps[k]["batch"]]
        assert sorted(rows) == sorted({r for k in range(1, 5) for r in steps[k]["batch"]})


def test_step_lines_carry_test_loss_accuracy_and_gradient_norms(client):
    body = body_for("adam", 9, steps=6)
    steps, snaps, _ = split_lines(lines_of(client, body))
    data = client.post("/api/data", json={**body["data"], "test_fraction": 0.2}).json()
    s = snaps[0]
    test = _replay(client, data, s["network"], None, data["test"], body["optimizer"])
    assert steps[1]["test_loss"] == test["loss"]
    assert steps[1]["test_accuracy"] == sum((o[0] > 0.5) == (data["y"][r][0] > 0.5)
                                            for o, r in zip(test["output"], data["test"])) / len(data["test"])
    batch = _replay(client, data, s["network"], None, s["next_batch"], body["optimizer"])
    assert steps[1]["accuracy"] == sum((o[0] > 0.5) == (data["y"][r][0] > 0.5)
                                       for o, r in zip(batch["output"], s["next_batch"])) / 9
    norms = [torch.tensor(layer["grad_weights"], dtype=torch.float64).norm().item() for layer in batch["layers"]]
    assert steps[1]["grad_norms"] == pytest.approx(norms, rel=1e-12)


def test_a_regression_run_has_no_accuracy_and_sends_the_fitted_curve(client):
    body = {"network": {"inputs": 1, "loss": "mse", "layers": [{"units": 6, "activation": "tanh"}, {"units": 1}]},
            "data": {"name": "sine", "n": 30, "noise": 0.05}, "optimizer": {"name": "adam", "lr": 0.05}, "steps": 10}
    steps, snaps, _ = split_lines(lines_of(client, body))
    assert all(line["accuracy"] is None and line["test_loss"] is None for line in steps.values())
    grid = snaps[10]["grid"]
    assert grid["kind"] == "curve" and grid["size"] == 64 and len(grid["x"]) == 64
    assert len(grid["output"]) == 1 and len(grid["output"][0]) == 64 and len(grid["neurons"][0]) == 6
    xs = [row[0] for row in client.post("/api/data", json=body["data"]).json()["x"]]
    span = max(xs) - min(xs)  # the data's range, widened by a tenth each side
    assert grid["x"][0] == pytest.approx(min(xs) - span / 10) and grid["x"][-1] == pytest.approx(max(xs) + span / 10)
    net = snaps[10]["network"]
    w1, b1 = (torch.tensor(net["layers"][0][k], dtype=torch.float64) for k in ("weights", "biases"))
    w2, b2 = (torch.tensor(net["layers"][1][k], dtype=torch.float64) for k in ("weights", "biases"))
    x = torch.tensor(grid["x"], dtype=torch.float64).unsqueeze(1)
    expected = (torch.tanh(x @ w1.T + b1) @ w2.T + b2)[:, 0]
    assert grid["output"][0] == pytest.approx(expected.tolist(), abs=6e-5)  # rounded to 4 decimals


def test_a_2d_run_sends_the_decision_boundary_neuron_maps_and_dead_relus(client):
    body = body_for("sgd", None, steps=4, grid=8, neuron_grid=4)
    body["network"]["layers"][1]["biases"] = [-50.0, 0.0, 0.0, 0.0]  # unit 0 of layer 2 never fires
    body["network"]["layers"][1]["weights"] = [[0.1] * 5, [0.2] * 5, [-0.3] * 5, [0.4] * 5]
    _, snaps, _ = split_lines(lines_of(client, body))
    grid = snaps[0]["grid"]
    assert grid["kind"] == "map" and grid["size"] == 8 and len(grid["output"][0]) == 8
    assert all(len(row) == 8 and all(0 <= v <= 1 for v in row) for row in grid["output"][0])
    assert [len(maps) for maps in grid["neurons"]] == [5, 4] and len(grid["neurons"][0][0]) == 4
    assert snaps[0]["dead"][0] == [False] * 5 and snaps[0]["dead"][1][0] is True
    assert grid["x0"][0] < grid["x0"][1] and grid["x1"][0] < grid["x1"][1]


@pytest.mark.parametrize("activation, dead", [("relu", True), ("leaky_relu", True), ("tanh", False), ("gelu", False)])
def test_a_unit_with_s_below_zero_on_every_training_row_is_dead_only_where_the_registry_says_it_dies(client,
                                                                                                   activation, dead):
    body = body_for("sgd", None, steps=2, grid=0, neuron_grid=0)
    body["network"]["layers"][1]["activation"] = activation
    body["network"]["layers"][1]["biases"] = [-50.0, 0.0, 0.0, 0.0]
    body["network"]["layers"][1]["weights"] = [[0.1] * 5, [0.2] * 5, [-0.3] * 5, [0.4] * 5]
    _, snaps, _ = split_lines(lines_of(client, body))
    assert snaps[0]["dead"][1][0] is dead  # leaky ReLU: nearly dead (the page words it from the registry)


def test_a_cross_entropy_run_on_three_spiral_arms_replays_bit_for_bit(client):
    body = {"network": {"inputs": 2, "loss": "cross_entropy", "layers": [{"units": 6, "activation": "relu"},
                                                                       {"units": 3}]},
            "data": {"name": "spiral", "n": 30, "classes": 3, "seed": 8}, "optimizer": OPTIMIZERS["adam"],
            "steps": 6, "batch_size": 4, "snapshot_every": 1, "seed": 2}
    steps, snaps, _ = split_lines(lines_of(client, body))
    data = client.post("/api/data", json={**body["data"], "targets": "classes"}).json()
    assert data["classes"] == 3 and isinstance(data["y"][0], int)
    for k in range(6):
        a = _replay(client, data, snaps[k]["network"], snaps[k]["optimizer_state"], snaps[k]["next_batch"],
                    body["optimizer"])
        assert a["loss"] == steps[k + 1]["loss"]
        assert a["network_after"]["layers"] == snaps[k + 1]["network"]["layers"]
        rows = snaps[k]["next_batch"]
        right = sum(max(range(3), key=lambda c: p[c]) == data["y"][r] for p, r in zip(a["output"], rows))
        assert steps[k + 1]["accuracy"] == right / len(rows)
    grid = snaps[6]["grid"]
    assert len(grid["output"]) == 3  # a softmax probability map per class
    assert all(abs(sum(grid["output"][c][i][j] for c in range(3)) - 1) < 1e-3 for i in range(32) for j in range(32))
