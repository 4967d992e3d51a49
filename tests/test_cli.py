"""The command line and the documented API: flags, a real server process, /docs, the schema."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

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


def test_python_m_app_serves_the_page_and_the_api():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_LAB_")}
    proc = subprocess.Popen([sys.executable, "-m", "app", "--no-browser", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(base + "/api/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"server did not start (exit {proc.poll()}):\n{proc.stdout.read()}")
                time.sleep(0.2)
        assert r.status_code == 200
        health = r.json()
        assert health["status"] == "ok" and health["torch"] and health["version"]
        page = httpx.get(base + "/", timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "Backprop Lab" in page.text
        lecture = httpx.get(base + "/api/presets/lecture", timeout=5).json()
        res = httpx.post(base + "/api/step", json=lecture, timeout=10)
        assert res.status_code == 200 and round(res.json()["output"][0][0], 4) == 0.6428
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"127.0.0.1:{port}" in out  # it says where it serves


def test_docs_and_openapi_are_served(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/api/step", "/api/presets", "/api/presets/{preset_id}", "/api/health"} <= set(paths)


@pytest.mark.parametrize("model", ["StepRequest", "NetworkSpec", "LayerSpec", "OptimizerSpec", "StepResponse",
                                   "LayerResult", "TraceStep"])
def test_every_field_of_the_contract_has_a_description_in_the_openapi_schema(client, model):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    names = [n for n in schemas if n == model or n.startswith(model + "-")]  # FastAPI may split in/out
    assert names, sorted(schemas)
    for name in names:
        props = schemas[name]["properties"]
        assert props
        undocumented = [p for p, s in props.items() if not s.get("description")]
        assert not undocumented, f"{name}: {undocumented}"
