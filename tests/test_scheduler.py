"""Fair, bounded execution: cheapest first, a queue limit, a compute budget, no work for clients that left."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest

from app.config import Settings
from app.scheduler import Budget, Busy, ClientGone, Scheduler
from app.service import step_bytes
from app.validation import answer_size
from app.schemas import StepRequest
from helpers import app_client, run_async


def _run(coro):
    return run_async(coro)


def _scheduler(slots=1, queue_limit=16, budget=5.0):
    return Scheduler(ThreadPoolExecutor(slots), slots, queue_limit, budget)


def test_waiting_work_runs_cheapest_first_whatever_order_it_came_in():
    async def main():
        sched = _scheduler()
        release = threading.Event()
        order = []
        blocker = asyncio.create_task(sched.run(10**9, lambda check: release.wait(10)))
        await asyncio.sleep(0.05)  # the blocker holds the only slot
        jobs = [asyncio.create_task(sched.run(cost, lambda check, c=cost: order.append(c))) for cost in (500, 7, 90, 3)]
        await asyncio.sleep(0.05)
        assert sched.waiting == 4 and order == []
        release.set()
        await asyncio.gather(blocker, *jobs)
        return order

    assert _run(main()) == [3, 7, 90, 500]


def test_past_the_queue_limit_a_request_is_refused_at_once_with_a_retry_after():
    async def main():
        sched = _scheduler(queue_limit=1, budget=2.5)
        release = threading.Event()
        running = asyncio.create_task(sched.run(1, lambda check: release.wait(10)))
        await asyncio.sleep(0.05)
        waiting = asyncio.create_task(sched.run(1, lambda check: "second"))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(Busy) as refused:
            await sched.run(1, lambda check: "third")
        assert time.monotonic() - started < 0.05  # not after a wait
        release.set()
        assert await waiting == "second"
        await running
        return refused.value

    busy = _run(main())
    assert busy.retry_after == 3 and "queue_limit" in busy.message


def test_work_whose_client_left_while_it_waited_is_never_run():
    async def main():
        sched = _scheduler()
        release = threading.Event()
        ran = []
        running = asyncio.create_task(sched.run(1, lambda check: release.wait(10)))
        await asyncio.sleep(0.05)
        gone = threading.Event()
        left = asyncio.create_task(sched.run(1, lambda check: ran.append("left"), gone=gone))
        stayed = asyncio.create_task(sched.run(2, lambda check: ran.append("stayed")))
        await asyncio.sleep(0.05)
        gone.set()
        release.set()
        with pytest.raises(ClientGone):
            await left
        await asyncio.gather(running, stayed)
        assert sched.free == 1  # the slot came back
        return ran

    assert _run(main()) == ["stayed"]


def test_work_in_progress_stops_at_its_next_check_when_the_client_leaves():
    async def main():
        sched = _scheduler()
        gone = threading.Event()
        phases = []

        def work(check):
            check("one")
            phases.append("one")
            gone.set()  # the client leaves during phase one
            check("two")
            phases.append("two")

        with pytest.raises(ClientGone):
            await sched.run(1, work, gone=gone)
        return phases

    assert _run(main()) == ["one"]


def test_the_budget_counts_from_the_start_of_the_work_not_from_its_wait():
    budget = Budget(0.2)
    time.sleep(0.3)  # waiting in the queue
    budget.start()
    budget("a phase")  # within its budget
    time.sleep(0.25)
    with pytest.raises(Busy) as over:
        budget("the backward pass")
    assert "compute_budget" in over.value.message and "the backward pass" in over.value.message


def _wide(samples: int) -> dict:
    return {"network": {"inputs": 8, "loss": "mse", "layers": [{"units": 32, "activation": "tanh"},
                                                                 {"units": 1, "activation": "identity"}]},
            "x": [[(i * 7 + j) % 11 / 10 for j in range(8)] for i in range(samples)],
            "y": [[0.1 * (i % 5)] for i in range(samples)], "optimizer": {"name": "sgd", "lr": 0.1}}


def test_a_step_past_its_compute_budget_gets_503_with_retry_after_naming_the_setting():
    req = _wide(200)  # 321 parameters × 200 samples: above inline_max_cost, so on the engine threads
    with app_client(compute_budget=1e-9) as client:
        r = client.post("/api/step", json=req)
        assert r.status_code == 503
        assert r.headers["retry-after"] == "1"
        assert "compute_budget" in r.json()["detail"][0]["msg"]
        assert client.get("/api/health").status_code == 200


def test_a_step_within_its_budget_answers_exactly_the_bytes_of_the_unscheduled_step():
    req = _wide(200)
    body = orjson.dumps(req)
    with app_client() as client:
        r = client.post("/api/step", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200
    assert r.content == step_bytes(body, Settings())


def test_an_answer_over_max_answer_bytes_is_refused_before_anything_is_computed():
    req = _wide(200)
    size = answer_size(StepRequest.model_validate(req))
    with app_client(max_answer_bytes=max(65_536, size - 1)) as client:
        r = client.post("/api/step", json=req)
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert "max_answer_bytes" in error["msg"] and str(size) in error["msg"]


@pytest.mark.parametrize("samples", [1, 64, 500])
@pytest.mark.parametrize("optimizer", [{"name": "sgd", "lr": 0.1, "momentum": 0.9}, {"name": "adam", "lr": 0.01}])
def test_the_answer_size_estimate_is_an_upper_bound(samples, optimizer):
    req = dict(_wide(samples), optimizer=optimizer)
    body = orjson.dumps(req)
    actual = len(step_bytes(body, Settings()))
    estimate = answer_size(StepRequest.model_validate(req))
    assert actual <= estimate < 2 * actual + 20_000


def test_the_openapi_document_lists_the_422_and_503_answers():
    with app_client() as client:
        spec = client.get("/openapi.json").json()
    for path in ("/api/step", "/api/explain"):
        responses = spec["paths"][path]["post"]["responses"]
        assert {"200", "408", "422", "503"} <= set(responses)
        assert "Retry-After" in responses["503"]["headers"]


def test_a_request_whose_client_left_while_it_waited_is_not_computed(monkeypatch):
    import app.routes.api as api_routes

    computed = []
    real = api_routes.answer_bytes
    monkeypatch.setattr(api_routes, "answer_bytes", lambda *a: computed.append(1) or real(*a))
    body = orjson.dumps(_wide(200))  # engine-thread sized
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/step", "raw_path": b"/api/step", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000)}

    with app_client() as client:
        app = client.app

        async def scenario():
            sched = app.state.scheduler
            release = threading.Event()
            blocker = asyncio.create_task(sched.run(10**9, lambda check: release.wait(10)))
            await asyncio.sleep(0.05)
            left = asyncio.Event()
            messages = [{"type": "http.request", "body": body, "more_body": False}]

            async def receive():
                if messages:
                    return messages.pop(0)
                await left.wait()
                return {"type": "http.disconnect"}

            sent = []

            async def send(message):
                sent.append(message)

            request = asyncio.create_task(app(scope, receive, send))
            await asyncio.sleep(0.1)
            assert sched.waiting == 1  # it waits behind the blocker
            left.set()  # the client closes its connection
            await asyncio.sleep(0.05)
            release.set()
            await asyncio.gather(request, blocker)
            return sent

        sent = client.portal.call(scenario)
    assert computed == []
    assert sent[0]["status"] == 499
