"""The command line and the documented API: flags, a real server process, /docs, the schema."""

from __future__ import annotations

import json
import os
import re
import socket
import webbrowser
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app import cli
from app.cli import parse_args, settings_from_args

ROOT = Path(__file__).resolve().parent.parent


def test_flags_override_the_settings(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_PORT", "9000")
    s = settings_from_args(parse_args(["--host", "0.0.0.0", "--port", "8123", "--no-browser"]))
    assert (s.host, s.port, s.open_browser) == ("0.0.0.0", 8123, False)


def test_without_flags_the_environment_and_defaults_apply(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_PORT", "9000")
    monkeypatch.delenv("BACKPROP_LAB_HOST", raising=False)
    monkeypatch.delenv("BACKPROP_LAB_OPEN_BROWSER", raising=False)
    args = parse_args([])
    assert (args.host, args.port, args.no_browser) == (None, None, False)
    s = settings_from_args(args)
    assert (s.host, s.port, s.open_browser) == ("127.0.0.1", 9000, True)


def test_a_bad_port_is_refused_by_the_parser():
    with pytest.raises(SystemExit):
        parse_args(["--port", "eighty"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int, **settings: str) -> tuple[subprocess.Popen, str]:
    """`python -m app --no-browser --port <port>`: the process and the URL it printed once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_LAB_")}
    env.update({f"BACKPROP_LAB_{k.upper()}": v for k, v in settings.items()})
    proc = subprocess.Popen([sys.executable, "-m", "app", "--no-browser", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = proc.stdout.readline()  # "Backprop Lab on http://127.0.0.1:<port>/"
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    if not match:
        proc.kill()
        pytest.fail(f"no URL printed: {first!r}{proc.stdout.read()}")
    base = match.group(0).rstrip("/")
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/health", timeout=2)
            return proc, base
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"server did not start (exit {proc.poll()}):\n{first}{proc.stdout.read()}")
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_python_m_app_serves_the_page_and_the_api():
    port = _free_port()
    proc, base = _serve(port, max_body_bytes="4096")
    try:
        assert base == f"http://127.0.0.1:{port}"
        r = httpx.get(base + "/api/health", timeout=5)
        assert r.status_code == 200
        health = r.json()
        assert health["status"] == "ok" and health["torch"] and health["version"]
        page = httpx.get(base + "/", timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "Backprop Lab" in page.text
        lecture = httpx.get(base + "/api/presets/lecture", timeout=5).json()
        res = httpx.post(base + "/api/step", json=lecture, timeout=10)
        assert res.status_code == 200 and round(res.json()["output"][0][0], 4) == 0.6428
        # the body limit on a real server, with Content-Length and streamed in chunks (no length given)
        big = json.dumps(dict(lecture, x=[[0.5, 0.5, 0.5]] * 400)).encode()
        headers = {"content-type": "application/json"}
        for content in (big, (big[i:i + 1000] for i in range(0, len(big), 1000))):
            r = httpx.post(base + "/api/step", content=content, headers=headers, timeout=10)
            assert r.status_code == 422 and "max_body_bytes" in r.json()["detail"][0]["msg"]
    finally:
        _stop(proc)


def test_port_0_serves_on_a_free_port_and_prints_the_real_one():
    proc, base = _serve(0)
    try:
        assert not base.endswith(":0")
        assert httpx.get(base + "/api/health", timeout=5).status_code == 200
    finally:
        _stop(proc)


@pytest.mark.parametrize("flags, opens", [([], True), (["--no-browser"], False)])
def test_the_command_opens_the_browser_on_the_page_unless_told_not_to(monkeypatch, flags, opens):
    import threading

    import uvicorn

    served, timers = [], []
    monkeypatch.delenv("BACKPROP_LAB_OPEN_BROWSER", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))

    class Timer:
        def __init__(self, delay, fn, args=()):
            timers.append((fn, args))

        def start(self):
            pass

    monkeypatch.setattr(threading, "Timer", Timer)
    cli.main(flags + ["--port", "8765"])
    assert [{k: kw[k] for k in ("host", "port", "log_level")} for kw in served] == [
        {"host": "127.0.0.1", "port": 8765, "log_level": "warning"}]  # and the limits: test_slow_clients.py
    assert timers == ([(webbrowser.open, ("http://127.0.0.1:8765/",))] if opens else [])


def test_docs_and_openapi_are_served(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/api/step", "/api/presets", "/api/presets/{preset_id}", "/api/health"} <= set(paths)


@pytest.mark.parametrize("model", ["StepRequest", "NetworkSpec", "LayerSpec", "OptimizerSpec", "StepResponse",
                                   "LayerResult", "ExplainStep", "Explanation"])
def test_every_field_of_the_contract_has_a_description_in_the_openapi_schema(client, model):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    names = [n for n in schemas if n == model or n.startswith(model + "-")]  # FastAPI may split in/out
    assert names, sorted(schemas)
    for name in names:
        props = schemas[name]["properties"]
        assert props
        undocumented = [p for p, s in props.items() if not s.get("description")]
        assert not undocumented, f"{name}: {undocumented}"
