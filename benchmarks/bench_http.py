"""Sections 3, 4 and 5: the server under load, on 127.0.0.1 only."""

from __future__ import annotations

import statistics

from bench_common import Figure, ms
from bench_context import Context
from bench_nets import LABELS, answer_numbers, edited_lecture_bodies
from bench_openloop import run_open_loop
from bench_servers import app_argv, hello_argv, running
from bench_wrk import WRK_MISSING, alternated_wrk, wrk_path, write_lua

NETS = ("lecture", "mini-mlp")
GOAL_THROUGHPUT = 0.5  # /api/step req/s ÷ 1 / (t_hello + t_bare)
GOAL_P99_S = 0.050
GOAL_WORKERS = 1.6  # 2 workers' req/s ÷ 1 worker's
THROUGHPUT_CONNS = 4  # keeps one worker busy
WORKERS_CONNS = 8


def expect_200(server, path: str, body: bytes) -> bytes:
    """The answer of POST path; fail the section now, with the answer, unless it is 200."""
    status, answer = server.post(path, body)
    if status != 200:
        raise RuntimeError(f"{server.name}: POST {path} answered {status}: {answer[:300]!r}")
    return answer


def missing_wrk(section: str, whats: list[tuple[str, str]]) -> list[Figure]:
    """Say how to install wrk; the section's figures as not measured."""
    print(f"   {WRK_MISSING}")
    return [Figure(section, what, "wrk missing (apt-get install -y wrk)", goal, None) for what, goal in whats]


def section_throughput(ctx: Context) -> list[Figure]:
    """3. /api/step req/s on one worker ÷ the ideal 1 / (t_hello + t_bare), both nets, with wrk."""
    print("3. /api/step throughput on one uvicorn worker ÷ ideal 1 / (t_hello + t_bare) "
          f"(goal ≥ {GOAL_THROUGHPUT:g}×)")
    whats = [(f"/api/step req/s ÷ ideal, {LABELS[n]}", f"≥ {GOAL_THROUGHPUT:g}×") for n in NETS]
    if wrk_path() is None:
        return missing_wrk("throughput", whats)
    print(f"   wrk, 1 thread, {THROUGHPUT_CONNS} keep-alive connections, {ctx.wrk_rounds} alternated rounds of "
          f"{ctx.wrk_seconds} s.")
    print("   t_hello: POST /hello (the lecture body, read, not parsed) on a trivial FastAPI app served by the")
    print("   app's own command (same uvicorn options); t_bare: the bare torch step, timed in this process in")
    print("   every round between the wrk runs; ratio: the median of the rounds' req/s × (t_hello + t_bare).")
    print("   floor: POST /floor on the hello server, straight from ASGI: the body parsed by orjson, the bare")
    print("   step on its numbers, as many numbers written by orjson as the app's answer carries.")
    with running("app, 1 worker", app_argv) as app, running("hello", hello_argv) as hello:
        print(f"   server: {app.command}")
        expect_200(hello, "/hello", ctx.body("lecture"))
        targets = {"hello": (hello, "/hello", ctx.body_file("lecture"), THROUGHPUT_CONNS)}
        numbers = {}
        for name in NETS:
            numbers[name] = answer_numbers(expect_200(app, "/api/step", ctx.body(name)))
            targets[name] = (app, "/api/step", ctx.body_file(name), THROUGHPUT_CONNS)
            floor = f"/floor?numbers={numbers[name]}"
            expect_200(hello, floor, ctx.body(name))
            targets[f"floor {name}"] = (hello, floor, ctx.body_file(name), THROUGHPUT_CONNS)
        bare = {f"bare {name}": ctx.prepare(name).bare for name in NETS}
        runs = alternated_wrk(targets, ctx.wrk_rounds, ctx.wrk_seconds, write_lua(ctx.folder), bare, ctx.block_s)
    t_hello = 1.0 / runs["hello"]["rps"]

    def ratio(key: str, name: str) -> float:
        """The median over rounds of key's req/s ÷ that round's ideal 1 / (t_hello + t_bare)."""
        rounds = zip(runs[key]["runs"], runs["hello"]["runs"], runs[f"bare {name}"]["runs"])
        return statistics.median(r["rps"] * (1.0 / h["rps"] + b["seconds"]) for r, h, b in rounds)

    print_wrk_header("endpoint", "ideal")
    print_wrk_row(f"POST /hello (t_hello = {ms(t_hello)})", runs["hello"], "", "", "")
    figures, ratios, floor_ratios = [], {}, {}
    for name, (what, goal) in zip(NETS, whats):
        t_bare = runs[f"bare {name}"]["seconds"]
        ideal = 1.0 / (t_hello + t_bare)
        app_ratio = ratios[name] = ratio(name, name)
        floor_ratio = floor_ratios[name] = ratio(f"floor {name}", name)
        figures.append(Figure("throughput", what, f"{runs[name]['rps']:,.0f} / {ideal:,.0f} req/s = {app_ratio:.2f}× "
                              f"(floor {floor_ratio:.2f}×)", goal,
                              app_ratio >= GOAL_THROUGHPUT and runs[name]["errors"] == 0))
        print_wrk_row(f"POST /floor, {name} ({numbers[name]:,} numbers)", runs[f"floor {name}"], f"{ideal:,.0f}",
                      f"{floor_ratio:.2f}×", "")
        print_wrk_row(f"POST /api/step, {name} (t_bare = {ms(t_bare)})", runs[name], f"{ideal:,.0f}",
                      f"{app_ratio:.2f}×", figures[-1].verdict)
    print("   (req/s and ideal: medians over the rounds; ratio: the median of the rounds' ratios)")
    ctx.results["throughput"] = {"t_hello_s": t_hello, "numbers": numbers, "wrk": runs,
                                 "t_bare_s": {name: runs[f"bare {name}"]["seconds"] for name in NETS},
                                 "ratio": ratios, "floor_ratio": floor_ratios}
    return figures


