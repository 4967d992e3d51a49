"""Finiteness of tensors; the JSON-safe encoding of non-finite numbers lives in app.jsonsafe."""

from __future__ import annotations

import torch

from ..jsonsafe import finite_or_text

__all__ = ["finite_or_text", "is_finite"]


def is_finite(t: torch.Tensor) -> bool:
    """Whether every element of a tensor is a finite number."""
    return bool(torch.isfinite(t).all())
