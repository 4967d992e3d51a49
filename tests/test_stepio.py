"""The engine's conversion of the request's lists into tensors (app.engine.stepio.as_tensor)."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from app.engine.stepio import as_tensor


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
