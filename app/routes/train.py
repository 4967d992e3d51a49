"""Training: the data set (POST /api/data) and a streamed run (POST /api/train, NDJSON). Thin.

Runs compute on their own threads (not the step engine's), a chunk of steps at a time: between
chunks a run gives its thread to the others, and stops when its client is gone (the stream is
cancelled), its time is spent or the server stops (`stop_runs`, from uvicorn's graceful shutdown:
each stream then ends at its next chunk with a done line, reason "server_stopping"; the app's
lifespan then joins the threads, `shutdown_runs`). At most `train_max_runs` stream at once; one
more gets 503.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import orjson
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse

from ..config import Settings
from ..service import RequestInvalid
from ..train import service
from ..train.schemas import DataRequest, TrainRequest
from .deps import SettingsDep
from .errors import ERRORS

router = APIRouter(prefix="/api", tags=["train"])
MAX_CHUNK = 4096  # steps in one chunk, whatever the measured pace


def _body(model) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def _thread_init(threads: int) -> None:
    """torch's thread count is per thread (OpenMP): set it in every thread that runs torch."""
    import torch

    torch.set_num_threads(threads)


class Runs:
    """The app's training threads and its count of runs streaming (and of steps taken, for tests and stats)."""

    def __init__(self, settings: Settings) -> None:
        self.pool = ThreadPoolExecutor(settings.train_threads, thread_name_prefix="train", initializer=_thread_init,
                                       initargs=(settings.torch_threads,))
        self.active = 0
        self.steps = 0
        self.lock = threading.Lock()
        self.stopping = False  # the server is stopping: every run ends at its next chunk

    def shutdown(self, timeout: float) -> bool:
        """Stop every run, drop the work not begun and join the threads, waiting at most `timeout` seconds
        (a chunk is about train_chunk_seconds long). True if every thread has ended."""
        self.stopping = True
        waiter = threading.Thread(target=self.pool.shutdown, kwargs={"wait": True, "cancel_futures": True},
                                  name="train-shutdown", daemon=True)
        waiter.start()
        waiter.join(timeout)
        return not waiter.is_alive()


def runs_of(app) -> Runs:
    """The app's Runs, made on first use (on the event loop: no race)."""
    runs = getattr(app.state, "train_runs", None)
    if runs is None:
        runs = app.state.train_runs = Runs(app.state.settings)
    return runs


def stop_runs(app) -> None:
    """The server is stopping (uvicorn's graceful shutdown has begun): every run ends at its next chunk."""
    runs_of(app).stopping = True


def shutdown_runs(app, timeout: float) -> bool:
    """The app is stopping (its lifespan's end): stop the runs and join the training threads, at most `timeout` s."""
    runs = getattr(app.state, "train_runs", None)
    app.state.train_runs = None  # an app started again (its lifespan run anew) gets new threads, not stopped ones
    return runs.shutdown(timeout) if runs is not None else True


class _Stream(StreamingResponse):
    """A streamed answer that releases its run's slot however it ends: finished, failed or the client gone."""

    def __init__(self, content, release) -> None:
        super().__init__(content, media_type="application/x-ndjson", headers={"cache-control": "no-store"})
        self._release = release

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def _advance(runs: Runs, run, chunk: int) -> bytes:
    """One chunk, on a training thread; the steps it took are counted."""
    before = run.k
    out = service.advance(run, chunk)
    with runs.lock:
        runs.steps += run.k - before
    return out


async def _lines(runs: Runs, run, first: bytes, settings: Settings):
    """The run's NDJSON, a chunk of steps at a time, each chunk sized to take about train_chunk_seconds."""
    loop = asyncio.get_running_loop()
    deadline = time.monotonic() + settings.train_max_seconds
    yield first
    chunk = 4
    while not run.finished:
        if runs.stopping:
            yield await loop.run_in_executor(runs.pool, service.finish, run, "server_stopping")
            return
        if time.monotonic() >= deadline:
            yield await loop.run_in_executor(runs.pool, service.finish, run, "time_limit")
            return
        started = time.perf_counter()
        yield await loop.run_in_executor(runs.pool, _advance, runs, run, chunk)
        elapsed = time.perf_counter() - started
        pace = settings.train_chunk_seconds / max(elapsed, 1e-6)
        chunk = max(1, min(MAX_CHUNK, int(chunk * min(pace, 4.0))))
    yield await loop.run_in_executor(runs.pool, service.finish, run, "diverged" if run.diverged else "finished")


def install(app) -> None:
    """Include the router, and put its request schemas in the OpenAPI document (the routes read their
    bodies as bytes, so FastAPI does not find the models by itself)."""
    from pydantic.json_schema import models_json_schema

    app.include_router(router)
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = original()
            _, defs = models_json_schema([(TrainRequest, "validation"), (DataRequest, "validation")],
                                         ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in defs["$defs"].items():
                components.setdefault(name, definition)
        return app.openapi_schema

    app.openapi = openapi


@router.post("/data", openapi_extra=_body(DataRequest), responses=ERRORS)
async def data(request: Request, settings: SettingsDep) -> Response:
    """The rows of a data set (generated from its seed, or your own table) and its train/test split."""
    body = await request.body()
    try:
        content = await asyncio.get_running_loop().run_in_executor(runs_of(request.app).pool, service.data_bytes,
                                                                   body, settings)
    except RequestInvalid as exc:
        raise RequestValidationError(exc.errors) from None
    return Response(content, media_type="application/json")


@router.post("/train", openapi_extra=_body(TrainRequest), response_class=StreamingResponse,
             responses={200: {"content": {"application/x-ndjson": {}}, "description": "NDJSON lines: see TrainRequest."},
                        **ERRORS, 503: {**ERRORS[503], "description": "Too many runs at once (train_max_runs): try "
                                                                      "again after Retry-After seconds."}})
async def train(request: Request, settings: SettingsDep) -> Response:
    """Train the network on the data: one NDJSON line per step, snapshots, and a last line with "done"."""
    runs = runs_of(request.app)
    if runs.stopping:
        detail = [{"type": "busy", "loc": ["body"], "msg": "the server is stopping: try again when it is back",
                   "input": None}]
        return Response(orjson.dumps({"detail": detail}), status_code=503, media_type="application/json",
                        headers={"retry-after": "5"})
    if runs.active >= settings.train_max_runs:
        msg = (f"at most {settings.train_max_runs} training runs at once (limit train_max_runs, "
               f"BACKPROP_LAB_TRAIN_MAX_RUNS): try again in a few seconds")
        detail = [{"type": "busy", "loc": ["body"], "msg": msg, "input": None}]
        return Response(orjson.dumps({"detail": detail}), status_code=503, media_type="application/json",
                        headers={"retry-after": "5"})
    runs.active += 1  # taken before the first await: a burst of requests cannot all pass the check
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            runs.active -= 1

    try:
        body = await request.body()
        run, first = await asyncio.get_running_loop().run_in_executor(runs.pool, service.start, body, settings)
    except RequestInvalid as exc:
        release()
        raise RequestValidationError(exc.errors) from None
    except BaseException:
        release()
        raise
    return _Stream(_lines(runs, run, first, settings), release)
