#!/usr/bin/env python
"""Backprop Lab benchmark: the engine's step against bare torch, its growth with size, the
server's throughput against its ideal, a class editing under open-loop load, two workers.

    python benchmarks/bench_step.py [--quick] [--duration S] [--rate R] [--only NAME] [--json out.json]

Every figure is a ratio or a percentile measured in this run, printed with its goal and
MET / NOT MET; the exit code is 0 whatever they are. Servers run on 127.0.0.1 only, on free
ports, and are stopped at the end (also if the benchmark dies). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench_common import Figure, load_average
from bench_context import Context
from bench_engine import section_engine, section_growth
from bench_http import section_openloop, section_throughput, section_workers
from bench_page import section_drag, section_page
from bench_wrk import wrk_path

SECTIONS = {
    "engine": section_engine,
    "growth": section_growth,
    "throughput": section_throughput,
    "openloop": section_openloop,
    "workers": section_workers,
    "page": section_page,
    "drag": section_drag,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer and shorter repetitions, 8 s of open loop (about 1 minute)")
    parser.add_argument("--duration", type=float,
                        help="seconds of open-loop load (default 30, 8 with --quick; 1 to 120)")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop requests per second (default 200)")
    parser.add_argument("--only", action="append", choices=list(SECTIONS), metavar="NAME",
                        help=f"run only this section (repeatable): {', '.join(SECTIONS)}")
    parser.add_argument("--json", type=Path, help="also write every figure and measurement to this JSON file")
    return parser.parse_args(argv)


def print_environment(results: dict) -> None:
    """Versions, CPUs, load and the tools found, printed and kept for --json."""
    import torch

    from app.config import Settings

    env = {"python": platform.python_version(), "torch": torch.__version__, "cpus": os.cpu_count(),
           "torch_threads": Settings().torch_threads, "load_average_start": load_average(), "wrk": wrk_path()}
    results["environment"] = env
    print("Backprop Lab benchmark: ratios measured side by side in this run (alternated blocks, medians)")
    print(f"python {env['python']}, torch {env['torch']}, {env['cpus']} CPUs, torch threads {env['torch_threads']}; "
          f"load average {env['load_average_start']} (the load generators share these CPUs)")
    print(f"wrk: {env['wrk'] or 'not installed (apt-get install -y wrk)'}\n")


def run_section(name: str, ctx: Context) -> list[Figure]:
    """One section; if it fails, its traceback and a NOT MEASURED line instead of its figures."""
    started = time.monotonic()
    try:
        figures = SECTIONS[name](ctx)
    except Exception as exc:  # a section that cannot run must not stop the others
        traceback.print_exc(limit=3, file=sys.stdout)
        figures = [Figure(name, f"section {name}", f"failed: {type(exc).__name__}: {str(exc)[:80]}", "", None)]
    print(f"   [{name}: {time.monotonic() - started:.0f} s]\n")
    return figures


def print_summary(figures: list[Figure]) -> None:
    """Every figure of the run on one line each: value, goal, verdict."""
    what, value, goal = (max(len(getattr(f, key)) for f in figures) for key in ("what", "value", "goal"))
    print("Summary")
    for f in figures:
        print(f"   {f.what:<{what}}  {f.value:<{value}}  goal {f.goal:<{goal}}  {f.verdict}")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, print the summary, write --json; always 0."""
    args = parse_args(argv)
    duration = min(120.0, max(1.0, args.duration if args.duration is not None else (8.0 if args.quick else 30.0)))
    for sig in (signal.SIGTERM, signal.SIGHUP):  # unwind, so that every server is stopped
        signal.signal(sig, lambda *_: sys.exit(1))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench_step_") as folder:
        ctx = Context(quick=args.quick, duration=duration, rate=args.rate, folder=Path(folder))
        print_environment(ctx.results)
        figures = [f for name in (args.only or SECTIONS) for f in run_section(name, ctx)]
    print_summary(figures)
    ctx.results["figures"] = [f.as_dict() for f in figures]
    ctx.results["environment"]["load_average_end"] = load_average()
    print(f"   whole run {time.monotonic() - started:.0f} s; load average at the end {load_average()}")
    if args.json:
        args.json.write_text(json.dumps(ctx.results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
