"""The engine's conversion of the request's lists into tensors (app.engine.stepio.as_tensor), and its
check that every number of a step is finite (all_finite)."""

from __future__ import annotations

import random

import numpy as np
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


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_one_number_not_finite_anywhere_in_a_step_is_found(batch, bad):
    """Every array of the result, each in turn, gets one non-finite number: the check finds it."""
    result = _lecture_result(batch)
    assert all_finite(result)
    fields = ["pre", "post", "grad_pre", "grad_post", "grad_weights", "grad_biases", "weights_after", "biases_after"]
    arrays = [a for f in fields for a in getattr(result, f)] + [result.grad_input]
    arrays += [a for layer in result.sample_grads or () for a in layer.values() if a is not None]
    assert len(arrays) >= 17
    for a in arrays:
        old = a.flat[-1]
        a.flat[-1] = bad
        assert not all_finite(result), f"{bad} in an array of shape {a.shape} went unseen"
        a.flat[-1] = old
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
