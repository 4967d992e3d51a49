"""The JSON API: one step, the presets, health. Thin: the engine does the work."""

from __future__ import annotations

import asyncio

import orjson
from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from .. import __version__
from ..engine.errors import SpecError
from ..schemas import Health, PresetSummary, StepRequest, StepResponse
from ..validation import request_errors
from .deps import SettingsDep


def _json(content) -> Response:
    # orjson: FastAPI's default encoder costs more than the torch step on a large trace.
    return Response(orjson.dumps(content), media_type="application/json")


router = APIRouter(prefix="/api", tags=["api"])


def _compute(req: StepRequest) -> bytes:
    from ..engine.step import run_step

    return orjson.dumps(run_step(req))


@router.post("/step", response_model=StepResponse)
async def step(req: StepRequest, settings: SettingsDep, request: Request) -> Response:
    """Forward pass, loss, backward pass and optimizer step, every number returned."""
    errors = request_errors(req, settings)
    if errors:
        raise RequestValidationError(errors)
    # Off the event loop (torch would block every other request), on few threads: more
    # threads than engine_threads only fight over the GIL. A plain executor: anyio's
    # to_thread costs more per call than the lecture net's whole forward pass.
    try:
        content = await asyncio.get_running_loop().run_in_executor(request.app.state.engine, _compute, req)
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
