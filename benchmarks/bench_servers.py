"""Servers the benchmark starts: on 127.0.0.1, on a free port, stopped at the end whatever happens."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Callable, Iterator

from bench_common import HOST, ROOT, group_cpu_seconds

_LIBC_PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: a forked child only calls it
_PR_SET_PDEATHSIG = 1
_RUNNING: list["Server"] = []


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the benchmark dies, even by SIGKILL (Linux)."""
    _LIBC_PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """A port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_argv(port: int, workers: int = 1) -> list[str]:
    """The command that serves the app with N uvicorn workers (said, whatever BACKPROP_LAB_WORKERS is)."""
    return [sys.executable, "-m", "app", "--host", HOST, "--port", str(port), "--no-browser", "--workers", str(workers)]


def hello_argv(port: int) -> list[str]:
    """The command that serves the trivial hello app through the app's own CLI (bench_hello.py), one worker."""
    return [sys.executable, str(ROOT / "benchmarks" / "bench_hello.py"), "--host", HOST, "--port", str(port),
            "--no-browser", "--workers", "1"]


def server_env() -> dict:
    """The environment of every server: no browser, bound to 127.0.0.1, the repository importable."""
    env = dict(os.environ, BACKPROP_LAB_OPEN_BROWSER="false", BACKPROP_LAB_HOST=HOST)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


class Server:
    """A server process (and its workers) in a process group of its own."""

    def __init__(self, name: str, argv_for_port: Callable[[int], list[str]]) -> None:
        """Start the command argv_for_port(free port), its output to a temporary file."""
        self.name = name
        self.port = free_port()
        self.argv = argv_for_port(self.port)
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=server_env(), stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        _RUNNING.append(self)

    @property
    def command(self) -> str:
        """The command line, as a person would type it from the repository."""
        return " ".join(["python", *self.argv[1:]]).replace(f"{ROOT}/", "")

    def cpu(self) -> float:
        """CPU seconds used so far by the server and its worker processes."""
        return group_cpu_seconds(self.proc.pid)

    def health(self) -> bool:
        """Whether GET /api/health answers 200 now."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            conn.request("GET", "/api/health")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """One POST with a JSON body: (status, response body)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request("POST", path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait for GET /api/health, then until start-up work (imports, warm-up) has stopped."""
        end = time.monotonic() + timeout
        while not self.health():
            if self.proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"server {self.name} ({' '.join(self.argv)}) did not start:\n{self.log_tail()}")
            time.sleep(0.2)
        before = self.cpu()
        while time.monotonic() < end:  # every worker ready: the group idles (< 20 % of a core)
            time.sleep(0.5)
            now = self.cpu()
            if now - before < 0.1:
                return
            before = now

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's output."""
        self.log.seek(0)
        return self.log.read()[-chars:]

    def stop(self) -> None:
        """SIGTERM to the server's process group, SIGKILL if it has not exited after 10 s."""
        if self in _RUNNING:
            _RUNNING.remove(self)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@contextlib.contextmanager
def running(name: str, argv_for_port: Callable[[int], list[str]]) -> Iterator[Server]:
    """A started, ready server for the duration of a with block."""
    server = Server(name, argv_for_port)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def stop_all() -> None:
    """Stop every server still running (at exit, or on a signal)."""
    for server in list(_RUNNING):
        server.stop()


atexit.register(stop_all)
