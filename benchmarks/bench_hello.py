#!/usr/bin/env python
"""A trivial FastAPI app served by the app's own command, for t_hello (the framework's floor).

    python benchmarks/bench_hello.py --host 127.0.0.1 --port P --no-browser --workers 1

Runs `app.cli.main` with `app.main.create_app` swapped for `create_hello_app`, so uvicorn
gets exactly the options the real server gets. POST /hello reads the body and answers a
small JSON; GET /api/health answers as the real server's does, for the readiness check.

POST /floor?numbers=N is the floor of any step server: answered straight from ASGI (thinner than
/hello's FastAPI route), the body parsed by orjson, the bare torch step on its numbers
(bench_nets.floor_step) and N random float64 numbers written by orjson, as many as the app's
answer carries. No validation, no intermediate value kept or read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from fastapi import FastAPI, Request
from fastapi.responses import Response

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "benchmarks")):
    if _path not in sys.path:
        sys.path.insert(0, _path)


def create_hello_app(settings=None):
    """The hello app; takes (and ignores) settings like the real create_app."""
    app = FastAPI()

    @app.post("/hello")
    async def hello(request: Request) -> Response:
        """Read the body, parse nothing, answer a constant."""
        await request.body()
        return Response(b'{"hello":"world"}', media_type="application/json")

    @app.get("/api/health")
    async def health() -> dict:
        """Up."""
        return {"status": "ok"}

    return Floor(app)


class Floor:
    """POST /floor?numbers=N answered straight from ASGI, as thin as a server can be (no routing, no
    Request, no middleware): the body parsed by orjson, the bare step on its numbers, N numbers written."""

    def __init__(self, app) -> None:
        self.app = app
        self.steps: dict = {}  # body → its network's floor step (the benchmark sends one body per network)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != "/floor":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        req = orjson.loads(body)
        entry = self.steps.get(body)
        if entry is None:
            import numpy as np
            import torch

            from bench_nets import floor_step

            torch.set_num_threads(1)  # as the app's engine threads
            numbers = int(scope["query_string"].decode().partition("numbers=")[2])
            entry = self.steps[body] = floor_step(req), np.random.default_rng(0).standard_normal(numbers)
        step, values = entry
        step(req)
        answer = orjson.dumps({"numbers": values}, option=orjson.OPT_SERIALIZE_NUMPY)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})


def main() -> None:
    """Serve the hello app through app.cli.main with the command line given."""
    import app.main

    app.main.create_app = create_hello_app  # before app.cli is imported, whatever it binds
    from app import cli

    if hasattr(cli, "create_app"):
        cli.create_app = create_hello_app
    cli.main(sys.argv[1:])


if __name__ == "__main__":
    main()
