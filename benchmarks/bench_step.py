#!/usr/bin/env python
"""Backprop Lab benchmark (issue 2, item 9): the engine's step against bare torch, the
server's throughput against its ideal, and a class of students editing under open-loop load.

    python benchmarks/bench_step.py [--duration 30] [--quick] [--json out.json]

It measures and prints; it never fails on a missed goal (exit code 0). Traffic goes only to
a uvicorn server it starts itself on 127.0.0.1 (free port), killed at the end.
See benchmarks/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import cProfile
import gc
import json
import math
import os
import platform
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
NETS = ("lecture", "mini-mlp")
BATCH_MINI = 32
SEED = 1234

GOAL_ENGINE_RATIO = 2.0  # engine step / bare torch step ≤ 2×
GOAL_THROUGHPUT = 0.5  # /api/step throughput ≥ 0.5 × 1 / (t_hello + t_bare)
GOAL_P99_MS = 50.0  # open loop: p99 < 50 ms and no errors


# --------------------------------------------------------------------------- the two nets

def step_request(name: str) -> dict:
    """The preset's full step request; MyMiniMLP gets a batch of 32 random samples (fixed seed)."""
    import torch

    from app.engine.presets import get_preset

    req = get_preset(name)
    if name == "mini-mlp":
        gen = torch.Generator().manual_seed(SEED)
        n_in = req["network"]["inputs"]
        n_out = req["network"]["layers"][-1]["units"]
        req["x"] = torch.randn(BATCH_MINI, n_in, generator=gen, dtype=torch.float64).tolist()
        req["y"] = torch.randn(BATCH_MINI, n_out, generator=gen, dtype=torch.float64).tolist()
    return req


def label(name: str) -> str:
    return "lecture (3→2σ→1, N=1)" if name == "lecture" else f"MyMiniMLP (8→16 ReLU→1, N={BATCH_MINI})"


def bare_step_fn(req: dict):
    """A bare torch step on the same net: module, loss and optimizer built once."""
    import torch
    from torch import nn

    dtype = {"float64": torch.float64, "float32": torch.float32}[req.get("dtype", "float64")]
    acts = {"identity": lambda l: nn.Identity(), "relu": lambda l: nn.ReLU(), "sigmoid": lambda l: nn.Sigmoid(),
            "tanh": lambda l: nn.Tanh(), "softmax": lambda l: nn.Softmax(dim=1),
            "leaky_relu": lambda l: nn.LeakyReLU(l.get("negative_slope", 0.01))}
    spec = req["network"]
    mods, fan_in = [], spec["inputs"]
    for layer in spec["layers"]:
        lin = nn.Linear(fan_in, layer["units"], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(layer["weights"], dtype=dtype))
            lin.bias.copy_(torch.tensor(layer["biases"], dtype=dtype))
        mods += [lin, acts[layer["activation"]](layer)]
        fan_in = layer["units"]
    net = nn.Sequential(*mods)
    loss_fn = {"mse": nn.MSELoss(), "sse": nn.MSELoss(reduction="sum"), "bce": nn.BCELoss(),
               "cross_entropy": nn.CrossEntropyLoss()}[spec.get("loss", "mse")]
    o = req.get("optimizer", {})
    if o.get("name", "sgd") == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=o.get("lr", 0.1))
    else:
        opt = torch.optim.SGD(net.parameters(), lr=o.get("lr", 0.1), momentum=o.get("momentum", 0.0))
    x = torch.tensor(req["x"], dtype=dtype)
    y = torch.tensor(req["y"], dtype=torch.long if spec.get("loss") == "cross_entropy" else dtype)

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    return step


def engine_step_fn(body: bytes):
    """What POST /api/step does with a body: json parse, model_validate, checks, run_step, orjson."""
    import orjson

    from app.config import Settings
    from app.engine.step import run_step
    from app.schemas import StepRequest
    from app.validation import request_errors

    settings = Settings()

    def step():
        req = StepRequest.model_validate(json.loads(body))
        if request_errors(req, settings):
            raise RuntimeError("request refused")
        return orjson.dumps(run_step(req))

    return step


# --------------------------------------------------------------------------- timing helpers

