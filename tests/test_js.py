"""The pure JS modules (addresses, layout, scales, formatting, formulas, edits) pass node --test.

Their fixtures come from the real API, written here before every run, so the page's modules
are always tested against what the server serves now (the registry, the lecture's steps).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import app_client

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "js" / "fixtures"


def write_fixtures() -> None:
    """registry.json and lecture-explanation.json, from the API as it is now."""
    with app_client() as client:
        registry = client.get("/api/registry").json()
        lecture = client.get("/api/presets/lecture").json()
        explanation = client.post("/api/explain", json=lecture).json()
    FIXTURES.mkdir(exist_ok=True)
    for name, content in (("registry.json", registry), ("lecture-explanation.json", explanation)):
        text = json.dumps(content, ensure_ascii=False, indent=1) + "\n"
        path = FIXTURES / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def test_node_tests_of_the_pure_modules_pass():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    write_fixtures()
    # formulas.test.mjs needs its own fixtures: tests/test_formula_fixtures.py writes and runs it.
    files = sorted(str(p) for p in (ROOT / "tests" / "js").glob("*.test.mjs") if p.name != "formulas.test.mjs")
    assert files, "no node tests found"
    run = subprocess.run([node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
