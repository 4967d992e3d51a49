"""A class keeps being served while the worst requests are computed: ordering, not a stopwatch.

A real server (one worker, one engine thread) gets the most expensive valid requests (explanations
of the largest networks, nothing cached) and the worst invalid ones (bodies full of wrong values)
all at once; /api/health and a lecture step sent after them must be answered before the last of
them is.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from helpers import live_server, run_async
from worst import widest, worst_invalid, worst_invalid_megabyte, worst_valid

import orjson


@pytest.fixture(scope="module")
def port():
    with live_server(queue_limit=64) as port:
        yield port


async def _scenario(port: int, heavy: list[tuple[str, bytes]]) -> dict[str, tuple[float, int]]:
    done: dict[str, tuple[float, int]] = {}
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120, limits=limits) as client:
        lecture = (await client.get("/api/presets/lecture")).content

        async def post(name: str, path: str, body: bytes):
            r = await client.post(path, content=body, headers={"content-type": "application/json"})
            done[name] = (time.monotonic(), r.status_code)

        async def get(name: str, path: str):
            r = await client.get(path)
            done[name] = (time.monotonic(), r.status_code)

        tasks = [asyncio.create_task(post(name, path, body)) for name, (path, body) in heavy]
        await asyncio.sleep(0.3)  # they are all in the server now
        await asyncio.gather(get("health", "/api/health"), post("lecture", "/api/step", lecture))
        await asyncio.gather(*tasks)
    return done


def test_health_and_a_lecture_step_are_answered_while_the_worst_requests_are_computed(port):
    heavy = {f"valid-{k}": ("/api/explain", worst_valid(k)) for k in range(3)}
    heavy |= {f"step-{k}": ("/api/step", orjson.dumps(widest(62 - k))) for k in range(2)}
    heavy |= {f"invalid-{k}": ("/api/step", worst_invalid()) for k in range(4)}
    heavy |= {f"megabyte-{k}": ("/api/step", worst_invalid_megabyte()) for k in range(2)}
    done = run_async(_scenario(port, list(heavy.items())))
    assert done["health"][1] == 200 and done["lecture"][1] == 200
    statuses = {name: done[name][1] for name in heavy}
    assert all(statuses[n] == 200 for n in heavy if n.startswith(("valid", "step"))), statuses
    assert all(statuses[n] == 422 for n in heavy if n.startswith(("invalid", "megabyte"))), statuses
    last_heavy = max(done[name][0] for name in heavy)
    assert done["health"][0] < last_heavy and done["lecture"][0] < last_heavy
    # and not only the first: both came back before the valid heavy work was half done
    valid_done = sorted(done[n][0] for n in heavy if n.startswith("valid"))
    assert done["lecture"][0] < valid_done[1]
