"""POST /api/train within bounds: limits and bad requests are 422s naming the field; divergence and the
time limit end a run with their reason (never a 5xx); past train_max_runs a run gets 503; a client that
leaves stops its run's work and leaves the server healthy."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import orjson
import pytest
import uvicorn

from app.config import Settings
from app.main import create_app
from helpers import app_client, strict_json

XOR_NET = {"inputs": 2, "loss": "bce", "layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]}


def body(**extra) -> dict:
    return {"network": XOR_NET, "data": {"name": "xor", "n": 40, "seed": 1}, "steps": 20, **extra}


def lines_of(client, req: dict) -> list[dict]:
    r = client.post("/api/train", json=req)
    assert r.status_code == 200, r.text[:2000]
    return [strict_json(line) for line in r.content.splitlines()]


@pytest.mark.parametrize("extra, loc, words", [
    ({"steps": 20_001}, ["body", "steps"], "at most 20000 steps (limit train_max_steps, BACKPROP_LAB_TRAIN_MAX_STEPS)"),
    ({"steps": None, "epochs": 30_000}, ["body", "epochs"], "limit train_max_steps"),
    ({"steps": None}, ["body", "steps"], "give `steps` or `epochs`"),
    ({"epochs": 2}, ["body", "steps"], "one of them"),
    ({"steps": 0}, ["body", "steps"], "greater than or equal to 1"),
    ({"data": {"name": "xor", "n": 2000}}, ["body", "data", "n"], "limit train_max_samples"),
    ({"data": {"name": "sine"}}, ["body", "network", "inputs"], "sine has 1 input"),
    ({"data": {"name": "xor", "targets": "classes"}}, ["body", "data", "targets"], "bce takes a column"),
    ({"data": {"name": "spiral", "classes": 3}}, ["body", "data", "classes"], "3 classes need targets"),
    ({"data": {"x": [[1.0, 2.0, 3.0]], "y": [[1.0]]}}, ["body", "data", "x", 0], "must have 2 values (network.inputs)"),
    ({"data": {"x": [[1.0, 2.0]], "y": [[2.0]]}}, ["body", "data", "y"], "bce targets must lie in [0, 1]"),
    ({"data": {"x": [[1.0, 2.0]], "y": [1]}}, ["body", "data", "y"], "not class indices"),
    ({"data": {"name": "xor"}, "test_fraction": 1.0}, ["body", "test_fraction"], "0.9"),
    ({"grid": 65}, ["body", "grid"], "at most 64 points a side (limit train_max_grid"),
    ({"neuron_grid": 100}, ["body", "neuron_grid"], "limit train_max_grid"),
    ({"steps": 1000, "snapshot_every": 2}, ["body", "snapshot_every"], "limit train_max_snapshots"),
    ({"watch": ["W:3,0,0"]}, ["body", "watch", 0], "not a weight or bias of this network"),
    ({"watch": ["W:1,4,0"]}, ["body", "watch", 0], "not a weight or bias"),
    ({"watch": ["s:1,0,0"]}, ["body", "watch", 0], "not a weight or bias"),
    ({"watch": ["W:1,x"]}, ["body", "watch", 0], "not a weight or bias"),
    ({"watch": ["b:1,0"] * 17}, ["body", "watch"], "at most 16"),
    ({"optimizer": {"name": "adam", "betas": [1.0, 0.9]}}, ["body", "optimizer", "betas"], "[0, 1)"),
    ({"optimizer_state": {"name": "adam", "params": {}}}, ["body", "optimizer_state", "name"], "not 'sgd'"),
    ({"optimizer": {"name": "sgd", "momentum": 0.9},
      "optimizer_state": {"name": "sgd", "params": {"layers.0.weight": {"momentum_buffer": [[1.0]]}}}},
     ["body", "optimizer_state", "params", "layers.0.weight", "momentum_buffer"], "does not match"),
    ({"network": {**XOR_NET, "layers": [{"units": 65}, {"units": 1, "activation": "sigmoid"}]}},
     ["body", "network", "layers", 0, "units"], "limit max_units"),
    ({"network": {**XOR_NET, "layers": [{"units": 4}, {"units": 1}]}}, ["body", "network", "loss"], "sigmoid"),
    ({"seed": -1}, ["body", "seed"], "greater than or equal to 0"),
    ({"surprise": 1}, ["body", "surprise"], "Extra inputs"),
])
def test_a_bad_train_request_is_a_422_naming_the_field(client, extra, loc, words):
    req = {k: v for k, v in {**body(), **extra}.items() if v is not None}
    r = client.post("/api/train", json=req)
    assert r.status_code == 422, r.text[:500]
    detail = r.json()["detail"]
    assert any(e["loc"] == loc and words in e["msg"] for e in detail), detail


def test_a_batch_larger_than_api_step_takes_is_refused_so_every_step_can_be_replayed():
    with app_client(max_samples=16) as c:
        r = c.post("/api/train", json=body(batch_size=20))
        assert r.status_code == 422
        assert "limit max_samples" in r.json()["detail"][0]["msg"] and r.json()["detail"][0]["loc"] == ["body", "batch_size"]
        assert c.post("/api/train", json=body(batch_size=16)).status_code == 200


def test_a_diverging_run_ends_with_reason_diverged_and_nulls_never_a_5xx(client):
    req = {"network": {"inputs": 1, "loss": "mse", "layers": [{"units": 8, "activation": "relu"}, {"units": 1}]},
           "data": {"name": "sine", "n": 50}, "optimizer": {"name": "sgd", "lr": 40.0}, "steps": 500,
           "snapshot_every": 100, "watch": ["W:1,0,0"]}
    lines = lines_of(client, req)
    done = lines[-1]
    assert (done["done"], done["reason"]) == (True, "diverged")
    steps = [line for line in lines if "loss" in line]
    assert steps[-1]["diverged"] is True and steps[-1]["step"] == done["step"] < 500
    assert all("diverged" not in line for line in steps[:-1])
    last = steps[-1]
    assert last["loss"] is None or None in last["grad_norms"] or last["test_loss"] is None
    snap = lines[-2]["snapshot"]
    assert snap["step"] == done["step"]
    numbers = [v for layer in done["network"]["layers"] for row in layer["weights"] for v in row]
    assert all(isinstance(v, float) or v in ("NaN", "Infinity", "-Infinity") for v in numbers)


def test_a_run_past_its_wall_time_ends_with_reason_time_limit_and_a_last_snapshot():
    with app_client(train_max_seconds=0.3) as c:
        lines = lines_of(c, {"network": {"inputs": 2, "loss": "bce", "layers": [
            {"units": 48, "activation": "tanh"}, {"units": 48, "activation": "tanh"},
            {"units": 1, "activation": "sigmoid"}]}, "data": {"name": "spiral", "n": 1024}, "steps": 20_000,
            "snapshot_every": 1000})
    done = lines[-1]
    assert done["reason"] == "time_limit" and 0 < done["step"] < 20_000
    assert lines[-2]["snapshot"]["step"] == done["step"]
    assert len([line for line in lines if "loss" in line]) == done["step"]


# ---- a real server: streaming, concurrency and clients that leave -------------------------------


@pytest.fixture(scope="module")
def live():
    """The app on a free 127.0.0.1 port in this process (so a test can look at its runs), one run at a time."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(open_browser=False, train_max_runs=1))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield app, port
    server.should_exit = True
    thread.join(timeout=30)


