"""The explanation: the ordered steps of the four phases, derived once per network structure.

Each step says which quantity it computes (an address), which registry template its formula
comes from, and the addresses of every number the formula uses; no values and no prose.
The page fills in the numbers from each step's answer and writes the words.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache

from ... import jsonpieces

from .backward import backward_steps
from .context import Context, Layer, Structure
from .forward import forward_steps, loss_step
from .update import update_steps

__all__ = ["Layer", "Structure", "explain", "explain_gzip", "explain_json", "explain_key"]


@lru_cache(maxsize=1024)
def explain_key(st: Structure) -> str:
    """A short stable name for the structure: the page refetches the explanation when it changes."""
    return hashlib.blake2b(repr(st).encode(), digest_size=8).hexdigest()


def explain(st: Structure) -> dict:
    """All four phases in order, each step numbered, with the diagram's symbols."""
    ctx = Context(st)
    steps = forward_steps(ctx)
    steps.append(loss_step(ctx))
    if not st.no_grad:
        steps += backward_steps(ctx)
        steps += update_steps(ctx)
    for i, step in enumerate(steps):
        step["i"] = i
    pre = [layer.activation != "identity" for layer in st.layers]
    return {"key": explain_key(st), "symbols": ctx.note.symbols(ctx.widths, pre), "steps": steps}


@lru_cache(maxsize=64)
def explain_json(st: Structure) -> bytes:
    """The explanation as JSON bytes, written once per structure."""
    return jsonpieces.dumps(explain(st))


@lru_cache(maxsize=64)
def explain_gzip(st: Structure) -> bytes:
    """The same bytes gzipped, once per structure (a big network's steps shrink about twentyfold)."""
    return gzip.compress(explain_json(st), compresslevel=6, mtime=0)
