"""What a step request's structure alone decides, derived once per structure.

The explanation's key and its written-out loss terms, the engine's module shape, the answer's
size bound and the parameter count depend on the sizes, names and switches of a request, not on
its numbers. A step request is read into a plain tuple of those (its signature, a few µs) and the
rest is looked up: building them per request cost more than the lecture's forward pass.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .engine.explain import Layer, Structure, explain_key
from .engine.explain.context import Context
from .engine.explain.forward import MAX_LOSS_TERMS, loss_pairs
from .engine.stepio import Shape
from .registry import LOSSES
from .schemas import StepRequest, count_parameters


@dataclass(frozen=True, eq=False)
class Plan:
    """A structure's derived facts (see the module's docstring). One per signature (see _plan), so
    compared and hashed by identity: a cache keyed by a plan costs no hashing of its fields.

    Its sizes are known at once (the limits are checked with them); what the explanation derives
    is worked out when a step is computed, so a request beyond the limits never builds it."""

    structure: Structure
    shape: Shape
    parameters: int
    answer_size: int  # an upper bound of the answer's bytes (see answer_bound)

    @cached_property
    def explain_key(self) -> str:
        return explain_key(self.structure)

    @cached_property
    def shown_terms(self) -> tuple | None:
        """The loss terms the formula writes out when it cannot write them all (None: it writes all)."""
        st = self.structure
        if st.samples * st.layers[-1].units <= MAX_LOSS_TERMS:
            return None
        pairs, count = loss_pairs(Context(st))
        return tuple(pairs) if len(pairs) < count else None


def signature(req: StepRequest) -> tuple:
    """Everything of the request the plan depends on, as a hashable tuple."""
    net, opt = req.network, req.optimizer
    sgd = opt.name == "sgd"
    # (a label that is no class index, a list or a float, is refused by request_errors; hashable here)
    labels = tuple(v if type(v) is int else None for v in req.y) if LOSSES[net.loss].targets == "classes" else None
    state = req.optimizer_state.get("params") if req.optimizer_state else None
    momentum_state = frozenset(name for name, entry in state.items()
                               if isinstance(entry, dict) and entry.get("momentum_buffer") is not None) \
        if isinstance(state, dict) else frozenset()
    return (net.inputs, tuple((layer.units, layer.activation, layer.freeze_weights, layer.freeze_biases)
                              for layer in net.layers),
            net.loss, len(req.x), req.trace_sample, opt.name,
            sgd and opt.momentum > 0, sgd and opt.dampening > 0, sgd and opt.nesterov, opt.weight_decay > 0,
            labels, momentum_state, req.no_grad, req.dtype)


def plan(req: StepRequest) -> Plan:
    """The plan of a request within the limits (built on the first request of its structure, then
    looked up; a request beyond them is refused before it gets one: see limit_errors). The last
    request's plan is remembered per thread: checking, computing and writing a step each ask."""
    last = getattr(_last, "pair", None)
    if last is not None and last[0] is req:  # (the request is held there, so its id is not reused)
        return last[1]
    known = _plan(signature(req))
    _last.pair = (req, known)
    return known


_last = threading.local()


def structure(req: StepRequest) -> Structure:
    """What the player's steps depend on: the explanation's cache key."""
    return plan(req).structure


@lru_cache(maxsize=512)
def _plan(sig: tuple) -> Plan:
    (inputs, layers, loss, samples, sample, optimizer, momentum, dampening, nesterov, weight_decay,
     labels, momentum_state, no_grad, dtype) = sig
    st = Structure(inputs=inputs, layers=tuple(Layer(*layer) for layer in layers), loss=loss, samples=samples,
                   sample=sample, optimizer=optimizer, momentum=momentum, dampening=dampening, nesterov=nesterov,
                   weight_decay=weight_decay, labels=labels, momentum_state=momentum_state, no_grad=no_grad)
    units = [u for u, *_ in layers]
    params = count_parameters(inputs, units)
    return Plan(structure=st, shape=Shape(inputs, layers, loss, optimizer, dtype), parameters=params,
                answer_size=answer_bound(inputs, units, params, samples, optimizer, len(layers)))



def answer_bound(inputs: int, units: list[int], parameters: int, samples: int, optimizer: str, layers: int) -> int:
    """An upper bound of a step answer's size in bytes, from its shape: 25 bytes per number
    (orjson writes a float64 in at most 24 characters), plus the structure's few kilobytes."""
    per_param = 3 + (samples > 1) + {"sgd": 1, "adam": 4}.get(optimizer, 4)  # W, W', ∂L/∂W, share, state
    per_sample = 4 * sum(units) + inputs + 2 * units[-1]  # s, z and their gradients; ∂L/∂x; ŷ and p
    return 25 * (per_param * parameters + per_sample * samples) + 8192 + 600 * layers
