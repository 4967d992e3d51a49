"""The docs are true: the README's settings table and test command match the code and CI."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from app.config import Settings
from helpers import app_client, step

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """The text under a `## heading` of the README, up to the next heading of that level."""
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert m, f"README has no '## {heading}' section"
    return m.group(1)


def _table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _section("Settings").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = (cells[1].strip("`"), cells[2])
    return rows


def _shown(default) -> str:
    return ("true" if default else "false") if isinstance(default, bool) else str(default)


def test_readme_settings_table_has_variable_default_and_meaning_columns():
    header = next(line for line in _section("Settings").splitlines() if line.startswith("|"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Variable", "Default", "Meaning"]


def test_readme_settings_table_lists_exactly_the_settings_fields():
    assert set(_table()) == {f"BACKPROP_LAB_{name.upper()}" for name in Settings.model_fields}


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_readme_gives_each_settings_default_and_description(name):
    field = Settings.model_fields[name]
    default, meaning = _table()[f"BACKPROP_LAB_{name.upper()}"]
    assert default == _shown(field.default)
    assert field.description and meaning == field.description


def test_every_setting_is_read_from_its_environment_variable(monkeypatch):
    values = {"host": "0.0.0.0", "port": "8123", "open_browser": "false", "max_layers": "3", "max_units": "5",
              "max_inputs": "6", "max_parameters": "9", "max_samples": "7", "max_body_bytes": "4096",
              "engine_threads": "3", "torch_threads": "2", "inline_max_cost": "11", "inline_max_bytes": "512",
              "workers": "2", "allowed_hosts": "lab.example.org, *.dept.example.org", "header_timeout": "4",
              "body_timeout": "8.5", "keep_alive_timeout": "3", "limit_concurrency": "64",
              "graceful_shutdown_timeout": "2"}
    values |= {"max_answer_bytes": "100000", "compute_budget": "1.5", "queue_limit": "3", "switch_interval": "0.002"}
    values |= {"max_gradcheck_addresses": "13", "max_gradcheck_cost": "1000"}
    values |= {"train_max_steps": "500", "train_max_samples": "300", "train_max_seconds": "7.5", "train_max_runs": "3",
               "train_threads": "2", "train_chunk_seconds": "0.02", "train_max_grid": "40",
               "train_max_snapshots": "50"}
    assert set(values) == set(Settings.model_fields)
    for name, value in values.items():
        monkeypatch.setenv(f"BACKPROP_LAB_{name.upper()}", value)
    s = Settings()
    assert (s.host, s.port, s.open_browser, s.max_layers, s.max_units, s.max_inputs, s.max_parameters,
            s.max_samples, s.max_body_bytes, s.engine_threads, s.torch_threads, s.inline_max_cost,
            s.inline_max_bytes, s.workers) == ("0.0.0.0", 8123, False, 3, 5, 6, 9, 7, 4096, 3, 2, 11, 512, 2)
    assert s.allowed_hosts == ["lab.example.org", "*.dept.example.org"]
    assert (s.header_timeout, s.body_timeout, s.keep_alive_timeout, s.limit_concurrency,
            s.graceful_shutdown_timeout) == (4.0, 8.5, 3.0, 64, 2.0)
    assert (s.max_answer_bytes, s.compute_budget, s.queue_limit, s.switch_interval) == (100000, 1.5, 3, 0.002)
    assert (s.max_gradcheck_addresses, s.max_gradcheck_cost) == (13, 1000)
    assert (s.train_max_steps, s.train_max_samples, s.train_max_seconds, s.train_max_runs, s.train_threads,
            s.train_chunk_seconds, s.train_max_grid, s.train_max_snapshots) == (
        500, 300, 7.5, 3, 2, 0.02, 40, 50)


def _three_layers() -> dict:
    return {"network": {"inputs": 1, "loss": "mse", "layers": [{"units": 2, "activation": "tanh"}] * 2
                        + [{"units": 1}]}, "x": [[0.5]], "y": [[0.0]]}


def test_an_environment_limit_applies_to_the_app(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_MAX_LAYERS", "2")
    with app_client() as c:
        r = c.post("/api/step", json=_three_layers())
        assert r.status_code == 422
        assert "at most 2 layers" in r.json()["detail"][0]["msg"]
    monkeypatch.delenv("BACKPROP_LAB_MAX_LAYERS")
    with app_client() as c:
        step(c, _three_layers())


def _commands(text: str) -> list[str]:
    """Shell command lines, comments and blank lines dropped, each normalised by shlex."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#!") else ""
        if line:
            out.append(shlex.join(shlex.split(line)))
    return out


def test_readme_test_command_is_what_ci_runs():
    blocks = re.findall(r"```bash\n(.*?)```", _section("Tests"), re.S)
    assert len(blocks) == 1, "one bash block under ## Tests"
    readme = _commands(blocks[0])
    ci = [c for c in _commands((ROOT / ".ci" / "run").read_text()) if not c.startswith(("set ", "cd "))]
    assert readme == ci == ["bash tests/run.sh"]


def test_the_test_script_runs_pytest():
    assert "python -m pytest" in (ROOT / "tests" / "run.sh").read_text()
