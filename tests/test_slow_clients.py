"""Slow and idle clients are cut off at the header and body deadlines, on a real server.

One `python -m app` on a free 127.0.0.1 port with deadlines of a second or two (set through
the environment, as an operator would), raw sockets that send a byte a second, and
`/api/health` asked all the while. Every loop is bounded by a deadline of its own.
"""

from __future__ import annotations

import http.client
import os
import pickle
import select
import socket
import time

import httpx
import pytest

from app import cli
from app.slowclients import DeadlineProtocol
from helpers import live_server

HEADER_TIMEOUT, BODY_TIMEOUT, KEEP_ALIVE, LIMIT = 2.0, 2.0, 1.0, 8
MARGIN = 1.0  # a loaded CI machine's lateness, added to each deadline

HEALTH = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
POST_HEAD = (b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
             b"content-length: 100\r\n\r\n")


@pytest.fixture(scope="module")
def server():
    """The app with short deadlines; its log is shown if it does not start, and checked at the end."""
    with live_server(header_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT, keep_alive_timeout=KEEP_ALIVE,
                     limit_concurrency=LIMIT) as port:
        yield port


def _health_ms(port: int) -> float:
    """GET /api/health on a connection of its own: its latency in ms, connecting included (it must be a 200)."""
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/api/health")
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    return 1000 * (time.monotonic() - t0)


def _hold(port: int, first: bytes, trickle: bytes = b"", limit: float = HEADER_TIMEOUT + BODY_TIMEOUT + 4):
    """Connect, send `first`, then `trickle` one byte a second, asking /api/health between bytes.

    Returns (seconds from connecting until the server closed the connection, bytes received,
    health latencies in ms). Fails if the server has not closed it within `limit` seconds.
    """
    sock = socket.create_connection(("127.0.0.1", port))
    t0 = time.monotonic()
    received, latencies, sent = b"", [], 0
    try:
        sock.sendall(first)
        while time.monotonic() - t0 < limit:
            if sent < len(trickle):
                try:
                    sock.send(trickle[sent:sent + 1])
                    sent += 1
                except OSError:  # reset: the server closed it as we wrote
                    return time.monotonic() - t0, received, latencies
            readable, _, _ = select.select([sock], [], [], 1.0)  # the one-second pace
            if readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    return time.monotonic() - t0, received, latencies
                received += chunk
            latencies.append(_health_ms(port))
        pytest.fail(f"still open after {limit} s; received {received!r}")
    finally:
        sock.close()


def test_a_client_sending_its_headers_one_byte_a_second_is_cut_off_at_the_header_deadline(server):
    seconds, received, latencies = _hold(server, b"", HEALTH)
    assert HEADER_TIMEOUT - 0.1 <= seconds <= HEADER_TIMEOUT + MARGIN
    assert received.startswith(b"HTTP/1.1 408 ")
    assert latencies and max(latencies) < 1000  # the others were answered meanwhile


@pytest.mark.parametrize("body", [b"", b'{"x": ' + b" " * 90], ids=["never-sent", "one-byte-a-second"])
def test_a_client_that_sends_its_headers_but_not_its_body_gets_408_at_the_body_deadline(server, body):
    seconds, received, latencies = _hold(server, POST_HEAD, body)
    assert BODY_TIMEOUT - 0.1 <= seconds <= BODY_TIMEOUT + MARGIN
    assert received.startswith(b"HTTP/1.1 408 ") and b"body" in received
    assert latencies and max(latencies) < 1000


def test_a_connection_that_sends_nothing_is_closed_at_the_header_deadline_without_an_answer(server):
    seconds, received, _ = _hold(server, b"")
    assert HEADER_TIMEOUT - 0.1 <= seconds <= HEADER_TIMEOUT + MARGIN
    assert received == b""


