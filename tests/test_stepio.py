"""The engine's conversion of the request's lists into tensors (app.engine.stepio.as_tensor), and its
check that every number of a step is finite (all_finite)."""

from __future__ import annotations

import random

import numpy as np
import orjson
import pytest
import torch

from app.engine.stepio import all_finite, as_tensor


def _rows(rows: int, cols: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.gauss(0.0, 1.0) for _ in range(cols)] for _ in range(rows)]


@pytest.mark.parametrize("rows", [1, 2, 7, 8, 9, 32, 200])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_a_list_of_rows_becomes_the_tensor_torch_makes(rows, dtype):
    """Few rows (np.array) or many (np.fromiter): the same numbers, shape and dtype as torch.tensor."""
    values = _rows(rows, 5, rows)
    values[0][0] = 3  # a JSON integer among the floats
    got = as_tensor(values, dtype)
    want = torch.tensor(values, dtype=torch.float64).to(dtype)
    assert got.dtype == dtype and got.shape == (rows, 5)
    assert torch.equal(got, want)


@pytest.mark.parametrize("length", [1, 3, 8, 40])
def test_a_list_of_numbers_becomes_a_vector(length):
    values = [row[0] for row in _rows(length, 1, length)]
    got = as_tensor(values, torch.float64)
    assert got.shape == (length,)
    assert torch.equal(got, torch.tensor(values, dtype=torch.float64))


@pytest.mark.parametrize("lengths", [
    [2, 2, 2, 2, 2, 2, 1, 3],  # as many numbers as 8 rows of 2: read flat, it would pass unnoticed
    [2] * 31 + [3],
    [3, 2],  # a few rows
])
def test_a_ragged_list_is_refused(lengths):
    values = [[float(k)] * n for k, n in enumerate(lengths)]
    with pytest.raises(ValueError):
        as_tensor(values, torch.float64)


def test_the_tensor_owns_its_numbers():
    """Changing the list afterwards does not change the tensor (the step writes parameters in place)."""
    values = _rows(16, 3, 1)
    t = as_tensor(values, torch.float64)
    before = t.clone()
    values[0][0] = 99.0
    assert torch.equal(t, before)
    assert isinstance(t.numpy(), np.ndarray)


def _lecture_result(batch: int = 1):
    from app.engine.presets import get_preset
    from app.schemas import StepRequest
    from app.service import compute

    body = get_preset("lecture")
    if batch > 1:
        body = {**body, "x": [body["x"][0]] * batch, "y": [body["y"][0]] * batch}
    return compute(StepRequest.model_validate(body))[0]


def _last_row(a):
    """The innermost list (or 1-D array) holding a read-out value's last number, to write into."""
    if isinstance(a, np.ndarray):
        return a.reshape(-1)  # a view: writing into it writes into a
    return _last_row(a[-1]) if type(a[-1]) is list else a


@pytest.mark.parametrize("read", ["as lists", "as arrays"])
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_one_number_not_finite_anywhere_in_a_step_is_found(batch, bad, read, monkeypatch):
    """Every array of the result, each in turn, gets one non-finite number: the check finds it (the
    lecture's tensors read out as lists, as they are, and as numpy arrays, as a large net's are)."""
    from app.engine import stepio

    if read == "as arrays":
        monkeypatch.setattr(stepio, "LIST_MAX", -1)
    result = _lecture_result(batch)
    assert all(type(a) is (list if read == "as lists" else np.ndarray) for a in result.pre + result.grad_weights)
    assert all_finite(result)
    fields = ["pre", "post", "grad_pre", "grad_post", "grad_weights", "grad_biases", "weights_after", "biases_after"]
    arrays = [a for f in fields for a in getattr(result, f)] + [result.grad_input]
    arrays += [a for layer in result.sample_grads or () for a in layer.values() if a is not None]
    assert len(arrays) >= 17
    for a in arrays:
        row = _last_row(a)
        old = row[-1]
        row[-1] = bad
        assert not all_finite(result), f"{bad} in {a!r} went unseen"
        row[-1] = old
    assert all_finite(result)
    result.loss = bad
    assert not all_finite(result)


def test_huge_finite_numbers_are_finite_and_an_array_of_another_dtype_is_read_as_its_numbers():
    """Numbers near the float64 limit (a sum of them overflows) are finite; a float32 or an integer
    array (not what as_array makes, but possible) is checked by its values, not its bytes."""
    result = _lecture_result()
    result.pre[0] = np.array([[1.7e308, 1.7e308]])
    result.post[0] = np.array([[-1.7e308, 1.7e308]])
    assert all_finite(result)
    result.grad_input = np.array([[1, 2, 3]], dtype=np.int64)  # bytes that read as float64 denormals
    result.grad_biases[0] = np.array([0.5, 2.0], dtype=np.float32)
    assert all_finite(result)
    result.grad_biases[0] = np.array([0.5, np.inf], dtype=np.float32)
    assert not all_finite(result)
    result.grad_biases[0] = np.array([0.5, 2.0], dtype=np.float32)
    result.grad_input = np.array([[-1]], dtype=np.int64)  # all bits set: NaN if read as float64
    assert all_finite(result)


def _variants():
    """Every preset, and random networks over every activation × loss, three optimizers, float32,
    a batch, two backward passes and an inference-only run."""
    from app.engine.presets import PRESETS, get_preset

    from helpers import ACTIVATIONS, LOSSES, random_request

    out = [get_preset(p) for p in PRESETS]
    optimizers = [{"name": "sgd", "lr": 0.1}, {"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True},
                  {"name": "adam", "lr": 0.01}]
    for k, (hidden, loss) in enumerate((h, l) for h in ACTIVATIONS for l in LOSSES):
        req = random_request(k, hidden, loss)
        req["optimizer"] = optimizers[k % 3]
        if k % 5 == 1:
            req["dtype"] = "float32"
        if k % 7 == 2:
            req["backward_passes"] = 2
        if k % 11 == 3:
            req["no_grad"] = True
        out.append(req)
    return out


def test_a_step_read_out_as_lists_or_as_arrays_answers_the_same_bytes(monkeypatch):
    """A small tensor is read out as lists, a large one as a numpy array (read_out): the answer's JSON
    is the same to the byte either way, for every preset and random networks of every kind."""
    from app import service
    from app.config import Settings
    from app.engine import stepio

    settings = Settings()
    bodies = [orjson.dumps(v) for v in _variants()]
    answers = {}
    for way, limit in (("as it reads", stepio.LIST_MAX), ("all lists", 10**9), ("all arrays", -1)):
        monkeypatch.setattr(stepio, "LIST_MAX", limit)
        answers[way] = [service.step_bytes(body, settings) for body in bodies]
    assert len(bodies) > 35
    for k, body in enumerate(bodies):
        assert answers["all lists"][k] == answers["all arrays"][k] == answers["as it reads"][k], body[:200]


def test_a_small_step_is_read_out_as_lists_and_a_large_one_as_arrays():
    """The lecture's tensors are read with tolist; MyMiniMLP's batch of 32 with numpy."""
    from app.engine.presets import get_preset
    from app.schemas import StepRequest
    from app.service import compute

    lecture = _lecture_result()
    assert type(lecture.pre[0]) is list and type(lecture.grad_weights[0]) is list
    body = get_preset("mini-mlp")
    body = {**body, "x": body["x"] * 32, "y": body["y"] * 32}
    mini = compute(StepRequest.model_validate(body))[0]
    assert len(body["x"]) == 32 and isinstance(mini.pre[0], np.ndarray) and isinstance(mini.grad_weights[0], np.ndarray)