def _post(port: int, req: dict) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/train", orjson.dumps(req), {"Content-Type": "application/json"})
    return conn, conn.getresponse()


def _until(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)  # polling the server's state, not waiting for a time to pass


LONG = {"network": {"inputs": 2, "loss": "bce", "layers": [{"units": 32, "activation": "tanh"},
                                                           {"units": 1, "activation": "sigmoid"}]},
        "data": {"name": "circles", "n": 512}, "steps": 20_000, "batch_size": 64, "snapshot_every": 1000}


def test_a_client_that_leaves_stops_its_run_and_the_server_stays_healthy(live):
    app, port = live
    conn, response = _post(port, LONG)
    assert response.status == 200
    for _ in range(3):
        assert response.readline()
    runs = app.state.train_runs
    assert runs.active == 1
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    _until(lambda: runs.active == 0, "the run's slot was not released after its client left")
    runs.pool.submit(lambda: None).result(timeout=30)  # the chunk that was computing when the client left ends
    taken = runs.steps
    assert taken < 20_000
    # A short run now: the training thread takes chunks in order, so a chunk of the abandoned run
    # still in the queue would run first and be counted. Exactly the new run's steps are added.
    conn, response = _post(port, body(steps=7))
    lines = [strict_json(line) for line in response.read().splitlines()]
    conn.close()
    assert lines[-1]["reason"] == "finished" and runs.steps == taken + 7
    health = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    health.request("GET", "/api/health")
    assert health.getresponse().status == 200
    health.close()


def test_past_train_max_runs_a_run_gets_503_with_retry_after_until_a_slot_frees(live):
    app, port = live
    conn, response = _post(port, LONG)
    assert response.status == 200 and response.readline()
    second, refused = _post(port, body())
    assert refused.status == 503 and refused.getheader("retry-after") == "5"
    assert "limit train_max_runs" in orjson.loads(refused.read())["detail"]
    second.close()
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    _until(lambda: app.state.train_runs.active == 0, "the slot was not released")
    third, answer = _post(port, body())
    assert answer.status == 200 and strict_json(answer.read().splitlines()[-1])["reason"] == "finished"
    third.close()
