"""The PyTorch side: the step as runnable code, and the numeric gradient check. Thin: the engine does the work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..schemas_torch import GradcheckRequest, GradcheckResponse
from ..service_torch import code_text, gradcheck_bytes
from .api import _off_loop
from .deps import SettingsDep

router = APIRouter(prefix="/api", tags=["torch"])


def _body(schema: dict) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _inline(model) -> dict:
    """A body model's JSON schema, its nested models referring to the components the other routes define."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


@router.post("/code", openapi_extra=_body({"$ref": "#/components/schemas/StepRequest"}), response_class=Response,
             responses={200: {"content": {"text/x-python": {}}, "description": "A runnable Python script."}})
async def code(request: Request, settings: SettingsDep) -> Response:
    """The step as a runnable PyTorch script: prints the loss, each parameter's gradient and its value after the step."""
    text = await _off_loop(request, code_text, await request.body(), settings)
    return Response(text, media_type="text/x-python; charset=utf-8")


@router.post("/gradcheck", response_model=GradcheckResponse, openapi_extra=_body(_inline(GradcheckRequest)))
async def gradcheck(request: Request, settings: SettingsDep) -> Response:
    """Autograd's gradient beside the central finite difference, for each chosen parameter element (float64)."""
    content = await _off_loop(request, gradcheck_bytes, await request.body(), settings)
    return Response(content, media_type="application/json")
