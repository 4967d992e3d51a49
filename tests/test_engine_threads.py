"""Where a step runs: small steps inline on the event loop, large ones on the engine threads,
and every thread that runs torch with the torch thread count the settings ask for."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
import torch

import app.fastpath as fastpath
import app.routes.api as api
from helpers import app_client, step


def _on_every_engine_thread(engine, fn, threads: int) -> list:
    """fn run once on each of the engine's threads at the same time (a barrier keeps each busy)."""
    barrier = threading.Barrier(threads)

    def probe():
        barrier.wait(timeout=30)
        return fn()

    return [f.result(timeout=60) for f in [engine.submit(probe) for _ in range(threads)]]


@pytest.mark.parametrize("threads", [1, 2])
def test_every_engine_thread_runs_torch_with_the_configured_thread_count(threads):
    from app.engine.presets import get_preset
    from app.service import step_bytes

    other = 3 - threads
    before = torch.get_num_threads()
    body = json.dumps(get_preset("lecture")).encode()
    with app_client(torch_threads=threads, engine_threads=2) as c:
        engine, settings = c.app.state.engine, c.app.state.settings
        assert engine.submit(torch.get_num_threads).result(timeout=30) == threads

        def stepped() -> int:
            step_bytes(body, settings)  # what a request runs on an engine thread
            return torch.get_num_threads()

        try:
            # Something else in the process changes torch's count (another app, a library): a step
            # still runs with the configured count, on every engine thread.
            torch.set_num_threads(other)
            counts = _on_every_engine_thread(engine, stepped, 2)
            names = _on_every_engine_thread(engine, lambda: threading.current_thread().name, 2)
        finally:
            torch.set_num_threads(before)
        assert counts == [threads, threads]
        assert len(set(names)) == 2 and all(name.startswith("engine") for name in names)


def test_every_engine_thread_is_warmed_up_before_the_first_request():
    from app.engine import session

    with app_client(engine_threads=2) as c:
        warmed = _on_every_engine_thread(c.app.state.engine, lambda: bool(getattr(session._local, "sessions", None)), 2)
        assert warmed == [True, True]


def _where(calls: list, fn):
    """fn, recording the thread it runs on and whether that thread is running an event loop."""
    def spy(*args, **kwargs):
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        calls.append((fn.__name__, threading.current_thread().name, on_loop))
        return fn(*args, **kwargs)
    return spy


def _costly(cost: int) -> dict:
    """A request whose parameters × samples is above `cost` (weights from the seed), in a small body."""
    inputs, units = 20, 30
    params = (inputs + 1) * units + units + 1
    samples = cost // params + 1
    return {"network": {"inputs": inputs, "layers": [{"units": units, "activation": "tanh"},
                                                     {"units": 1, "activation": "identity"}], "loss": "mse"},
            "x": [[0.1] * inputs] * samples, "y": [[0.0]] * samples, "optimizer": {"name": "sgd", "lr": 0.1}}


def test_a_costly_step_runs_on_an_engine_thread_and_the_lecture_inline_on_the_event_loop(monkeypatch):
    calls: list = []
    for module in (api, fastpath):  # the fast path parses every small body; the route gets a costly one parsed
        monkeypatch.setattr(module, "parse", _where(calls, module.parse))
        monkeypatch.setattr(module, "answer_bytes", _where(calls, module.answer_bytes))
    with app_client(torch_threads=1) as c:
        settings = c.app.state.settings
        costly = _costly(settings.inline_max_cost)
        assert len(json.dumps(costly)) <= settings.inline_max_bytes  # the cost, not the size, sends it off

        calls.clear()
        step(c, costly)
        # parsed once, on the loop (a small body); computed on an engine thread
        assert [(name, thread.startswith("engine"), on_loop) for name, thread, on_loop in calls] == \
            [("parse", False, True), ("answer_bytes", True, False)], calls

        calls.clear()
        step(c, c.get("/api/presets/lecture").json())
        assert [(name, thread.startswith("engine"), on_loop) for name, thread, on_loop in calls] == \
            [("parse", False, True), ("answer_bytes", False, True)], calls


def test_a_body_above_inline_max_bytes_is_parsed_on_an_engine_thread(monkeypatch):
    import app.service as service

    calls: list = []
    monkeypatch.setattr(service, "parse", _where(calls, service.parse))  # what step_bytes parses with
    monkeypatch.setattr(api, "parse", _where(calls, api.parse))  # what the route parses a small body with
    with app_client(torch_threads=1, inline_max_bytes=1024) as c:
        req = {"network": {"inputs": 1, "layers": [{"units": 1, "activation": "identity"}], "loss": "mse"},
               "x": [[0.5]] * 100, "y": [[0.25]] * 100, "optimizer": {"name": "sgd", "lr": 0.1}}
        body = json.dumps(req).encode()
        assert len(body) > 1024 and 2 * 100 <= c.app.state.settings.inline_max_cost  # the size, not the cost
        calls.clear()  # (the start-up's warm-up steps parse too)
        r = c.post("/api/step", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text[:300]
        assert [(name, thread.startswith("engine"), on_loop) for name, thread, on_loop in calls] == \
            [("parse", True, False)]
