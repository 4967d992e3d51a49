"""POST /api/step's common case answered straight from ASGI: a small body, a valid request.

FastAPI and Starlette put a dozen layers between uvicorn and a route (error and exception
middleware, the exit stack, telemetry, two body limits, routing, the Request and Response
objects): ~0.2M instructions, more than the lecture's parse, check and answer together, and code
that evicts the step's own from the cache between two requests. This layer sits inside the Host
check and the security headers (security.install) and answers the one request that matters
for throughput itself. It decides nothing on its own: whatever it does not answer goes on to the
whole application with the body it read, which answers it exactly as before: another path, a
body announced or found over `inline_max_bytes`, a body in several pieces, and, with what was made
of it in the scope (PARSED) so that nothing is parsed twice, an invalid request (the 422 is
written by the application's handler) or a step too large to run inline (the route queues it
for the engine threads).
"""

from __future__ import annotations

from .bodylimit import replay
from .config import Settings
from .service import RequestInvalid, answer_bytes, parse, step_cost

_JSON = (b"content-type", b"application/json")
PARSED = "backprop_lab.step"  # the scope key under which the route finds the request parsed here, or its errors


class StepFastPath:
    """Pure ASGI: small valid POST /api/step answered here, everything else passed to `app`."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/api/step" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        settings = self.settings
        limit = min(settings.inline_max_bytes, settings.max_body_bytes)  # past either: the application's way
        for key, value in scope["headers"]:  # a body announced too large is refused at once, unread
            if key == b"content-length" and (not value.isdigit() or int(value) > limit):
                return await self.app(scope, receive, send)
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the application ends it quietly
                return await self.app(scope, replay(chunks + [message], receive), send)
            chunks.append(message)
            seen += len(message.get("body", b""))
            if seen > limit or not message.get("more_body", False):
                break
        if seen > limit or len(chunks) > 1:  # large or streamed: the whole app's way
            return await self.app(scope, replay(chunks, receive), send)
        body = chunks[0].get("body", b"")
        try:
            req = parse(body, settings)
            if step_cost(req) > settings.inline_max_cost:  # to the engine threads, by the route, parsed
                return await self.app({**scope, PARSED: req}, replay(chunks, receive), send)
            content = answer_bytes(req, settings)
        except RequestInvalid as exc:  # the route raises it, and the application's handler writes the 422
            return await self.app({**scope, PARSED: exc}, replay(chunks, receive), send)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(content)).encode()), _JSON]})
        await send({"type": "http.response.body", "body": content})


def install(app, settings: Settings) -> None:
    """Put the fast path in front of the application's middleware stack (built on its first request)."""
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: StepFastPath(build(), settings)