def per_call(fn, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def calibrate(fn, target_s: float) -> int:
    """How many calls fill about target_s (after a warm-up)."""
    for _ in range(3):
        fn()
    t = per_call(fn, 3)
    return max(1, int(target_s / max(t, 1e-7)))


def interleaved(fns: dict, reps: int, block_s: float) -> dict:
    """Median per-call time of each fn, blocks alternated (ABAB…, order reversed each round)."""
    counts = {k: calibrate(f, block_s) for k, f in fns.items()}
    times = {k: [] for k in fns}
    keys = list(fns)
    for r in range(reps):
        order = keys if r % 2 == 0 else keys[::-1]
        for k in order:
            times[k].append(per_call(fns[k], counts[k]))
    return {k: statistics.median(v) for k, v in times.items()}


def us(t: float) -> str:
    return f"{t * 1e6:,.0f} µs" if t >= 1e-4 else f"{t * 1e6:,.1f} µs"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


# --------------------------------------------------------------------------- part 1: engine vs bare

class Pieces:
    """Times spent inside the engine functions run_step calls (wrapped in app.engine.step's namespace)."""

    GROUPS = {
        "build_network": "build", "make_optimizer": "build", "load_state": "build",
        "dump_state": "optimizer state dump", "autograd_graph": "graph", "build_trace": "trace",
        "finite_or_text": "finiteness", "is_finite": "finiteness",
    }

    def __init__(self) -> None:
        self.acc: dict[str, float] = {}

    def __enter__(self):
        import app.engine.step as step_mod

        self.mod, self.saved = step_mod, {}
        for name, group in self.GROUPS.items():
            fn = getattr(step_mod, name, None)
            if fn is None:
                continue
            self.saved[name] = fn
            setattr(step_mod, name, self._wrap(fn, group))
        return self

    def _wrap(self, fn, group):
        acc, clock = self.acc, time.perf_counter

        def wrapped(*a, **k):
            t = clock()
            try:
                return fn(*a, **k)
            finally:
                acc[group] = acc.get(group, 0.0) + clock() - t
        return wrapped

    def __exit__(self, *exc):
        for name, fn in self.saved.items():
            setattr(self.mod, name, fn)


def breakdown(body: bytes, n: int) -> dict:
    """Average time per step of each part of the engine's path, over n calls."""
    import orjson

    from app.config import Settings
    from app.engine.step import run_step
    from app.schemas import StepRequest
    from app.validation import request_errors

    settings = Settings()
    parts = {"json.loads": 0.0, "StepRequest.model_validate": 0.0, "request_errors (limits/shapes)": 0.0,
             "run_step": 0.0, "orjson.dumps": 0.0}
    clock = time.perf_counter
    with Pieces() as pieces:
        for _ in range(n):
            t0 = clock()
            data = json.loads(body)
            t1 = clock()
            req = StepRequest.model_validate(data)
            t2 = clock()
            request_errors(req, settings)
            t3 = clock()
            resp = run_step(req)
            t4 = clock()
            orjson.dumps(resp)
            t5 = clock()
            for k, a, b in (("json.loads", t0, t1), ("StepRequest.model_validate", t1, t2),
                            ("request_errors (limits/shapes)", t2, t3), ("run_step", t3, t4),
                            ("orjson.dumps", t4, t5)):
                parts[k] += b - a
    inner = dict(pieces.acc)
    out = {k: v / n for k, v in parts.items()}
    run = out.pop("run_step")
    for k, v in inner.items():
        out["run_step: " + k] = v / n
    out["run_step: torch fwd/bwd/step + capture (.tolist) + dict"] = run - sum(inner.values()) / n
    return out


def breakdown_rounds(body: bytes, n: int, rounds: int) -> dict:
    """breakdown() repeated in short rounds; the median of each part (robust to bursts of noise)."""
    runs = [breakdown(body, n) for _ in range(rounds)]
    return {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}


def profile_engine(body: bytes, n: int) -> tuple[list, dict, float]:
    """cProfile of n engine steps: top functions by own time, and own time grouped by area."""
    fn = engine_step_fn(body)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    st = pstats.Stats(prof)
    rows, areas, total = [], {}, 0.0
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():
        total += tt
        f = file.replace("\\", "/")
        if "/app/engine/trace" in f or "/app/engine/tokens" in f or "/app/engine/notation" in f:
            area = "trace (app/engine/trace*, tokens, notation)"
        elif "/app/engine/graph" in f:
            area = "graph (app/engine/graph.py)"
        elif "/app/" in f:
            area = "other app code"
        elif "/torch/" in f or "torch._C" in func or "Tensor" in func:
            area = "torch (python side + C calls)"
        elif "pydantic" in f or "pydantic" in func or "validate" in func:
            area = "pydantic"
        elif "orjson" in func or "dumps" in func:
            area = "orjson / json"
        elif "loads" in func or "/json/" in f:
            area = "orjson / json"
        else:
            area = "builtins (dict/list/str methods, tolist, …)"
        areas[area] = areas.get(area, 0.0) + tt
        short = f.split("/site-packages/")[-1].split("/main/")[-1] if f != "~" else ""
        rows.append((tt, ct, nc, f"{short}:{line}({func})" if short else func))
    rows.sort(reverse=True)
    return rows, areas, total


# --------------------------------------------------------------------------- torch threads

def gc_effect(engine: dict, reps: int, block_s: float) -> dict:
    """Engine step time with the collector as is, after gc.freeze(), and disabled. A full collection
    is a rare long pause, so the blocks are long and the figure is the mean over all of them."""
    modes = ("as is", "gc.freeze()", "off")
    out = {}
    for name, fn in engine.items():
        count = calibrate(fn, block_s)
        spent = {m: 0.0 for m in modes}
        try:
            for r in range(reps):
                for m in (modes if r % 2 == 0 else modes[::-1]):
                    gc.enable()
                    gc.unfreeze()
                    if m == "gc.freeze()":
                        gc.collect()
                        gc.freeze()
                    elif m == "off":
                        gc.disable()
                    spent[m] += per_call(fn, count)
        finally:
            gc.enable()
            gc.unfreeze()
        out[name] = {m: v / reps for m, v in spent.items()}
    return out


def thread_effect(bare: dict, reps: int, block_s: float) -> dict:
    import torch

    out = {}
    before = torch.get_num_threads()
    for name, fn in bare.items():
        def with_threads(k):
            def run():
                torch.set_num_threads(k)
                for _ in range(20):
                    fn()
            return run
        # per call of run() = 20 steps; switching threads each block
        res = interleaved({1: with_threads(1), 2: with_threads(2)}, reps, block_s)
        out[name] = {k: v / 20 for k, v in res.items()}
    torch.set_num_threads(before)
    return out


def bare_worker(threads: int, seconds: float) -> None:
    """Hidden mode: one process stepping the bare nets for `seconds` each after a "go" on stdin; prints steps/s."""
    import torch

    torch.set_num_threads(threads)
    fns = {n: bare_step_fn(step_request(n)) for n in NETS}
    for f in fns.values():  # warm-up, bounded in time (2 threads on a busy machine can be very slow)
        end = time.perf_counter() + 0.3
        while time.perf_counter() < end:
            f()
    print("ready", flush=True)
    sys.stdin.readline()  # the parent says go when both workers are ready
    res = {}
    for name, f in fns.items():
        count, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            f()
            count += 1
        res[name] = count / seconds
    print(json.dumps(res), flush=True)


def two_process_effect(seconds: float) -> dict:
    """Two processes stepping side by side (the 2-workers case), torch threads 1 vs 2 each: total steps/s."""
    out = {}
    for threads in (1, 2):
        procs = [subprocess.Popen([sys.executable, __file__, "--_bare-worker", str(threads), str(seconds)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, cwd=str(ROOT))
                 for _ in range(2)]
        totals = {n: 0.0 for n in NETS}
        try:
            for p in procs:
                if p.stdout.readline().strip() != "ready":
                    raise RuntimeError("worker failed")
            for p in procs:
                p.stdin.write("go\n")
                p.stdin.flush()
            for p in procs:
                line, _ = p.communicate(timeout=30 + 3 * seconds)
                for n, v in json.loads(line.strip().splitlines()[-1]).items():
                    totals[n] += v
        except Exception:
            totals = {n: float("nan") for n in NETS}
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        out[threads] = totals
    return out


# --------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def instrument() -> dict:
    """Counters the benchmark reads from the server: time inside run_step and the route's orjson
    encoding (wall and thread CPU), and garbage-collector pauses. A few µs per request."""
    import gc as gc_mod

    import app.engine.step as step_mod
    import app.routes.api as api_mod

    stats = {"run_step_n": 0, "run_step_wall": 0.0, "run_step_cpu": 0.0, "encode_wall": 0.0, "encode_cpu": 0.0,
             "gc_wall": 0.0, "gc_runs": 0, "gc_gen2_runs": 0}
    lock = threading.Lock()
    clock, cpu = time.perf_counter, time.thread_time

    def timed(fn, key):
        def wrapped(*a, **k):
            t, c = clock(), cpu()
            try:
                return fn(*a, **k)
            finally:
                w, u = clock() - t, cpu() - c
                with lock:
                    stats[key + "_wall"] += w
                    stats[key + "_cpu"] += u
                    if key == "run_step":
                        stats["run_step_n"] += 1
        return wrapped

    step_mod.run_step = timed(step_mod.run_step, "run_step")  # the route imports it at call time
    api_mod._json = timed(api_mod._json, "encode")
    started = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = clock()
        else:
            stats["gc_wall"] += clock() - started[0]
            stats["gc_runs"] += 1
            stats["gc_gen2_runs"] += info.get("generation") == 2

    gc_mod.callbacks.append(on_gc)
    return stats


def serve(port: int) -> None:
    """Hidden mode: the production app (create_app(Settings())) plus two hello endpoints, one uvicorn worker."""
    import uvicorn

    from app.config import Settings
    from app.main import create_app

    parent = os.getppid()

    def watch_parent():  # never outlive the benchmark
        while True:
            if os.getppid() != parent:
                os._exit(0)
            time.sleep(0.5)

    threading.Thread(target=watch_parent, daemon=True).start()
    app = create_app(Settings())
    stats = instrument()

    @app.get("/bench/stats")
    async def bench_stats() -> dict:
        return dict(stats)

    @app.get("/bench/hello")
    def hello() -> dict:  # sync, like POST /api/step: same threadpool hop
        return {"hello": "world"}

    from app.routes.deps import SettingsDep
    from app.schemas import StepRequest

    globals().update(StepRequest=StepRequest, SettingsDep=SettingsDep)  # for FastAPI's annotation lookup

    @app.post("/bench/validate")
    def validate(req: StepRequest, settings: SettingsDep) -> dict:  # /api/step's signature, no engine
        return {"ok": True}

    @app.get("/bench/hello-async")
    async def hello_async() -> dict:
        return {"hello": "world"}

    # What-if experiments only (off in the benchmark's own runs): BENCH_WHAT_IF_GC_FREEZE=1,
    # BENCH_WHAT_IF_GC_THRESHOLD=50000,20,100 (gc.set_threshold's three numbers).
    if os.environ.get("BENCH_WHAT_IF_GC_THRESHOLD"):
        gc.set_threshold(*(int(v) for v in os.environ["BENCH_WHAT_IF_GC_THRESHOLD"].split(",")))
    if os.environ.get("BENCH_WHAT_IF_GC_FREEZE"):
        import torch  # noqa: F401 (imported by the lifespan anyway)

        gc.collect()
        gc.freeze()
    # The same uvicorn call as `backprop-lab` (app/cli.py), on the port given.
    uvicorn.run(app, host=HOST, port=port, log_level="warning")


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; nan where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except Exception:
        return float("nan")


class Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, __file__, "--_serve", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=str(ROOT))
        atexit.register(self.stop)

    def wait_ready(self, timeout: float = 60.0) -> None:
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                break
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(f"GET /api/health HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.log.seek(0)
        raise RuntimeError("server did not start:\n" + self.log.read()[-2000:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --------------------------------------------------------------------------- a small HTTP/1.1 client

class Conn:
    """One keep-alive HTTP/1.1 connection over raw asyncio streams (low client overhead)."""

    def __init__(self, reader, writer) -> None:
        self.reader, self.writer = reader, writer
        self.used = time.monotonic()

    @classmethod
    async def open(cls, port: int) -> "Conn":
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> tuple[int, int]:
        """Send a prepared request, read the whole response; (status, body bytes)."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = None, False, False
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            k = k.strip().lower()
            if k == b"content-length":
                length = int(v)
            elif k == b"transfer-encoding" and b"chunked" in v.lower():
                chunked = True
            elif k == b"connection" and b"close" in v.lower():
                close = True
        n = 0
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                n += size
                if size == 0:
                    break
        elif length is not None:
            n = len(await self.reader.readexactly(length))
        if close:
            self.close()
            raise ConnectionError("server closed the connection")
        self.used = time.monotonic()
        return status, n

    def close(self) -> None:
        try:
            self.writer.close()
        except Exception:
            pass


def get_raw(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


def post_raw(port: int, path: str, body: bytes) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def server_stats(port: int) -> dict:
    """The server's instrumentation counters, on a fresh connection (keep-alive would time out while idle)."""
    conn = await Conn.open(port)
    try:
        conn.writer.write(f"GET /bench/stats HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
        head = await conn.reader.readuntil(b"\r\n\r\n")
        length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
        return json.loads(await conn.reader.readexactly(length))
    finally:
        conn.close()


async def closed_loop(port: int, raw: bytes, conns: int, seconds: float, server_pid: int) -> dict:
    """`conns` connections, each sending the next request as soon as the last answered."""
    done, bad, lat = 0, 0, []
    pool = [await Conn.open(port) for _ in range(conns)]
    before = await server_stats(port)
    cpu_s, cpu_c = proc_cpu(server_pid), time.process_time()
    t0 = time.perf_counter()
    end = t0 + seconds

    async def run(c: Conn):
        nonlocal done, bad
        clock = time.perf_counter
        while clock() < end:
            t = clock()
            status, _ = await c.request(raw)
            lat.append(clock() - t)
            done += 1
            bad += status != 200

    await asyncio.gather(*(run(c) for c in pool))
    elapsed = time.perf_counter() - t0
    cpu_s, cpu_c = proc_cpu(server_pid) - cpu_s, time.process_time() - cpu_c
    after = await server_stats(port)
    for c in pool:
        c.close()
    inside = {k: (after[k] - before[k]) / done for k in after}
    return {"inside": inside, "rps": done / elapsed, "per_request": elapsed / done, "errors": bad, "n": done,
            "latency_p50": statistics.median(lat), "server_cpu_per_request": cpu_s / done,
            "client_cpu_per_request": cpu_c / done, "server_cpu_share": cpu_s / elapsed}


async def throughput_rounds(port: int, raws: dict, conns: int, seconds: float, rounds: int, pid: int) -> dict:
    """Each endpoint measured `rounds` times, the endpoints alternated; medians."""
    for raw in raws.values():  # warm-up
        await closed_loop(port, raw, conns, 0.5, pid)
    res = {k: [] for k in raws}
    keys = list(raws)
    for r in range(rounds):
        for k in (keys if r % 2 == 0 else keys[::-1]):
            res[k].append(await closed_loop(port, raws[k], conns, seconds, pid))
    out = {}
    for k, runs in res.items():
        out[k] = {"rps": statistics.median(x["rps"] for x in runs),
                  "per_request": statistics.median(x["per_request"] for x in runs),
                  "latency_p50": statistics.median(x["latency_p50"] for x in runs),
                  "errors": sum(x["errors"] for x in runs), "n": sum(x["n"] for x in runs)}
        for m in ("server_cpu_per_request", "client_cpu_per_request", "server_cpu_share"):
            out[k][m] = statistics.median(x[m] for x in runs)
        out[k]["inside"] = {m: statistics.median(x["inside"][m] for x in runs) for m in runs[0]["inside"]}
    return out


def student_bodies(count: int) -> list[bytes]:
    """The lecture net with small random edits of every weight and bias, one per request."""
    import orjson

    base = step_request("lecture")
    rng = random.Random(SEED)
    out = []
    for _ in range(count):
        req = json.loads(json.dumps(base))
        for layer in req["network"]["layers"]:
            layer["weights"] = [[round(w + rng.gauss(0, 0.05), 4) for w in row] for row in layer["weights"]]
            layer["biases"] = [round(b + rng.gauss(0, 0.05), 4) for b in layer["biases"]]
        out.append(orjson.dumps(req))
    return out


async def open_loop(port: int, bodies: list[bytes], rate: float, seconds: float,
                    timeout: float, max_conns: int) -> dict:
    """Requests sent on a fixed schedule (every 1/rate s) whatever happened to earlier ones;
    latency counted from the scheduled send time (no coordinated omission)."""
    n = int(rate * seconds)
    period = 1.0 / rate
    idle: list[Conn] = []
    opened = sent = 0
    slots = asyncio.Semaphore(max_conns)
    lat, errors, statuses = [], {"non-200": 0, "timeout": 0, "connection": 0}, {}
    late = []
    clock = time.perf_counter
    last_done = [0.0]

    async def one(i: int, scheduled: float):
        nonlocal opened
        late.append(clock() - scheduled)
        conn = None

        async def go():
            nonlocal conn, opened, sent
            async with slots:  # a request waits for a free connection, its clock already running
                while idle and time.monotonic() - idle[-1].used > 3.0:  # uvicorn closes idle ones after 5 s
                    idle.pop().close()
                if idle:
                    conn = idle.pop()
                else:
                    conn = await Conn.open(port)
                    opened += 1
                sent += 1
                try:
                    return await conn.request(post_raw(port, "/api/step", bodies[i % len(bodies)]))
                except BaseException:
                    conn.close()
                    conn = None
                    raise
                finally:
                    if conn is not None:
                        idle.append(conn)

        try:
            # the deadline counts from the scheduled send time, whatever the wait for a connection
            status, _ = await asyncio.wait_for(go(), max(0.001, scheduled + timeout - clock()))
            now = clock()
            lat.append(now - scheduled)
            last_done[0] = max(last_done[0], now)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                errors["non-200"] += 1
        except asyncio.TimeoutError:
            errors["timeout"] += 1
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            errors["connection"] += 1

    tasks = []
    t0 = clock() + 0.05
    for i in range(n):
        scheduled = t0 + i * period
        delay = scheduled - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    sent_end = clock()
    await asyncio.wait(tasks, timeout=timeout + 5)
    for t in tasks:
        t.cancel()
    for c in idle:
        c.close()
    lat.sort()

    def pct(p):
        return lat[min(len(lat) - 1, max(0, math.ceil(p / 100 * len(lat)) - 1))] if lat else float("nan")

    done = len(lat)
    return {
        "offered_rps": rate, "scheduled": n, "schedule_rps": n / (sent_end - t0), "sent": sent, "completed": done,
        "achieved_rps": done / (last_done[0] - t0) if done else 0.0,
        "p50": pct(50), "p90": pct(90), "p99": pct(99), "max": lat[-1] if lat else float("nan"),
        "errors": sum(errors.values()), "error_kinds": errors, "statuses": statuses,
        "connections_opened": opened, "send_late_p99": sorted(late)[int(0.99 * (len(late) - 1))] if late else 0.0,
    }


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=None, help="seconds of open-loop load (default 30; 8 with --quick)")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and a short open loop")
    ap.add_argument("--rate", type=float, default=200.0, help="open-loop offered load, requests/s (default 200)")
    ap.add_argument("--conns", type=int, default=4, help="closed-loop client connections (default 4)")
    ap.add_argument("--max-conns", type=int, default=100,
                    help="open loop: most client connections, one per student (default 100)")
    ap.add_argument("--json", help="also write every figure to this JSON file")
    ap.add_argument("--_serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_bare-worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._serve is not None:
        serve(args._serve)
        return 0
    if args._bare_worker:
        bare_worker(int(args._bare_worker[0]), float(args._bare_worker[1]))
        return 0

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so atexit/finally stop the server
    duration = args.duration if args.duration is not None else (8.0 if args.quick else 30.0)
    duration = max(1.0, min(duration, 120.0))
    reps = 5 if args.quick else 7
    block_s = 0.05 if args.quick else 0.06
    tp_seconds, tp_rounds = (1.0, 2) if args.quick else (1.5, 3)
    started = time.time()

    import orjson
    import torch

    from app.config import Settings

    from app.main import create_app

    threads = Settings().torch_threads
    torch.set_num_threads(threads)
    # The app built here too, so that this process's heap (what the garbage collector walks)
    # is like the server's; part 1 measures the engine as the server process would run it.
    _app = create_app(Settings())  # noqa: F841 (kept alive on purpose)
    results: dict = {"env": {
        "python": platform.python_version(), "torch": torch.__version__, "cpus": os.cpu_count(),
        "torch_threads": threads, "platform": platform.platform()}}

    print("Backprop Lab benchmark: engine vs bare torch, server throughput, a class under open-loop load")
    print(f"python {platform.python_version()}, torch {torch.__version__}, {os.cpu_count()} CPU(s), "
          f"torch threads {threads} (Settings.torch_threads); float64 as the API's default; "
          f"{len(gc.get_objects()):,} objects tracked by the GC after create_app()")
    print("Times are medians of interleaved repetitions after a warm-up; the client shares the CPUs with the server.")
    load0 = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"Load average at the start (other processes on this machine add noise): {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}\n")
    results["env"]["loadavg_start"] = load0

    reqs = {n: step_request(n) for n in NETS}
    bodies = {n: orjson.dumps(r) for n, r in reqs.items()}
    engine = {n: engine_step_fn(b) for n, b in bodies.items()}
    bare = {n: bare_step_fn(r) for n, r in reqs.items()}
    sizes = {n: len(engine[n]()) for n in NETS}
    trace_len = {n: len(orjson.loads(engine[n]())["trace"]) for n in NETS}

    # ---- part 1
    print(f"1. Engine's full step vs a bare torch step (same net, same process)   [t = {time.time() - started:.0f} s]")
    fns = {}
    for n in NETS:
        fns[("engine", n)] = engine[n]
        fns[("bare", n)] = bare[n]
    t = interleaved(fns, reps, block_s)
    part1 = {}
    print(f"   {'net':<28} {'engine':>11} {'bare torch':>11} {'ratio':>9}  goal ≤ {GOAL_ENGINE_RATIO:g}×   request → response")
    for n in NETS:
        te, tb = t[("engine", n)], t[("bare", n)]
        part1[n] = {"engine_s": te, "bare_s": tb, "ratio": te / tb, "request_bytes": len(bodies[n]),
                    "response_bytes": sizes[n], "trace_steps": trace_len[n]}
        print(f"   {label(n):<28} {us(te):>11} {us(tb):>11} {te / tb:>8.1f}×  {verdict(te / tb <= GOAL_ENGINE_RATIO):<9} "
              f"{len(bodies[n]):,} B → {sizes[n]:,} B, {trace_len[n]} trace steps")
    results["engine_vs_bare"] = part1

    print("\n   Where the engine's time goes (µs per step; run_step's callees timed in place):")
    bd = {}
    for n in NETS:
        count = max(3, int((0.1 if args.quick else 0.12) / part1[n]["engine_s"]))
        bd[n] = breakdown_rounds(bodies[n], count, 3 if args.quick else 5)
    keys = list(bd[NETS[0]])
    for k in bd[NETS[1]]:
        if k not in keys:
            keys.append(k)
    print(f"   {'part':<58}" + "".join(f"{n:>20}" for n in NETS))
    for k in keys:
        cells = ""
        for n in NETS:
            v = bd[n].get(k, 0.0)
            cells += f"{v * 1e6:>11,.0f} ({v / sum(bd[n].values()) * 100:>4.0f} %)"
        print(f"   {k:<58}{cells}")
    print(f"   {'total':<58}" + "".join(f"{sum(bd[n].values()) * 1e6:>11,.0f}         " for n in NETS))
    print(f"   {'(bare torch step, for scale)':<58}" + "".join(f"{part1[n]['bare_s'] * 1e6:>11,.0f}         " for n in NETS))
    results["breakdown_s"] = bd

    results["profile"] = {}
    for pn in NETS:
        prof_n = max(5, int((0.4 if args.quick else 0.8) / part1[pn]["engine_s"]))
        rows, areas, total = profile_engine(bodies[pn], prof_n)
        print(f"\n   cProfile of {prof_n} engine steps on {label(pn)} (profiling inflates Python-heavy parts):")
        print("   own time by area: " + ", ".join(f"{a} {v / total * 100:.0f} %"
                                                for a, v in sorted(areas.items(), key=lambda kv: -kv[1]) if v / total >= 0.005))
        print("   top functions by own time (per step, with profiler overhead):")
        for tt, ct, nc, name in rows[:10]:
            print(f"     {tt / prof_n * 1e6:9,.0f} µs  {nc / prof_n:9,.0f} calls  {name[:90]}")
        results["profile"][pn] = {"areas_share": {a: v / total for a, v in areas.items()},
                                  "top": [{"own_us_per_step": tt / prof_n * 1e6, "calls_per_step": nc / prof_n,
                                           "function": name} for tt, ct, nc, name in rows[:25]]}

    print("\n   What if: the engine's step with Python's garbage collector as is, frozen after start-up "
          "(gc.freeze()), or off (means of long blocks):")
    gcr = gc_effect(engine, 3, 0.3 if args.quick else 0.6)
    for n in NETS:
        d = gcr[n]
        print(f"     {label(n):<28} as is {us(d['as is']):>9}   gc.freeze() {us(d['gc.freeze()']):>9}   "
              f"off {us(d['off']):>9}   (GC ≈ {(1 - d['off'] / d['as is']) * 100:.0f} % of the step)")
    results["gc_what_if_s"] = gcr

    print(f"\n   torch threads per process, bare step (one process)   [t = {time.time() - started:.0f} s]:")
    te = thread_effect(bare, reps, block_s)
    for n in NETS:
        t1, t2 = te[n][1], te[n][2]
        print(f"     {label(n):<28} 1 thread {us(t1):>9}   2 threads {us(t2):>9}   (2 threads / 1 = {t2 / t1:.2f}×)")
    tp = two_process_effect(1.0)
    print("   two processes side by side (as two workers), total bare steps/s:")
    for n in NETS:
        a, b = tp[1][n], tp[2][n]
        print(f"     {label(n):<28} 1 thread each {a:>9,.0f}/s   2 threads each {b:>9,.0f}/s   "
              f"(1 thread is {a / b if b else float('nan'):.2f}× the throughput)")
    results["torch_threads"] = {"one_process_bare_s": {n: {str(k): v for k, v in te[n].items()} for n in NETS},
                                "two_processes_steps_per_s": {str(k): v for k, v in tp.items()}}
    # back to the production setting
    torch.set_num_threads(threads)

    # ---- parts 2 and 3: the server
    server = Server()
    try:
        server.wait_ready()
        port = server.port
        print(f"\n2. Throughput on one uvicorn worker (create_app(Settings()), 127.0.0.1:{port}, the CLI's uvicorn.run "
              f"settings)   [t = {time.time() - started:.0f} s],\n   closed loop, {args.conns} keep-alive connections, raw asyncio HTTP/1.1 client "
              f"in this process (client and server share the {os.cpu_count()} cores)")
        raws = {"hello": get_raw(port, "/bench/hello"), "hello-async": get_raw(port, "/bench/hello-async")}
        for n in NETS:
            raws[n] = post_raw(port, "/api/step", bodies[n])
            raws["validate:" + n] = post_raw(port, "/bench/validate", bodies[n])
        # t_bare measured again right next to the throughput runs (same run, same machine state)
        t_bare_now = interleaved({n: bare[n] for n in NETS}, 3, block_s)
        pid = server.proc.pid
        tpres = asyncio.run(throughput_rounds(port, raws, args.conns, tp_seconds, tp_rounds, pid))
        th = tpres["hello"]["per_request"]
        print(f"   hello (sync def, threadpool like /api/step): {tpres['hello']['rps']:,.0f} req/s → t_hello = {us(th)}"
              f"   [async def hello: {tpres['hello-async']['rps']:,.0f} req/s, {us(tpres['hello-async']['per_request'])}]")
        print(f"   {'net':<28} {'/api/step':>12} {'ideal':>12} {'ratio':>7}  goal ≥ {GOAL_THROUGHPUT:g}×   "
              f"{'t_bare':>9} {'p50 latency':>12}  errors")
        part2 = {"t_hello_s": th, "hello_rps": tpres["hello"]["rps"], "hello_async_rps": tpres["hello-async"]["rps"],
                 "conns": args.conns, "nets": {}, "raw": tpres}
        for n in NETS:
            tb = (part1[n]["bare_s"] + t_bare_now[n]) / 2  # part 1's and the one just measured
            ideal = 1.0 / (th + tb)
            got = tpres[n]["rps"]
            part2["nets"][n] = {"rps": got, "ideal_rps": ideal, "ratio": got / ideal, "t_bare_s": tb,
                                "latency_p50_s": tpres[n]["latency_p50"], "errors": tpres[n]["errors"]}
            print(f"   {label(n):<28} {got:>8,.0f} r/s {ideal:>8,.0f} r/s {got / ideal:>6.2f}×  "
                  f"{verdict(got / ideal >= GOAL_THROUGHPUT):<9} {us(tb):>9} {tpres[n]['latency_p50'] * 1e3:>9.1f} ms  "
                  f"{tpres[n]['errors']}")
        print("   where a request's time goes (time per request at the closed-loop rate; CPU from /proc):")
        print(f"     {'endpoint':<44} {'time/req':>10} {'server CPU/req':>15} {'client CPU/req':>15} {'server busy':>12}")
        rows = [("GET /bench/hello-async (async def)", "hello-async"), ("GET /bench/hello (sync def)", "hello")]
        for n in NETS:
            rows += [(f"POST /bench/validate, {n} (parse only)", "validate:" + n), (f"POST /api/step, {n}", n)]
        for title, k in rows:
            r = tpres[k]
            print(f"     {title:<44} {us(r['per_request']):>10} {us(r['server_cpu_per_request']):>15} "
                  f"{us(r['client_cpu_per_request']):>15} {r['server_cpu_share'] * 100:>10.0f} %")
        print("     (engine in-process, part 1: " + ", ".join(f"{n} {us(part1[n]['engine_s'])}" for n in NETS)
              + "; server busy 100 % = one core)")
        print("   inside the server, per /api/step request (instrumented run_step and the route's orjson _json):")
        for n in NETS:
            r, ins = tpres[n], tpres[n]["inside"]
            rest = r["server_cpu_per_request"] - ins["run_step_cpu"] - ins["encode_cpu"]
            in_proc = sum(v for k, v in bd[n].items() if k.startswith("run_step"))
            print(f"     {n:<9} run_step {us(ins['run_step_cpu'])} CPU / {us(ins['run_step_wall'])} wall "
                  f"(in-process part 1: {us(in_proc)}), orjson response {us(ins['encode_cpu'])}, "
                  f"GC pauses {us(ins['gc_wall'])} ({ins['gc_gen2_runs']:.2f} full GCs/req),\n"
                  f"     {'':<9} rest of the server CPU (HTTP h11, routing, body parse+validation, threadpool) {us(rest)}")
            part2["nets"][n]["inside"] = ins
        results["throughput"] = part2

        print(f"\n3. A class of 100 students editing: open loop, {args.rate:g} requests/s offered for {duration:g} s "
              f"on one worker   [t = {time.time() - started:.0f} s],\n   lecture net with small random weight edits per request; latency from the scheduled "
              f"send time")
        bodies3 = student_bodies(2000)
        cpu0, wall0 = proc_cpu(pid), time.perf_counter()
        ol = asyncio.run(open_loop(port, bodies3, args.rate, duration, timeout=5.0, max_conns=args.max_conns))
        ol["server_cpu_share"] = (proc_cpu(pid) - cpu0) / (time.perf_counter() - wall0)
        ok = ol["p99"] * 1e3 < GOAL_P99_MS and ol["errors"] == 0
        print(f"   scheduled {ol['scheduled']:,} at {ol['schedule_rps']:,.1f}/s, sent {ol['sent']:,} (at most "
              f"{args.max_conns} connections, one per student), completed {ol['completed']:,} "
              f"(achieved {ol['achieved_rps']:,.1f}/s)")
        print(f"   latency  p50 {ol['p50'] * 1e3:.1f} ms   p90 {ol['p90'] * 1e3:.1f} ms   p99 {ol['p99'] * 1e3:.1f} ms   "
              f"max {ol['max'] * 1e3:.1f} ms")
        print(f"   errors {ol['errors']} {ol['error_kinds']}  statuses {ol['statuses']}")
        print(f"   server busy {ol['server_cpu_share'] * 100:.0f} % of a core; client send lateness p99 "
              f"{ol['send_late_p99'] * 1e3:.1f} ms; capacity from part 2 ≈ {tpres['lecture']['rps']:,.0f} req/s")
        print(f"   goal p99 < {GOAL_P99_MS:g} ms and 0 errors: {verdict(ok)}")
        results["open_loop"] = ol
    finally:
        server.stop()

    print("\nSummary")
    for n in NETS:
        r = part1[n]["ratio"]
        print(f"   engine / bare torch, {label(n):<28} {r:7.1f}×   (goal ≤ {GOAL_ENGINE_RATIO:g}×)  {verdict(r <= GOAL_ENGINE_RATIO)}")
    for n in NETS:
        r = results["throughput"]["nets"][n]["ratio"]
        print(f"   throughput / ideal, {label(n):<29} {r:7.2f}×   (goal ≥ {GOAL_THROUGHPUT:g}×)  {verdict(r >= GOAL_THROUGHPUT)}")
    ol = results["open_loop"]
    print(f"   open loop {args.rate:g}/s for {duration:g} s: p50 {ol['p50'] * 1e3:.1f} ms, p99 {ol['p99'] * 1e3:.1f} ms, "
          f"errors {ol['errors']}   (goal p99 < {GOAL_P99_MS:g} ms, 0 errors)  "
          f"{verdict(ol['p99'] * 1e3 < GOAL_P99_MS and ol['errors'] == 0)}")
    load1 = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    results["env"]["loadavg_end"] = load1
    print(f"   whole run {time.time() - started:.0f} s; load average at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
