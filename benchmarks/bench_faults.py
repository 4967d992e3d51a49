"""Fault benchmark: does the class keep being served when a client is hostile, heavy or many?

    python benchmarks/bench_faults.py            # all three sections (about 2 minutes)
    python benchmarks/bench_faults.py --quick    # a 15 s soak instead of 60 s
    python benchmarks/bench_faults.py --only health|soak|starvation

- health: /api/health latency (a new connection every 20 ms) while four clients send the worst
  requests without pause: explanations of the largest networks never seen before, the largest
  steps the answer cap allows, megabyte bodies of wrong values. Goal: every health answer < 100 ms.
- soak: 64 connections (wrk) posting lecture steps with random edits for 60 s: errors, p99, and the
  server's RSS growth from the end of a warm-up to the end. Goals: 0 errors, RSS growth < 10 %.
- starvation: a lecture step every 20 ms while four clients send the largest steps back to back:
  the lecture step's latency (p50, p99, max) beside one heavy step's own time, measured alone in
  the same run. Goal: max lecture latency ≤ one heavy step. Measured with the server's GIL switch
  interval and with Python's default (5 ms), alternated, to show what the setting buys.

Every server is started here on 127.0.0.1 (one worker), and stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_common import HOST, ROOT, Figure, ms
from bench_servers import app_argv, running
from bench_wrk import wrk_path

sys.path.insert(0, str(ROOT / "tests"))  # the worst requests are the ordering test's own
from worst import widest, worst_invalid, worst_invalid_megabyte, worst_valid  # noqa: E402

import orjson  # noqa: E402

LUA = """\
-- POST one of the bodies of a file (one JSON per line), at random; print the summary.
local bodies = {}
init = function(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
request = function()
  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def _request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 120) -> tuple[int, float]:
    """One request on a new connection: (status, seconds)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - t0
    finally:
        conn.close()


def _rss_kb(pid: int) -> int:
    """Resident memory of the process and its children, in kB (from /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(stat[2]) == pid:  # pgid
            total += int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS")))
    return total


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


class _Load:
    """Clients that send requests back to back, each on its own thread, until stopped."""

    def __init__(self, port: int, make, clients: int) -> None:
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.threads = [threading.Thread(target=self._loop, args=(port, make, k), daemon=True) for k in range(clients)]

    def _loop(self, port: int, make, k: int) -> None:
        i = 0
        while not self.stop.is_set():
            path, body = make(k, i)
            self.statuses.append(_request(port, "POST", path, body)[0])
            i += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)


def _worst_mix(k: int, i: int) -> tuple[str, bytes]:
    kind = (k + i) % 3
    if kind == 0:
        return "/api/explain", worst_valid(k * 1000 + i)  # a structure not seen before
    if kind == 1:
        return "/api/step", orjson.dumps(widest(62 - (i % 3)))
    return "/api/step", worst_invalid_megabyte() if i % 2 else worst_invalid()


def health_section(seconds: float) -> list[Figure]:
    with running("app", lambda port: app_argv(port)) as server:
        latencies = []
        with _Load(server.port, _worst_mix, 4) as load:
            time.sleep(1.0)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                status, dt = _request(server.port, "GET", "/api/health", timeout=10)
                assert status == 200
                latencies.append(dt)
                time.sleep(0.02)
        codes = sorted(set(load.statuses))
    worst = max(latencies)
    print(f"health while 4 clients send the worst requests ({len(load.statuses)} sent, statuses {codes}): "
          f"{len(latencies)} answers, p50 {ms(_percentile(latencies, 50))}, p99 {ms(_percentile(latencies, 99))}, "
          f"max {ms(worst)}")
    five_xx = sum(1 for s in load.statuses if s >= 500)
    return [Figure("faults", "/api/health latency during the worst requests (max)", ms(worst), "< 100 ms",
                   worst < 0.1),
            Figure("faults", "5xx answers to the worst requests", str(five_xx), "0", five_xx == 0)]


def _lecture_bodies(count: int) -> list[bytes]:
    from app.engine.presets import get_preset

    rng = random.Random(7)
    bodies = []
    for _ in range(count):
        req = get_preset("lecture")
        for layer in req["network"]["layers"]:
            layer["weights"] = [[round(rng.uniform(-1, 1), 3) for _ in row] for row in layer["weights"]]
        req["x"] = [[round(rng.uniform(-2, 2), 2) for _ in req["x"][0]]]
        bodies.append(orjson.dumps(req))
    return bodies


