"""The README's quick start works on a stock Debian/Ubuntu Python, where a bare `pip install`
is refused (PEP 668): from a clean clone, with /usr/bin/python3, its one command creates the
virtual environment, installs the app into it and starts it; the app answers /api/health.

Slow (the venv gets its own torch), so it is one test."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"


def quick_start_command() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "one bash block under ## Quick start"
    return blocks[0].strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_quick_start_makes_and_uses_a_venv():
    command = quick_start_command()
    assert command.startswith("python3 -m venv .venv && ")
    assert ".venv/bin/pip install torch==2.13.0 -e ." in command
    assert command.endswith(".venv/bin/backprop-lab")


@pytest.mark.timeout(1200)
def test_the_quick_start_runs_from_a_clean_clone_with_the_systems_python(tmp_path):
    if not Path(SYSTEM_PYTHON).exists() or shutil.which("git") is None:
        pytest.skip("needs /usr/bin/python3 and git")
    clone = tmp_path / "backprop-lab"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    port = free_port()
    # As a new user types it, with the system's python3 and flags that keep the browser closed.
    command = quick_start_command().replace("python3 ", f"{SYSTEM_PYTHON} ", 1)
    command += f" --no-browser --host 127.0.0.1 --port {port}"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # no pyenv, no venv of the test run
    log = tmp_path / "quickstart.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["bash", "-c", command], cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 1100
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                        assert r.status == 200
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"the quick start did not serve /api/health; its output:\n{log.read_text()[-4000:]}")
                    time.sleep(1)  # polling pip and the server's start-up
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
    venv_python = clone / ".venv" / "bin" / "python"
    assert venv_python.exists()
    # The app ran from the venv, which is the system's Python (not the test run's).
    cfg = (clone / ".venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in cfg
