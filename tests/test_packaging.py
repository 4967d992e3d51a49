"""A non-editable install ships static/ and templates/ and serves the page from them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=240)
    return next(out.glob("backprop_lab-*.whl"))


def test_the_wheel_ships_the_page_its_assets_and_the_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/templates/index.html" in names
    assert "app/static/js/main.js" in names
    assert "app/static/css/app.css" in names
    assert "app/engine/session.py" in names
    assert "app/registry/activations/gelu.py" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "backprop-lab = app.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_installed_wheel_serves_the_page_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=240)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(target))
    proc = subprocess.Popen([sys.executable, "-m", "app", "--no-browser", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail("server did not start:\n" + proc.stdout.read().decode())
                time.sleep(0.2)
        page = urllib.request.urlopen(base + "/", timeout=5).read().decode()
        assert "Backprop Lab" in page
        module = urllib.request.urlopen(base + "/static/js/main.js", timeout=5)
        assert module.status == 200
        where = subprocess.run([sys.executable, "-c", "import app.main_paths as m; print(m.resource_dir('static'))"],
                               cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
        assert where.strip().startswith(str(target))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
