"""POST /api/code: the generated PyTorch script, run, prints exactly the numbers /api/step answers."""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import subprocess
import sys

import pytest

from helpers import ACTIVATIONS, LOSSES, random_request, step, with_defaults


def code(client, req: dict) -> str:
    r = client.post("/api/code", json=req)
    assert r.status_code == 200, r.text[:2000]
    assert r.headers["content-type"].startswith("text/x-python")
    return r.text


def printed(text: str) -> dict:
    """The script's output: {"loss": v, "grad linear_1.weight": [...], "linear_1.weight after": [...], …}."""
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(" = ")
        out[key] = ast.literal_eval(value)
    return out


def expected(res: dict, *, no_grad: bool = False) -> dict:
    """What the script must print, read from the /api/step answer (linear_l is the API's layers.l-1)."""
    out = {"loss": res["loss"]}
    for k, (layer, after) in enumerate(zip(res["layers"], res["network_after"]["layers"]), start=1):
        if not no_grad:
            out[f"grad linear_{k}.weight"] = layer["grad_weights"]
            out[f"grad linear_{k}.bias"] = layer["grad_biases"]
        out[f"linear_{k}.weight after"] = after["weights"]
        out[f"linear_{k}.bias after"] = after["biases"]
    return out


def run_subprocess(text: str, tmp_path) -> dict:
    path = tmp_path / "step.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return printed(done.stdout)


def run_in_process(text: str) -> dict:
    """exec the script here: torch is imported once for the whole matrix."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(text, "<generated>", "exec"), {"__name__": "__main__"})
    return printed(buffer.getvalue())


def _second_step(client, req: dict) -> dict:
    """The request of the next step: network_after and optimizer_state sent back, so the script loads a state."""
    res = step(client, req)
    return dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])


def test_the_lecture_script_prints_the_answers_loss_gradients_and_new_weights(client, lecture, tmp_path):
    text = code(client, lecture)
    assert "class MyMiniMLP(torch.nn.Module):" in text and "def forward(self, x):" in text
    assert "torch.optim.SGD(params=model.parameters(), lr=0.5" in text
    got = run_subprocess(text, tmp_path)
    assert got == expected(step(client, lecture))
    assert got["loss"] == 0.1276115463888997


@pytest.mark.parametrize("case", ["mini-mlp-momentum-state", "xor-adam-float32-state", "frozen-layer", "no_grad",
                                  "accumulated"])
def test_a_script_run_by_python_prints_what_the_api_answers(client, tmp_path, case):
    preset = "xor" if case.startswith("xor") else "mini-mlp"
    req = client.get(f"/api/presets/{preset}").json()
    if case == "mini-mlp-momentum-state":
        req = _second_step(client, dict(req, optimizer={"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True}))
    elif case == "xor-adam-float32-state":
        req = _second_step(client, dict(req, dtype="float32", optimizer={"name": "adam", "lr": 0.1,
                                                                          "weight_decay": 0.01}))
    elif case == "frozen-layer":
        req["network"]["layers"][0]["freeze_weights"] = True
    elif case == "no_grad":
        req["no_grad"] = True
    else:
        first = step(client, req)
        req = dict(req, backward_passes=2, grad_before={
            "W:1": first["layers"][0]["grad_weights"], "b:2": first["layers"][1]["grad_biases"]})
    got = run_subprocess(code(client, req), tmp_path)
    res = step(client, req)
    assert got == expected(res, no_grad=req.get("no_grad", False))
    if case == "frozen-layer":
        assert got["grad linear_1.weight"] is None
    if case == "accumulated":  # W² carried no .grad over: exactly two passes' worth
        assert got["grad linear_2.weight"] == [[2 * v for v in row] for row in step(client, dict(
            req, backward_passes=1, grad_before=None))["layers"][1]["grad_weights"]]


OPTIMIZERS = [{"name": "sgd", "lr": 0.1},
              {"name": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
              {"name": "sgd", "lr": 0.1, "momentum": 0.8, "nesterov": True},
              {"name": "adam", "lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-7, "weight_decay": 0.01}]


def test_every_activation_loss_and_optimizer_script_prints_the_api_numbers_in_one_process(client):
    # exec'd here (torch imported once); the optimizers with state take their second step, state loaded
    failures = []
    count = 0
    for a, act in enumerate(ACTIVATIONS):
        for b, loss in enumerate(LOSSES):
            for c, opt in enumerate(OPTIMIZERS):
                req = random_request(100 * a + 10 * b + c, act, loss)
                req["optimizer"] = with_defaults(client, opt)
                if opt.get("momentum") or opt["name"] == "adam":
                    req = _second_step(client, req)
                got = run_in_process(code(client, req))
                want = expected(step(client, copy.deepcopy(req)))
                count += 1
                if got != want:
                    failures.append((act, loss, opt["name"], got, want))
    assert count == len(ACTIVATIONS) * len(LOSSES) * len(OPTIMIZERS)
    assert not failures, failures[:2]


def test_a_seeded_network_script_carries_the_seeds_initial_weights(client):
    req = {"network": {"inputs": 2, "layers": [{"units": 3, "activation": "leaky_relu", "negative_slope": 0.2},
                                               {"units": 1}], "seed": 7}, "x": [[0.5, -1.0]], "y": [[0.25]]}
    text = code(client, req)
    assert "nn.LeakyReLU(negative_slope=0.2)" in text
    assert run_in_process(text) == expected(step(client, req))


@pytest.mark.parametrize("body", [
    b"not json", b'{"network": 3}', b'{"network": {"inputs": 1, "layers": [{"units": 1}]}, "x": [[1.0]], "y": [[1.0]], '
    b'"grad_before": {"W:9": [[1.0]]}}',
])
def test_a_bad_code_request_is_a_422(client, body):
    r = client.post("/api/code", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
