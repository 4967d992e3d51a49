"""Toy data sets made in code from a seed, and the seeded train/test split. torch only, float64.

Every random number comes from one torch.Generator seeded by the data's `seed`: the same
seed gives the same points, bit for bit, on every machine (torch's CPU generator is a
Mersenne Twister). Classification sets have 2-D inputs in about [-1, 1]²; regression sets a
1-D input in [-1, 1]. `noise` is the standard deviation of Gaussian jitter, in input units
for the classification sets and in target units for the regression sets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

CLASSIFICATION = ("xor", "gaussians", "circles", "spiral")
REGRESSION = ("line", "sine")
NAMES = CLASSIFICATION + REGRESSION
MULTICLASS = ("gaussians", "spiral")  # the sets that take a number of classes (the others have two)

F64 = torch.float64


@dataclass
class Dataset:
    """Rows of x, their targets, and which rows train and which test."""

    x: torch.Tensor  # (N, inputs) float64
    y: torch.Tensor  # (N, outputs) float64, or (N,) long class indices
    task: str  # "classification" or "regression"
    classes: int | None
    train: torch.Tensor  # row indices, ascending (long)
    test: torch.Tensor  # row indices, ascending (long)

    @property
    def inputs(self) -> int:
        return self.x.shape[1]


def _labels(n: int, k: int) -> torch.Tensor:
    """Balanced classes: sample i belongs to class i mod k."""
    return torch.arange(n) % k


def _xor(n: int, noise: float, k: int, g: torch.Generator):
    u = torch.rand(n, 2, generator=g, dtype=F64) * 2 - 1
    x = torch.sign(u) * (0.1 + 0.9 * u.abs())  # kept 0.1 off the axes: noise-free XOR is separable
    label = (x[:, 0] * x[:, 1] < 0).long()  # 1 where the signs differ
    return x + noise * torch.randn(n, 2, generator=g, dtype=F64), label


def _gaussians(n: int, noise: float, k: int, g: torch.Generator):
    label = _labels(n, k)
    angle = 2 * math.pi * label.to(F64) / k + math.pi / 4 + (math.pi if k == 2 else 0.0)
    centres = 0.6 * torch.stack([torch.cos(angle), torch.sin(angle)], 1)
    return centres + (0.2 + noise) * torch.randn(n, 2, generator=g, dtype=F64), label


def _circles(n: int, noise: float, k: int, g: torch.Generator):
    label = _labels(n, 2)
    radius = torch.rand(n, generator=g, dtype=F64) * 0.4 + 0.6 * label.to(F64)  # inner 0–0.4, outer 0.6–1
    angle = torch.rand(n, generator=g, dtype=F64) * 2 * math.pi
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    return x + noise * torch.randn(n, 2, generator=g, dtype=F64), label


def _spiral(n: int, noise: float, k: int, g: torch.Generator):
    label = _labels(n, k)
    t = torch.rand(n, generator=g, dtype=F64)
    angle = 2 * math.pi * label.to(F64) / k + 4.0 * t  # each arm turns about 230° outwards
    radius = 0.05 + 0.95 * t
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    return x + noise * torch.randn(n, 2, generator=g, dtype=F64), label


def _line(n: int, noise: float, g: torch.Generator):
    x = torch.rand(n, 1, generator=g, dtype=F64) * 2 - 1
    return x, 0.8 * x - 0.3 + noise * torch.randn(n, 1, generator=g, dtype=F64)


def _sine(n: int, noise: float, g: torch.Generator):
    x = torch.rand(n, 1, generator=g, dtype=F64) * 2 - 1
    return x, torch.sin(math.pi * x) + noise * torch.randn(n, 1, generator=g, dtype=F64)


_CLASSIFIERS = {"xor": _xor, "gaussians": _gaussians, "circles": _circles, "spiral": _spiral}
_REGRESSORS = {"line": _line, "sine": _sine}


def split(n: int, test_fraction: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(train rows, test rows), ascending: round(test_fraction·n) rows drawn for the test set by `g`."""
    n_test = round(test_fraction * n)
    if n_test == 0:
        return torch.arange(n), torch.arange(0)
    order = torch.randperm(n, generator=g)
    return order[n_test:].sort().values, order[:n_test].sort().values


def generate(name: str, n: int, noise: float, seed: int, classes: int, as_classes: bool,
             test_fraction: float) -> Dataset:
    """A generated set: its points, targets shaped for the loss (a 0/1 column, or class indices), its split."""
    g = torch.Generator().manual_seed(seed)
    if name in _REGRESSORS:
        x, y = _REGRESSORS[name](n, noise, g)
        task, k = "regression", None
    else:
        k = classes if name in MULTICLASS else 2
        x, label = _CLASSIFIERS[name](n, noise, k, g)
        y = label if as_classes else label.to(F64).unsqueeze(1)
        task = "classification"
    train, test = split(n, test_fraction, g)  # the same generator, after the points
    return Dataset(x.contiguous(), y.contiguous(), task, k, train, test)


def table(x: list, y: list, seed: int, test_fraction: float) -> Dataset:
    """The user's own rows. Class indices, or a single column of 0s and 1s, make it classification."""
    xt = torch.tensor(x, dtype=F64)
    if y and isinstance(y[0], int):
        yt = torch.tensor(y, dtype=torch.long)
        task, k = "classification", max(2, int(yt.max()) + 1)
    else:
        yt = torch.tensor(y, dtype=F64)
        binary = yt.shape[1] == 1 and bool(((yt == 0) | (yt == 1)).all())
        task, k = ("classification", 2) if binary else ("regression", None)
    train, test = split(len(x), test_fraction, torch.Generator().manual_seed(seed))
    return Dataset(xt, yt, task, k, train, test)