def test_blank_lines_after_an_answer_do_not_keep_the_connection_open(server):
    # Each byte restarts uvicorn's own keep-alive clock; the header deadline does not restart.
    seconds, received, _ = _hold(server, HEALTH, b"\r\n" * 10)
    assert received.startswith(b"HTTP/1.1 200 ") and received.count(b"HTTP/1.1") == 1
    assert seconds <= 1 + HEADER_TIMEOUT + MARGIN


def test_an_idle_kept_alive_connection_is_closed_after_the_keep_alive_timeout(server):
    seconds, received, _ = _hold(server, HEALTH)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert KEEP_ALIVE - 0.1 <= seconds <= KEEP_ALIVE + MARGIN


def _read_answer(sock: socket.socket, deadline: float) -> bytes:
    """One complete answer to a GET /api/health (headers and the Content-Length body)."""
    data = b""
    while time.monotonic() < deadline:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
            if len(rest) >= length:
                return data
        readable, _, _ = select.select([sock], [], [], 0.5)
        if readable:
            chunk = sock.recv(65536)
            assert chunk, f"closed after {data!r}"
            data += chunk
    pytest.fail(f"no complete answer: {data!r}")


def test_a_slow_but_timely_client_is_served_and_each_request_gets_its_own_deadline(server):
    """Two requests on one connection, each sent over 1.5 s (3 s in all, past one deadline)."""
    with socket.create_connection(("127.0.0.1", server)) as sock:
        for _ in range(2):
            for i in range(0, len(HEALTH), len(HEALTH) // 3 + 1):
                sock.sendall(HEALTH[i:i + len(HEALTH) // 3 + 1])
                time.sleep(0.5)  # the client's pace is what is tested
            assert _read_answer(sock, time.monotonic() + 5).startswith(b"HTTP/1.1 200 ")


def test_past_the_concurrency_limit_a_request_gets_503_and_is_served_again_once_the_idle_ones_are_cut(server):
    idle = [socket.create_connection(("127.0.0.1", server)) for _ in range(LIMIT)]
    try:
        r = httpx.get(f"http://127.0.0.1:{server}/api/health", timeout=2)
        assert r.status_code == 503
        # uvicorn's answer past the limit is ours: JSON naming the setting, Retry-After, the security headers
        assert "limit_concurrency" in r.json()["detail"][0]["msg"] and r.headers["retry-after"] == "1"
        assert "default-src 'self'" in r.headers["content-security-policy"]
        # the idle connections are closed at the header deadline, which frees the server
        t0 = time.monotonic()
        for sock in idle:
            readable, _, _ = select.select([sock], [], [], HEADER_TIMEOUT + MARGIN)
            assert readable and sock.recv(1) == b""
        assert time.monotonic() - t0 <= HEADER_TIMEOUT + MARGIN
        assert _health_ms(server) < 1000
    finally:
        for sock in idle:
            sock.close()


def test_the_command_hands_uvicorn_the_deadlines_and_limits_with_one_worker_or_several(monkeypatch):
    import uvicorn

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the --workers path writes the settings there
    for name, value in {"HEADER_TIMEOUT": "3", "BODY_TIMEOUT": "7", "KEEP_ALIVE_TIMEOUT": "4",
                        "LIMIT_CONCURRENCY": "99", "GRACEFUL_SHUTDOWN_TIMEOUT": "6"}.items():
        os.environ[f"BACKPROP_LAB_{name}"] = value
    cli.main(["--no-browser", "--port", "8765"])
    cli.main(["--no-browser", "--port", "8765", "--workers", "2"])
    assert len(served) == 2
    for kw in served:
        assert (kw["timeout_keep_alive"], kw["limit_concurrency"], kw["timeout_graceful_shutdown"]) == (4, 99, 6)
        # worker processes receive the protocol pickled: it must survive the trip
        protocol = pickle.loads(pickle.dumps(kw["http"]))
        assert protocol.func is DeadlineProtocol
        assert protocol.keywords == {"header_timeout": 3.0, "body_timeout": 7.0}
