"""A request body larger than the limit is refused with a 422 naming the limit."""

from __future__ import annotations

import json

from .validation import limit_message


def _error(max_bytes: int, size: str) -> bytes:
    msg = "request body must be " + limit_message("max_body_bytes", max_bytes, "bytes", size)
    return json.dumps({"detail": [{"type": "limit", "loc": ["body"], "msg": msg, "input": None}]}).encode()


class BodyLimitMiddleware:
    """Pure ASGI middleware: checks Content-Length, and counts the bytes of a streamed body."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send, size: str) -> None:
        body = _error(self.max_bytes, size)
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await self._refuse(send, f"{int(value)} bytes")
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        # Read the body here, counting, so an endless stream is cut off at the limit.
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, replay([message]), send)
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                return await self._refuse(send, f"more than {self.max_bytes} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(scope, replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def replay(messages: list, then=None):
    """A receive() that hands out the buffered messages, then waits on the real one."""
    pending = list(messages)

    async def receive():
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
