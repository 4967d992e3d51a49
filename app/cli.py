"""The backprop-lab command: serve the page and the API, and open the browser on it."""

from __future__ import annotations

import argparse
import socket
import threading
import webbrowser

from .config import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="backprop-lab", description="Watch a neural network learn, every number computed by PyTorch.")
    parser.add_argument("--host", help="address to bind (default: BACKPROP_LAB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: BACKPROP_LAB_PORT or 8000)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser on the page")
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
    return Settings(**overrides)


def free_port(host: str) -> int:
    """A port the OS says is free on `host` now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> None:
    """Run the server until interrupted."""
    import uvicorn

    from .main import create_app

    settings = settings_from_args(parse_args(argv))
    if settings.port == 0:  # "any free port": pick it here, so the URL printed and opened is the real one
        settings = settings.model_copy(update={"port": free_port(settings.host)})
    url = f"http://{settings.host}:{settings.port}/"
    if settings.open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    print(f"Backprop Lab on {url}", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
