"""Fixtures: the app in-process (FastAPI's TestClient), with default or chosen settings."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/helpers.py

from app.config import Settings  # noqa: E402
from app.main import create_app  # noqa: E402


@contextmanager
def app_client(**settings):
    """A TestClient on a fresh app whose Settings get these overrides."""
    with TestClient(create_app(Settings(open_browser=False, **settings))) as c:
        yield c


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
