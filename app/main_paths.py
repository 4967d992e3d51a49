"""Where static/ and templates/ are: inside the package when installed, beside it in a checkout."""

from __future__ import annotations

from pathlib import Path


def resource_dir(name: str) -> Path:
    """The folder `name` (static or templates), found from this file."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"{name}/ not found beside {here}")
