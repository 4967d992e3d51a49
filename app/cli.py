"""The backprop-lab command: serve the page and the API, and open the browser on it."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import webbrowser

from .config import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="backprop-lab", description="Watch a neural network learn, every number computed by PyTorch.")
    parser.add_argument("--host", help="address to bind (default: BACKPROP_LAB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: BACKPROP_LAB_PORT or 8000)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser on the page")
    parser.add_argument("--workers", type=int, help="worker processes (default: BACKPROP_LAB_WORKERS or 1); "
                        "the API is stateless, so any worker answers any request")
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with the command line's flags on top."""
    overrides = {}
    if args.host is not None:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if args.no_browser:
        overrides["open_browser"] = False
    if args.workers is not None:
        overrides["workers"] = args.workers
    return Settings(**overrides)


def free_port(host: str) -> int:
    """A port the OS says is free on `host` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def server_options(settings: Settings) -> dict:
    """uvicorn's limits for slow, idle and numerous clients, and for stopping."""
    from .slowclients import protocol

    return {"http": protocol(settings), "timeout_keep_alive": settings.keep_alive_timeout,
            "limit_concurrency": settings.limit_concurrency,
            "timeout_graceful_shutdown": settings.graceful_shutdown_timeout}


def main(argv: list[str] | None = None) -> None:
    """Run the server until interrupted."""
    import uvicorn

    from .main import create_app
    from .security import allowed_hosts

    settings = settings_from_args(parse_args(argv))
    try:
        allowed_hosts(settings)
    except ValueError as err:
        sys.exit(f"backprop-lab: {err}")
    if settings.port == 0:  # "any free port": pick it here, so the URL printed and opened is the real one
        settings = settings.model_copy(update={"port": free_port(settings.host)})
    url = f"http://{settings.host}:{settings.port}/"
    if settings.open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    print(f"Backprop Lab on {url}" + (f" ({settings.workers} workers)" if settings.workers > 1 else ""), flush=True)
    if settings.workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                    **server_options(settings))
        return
    # Worker processes build their own app from the environment: hand them these settings there.
    for name, value in settings.model_dump().items():
        os.environ[f"BACKPROP_LAB_{name.upper()}"] = ",".join(value) if isinstance(value, list) else str(value)
    uvicorn.run("app.main:create_app", factory=True, workers=settings.workers, host=settings.host,
                port=settings.port, log_level="warning", **server_options(settings))
