"""Deadlines for slow and idle clients: a request's headers, then its body, must arrive in time.

They are kept where uvicorn reads the bytes, in its HTTP protocol: uvicorn arms no timer on
a new connection, and its keep-alive timer stops at the first byte after an answer, so a
connection that sends nothing, or a byte a second, stays open for ever; ASGI middleware runs
only once the headers are in. `protocol(settings)` is what cli.py hands to
uvicorn.run(http=...): a partial of the class, so worker processes can unpickle it.
"""

from __future__ import annotations

import functools

from starlette.requests import ClientDisconnect
from uvicorn.protocols.http import httptools_impl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .config import Settings
from .security import HEADERS


def _timeout_answer(what: str, seconds: float) -> bytes:
    body = f"Request Timeout: the request's {what} did not arrive within {seconds:g} s.\n".encode()
    head = [b"HTTP/1.1 408 Request Timeout", b"content-type: text/plain; charset=utf-8",
            b"content-length: " + str(len(body)).encode(), b"connection: close"]
    head += [name + b": " + value for name, value in HEADERS]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


_BUSY = (b'{"detail": [{"type": "busy", "loc": [], "msg": "the server is at its limit_concurrency of connections '
         b'and requests: try again in a moment", "input": null}]}')


async def _over_concurrency(scope, receive, send) -> None:
    """uvicorn's answer past limit_concurrency, as ours: JSON, Retry-After and the security headers."""
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(_BUSY)).encode()),
        (b"retry-after", b"1"), (b"connection", b"close"), *HEADERS]})
    await send({"type": "http.response.body", "body": _BUSY, "more_body": False})


# The key, in the lifespan's state, of what to call when uvicorn's graceful shutdown begins (before it
# waits for the requests in progress: a stream that would run for a minute more ends at once).
SERVER_STOPPING = "server_stopping"

# uvicorn's protocol looks its 503 app up as a module global when a request comes past the limit.
httptools_impl.service_unavailable = _over_concurrency


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline and a body deadline per request.

    Phases of a connection: "start" (connected, or bytes after an answer that begin no request
    yet, such as blank lines: the header clock runs, and expiry closes without an answer),
    "headers" (a request has begun), "body" (its headers are in), "queued" (a pipelined request
    whose body waits behind an answer: uvicorn stops reading, so no clock), "idle" (the request
    is complete; uvicorn's keep-alive timeout runs until the next byte).
    """

    def __init__(self, *args, header_timeout: float, body_timeout: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self.body_timeout = body_timeout
        self._phase = "start"
        self._deadline = None

    def _arm(self, phase: str, seconds: float | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._phase = phase
        self._deadline = self.loop.call_later(seconds, self._expired) if seconds is not None else None

    def _expired(self) -> None:
        """Close the connection: with a 408 if a request was begun and no answer is under way."""
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle  # the request whose headers came last (the one before, in the "headers" phase)
        if self._phase == "headers" and (cycle is None or cycle.response_complete):
            self.transport.write(_timeout_answer("headers", self.header_timeout))
        elif self._phase == "body" and not cycle.response_started:
            self.transport.write(_timeout_answer("body", self.body_timeout))
        self.transport.close()

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm("start", self.header_timeout)

    def connection_lost(self, exc) -> None:
        self._arm("idle", None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._phase == "idle":  # the next bytes: any of them stops uvicorn's keep-alive clock, not ours
            self._arm("start", self.header_timeout)
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._phase == "idle":  # a pipelined request, in the same read as the one before
            self._arm("headers", self.header_timeout)
        else:
            self._phase = "headers"  # on the clock that started at the connection or the first byte

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.pipeline:
            self._arm("queued", None)
        else:
            self._arm("body", self.body_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._arm("idle", None)

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown has begun: tell the app (the lifespan state's SERVER_STOPPING), then stop."""
        stopping = self.app_state.get(SERVER_STOPPING)
        if stopping is not None:
            stopping()
        super().shutdown()

    def on_response_complete(self) -> None:
        queued = bool(self.pipeline)
        super().on_response_complete()
        if queued and self._phase == "queued":  # its turn: uvicorn reads its body again
            self._arm("body", self.body_timeout)


class ClientGoneMiddleware:
    """A client that left, or was cut off at its body deadline, ends its request quietly.

    Reading the body then raises ClientDisconnect: there is no one to answer, and it is no
    server error (uvicorn would log it as one, with a traceback).
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            pass


def protocol(settings: Settings):
    """The protocol class for uvicorn.run(http=...), with these settings' deadlines."""
    return functools.partial(DeadlineProtocol, header_timeout=settings.header_timeout,
                             body_timeout=settings.body_timeout)
