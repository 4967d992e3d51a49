"""Training runs: the streamed run against a bare torch loop, and lecture steps while runs stream.

1. 1,000 steps of a 2-8-8-1 network (tanh, tanh, sigmoid; BCE; SGD) on batches of 32 of a 256-row
   XOR set, the loss every step and 20 snapshots: POST /api/train's whole NDJSON answer made
   in-process (app.train.service.run_all: the loop, the step lines, the snapshots, the JSON) ÷ a
   bare torch loop doing the same steps (loss.item() every step, a copy of the weights every 50
   steps), measured in alternated blocks in the same run. Goal ≤ 1.2×.
2. A real server (one worker): lecture steps (POST /api/step) in an open loop, first alone, then
   while 4 training runs stream at once. Goal p99 < 50 ms.

    python benchmarks/bench_train.py            # both sections, about a minute
    python benchmarks/bench_train.py --only engine
"""

from __future__ import annotations

import argparse
import copy
import http.client
import statistics
import sys
import threading
import time

import orjson

from bench_common import HOST, ROOT, Figure, load_average, ms

sys.path.insert(0, str(ROOT))

STEPS, BATCH, ROWS, EVERY = 1000, 32, 256, 50


def train_body(grid: int | None = 0, steps: int = STEPS) -> dict:
    """The benchmark's run as a POST /api/train body (grid 0: no maps; None: the default maps)."""
    return {"network": {"inputs": 2, "loss": "bce", "seed": 7, "layers": [
        {"units": 8, "activation": "tanh"}, {"units": 8, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]},
        "data": {"name": "xor", "n": ROWS, "seed": 1}, "optimizer": {"name": "sgd", "lr": 0.1},
        "steps": steps, "batch_size": BATCH, "seed": 3, "snapshot_every": EVERY, "grid": grid,
        "neuron_grid": grid}


def bare_loop():
    """A plain torch loop on the same data and network: built once, loss read every step, weights copied every 50."""
    import torch
    from torch import nn

    from app.train.datasets import generate

    data = generate("xor", ROWS, 0.0, 1, 2, False, 0.0)
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1), nn.Sigmoid()).double()
    start = copy.deepcopy(model.state_dict())
    loss_fn = nn.BCELoss()

    def run():
        model.load_state_dict(start)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        g = torch.Generator().manual_seed(3)
        losses, snapshots, k = [], [], 0
        while k < STEPS:
            order = torch.randperm(ROWS, generator=g)
            xe, ye = data.x[order], data.y[order]
            for first in range(0, ROWS, BATCH):
                if k == STEPS:
                    break
                loss = loss_fn(model(xe[first:first + BATCH]), ye[first:first + BATCH])
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
                k += 1
                if k % EVERY == 0:
                    snapshots.append({key: v.clone() for key, v in model.state_dict().items()})
        return losses, snapshots

    return run


def section_engine(rounds: int) -> list[Figure]:
    from app.config import Settings
    from app.train.service import run_all

    settings = Settings(open_browser=False)
    plain, maps = orjson.dumps(train_body(0)), orjson.dumps(train_body(None))
    fns = {"bare": bare_loop(), "stream": lambda: run_all(plain, settings), "maps": lambda: run_all(maps, settings)}
    for fn in fns.values():
        fn()  # warm: first calls pay for imports and allocations
    times: dict = {key: [] for key in fns}
    for r in range(rounds):  # side by side, the order reversed every other round; ratios paired per round
        for key in list(fns) if r % 2 == 0 else list(fns)[::-1]:
            start = time.perf_counter()
            fns[key]()
            times[key].append(time.perf_counter() - start)
    ratio = {key: statistics.median(t / b for t, b in zip(times[key], times["bare"])) for key in ("stream", "maps")}
    size = len(run_all(plain, settings)), len(run_all(maps, settings))
    print(f"best of {rounds}: bare torch loop {ms(min(times['bare']))} · NDJSON run {ms(min(times['stream']))} "
          f"({size[0] / 1e3:.0f} kB) · with the default maps {ms(min(times['maps']))} ({size[1] / 1e3:.0f} kB)")
    print(f"paired ratios per round: {[round(t / b, 2) for t, b in zip(times['stream'], times['bare'])]}")
    r1, r2 = ratio["stream"], ratio["maps"]
    best = min(times["stream"]) / min(times["bare"])
    return [Figure("engine", "1,000 steps, 20 snapshots, no maps ÷ bare torch loop (median of paired rounds)",
                   f"{r1:.2f}× (best ÷ best {best:.2f}×)", "≤ 1.2×", r1 <= 1.2),
            Figure("engine", "the same with the default maps (32² boundary, 16² per neuron) ÷ bare", f"{r2:.2f}×",
                   "reported", None)]


def _stream_forever(port: int, body: bytes, stop: threading.Event, started: threading.Barrier) -> None:
    """One training run streamed and read line by line until `stop` (then the connection is closed)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("POST", "/api/train", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.readline()
        started.wait(timeout=60)
        while not stop.is_set() and response.readline():
            pass
    finally:
        conn.close()


def section_server(seconds: float, rate: float) -> list[Figure]:
    from bench_openloop import run_open_loop
    from bench_servers import app_argv, running

    from app.engine.presets import get_preset

    lecture = orjson.dumps(get_preset("lecture"))
    bodies = [lecture] * int(seconds * rate)
    long_run = orjson.dumps(train_body(None, steps=20_000) | {"snapshot_every": 200})
    with running("app", app_argv) as server:
        run_open_loop(server.port, "/api/step", bodies[: int(rate)], rate)  # warm the connections
        alone = run_open_loop(server.port, "/api/step", bodies, rate)
        stop, started = threading.Event(), threading.Barrier(5)
        threads = [threading.Thread(target=_stream_forever, args=(server.port, long_run, stop, started), daemon=True)
                   for _ in range(4)]
        for th in threads:
            th.start()
        started.wait(timeout=60)
        busy = run_open_loop(server.port, "/api/step", bodies, rate)
        stop.set()
        for th in threads:
            th.join(timeout=30)
        healthy = server.health()
    for name, r in (("alone", alone), ("4 runs streaming", busy)):
        print(f"lecture steps at {rate:g}/s, {name}: p50 {ms(r['p50'])} p99 {ms(r['p99'])} max {ms(r['max'])}, "
              f"{r['answered']}/{r['scheduled']} answered, {r['errors']} errors")
    met = busy["p99"] < 0.05 and busy["errors"] == 0
    return [Figure("server", "lecture step p99 while 4 training runs stream", f"{ms(busy['p99'])} (alone "
                   f"{ms(alone['p99'])}, {busy['errors']} errors)", "< 50 ms", met),
            Figure("server", "server healthy after the runs' clients left", str(healthy), "True", healthy)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["engine", "server"], action="append")
    parser.add_argument("--rounds", type=int, default=7, help="alternated rounds of section 1")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of lecture steps per measurement")
    parser.add_argument("--rate", type=float, default=50.0, help="lecture steps a second")
    args = parser.parse_args(argv)
    print(f"load average {load_average()}")
    figures = []
    if not args.only or "engine" in args.only:
        figures += section_engine(args.rounds)
    if not args.only or "server" in args.only:
        figures += section_server(args.duration, args.rate)
    print("\nsummary")
    for f in figures:
        print(f"  [{f.verdict}] {f.what}: {f.value} (goal {f.goal})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
