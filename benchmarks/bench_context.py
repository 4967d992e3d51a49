"""What the sections of one run share: options, request bodies, the engine, bare torch times."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from bench_nets import bare_step, engine_step, session_step, step_request


@dataclass
class Prepared:
    """One network ready to time: its body, the engine's step on it, the bare torch step."""

    body: bytes
    engine: Callable[[], bytes]
    session: Callable[[], object]
    bare: Callable[[], None]
    answer_bytes: int


@dataclass
class Context:
    """Options and shared state of one run; `results` collects what --json writes."""

    quick: bool
    duration: float
    rate: float
    folder: Path
    results: dict = field(default_factory=dict)

    @property
    def rounds(self) -> int:
        """Alternated rounds of in-process timing blocks."""
        return 5 if self.quick else 9

    @property
    def block_s(self) -> float:
        """Seconds per in-process timing block."""
        return 0.05 if self.quick else 0.1

    @property
    def wrk_rounds(self) -> int:
        """Alternated rounds of wrk runs."""
        return 2 if self.quick else 3

    @property
    def wrk_seconds(self) -> int:
        """Seconds per wrk run."""
        return 2 if self.quick else 3

    @cached_property
    def engine(self) -> Callable[[bytes], bytes]:
        """The engine's step on a request body (app.service.step_bytes)."""
        return engine_step()

    def body(self, name: str) -> bytes:
        """The JSON body of a measured network's step request."""
        return json.dumps(step_request(name)).encode()

    def body_file(self, name: str) -> Path:
        """That body written to a file (for wrk)."""
        path = self.folder / f"{name}.json"
        path.write_bytes(self.body(name))
        return path

    def prepare(self, name: str) -> Prepared:
        """The engine warmed up on a network (its first call builds and caches the structure),
        and a bare torch step of the same network with the weights the engine used."""
        body = self.body(name)
        answer = self.engine(body)
        for _ in range(3):
            self.engine(body)
        bare = bare_step(step_request(name), json.loads(answer)["network"])
        return Prepared(body, lambda: self.engine(body), session_step(body), bare, len(answer))
