"""What goes into one step and what comes out: the structure, the numbers in, every number out,
and the two conversions between the request's lists, torch's tensors and the answer's arrays."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np
import torch


@dataclass(frozen=True)
class Shape:
    """What the torch modules depend on: sizes, activations, frozen tensors, loss, optimizer, dtype."""

    inputs: int
    layers: tuple[tuple[int, str, bool, bool], ...]  # (units, activation, freeze_weights, freeze_biases)
    loss: str
    optimizer: str
    dtype: str = "float64"

    def fan_ins(self) -> list[int]:
        return [self.inputs] + [units for units, *_ in self.layers[:-1]]


@dataclass
class StepInput:
    """The numbers of one step: parameters (None: from `seed`), data, hyper-parameters, state."""

    shape: Shape
    weights: list
    biases: list
    slopes: list[float]
    seed: int
    x: list
    y: list
    hyper: dict
    state: dict | None = None
    sample: int = 0
    shown_terms: list[tuple[int, int]] | None = None  # the loss terms written out, when not all are
    grad_before: dict | None = None  # .grad left by an earlier backward, by address (W:l, b:l, x)
    backward_passes: int = 1  # backward passes without zero_grad between them
    no_grad: bool = False  # inference only: forward and loss under torch.no_grad()


@dataclass
class StepResult:
    """Every number of the step, read once from torch: each tensor as nested Python lists when it is
    small, as a float64 numpy array when it is large (see read_out), floats, and the state's nested dicts."""

    loss: float
    pre: list
    post: list
    grad_pre: list
    grad_post: list
    grad_weights: list
    grad_biases: list
    grad_input: list
    weights: list
    biases: list
    weights_after: list
    biases_after: list
    probabilities: list | None
    state: dict | None
    optimizer_terms: list | None
    sample_grads: list | None
    loss_rest: float | None
    graph: dict
    diverged: bool
    accumulation: dict | None = None  # {backward_passes, grad_before, pass_grads} when .grad accumulated


def all_finite(r: StepResult) -> bool:
    """Is every number of the step finite? orjson would write a stray inf as null.

    Checked on the numbers the answer carries (the request's own numbers were checked finite).
    """
    # (the values before the step are the request's, checked finite, or the seed's initialisation)
    found = [[r.loss], *r.pre, *r.post, *r.weights_after, *r.biases_after]
    # gradients are None for a frozen tensor, and all of them for a no_grad run
    found += [a for a in (*r.grad_pre, *r.grad_post, r.grad_input, *r.grad_weights, *r.grad_biases) if a is not None]
    if r.accumulation is not None:
        found += list(r.accumulation["pass_grads"].values())
    if r.probabilities is not None:
        found.append(r.probabilities)
    if r.loss_rest is not None:
        found.append([r.loss_rest])
    for layer in r.sample_grads or ():
        found += [a for a in layer.values() if a is not None]
    for layer in r.optimizer_terms or ():
        found += [a for terms in layer.values() if terms for a in terms.values()]
    for entry in (r.state or {}).get("params", {}).values():
        found += [a for a in entry.values() if isinstance(a, np.ndarray)]
    rows, arrays = [], []  # the lists' rows of numbers; the numpy arrays
    for a in found:
        if type(a) is not list:
            arrays.append(a)
        elif a and type(a[0]) is list:
            rows += a
        else:
            rows.append(a)
    # A sum of finite numbers is finite unless it overflows; a NaN or ±∞ makes it NaN or ±∞. So a
    # finite sum clears every number at once, in C; only a sum that is not finite gets the check of
    # each number (which tells an overflow from a NaN or ±∞).
    if rows and not math.isfinite(sum(chain.from_iterable(rows))) \
            and not all(map(math.isfinite, chain.from_iterable(rows))):
        return False
    if not arrays:
        return True
    # The arrays' bytes joined and read as one float64 array: np.concatenate of ~20 small arrays cost
    # twice as much (as_array makes every array float64; any other goes the long way).
    if set(map(_dtype, arrays)) == _FLOAT64:
        return bool(np.isfinite(np.frombuffer(b"".join(map(np.ndarray.tobytes, arrays)))).all())
    return bool(np.isfinite(np.concatenate([a.ravel() for a in arrays])).all())


_dtype = attrgetter("dtype")
_FLOAT64 = {np.dtype(np.float64)}


def as_tensor(values: list, dtype: torch.dtype) -> torch.Tensor:
    """A tensor from a list of numbers, or from a rectangular list of such lists (a ragged one
    raises ValueError), through numpy (torch.tensor on lists costs twice as much). A list of many
    rows is read with np.fromiter, its size known: np.array's discovery of the shape and type,
    element by element, cost MyMiniMLP's batch of 32 a sixth of its step; for a few rows it
    costs less than the rows' check."""
    if len(values) < _FROMITER_ROWS:
        array = np.array(values, dtype=np.float64)
    elif type(values[0]) is list:
        rows, cols = len(values), len(values[0])
        lengths = set(map(len, values))
        if len(lengths) > 1:
            raise ValueError(f"a ragged list of lists: rows of {sorted(lengths)} values")
        array = np.fromiter(chain.from_iterable(values), np.float64, rows * cols).reshape(rows, cols)
    else:
        array = np.fromiter(values, np.float64, len(values))
    t = torch.from_numpy(array)
    return t if dtype == torch.float64 else t.to(dtype)


_FROMITER_ROWS = 8


def as_array(t: torch.Tensor | None):
    """A tensor's numbers as a float64 numpy array: a float32 value is written as the exact
    float64 it equals (orjson would write float32's shortest repr, a different number)."""
    if t is None:
        return None
    if t.dtype == torch.float64:  # force: s and z need grad; numpy() detaches them itself (no copy on the CPU)
        return t.numpy(force=True)
    return t.detach().double().numpy()


def as_list(t: torch.Tensor | None):
    """A tensor's numbers as nested Python lists of floats (a float32 value as the exact float64 it
    equals, as as_array gives it)."""
    return None if t is None else t.tolist()


LIST_MAX = 64  # numbers: a tensor up to this size is read out as lists, a larger one as a numpy array


def read_out(numbers: int):
    """How to read tensors of up to `numbers` numbers for the answer: as_list for small ones, as_array
    for large. Reading one costs tolist ~3k instructions and numpy ~8k (with their JSON and the
    finiteness check, 9k against 27k for the lecture's tensors), but each number costs a list about
    twice what it costs an array: from ~80 numbers on, the array is cheaper."""
    return as_list if numbers <= LIST_MAX else as_array