def print_wrk_header(first: str, ideal: str) -> None:
    """The column titles of a wrk table."""
    print(f"   {first:<44} {'req/s':>8} {ideal:>8} {'ratio':>7}   {'verdict':<9} {'server CPU/req':>15} "
          f"{'server busy':>12} {'wrk CPU/req':>12} errors")


def print_wrk_row(title: str, run: dict, ideal: str, ratio: str, verdict: str) -> None:
    """One line of a wrk table; server busy = req/s × server CPU/req (100 % = one core)."""
    busy = run["rps"] * run["server_cpu_per_request"] * 100
    print(f"   {title:<44} {run['rps']:>8,.0f} {ideal:>8} {ratio:>7}   {verdict:<9} "
          f"{ms(run['server_cpu_per_request']):>15} {busy:>10.0f} % {ms(run['wrk_cpu_per_request']):>12} "
          f"{run['errors']}")


def section_openloop(ctx: Context) -> list[Figure]:
    """4. A class editing: the lecture net with random edits at a fixed rate, open loop, one worker."""
    count = int(ctx.rate * ctx.duration)
    print(f"4. Open loop: lecture net, random weight edits (every request different), {ctx.rate:g} req/s for "
          f"{ctx.duration:g} s on one worker (goal p99 < {GOAL_P99_S * 1e3:g} ms, 0 errors)")
    print("   asyncio client, pre-built requests, keep-alive pool (≤ 64 connections); latency from the "
          "scheduled send time; timeout 5 s")
    bodies = edited_lecture_bodies(count + int(ctx.rate))
    with running("app, 1 worker", app_argv) as app:
        expect_200(app, "/api/step", bodies[0])
        run_open_loop(app.port, "/api/step", bodies[count:], ctx.rate)  # 1 s of warm-up, not counted
        cpu = app.cpu()
        result = run_open_loop(app.port, "/api/step", bodies[:count], ctx.rate)
        result["server_cpu_per_request"] = (app.cpu() - cpu) / count
    result["server_cpu_share"] = result["server_cpu_per_request"] * count / result["seconds"]
    met = result["p99"] < GOAL_P99_S and result["errors"] == 0
    figure = Figure("openloop", f"open loop {ctx.rate:g} req/s for {ctx.duration:g} s, lecture with edits",
                    f"p50 {ms(result['p50'])}, p99 {ms(result['p99'])}, {result['errors']} errors",
                    f"p99 < {GOAL_P99_S * 1e3:g} ms, 0 errors", met)
    print(f"   {result['answered']:,} of {count:,} answered; p50 {ms(result['p50'])}, p90 {ms(result['p90'])}, "
          f"p99 {ms(result['p99'])}, max {ms(result['max'])}; errors {result['errors']} {result['error_kinds']}   "
          f"{figure.verdict}")
    print(f"   server CPU {ms(result['server_cpu_per_request'])}/req ({result['server_cpu_share'] * 100:.0f} % of a "
          f"core); generator ({result['event_loop']}) CPU {ms(result['client_cpu_per_request'])}/req "
          f"({result['client_cpu_share'] * 100:.0f} % of a core), send lateness p99 "
          f"{ms(result['send_lateness_p99'])}, {result['connections_opened']} connections")
    ctx.results["openloop"] = result
    return [figure]


def section_workers(ctx: Context) -> list[Figure]:
    """5. The lecture step's req/s with 2 workers ÷ with 1 worker, with wrk."""
    print(f"5. Workers: lecture /api/step req/s, 2 workers ÷ 1 worker (goal ≥ {GOAL_WORKERS:g}×)")
    what = "/api/step req/s, 2 workers ÷ 1, lecture"
    if wrk_path() is None:
        return missing_wrk("workers", [(what, f"≥ {GOAL_WORKERS:g}×")])
    print(f"   wrk, 1 thread, {WORKERS_CONNS} keep-alive connections, {ctx.wrk_rounds} alternated rounds of "
          f"{ctx.wrk_seconds} s, medians")
    body_file = ctx.body_file("lecture")
    with running("app, 1 worker", app_argv) as one, \
            running("app, 2 workers", lambda p: app_argv(p, 2)) as two:
        for server in (one, two):
            print(f"   server: {server.command}")
            expect_200(server, "/api/step", ctx.body("lecture"))
        targets = {n: (s, "/api/step", body_file, WORKERS_CONNS) for n, s in (("1 worker", one), ("2 workers", two))}
        runs = alternated_wrk(targets, ctx.wrk_rounds, ctx.wrk_seconds, write_lua(ctx.folder))
    ratio = runs["2 workers"]["rps"] / runs["1 worker"]["rps"]
    figure = Figure("workers", what, f"{runs['2 workers']['rps']:,.0f} / {runs['1 worker']['rps']:,.0f} req/s = "
                    f"{ratio:.2f}×", f"≥ {GOAL_WORKERS:g}×",
                    ratio >= GOAL_WORKERS and runs["1 worker"]["errors"] + runs["2 workers"]["errors"] == 0)
    print_wrk_header("server", "")
    print_wrk_row("1 worker", runs["1 worker"], "", "", "")
    print_wrk_row("2 workers", runs["2 workers"], "", f"{ratio:.2f}×", figure.verdict)
    ctx.results["workers"] = {"ratio": ratio, "wrk": runs}
    return [figure]
