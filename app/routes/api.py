"""The JSON API: one step, the presets, health. Thin: the engine does the work."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import orjson
from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from .. import __version__
from ..jsonsafe import finite_or_text
from ..schemas import Health, PresetSummary, StepRequest, StepResponse
from ..validation import request_errors
from .deps import SettingsDep


def _json(content) -> Response:
    # orjson: FastAPI's default encoder costs more than the torch step on a large trace.
    return Response(orjson.dumps(content), media_type="application/json")


class _Route(APIRoute):
    """A route whose 422 stays valid JSON when the request held NaN or Infinity.

    FastAPI's own handler echoes the offending input and its JSON encoder refuses NaN: a 500.
    """

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                # the standard library's encoder: orjson refuses integers beyond 64 bits, which a 422 may echo
                return JSONResponse({"detail": finite_or_text(jsonable_encoder(exc.errors()))}, status_code=422)

        return route_handler


router = APIRouter(prefix="/api", tags=["api"], route_class=_Route)


def _engine(request: Request) -> ThreadPoolExecutor:
    """The app's engine threads, made on first use."""
    state = request.app.state
    if getattr(state, "engine", None) is None:
        state.engine = ThreadPoolExecutor(state.settings.engine_threads, thread_name_prefix="engine")
    return state.engine


def _compute(req: StepRequest) -> bytes:
    from ..engine.step import run_step

    return orjson.dumps(run_step(req))


@router.post("/step", response_model=StepResponse)
async def step(req: StepRequest, settings: SettingsDep, request: Request) -> Response:
    """Forward pass, loss, backward pass and optimizer step, every number returned."""
    errors = request_errors(req, settings)
    if errors:
        raise RequestValidationError(errors)
    from ..engine.errors import SpecError

    # Off the event loop (torch would block every other request), on few threads: more
    # threads than engine_threads only fight over the GIL. A plain executor: anyio's
    # to_thread costs more per call than the lecture net's whole forward pass.
    try:
        content = await asyncio.get_running_loop().run_in_executor(_engine(request), _compute, req)
    except SpecError as exc:
        raise RequestValidationError([{"type": "value_error", "loc": exc.loc, "msg": exc.msg, "input": None}])
    return Response(content, media_type="application/json")


@router.get("/presets", response_model=list[PresetSummary])
def presets() -> list[PresetSummary]:
    """The presets: id, title and what each shows."""
    from ..engine.presets import list_presets

    return [PresetSummary(**p) for p in list_presets()]


@router.get("/presets/{preset_id}", response_model=StepRequest)
def preset(preset_id: str) -> Response:
    """One preset as a complete step request, every weight filled in."""
    from ..engine.presets import get_preset

    request = get_preset(preset_id)
    if request is None:
        raise HTTPException(404, f"no preset {preset_id!r}; see /api/presets")
    return _json(request)


@router.get("/health", response_model=Health)
def health() -> Health:
    """The server is up; which torch computes."""
    import torch

    return Health(status="ok", version=__version__, torch=torch.__version__)
