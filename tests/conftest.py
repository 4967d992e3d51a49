"""Fixtures: the app in-process (FastAPI's TestClient), with default or chosen settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/helpers.py

from helpers import app_client  # noqa: E402


@pytest.fixture(scope="session")
def client():
    """One in-process client with the default settings, shared by the session."""
    with app_client() as c:
        yield c


@pytest.fixture(scope="session")
def lecture(client) -> dict:
    """The lecture preset as a step request."""
    r = client.get("/api/presets/lecture")
    assert r.status_code == 200
    return r.json()
