"""The JSON API: one step, its explanation, the registry, the presets, health. Thin: the engine does the work."""

from __future__ import annotations

import asyncio
import threading
from functools import lru_cache

import orjson
from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from .. import __version__
from ..schemas import Explanation, Health, PresetSummary, StepRequest, StepResponse
from ..fastpath import PARSED
from ..scheduler import watch_disconnect
from ..service import RequestInvalid, answer_bytes, explain_bytes, parse, step_cost
from .errors import ERRORS
from .deps import SettingsDep

router = APIRouter(prefix="/api", tags=["api"])

# The body is read as bytes and parsed once (pydantic from JSON bytes): the OpenAPI document
# still shows the StepRequest schema.
_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/StepRequest"}}}}}


def _json(content) -> Response:
    # orjson: FastAPI's default encoder costs more than the torch step on a large answer.
    return Response(orjson.dumps(content), media_type="application/json")


async def _scheduled(request: Request, cost: int, fn, *args):
    """fn(*args, check) on an engine thread when its turn comes (cheapest first), bounded by the
    compute budget and dropped if the client leaves; errors mapped to 422 (invalid) or 503 (busy)."""
    gone = threading.Event()
    watcher = asyncio.create_task(watch_disconnect(request.receive, gone))
    try:
        return await request.app.state.scheduler.run(cost, fn, *args, gone=gone)
    except RequestInvalid as exc:
        raise RequestValidationError(exc.errors) from None
    finally:
        watcher.cancel()


def _parse(body: bytes, settings, check) -> StepRequest:
    return parse(body, settings)


@router.post("/step", response_model=StepResponse, openapi_extra=_BODY, responses=ERRORS)
async def step(request: Request) -> Response:
    """Forward pass, loss, backward pass and optimizer step, every number returned (keyed by address)."""
    settings = request.app.state.settings
    parsed = request.scope.get(PARSED)  # what the fast path made of a body it read whole (see app/fastpath.py)
    try:
        if isinstance(parsed, RequestInvalid):
            raise parsed
        if parsed is not None:
            req = parsed
        else:
            body = await request.body()
            if len(body) > settings.inline_max_bytes:  # a large body is parsed and checked off the event loop too
                req = await _scheduled(request, len(body) // 8, _parse, body, settings)
            else:
                req = parse(body, settings)
        if step_cost(req) <= settings.inline_max_cost:
            # A small step runs here: the hop to a thread costs more than the lecture's whole step.
            return Response(answer_bytes(req, settings), media_type="application/json")
    except RequestInvalid as exc:
        raise RequestValidationError(exc.errors) from None
    return Response(await _scheduled(request, step_cost(req), answer_bytes, req, settings), media_type="application/json")


@router.post("/explain", response_model=Explanation, openapi_extra=_BODY, responses=ERRORS)
async def explain(request: Request, settings: SettingsDep) -> Response:
    """The player's steps for the request's network structure: template ids and addresses, no numbers."""
    body = await request.body()
    gzipped = "gzip" in request.headers.get("accept-encoding", "")
    cost = len(body) // 8  # a large body: parsed on the engine threads, its size for its cost
    if len(body) <= settings.inline_max_bytes:
        try:
            req = parse(body, settings)
        except RequestInvalid as exc:
            raise RequestValidationError(exc.errors) from None
        cost = step_cost(req)  # the explanation grows with the parameters and samples, not with the body
    content = await _scheduled(request, cost, explain_bytes, body, settings, gzipped)
    headers = {"vary": "Accept-Encoding"} | ({"content-encoding": "gzip"} if gzipped else {})
    return Response(content, media_type="application/json", headers=headers)


_LIMITS = ("max_layers", "max_units", "max_inputs", "max_parameters", "max_samples")


@lru_cache(maxsize=8)
def _registry_bytes(limits: tuple) -> bytes:
    from ..engine.addresses import quantities_json
    from ..registry import registry_json

    return orjson.dumps({**registry_json(quantities_json()), "limits": dict(zip(_LIMITS, limits))})


@router.get("/registry")
async def registry(settings: SettingsDep) -> Response:
    """Every activation, loss and optimizer (symbol, templates, torch class, code, limits), the address table, the server's limits."""
    return Response(_registry_bytes(tuple(getattr(settings, k) for k in _LIMITS)), media_type="application/json")


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
