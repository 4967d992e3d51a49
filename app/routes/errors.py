"""The error answers every computing route may give, for the OpenAPI document, and their handlers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from ..scheduler import Busy, ClientGone

_DETAIL = {"type": "object", "properties": {"detail": {"type": "array", "items": {"type": "object", "properties": {
    "type": {"type": "string"}, "loc": {"type": "array", "items": {}}, "msg": {"type": "string"},
    "input": {}}}}}}

ERRORS = {
    408: {"description": "The request's headers or body did not arrive within header_timeout / body_timeout "
                         "seconds; the connection is closed."},
    422: {"description": "The body cannot be computed: not JSON, bad UTF-8, nested too deep, a number out of range, "
                         "a wrong type, a value beyond a limit (the limit's setting is named), an answer over "
                         "max_answer_bytes. Each error names the field's path; at most 50 are listed, the rest "
                         "counted.", "content": {"application/json": {"schema": _DETAIL}}},
    503: {"description": "Busy: queue_limit requests are already waiting, or the request went past its "
                         "compute_budget. Retry after the seconds the Retry-After header says.",
          "headers": {"Retry-After": {"description": "Seconds to wait before trying again.",
                                      "schema": {"type": "integer"}}},
          "content": {"application/json": {"schema": _DETAIL}}},
}


async def busy(request: Request, exc: Busy) -> JSONResponse:
    """503 with Retry-After: the queue is full or the budget spent."""
    return JSONResponse({"detail": [{"type": "busy", "loc": ["body"], "msg": exc.message, "input": None}]},
                        status_code=503, headers={"retry-after": str(exc.retry_after)})


async def gone(request: Request, exc: ClientGone) -> Response:
    """The client left: nobody reads this (499, nginx's "client closed request", in the log)."""
    return Response(status_code=499)
