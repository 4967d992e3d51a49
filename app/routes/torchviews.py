"""The PyTorch side: the step as runnable code, and the numeric gradient check. Thin: the engine does the work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..schemas_torch import GradcheckRequest, GradcheckResponse
from ..service_torch import code_text, gradcheck_bytes
from .api import _scheduled
from .deps import SettingsDep
from .errors import ERRORS

router = APIRouter(prefix="/api", tags=["torch"])


def _body(schema: dict) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _inline(model) -> dict:
    """A body model's JSON schema, its nested models referring to the components the other routes define."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


def _unchecked(fn):
    """fn(body, settings) as the scheduler calls it, with the budget's check (called once it is parsed)."""
    def run(body: bytes, settings, check):
        check("starting")
        return fn(body, settings)
    return run


@router.post("/code", openapi_extra=_body({"$ref": "#/components/schemas/StepRequest"}), response_class=Response,
             responses={200: {"content": {"text/x-python": {}}, "description": "A runnable Python script."}, **ERRORS})
async def code(request: Request, settings: SettingsDep) -> Response:
    """The step as a runnable PyTorch script: prints the loss, each parameter's gradient and its value after the step."""
    body = await request.body()
    text = await _scheduled(request, len(body) // 8, _unchecked(code_text), body, settings)
    return Response(text, media_type="text/x-python; charset=utf-8")


@router.post("/gradcheck", response_model=GradcheckResponse, openapi_extra=_body(_inline(GradcheckRequest)),
             responses=ERRORS)
async def gradcheck(request: Request, settings: SettingsDep) -> Response:
    """Autograd's gradient beside the central finite difference, for each chosen parameter element (float64)."""
    body = await request.body()
    # its work is bounded by max_gradcheck_cost; queued by its body's size like any large body
    content = await _scheduled(request, len(body) // 8, _unchecked(gradcheck_bytes), body, settings)
    return Response(content, media_type="application/json")