def soak_section(seconds: int) -> list[Figure]:
    if wrk_path() is None:
        return [Figure("faults", "soak", "wrk is not installed (apt-get install -y wrk)", "", None)]
    with tempfile.TemporaryDirectory() as folder, running("app", lambda port: app_argv(port)) as server:
        lua = Path(folder) / "bodies.lua"
        lua.write_text(LUA)
        bodies = Path(folder) / "bodies.ndjson"
        bodies.write_bytes(b"\n".join(_lecture_bodies(64)) + b"\n")

        def wrk(duration: int) -> list[int]:
            argv = [wrk_path(), "-t1", "-c64", f"-d{duration}s", "--timeout", "10s", "-s", str(lua),
                    f"http://{HOST}:{server.port}/api/step", "--", str(bodies)]
            out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
            line = next(l for l in out.stdout.splitlines() if l.startswith("BENCH_RESULT"))
            return [int(v) for v in line.split()[1:]]

        wrk(5)  # warm-up: every allocator pool and cache filled
        rss_before = _rss_kb(server.proc.pid)
        requests, duration_us, *errors, p50_us, p99_us = wrk(seconds)
        rss_after = _rss_kb(server.proc.pid)
    growth = (rss_after - rss_before) / rss_before
    print(f"soak, 64 connections for {seconds} s: {requests} requests ({requests / (duration_us / 1e6):,.0f}/s), "
          f"errors {sum(errors)} (connect/read/write/status/timeout {errors}), p50 {p50_us / 1000:.1f} ms, "
          f"p99 {p99_us / 1000:.1f} ms, RSS {rss_before / 1024:.0f} → {rss_after / 1024:.0f} MB ({growth:+.1%})")
    return [Figure("faults", f"soak errors (64 connections, {seconds} s)", str(sum(errors)), "0", sum(errors) == 0),
            Figure("faults", "soak p99 (reported; the machine has 2 cores for 64 clients)", f"{p99_us / 1000:.1f} ms", "-", True),
            Figure("faults", "soak RSS growth", f"{growth:+.1%}", "< 10 %", growth < 0.10)]


def _starvation(seconds: float, interval: float) -> tuple[float, list[float]]:
    """One heavy step's time alone, and lecture-step latencies while four clients send heavy steps, on a
    server whose GIL switch interval is `interval`."""
    lecture = _lecture_bodies(1)[0]
    heavy = [orjson.dumps(widest(62 - k)) for k in range(3)]
    os.environ["BACKPROP_LAB_SWITCH_INTERVAL"] = str(interval)
    try:
        with running("app", lambda port: app_argv(port)) as server:
            for body in heavy:  # the sessions of the heavy structures built before anything is timed
                _request(server.port, "POST", "/api/step", body)
            alone = statistics.median(_request(server.port, "POST", "/api/step", heavy[k % 3])[1] for k in range(7))
            latencies = []
            with _Load(server.port, lambda k, i: ("/api/step", heavy[(k + i) % 3]), 4):
                time.sleep(0.5)
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    status, dt = _request(server.port, "POST", "/api/step", lecture, timeout=30)
                    assert status == 200
                    latencies.append(dt)
                    time.sleep(0.02)
    finally:
        del os.environ["BACKPROP_LAB_SWITCH_INTERVAL"]
    return alone, latencies


def starvation_section(seconds: float) -> list[Figure]:
    from app.config import Settings

    chosen = Settings.model_fields["switch_interval"].default
    runs = {0.005: ([], []), chosen: ([], [])}  # Python's default beside the server's, alternated
    for r in range(2):
        for interval in (list(runs) if r % 2 == 0 else list(runs)[::-1]):
            alone, latencies = _starvation(seconds / 2, interval)
            runs[interval][0].append(alone)
            runs[interval][1].extend(latencies)
    for interval, (alones, latencies) in runs.items():
        print(f"starvation, switch interval {interval * 1000:g} ms: one heavy step alone {ms(statistics.median(alones))}; "
              f"lecture steps while 4 clients send heavy steps: p50 {ms(_percentile(latencies, 50))}, "
              f"p99 {ms(_percentile(latencies, 99))}, max {ms(max(latencies))}")
    alones, latencies = runs[chosen]
    alone, worst, p99 = statistics.median(alones), max(latencies), _percentile(latencies, 99)
    return [Figure("faults", "lecture step while heavy clients run (max) ÷ one heavy step",
                   f"{ms(worst)} / {ms(alone)} = {worst / alone:.2f}×", "≤ 1×", worst <= alone),
            Figure("faults", "lecture step while heavy clients run (p99)", ms(p99), "< 50 ms", p99 < 0.05)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 15 s soak and 5 s sections")
    parser.add_argument("--only", choices=["health", "soak", "starvation"])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args(argv)
    short = 5 if args.quick else 15
    sections = {"health": lambda: health_section(short), "soak": lambda: soak_section(15 if args.quick else 60),
                "starvation": lambda: starvation_section(short)}
    figures: list[Figure] = []
    for name, run in sections.items():
        if args.only in (None, name):
            figures += run()
    print("\nSummary")
    for f in figures:
        print(f"  {f.verdict:12} {f.what}: {f.value}  (goal {f.goal})")
    if args.json:
        print(json.dumps([f.as_dict() for f in figures], indent=2))
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
