#!/usr/bin/env python
"""A trivial FastAPI app served by the app's own command, for t_hello (the framework's floor).

    python benchmarks/bench_hello.py --host 127.0.0.1 --port P --no-browser --workers 1

Runs `app.cli.main` with `app.main.create_app` swapped for `create_hello_app`, so uvicorn
gets exactly the options the real server gets. POST /hello reads the body and answers a
small JSON; GET /api/health answers as the real server's does, for the readiness check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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

    return app


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
