"""Start the real app on a free 127.0.0.1 port (for the browser tests and the screenshots)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m app` on a free port; `url` once healthy; `stop()` ends it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="backprop-lab-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(self.port), "--no-browser"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 60.0) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        self.warm_up()
                        return self
            except OSError:
                time.sleep(0.2)  # polling the server's start-up, not waiting on the page
        self.stop()
        raise RuntimeError(f"the server did not start on {self.url}; its log:\n{self.read_log()}")

    def warm_up(self) -> None:
        """One step of the lecture preset: torch's first call costs seconds, the page's shouldn't."""
        import json

        with urllib.request.urlopen(self.url + "/api/presets/lecture", timeout=30) as r:
            body = r.read()
        req = urllib.request.Request(self.url + "/api/step", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            json.load(r)

    def read_log(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
