"""Stopping the server while a training run streams: the run ends with a done line, the threads are
joined and the process exits at once (not after graceful_shutdown_timeout), with nothing on stderr."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from app.config import Settings
from app.routes.train import Runs

ROOT = Path(__file__).resolve().parents[1]
LONG_RUN = {  # about a minute of steps: far longer than the test waits
    "network": {"inputs": 2, "layers": [{"units": 48, "activation": "tanh"}, {"units": 48, "activation": "tanh"},
                                        {"units": 1, "activation": "sigmoid"}], "loss": "bce"},
    "data": {"name": "circles", "n": 1000, "noise": 0.1, "seed": 0},
    "optimizer": {"name": "sgd", "lr": 0.1}, "steps": 20_000, "batch_size": None, "seed": 0,
}


def _free_port() -> int:
    from app.cli import free_port

    return free_port("127.0.0.1")


def _start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "BACKPROP_LAB_TRAIN_MAX_SECONDS": "300", "BACKPROP_LAB_GRACEFUL_SHUTDOWN_TIMEOUT": "20"}
    proc = subprocess.Popen([sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), "--no-browser"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)  # polling the server's start-up
    proc.kill()
    out, err = proc.communicate()
    raise RuntimeError(f"the server did not start:\n{out.decode()}\n{err.decode()}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopping_server_ends_a_streaming_run_and_exits_at_once(sig):
    port = _free_port()
    proc = _start_server(port)
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/train", data=json.dumps(LONG_RUN).encode(),
                                     headers={"content-type": "application/json"})
        resp = urllib.request.urlopen(req, timeout=60)
        lines = [json.loads(resp.readline()) for _ in range(30)]  # the run is streaming
        assert "snapshot" in lines[0] and lines[-1]["step"] >= 20
        rest: list[dict] = []
        reader = threading.Thread(target=lambda: rest.extend(json.loads(line) for line in resp if line.strip()))
        reader.start()
        sent = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
        reader.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    # Promptly: well inside the 20 s graceful_shutdown_timeout uvicorn would otherwise wait for the stream.
    assert took < 5, f"the server took {took:.1f} s to exit; stderr:\n{err.decode()}"
    assert err.decode().strip() == "", err.decode()  # no traceback, no "Cancel 1 running task(s)"
    assert proc.returncode in (0, -sig), proc.returncode  # uvicorn re-raises the signal it caught
    assert rest and rest[-1]["done"] is True and rest[-1]["reason"] == "server_stopping"
    assert rest[-1]["step"] < LONG_RUN["steps"]
    assert "network" in rest[-1] and "optimizer_state" in rest[-1]


def test_runs_shutdown_joins_the_training_threads_within_its_bound():
    runs = Runs(Settings(train_threads=1))
    started = threading.Event()

    def chunk():
        started.set()
        time.sleep(0.2)  # a chunk under way when the app stops

    busy = runs.pool.submit(chunk)
    queued = [runs.pool.submit(time.sleep, 5) for _ in range(4)]  # work not begun: dropped
    started.wait(5)
    t = time.monotonic()
    assert runs.shutdown(timeout=10) is True
    assert time.monotonic() - t < 2
    assert runs.stopping is True
    assert busy.done() and all(f.cancelled() for f in queued)
    # this pool's own threads (other tests' apps may still hold training threads of their own)
    assert runs.pool._threads and not [th for th in runs.pool._threads if th.is_alive()]


def test_runs_shutdown_gives_up_after_its_bound():
    runs = Runs(Settings(train_threads=1))
    runs.pool.submit(time.sleep, 1.0)
    t = time.monotonic()
    assert runs.shutdown(timeout=0.1) is False  # the thread is still in its chunk: not waited for longer
    assert time.monotonic() - t < 0.5


def test_an_app_started_again_after_its_lifespan_ended_trains_again():
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(Settings())
    body = {**LONG_RUN, "steps": 3}
    for _ in range(2):  # the second start must not find the first one's stopped runs
        with TestClient(app) as client:
            lines = [json.loads(line) for line in client.post("/api/train", json=body).text.splitlines()]
            assert lines[-1]["done"] is True and lines[-1]["reason"] == "finished"
    assert getattr(app.state, "train_runs", None) is None  # the lifespan's end let go of its threads
