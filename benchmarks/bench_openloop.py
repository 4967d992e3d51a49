"""An open-loop HTTP/1.1 load generator: requests sent on a wall-clock schedule, whatever the server does.

No Debian package offers one (wrk2, oha, vegeta and k6 are not in Debian; wrk and hey are
closed loop), so this is a small asyncio client: pre-built request bytes, a pool of
keep-alive connections, and each request's latency counted from its *scheduled* send time,
so a queue building up in the server shows in the percentiles (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import math
import socket
import time

from bench_common import HOST

IDLE_CLOSE_S = 3.0  # uvicorn closes a keep-alive connection idle for 5 s; retire ours before that


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Wrap an open stream pair."""
        self.reader, self.writer = reader, writer
        self.used = time.monotonic()

    @classmethod
    async def open(cls, port: int) -> "Connection":
        """Connect to 127.0.0.1:port with Nagle off."""
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def exchange(self, raw: bytes) -> int:
        """Send a prepared request, read the whole response (Content-Length framed); its status."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = next((int(l.split(b":", 1)[1]) for l in lines[1:] if l.lower().startswith(b"content-length:")), None)
        if length is None:
            raise ValueError("response without Content-Length")
        await self.reader.readexactly(length)
        self.used = time.monotonic()
        return int(lines[0].split(b" ", 2)[1])

    def close(self) -> None:
        """Close the socket."""
        self.writer.close()


class Pool:
    """At most `size` connections; a request takes an idle one or opens one, else waits its turn."""

    def __init__(self, port: int, size: int) -> None:
        """An empty pool for 127.0.0.1:port."""
        self.port, self.idle, self.opened = port, [], 0
        self.slots = asyncio.Semaphore(size)

    async def send(self, raw: bytes) -> int:
        """One request on a pooled connection; its status. A failed connection is dropped."""
        async with self.slots:
            conn = await self._take()
            try:
                status = await conn.exchange(raw)
            except BaseException:
                conn.close()
                raise
            self.idle.append(conn)
            return status

    async def _take(self) -> Connection:
        """The most recently used idle connection, or a new one."""
        while self.idle:
            conn = self.idle.pop()
            if time.monotonic() - conn.used < IDLE_CLOSE_S:
                return conn
            conn.close()
        self.opened += 1
        return await Connection.open(self.port)

    def close(self) -> None:
        """Close every idle connection."""
        for conn in self.idle:
            conn.close()


def post_request(port: int, path: str, body: bytes) -> bytes:
    """The bytes of a keep-alive POST of a JSON body."""
    return (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of sorted values; nan if there are none."""
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))]


async def open_loop(port: int, raws: list[bytes], rate: float, timeout: float, max_conns: int) -> dict:
    """Send raws[i] at t0 + i / rate whether or not earlier requests have been answered.

    A request not answered within `timeout` of its scheduled time is a timeout error;
    a status other than 200 and a failed connection are errors too.
    """
    clock, pool = time.perf_counter, Pool(port, max_conns)
    latencies: list[float] = []
    lateness: list[float] = []
    errors = {"non-200": 0, "timeout": 0, "connection": 0}

    async def one(raw: bytes, scheduled: float) -> None:
        """Send one request now (due at `scheduled`) and record its latency or its error."""
        lateness.append(clock() - scheduled)
        try:
            status = await asyncio.wait_for(pool.send(raw), max(0.001, scheduled + timeout - clock()))
        except asyncio.TimeoutError:
            errors["timeout"] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            errors["connection"] += 1
        else:
            latencies.append(clock() - scheduled)
            errors["non-200"] += status != 200

    cpu0, t0 = time.process_time(), clock() + 0.05
    tasks = []
    for i, raw in enumerate(raws):
        scheduled = t0 + i / rate
        if scheduled > clock():
            await asyncio.sleep(scheduled - clock())
        tasks.append(asyncio.create_task(one(raw, scheduled)))
    await asyncio.gather(*tasks)
    wall, cpu = clock() - t0, time.process_time() - cpu0
    pool.close()
    latencies.sort()
    lateness.sort()
    return {"offered_rps": rate, "scheduled": len(raws), "answered": len(latencies), "seconds": wall,
            "p50": percentile(latencies, 50), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "max": latencies[-1] if latencies else float("nan"), "errors": sum(errors.values()),
            "error_kinds": errors, "connections_opened": pool.opened,
            "send_lateness_p99": percentile(lateness, 99), "client_cpu_share": cpu / wall,
            "client_cpu_per_request": cpu / len(raws)}


def run_open_loop(port: int, path: str, bodies: list[bytes], rate: float, timeout: float = 5.0,
                  max_conns: int = 64) -> dict:
    """open_loop() on uvloop when it is installed (less client CPU), else on asyncio's loop."""
    raws = [post_request(port, path, body) for body in bodies]
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(open_loop(port, raws, rate, timeout, max_conns))
        result["event_loop"] = "asyncio"
    else:
        result = uvloop.run(open_loop(port, raws, rate, timeout, max_conns))
        result["event_loop"] = "uvloop"
    return result
