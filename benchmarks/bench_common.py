"""Shared pieces of the benchmark: paths, goal verdicts, interleaved timing, process CPU."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # the only address any server is started on or any request is sent to
SEED = 1234


@dataclass
class Figure:
    """One line of the summary: what was measured, its value, the goal and whether it is met.

    `met` is None when the figure could not be measured (`value` then says why), or when the
    figure has no goal of its own and is reported beside the others (its goal is then "reported").
    """

    section: str
    what: str
    value: str
    goal: str
    met: bool | None

    @property
    def verdict(self) -> str:
        """MET, NOT MET, NOT MEASURED, or REPORTED (a figure without a goal of its own)."""
        if self.goal == "reported":
            return "REPORTED"
        return {True: "MET", False: "NOT MET", None: "NOT MEASURED"}[self.met]

    def as_dict(self) -> dict:
        """The figure as JSON-ready data, verdict included."""
        return {**asdict(self), "verdict": self.verdict}


def ms(seconds: float) -> str:
    """A duration in ms (or µs below 0.1 ms), three significant figures or so."""
    if seconds != seconds:  # nan
        return "n/a"
    if seconds < 1e-4:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 0.01:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e3:,.1f} ms"


def per_call(fn: Callable[[], object], count: int) -> float:
    """Mean seconds per call over `count` back-to-back calls of fn."""
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count


def calls_per_block(fn: Callable[[], object], block_s: float) -> int:
    """How many calls of fn fill about block_s seconds (fn is called a few times first)."""
    return max(1, int(block_s / max(per_call(fn, 3), 1e-7)))


def interleaved_medians(fns: dict, rounds: int, block_s: float) -> dict:
    """Median seconds per call of each fn, measured in alternated blocks.

    Each round runs one block of every fn, the order reversed every other round, so slow
    spells of a shared machine hit all of them alike; the median over rounds drops outliers.
    """
    counts = {key: calls_per_block(fn, block_s) for key, fn in fns.items()}
    samples: dict = {key: [] for key in fns}
    keys = list(fns)
    for r in range(rounds):
        for key in keys if r % 2 == 0 else keys[::-1]:
            samples[key].append(per_call(fns[key], counts[key]))
    return {key: statistics.median(values) for key, values in samples.items()}


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every live process of process group pgid.

    Read from /proc/<pid>/stat, so a server's worker processes count with their supervisor;
    nan where /proc is missing.
    """
    total, found = 0.0, False
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields: state, ppid, pgrp, …, utime (11), stime (12)
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else float("nan")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as printed."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())
