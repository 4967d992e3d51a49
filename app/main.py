"""create_app(): the FastAPI application, its routers, static files and limits."""

from __future__ import annotations

import gc
import sys
import threading
from contextlib import asynccontextmanager

from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from . import __version__
from .bodylimit import BodyLimitMiddleware
from .config import Settings
from .docs import router as docs_router
from .fastpath import install as install_fast_path
from .jsonsafe import finite_or_text
from .main_paths import resource_dir
from .routes import api, pages, torchviews
from .routes import train as train_routes
from .routes.errors import busy, gone
from .scheduler import Busy, ClientGone, Scheduler
from .security import install as install_security
from .slowclients import SERVER_STOPPING, ClientGoneMiddleware


def _warm_up(settings: Settings, barrier: threading.Barrier | None = None) -> None:
    """One step and one explanation of the lecture net: torch's first step takes seconds."""
    import orjson

    from .engine.presets import get_preset
    from .service import explain_bytes, step_bytes

    body = orjson.dumps(get_preset("lecture"))
    step_bytes(body, settings)
    explain_bytes(body, settings)
    if barrier is not None:
        barrier.wait(timeout=120)


def _engine_thread_init(threads: int) -> None:
    """torch's thread count is per thread (OpenMP): set it in every thread that runs torch."""
    import torch

    torch.set_num_threads(threads)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A 422 that stays valid JSON when it echoes NaN or Infinity from the request.

    FastAPI's own handler would encode them as bare NaN, which no strict parser reads. The
    standard library's encoder, not orjson: a 422 may echo an integer beyond 64 bits.
    """
    return JSONResponse({"detail": finite_or_text(jsonable_encoder(exc.errors()))}, status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Backprop Lab application for these settings."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import torch  # heavy: imported when the server starts, not at import time

        torch.set_num_threads(settings.torch_threads)  # the event loop's thread runs the small steps
        sys.setswitchinterval(settings.switch_interval)
        # Steps run here, off the event loop; more threads than this only fight over the GIL.
        app.state.engine = ThreadPoolExecutor(settings.engine_threads, thread_name_prefix="engine",
                                              initializer=_engine_thread_init, initargs=(settings.torch_threads,))
        app.state.scheduler = Scheduler(app.state.engine, settings.engine_threads, settings.queue_limit,
                                        settings.compute_budget)
        _warm_up(settings)
        # and on every engine thread, so none of them pays torch's first-use cost in a request:
        # each warm-up waits for the others, so the pool must give each one its own thread.
        barrier = threading.Barrier(settings.engine_threads)
        for future in [app.state.engine.submit(_warm_up, settings, barrier) for _ in range(settings.engine_threads)]:
            future.result()
        # A step allocates thousands of small dicts; with the default thresholds a full
        # collection of the whole heap runs every few requests (measured: ~20 ms pauses).
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        yield {SERVER_STOPPING: lambda: train_routes.stop_runs(app)}  # called by cli.py's uvicorn protocol
        train_routes.shutdown_runs(app, settings.graceful_shutdown_timeout)  # cancel the runs, join their threads
        app.state.engine.shutdown(wait=False)

    app = FastAPI(
        title="Backprop Lab",
        version=__version__,
        description="Forward pass, loss, backward pass and optimizer step of a small network, "
        "computed by PyTorch with every number returned.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's /docs and /redoc load their scripts from a CDN: ours are served here
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ClientGoneMiddleware)  # outside the body limit, which reads the body
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Busy, busy)
    app.add_exception_handler(ClientGone, gone)
    app.include_router(api.router)
    app.include_router(torchviews.router)
    train_routes.install(app)  # its router, and its request schemas in the OpenAPI document
    app.include_router(pages.router)
    app.include_router(docs_router)
    app.mount("/static", StaticFiles(directory=resource_dir("static")), name="static")
    install_fast_path(app, settings)  # POST /api/step's common case, answered before the middleware and routing
    install_security(app, settings)  # around everything, so errors, 404s and static files carry the headers too
    return app
