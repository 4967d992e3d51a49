"""Every formula the player shows computes the number torch computed.

For every preset and for small random networks over every activation × loss × optimizer
(batches included), the step's numbers and the explanation are written to
tests/js/fixtures/formulas/ (stale files deleted first: they are regenerated every run and
never committed), then node evaluates each step's last form with its own evaluator
(tests/js/formulas.test.mjs) and compares it with the step's value. Cases are gzipped JSON
(`zcat case.json.gz | jq` to read one): the explanation's tokens are verbose.
"""

from __future__ import annotations

import copy
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ACTIVATIONS as ORACLE_ACTIVATIONS
from tests.helpers import app_client, random_request, step, strict_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "js" / "fixtures" / "formulas"
MAX_TOTAL_BYTES = 2_000_000  # gzipped: the explanation's tokens are verbose but repetitive
MAX_WEIGHTS = 10  # per random network

# Each optimizer as the page can set it; "second" takes a second step with the first's
# optimizer_state sent back, so momentum has a previous buffer and Adam is at t = 2.
OPTIMIZERS = {
    "sgd": ({"name": "sgd", "lr": 0.1}, False),
    "momentum": ({"name": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}, True),
    "nesterov": ({"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True}, True),
    "adam": ({"name": "adam", "lr": 0.01, "weight_decay": 0.01}, True),
}


def _network(seed: int, activation: str, loss: dict, min_units: int) -> dict:
    """A small random request whose hidden layers use `activation` (the output: what the loss needs).

    helpers.random_request draws the network with an activation its oracle knows (it keeps
    relu's pre-activations away from the kink); a smooth newcomer such as gelu is drawn as
    tanh (softmax when it needs two units) and then swapped in.
    """
    drawn = activation if activation in ORACLE_ACTIVATIONS else ("softmax" if min_units > 1 else "tanh")
    samples = 1 + seed % 3
    for attempt in range(1000):  # few weights: every step is checked, and the files stay small
        req = random_request(1000 * seed + attempt, drawn, loss["id"], n_layers=2, n_samples=samples)
        if sum(len(layer["weights"]) * len(layer["weights"][0]) for layer in req["network"]["layers"]) <= MAX_WEIGHTS:
            break
    else:
        raise RuntimeError(f"no random network of at most {MAX_WEIGHTS} weights for seed {seed}")
    layers = req["network"]["layers"]
    for layer in layers:
        layer["activation"] = activation
    if loss["output_activations"]:
        layers[-1]["activation"] = loss["output_activations"][0]
    req["trace_sample"] = samples - 1  # a batch follows a sample other than the first
    return req


def _cases(client, registry: dict):
    """(name, request, second step?) for every preset and every activation × loss × optimizer."""
    for preset in client.get("/api/presets").json():
        yield f"preset-{preset['id']}", client.get(f"/api/presets/{preset['id']}").json(), False
    seed = 0
    for act in registry["activations"]:
        for loss in registry["losses"]:
            for name, (optimizer, second) in OPTIMIZERS.items():
                seed += 1
                req = _network(seed, act["id"], loss, act["min_units"])
                req["optimizer"] = _with_defaults(optimizer, registry)
                if name == "momentum" and (seed // len(OPTIMIZERS)) % 2:  # every other one damped
                    req["optimizer"]["dampening"] = 0.1
                yield f"random-{act['id']}-{loss['id']}-{name}", req, second
    # The loss formula writes out at most a few terms; the rest is one number (Lrest).
    many = random_request(7, "tanh", "mse", n_layers=1, n_samples=5)
    yield "many-terms-mse", many, False
    yield "many-terms-cross-entropy", random_request(8, "identity", "cross_entropy", n_layers=1, n_samples=9), False
    for name in ("momentum", "nesterov"):  # a first step: no buffer yet, b starts as the gradient
        first = random_request(10, "relu", "mse", n_layers=2, n_samples=2)
        first["optimizer"] = _with_defaults(OPTIMIZERS[name][0], registry)
        yield f"first-step-{name}", first, False
    frozen = random_request(9, "sigmoid", "mse", n_layers=2, n_samples=2)
    frozen["network"]["layers"][0]["freeze_weights"] = True
    frozen["network"]["layers"][1]["freeze_biases"] = True
    yield "frozen", frozen, True


def _with_defaults(optimizer: dict, registry: dict) -> dict:
    """The optimizer as the page sends it: every hyper-parameter, at the registry's default unless set."""
    entry = next(o for o in registry["optimizers"] if o["id"] == optimizer["name"])
    return {"name": optimizer["name"], **{h["key"]: h["default"] for h in entry["hyper"]}, **optimizer}


def _second_step(req: dict, first: dict) -> dict:
    """The next request of a training loop: the moved weights and the optimizer state sent back."""
    nxt = copy.deepcopy(req)
    for layer, after in zip(nxt["network"]["layers"], first["network_after"]["layers"]):
        layer["weights"], layer["biases"] = after["weights"], after["biases"]
    nxt["optimizer_state"] = first["optimizer_state"]
    return nxt


def _write_fixtures(client) -> list[Path]:
    registry = client.get("/api/registry").json()
    shutil.rmtree(FIXTURES, ignore_errors=True)
    FIXTURES.mkdir(parents=True)
    (FIXTURES / "registry.json").write_text(json.dumps(registry, ensure_ascii=False))
    written = []
    for name, req, second in _cases(client, registry):
        res = step(client, req)
        if second:
            req = _second_step(req, res)
            res = step(client, req)
        r = client.post("/api/explain", json=req)
        assert r.status_code == 200, f"{name}: {r.text[:2000]}"
        explanation = strict_json(r.content)
        assert res["explain_key"] == explanation["key"], f"{name}: the step's explain_key is not the explanation's"
        res.pop("autograd", None)  # no address points into the graph; it would only make the files big
        case = {"quantities": registry["quantities"], "request": req, "response": res, "explanation": explanation}
        path = FIXTURES / f"{name}.json.gz"
        # mtime=0: the same case gives the same bytes.
        path.write_bytes(gzip.compress(json.dumps(case, ensure_ascii=False).encode(), mtime=0))
        written.append(path)
    return written


def test_every_formula_computes_the_value_torch_computed():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    with app_client() as client:
        written = _write_fixtures(client)
    total = sum(p.stat().st_size for p in FIXTURES.iterdir())
    assert total < MAX_TOTAL_BYTES, f"the formula fixtures take {total} bytes: use smaller networks"
    assert len(written) > 100
    run = subprocess.run([node, "--test", "tests/js/formulas.test.mjs"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
