"""Closed-loop throughput with wrk: POST a prepared body, read server and wrk CPU per request."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
from pathlib import Path

from bench_common import HOST, calls_per_block, per_call

WRK_MISSING = ("wrk is not installed, so this section was skipped. Install it with "
               "`apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk` (macOS), then run again.")

# wrk calls init(args) in each of its threads before it formats the request, and done() once.
LUA = """\
-- POST the file named by the first script argument as JSON; print one summary line.
init = function(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_path() -> str | None:
    """Where wrk is, or None."""
    return shutil.which("wrk")


def write_lua(folder: Path) -> Path:
    """The wrk script, written into folder."""
    path = folder / "post_body.lua"
    path.write_text(LUA)
    return path


def _children_cpu() -> float:
    """CPU seconds of this process's finished children so far (wrk's, once it has exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(server, path: str, body_file: Path, lua: Path, seconds: int, connections: int) -> dict:
    """One wrk run (one thread, `connections` keep-alive connections) against server:path.

    Returns requests/s, errors (connect, read, write, timeouts, HTTP status ≥ 400), and the
    server's and wrk's CPU per request, read from /proc and getrusage around the run.
    """
    argv = [wrk_path(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua),
            f"http://{HOST}:{server.port}{path}", "--", str(body_file)]
    server_cpu, wrk_cpu = server.cpu(), _children_cpu()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    server_cpu, wrk_cpu = server.cpu() - server_cpu, _children_cpu() - wrk_cpu
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH_RESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")
    requests, duration_us, *errors = (int(v) for v in line.split()[1:])
    done = max(requests, 1)
    return {"requests": requests, "rps": requests / (duration_us / 1e6), "errors": sum(errors),
            "server_cpu_per_request": server_cpu / done, "wrk_cpu_per_request": wrk_cpu / done}


def alternated_wrk(targets: dict, rounds: int, seconds: int, lua: Path, local: dict | None = None,
                   block_s: float = 0.5) -> dict:
    """wrk runs of every target in alternated blocks (order reversed every other round); medians.

    targets: key → (server, path, body file, connections). A short run of each first warms up.
    local: key → fn, timed in this process for a block of about block_s in every round, between
    the wrk runs (no load running then), after a whole block untimed (the process sat idle through
    the wrk runs: timed after a tenth of a block, the bare step came out up to 1.5× slower than
    when warm, which made the ideal slower and the ratios against it larger, the floor's above
    1×), so that a figure made of both comes from one round.
    """
    for server, path, body_file, connections in targets.values():
        run_wrk(server, path, body_file, lua, 1, connections)
    local = local or {}
    counts = {key: calls_per_block(fn, block_s) for key, fn in local.items()}
    runs: dict = {key: [] for key in [*targets, *local]}
    keys = list(targets) + list(local)
    for r in range(rounds):
        for key in keys if r % 2 == 0 else keys[::-1]:
            if key in local:  # a whole block first: the process sat idle through the wrk runs
                per_call(local[key], counts[key])
                runs[key].append({"seconds": per_call(local[key], counts[key])})
                continue
            server, path, body_file, connections = targets[key]
            runs[key].append(run_wrk(server, path, body_file, lua, seconds, connections))
    out = {key: {"seconds": statistics.median(r["seconds"] for r in runs[key]), "runs": runs[key]} for key in local}
    out.update({key: {"rps": statistics.median(r["rps"] for r in rs),
                      "server_cpu_per_request": statistics.median(r["server_cpu_per_request"] for r in rs),
                      "wrk_cpu_per_request": statistics.median(r["wrk_cpu_per_request"] for r in rs),
                      "errors": sum(r["errors"] for r in rs), "requests": sum(r["requests"] for r in rs),
                      "runs": rs}
                for key, rs in runs.items() if key in targets})
    return out
