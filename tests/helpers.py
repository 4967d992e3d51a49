"""Shared test helpers: random networks, a plain-torch oracle, finite differences.

The oracle is written independently of app/engine: torch.nn.functional activations and
losses on tensors built here, so a bug in the engine's registry or capture shows up.
"""

from __future__ import annotations

import json
import math
import random
import re
from contextlib import contextmanager

import torch
import torch.nn.functional as F
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

ACTIVATIONS = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"]
LOSSES = ["mse", "sse", "bce", "cross_entropy"]
NON_FINITE = {"NaN", "Infinity", "-Infinity"}


def output_activation(hidden: str, loss: str) -> str:
    """The last layer's φ a loss accepts: sigmoid for bce, logits for cross_entropy."""
    if loss == "bce":
        return "sigmoid"
    if loss == "cross_entropy":
        return "identity"
    return hidden


def _phi(name: str, s: torch.Tensor, slope: float) -> torch.Tensor:
    if name == "identity":
        return s
    if name == "relu":
        return torch.clamp(s, min=0)
    if name == "leaky_relu":
        return torch.where(s > 0, s, slope * s)
    if name == "sigmoid":
        return 1 / (1 + torch.exp(-s))
    if name == "tanh":
        return torch.tanh(s)
    if name == "softmax":
        e = torch.exp(s - s.max(dim=1, keepdim=True).values)
        return e / e.sum(dim=1, keepdim=True)
    raise KeyError(name)


def loss_fn(name: str, yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The loss written out by hand (cross_entropy: log-softmax + NLL, mean over samples)."""
    if name == "mse":
        return ((yhat - y) ** 2).mean()
    if name == "sse":
        return ((yhat - y) ** 2).sum()
    if name == "bce":
        return -(y * torch.log(yhat) + (1 - y) * torch.log(1 - yhat)).mean()
    if name == "cross_entropy":
        return -F.log_softmax(yhat, dim=1)[torch.arange(len(y)), y].mean()
    raise KeyError(name)


def forward(net: dict, x: torch.Tensor, params: list[torch.Tensor]):
    """(pre, post) per layer and ŷ, from flat params [W1, b1, W2, b2, …]."""
    pre, post = [], []
    a = x
    for k, layer in enumerate(net["layers"]):
        s = a @ params[2 * k].T + params[2 * k + 1]
        z = _phi(layer["activation"], s, layer.get("negative_slope", 0.01))
        pre.append(s)
        post.append(z)
        a = z
    return pre, post


def targets(req: dict, dtype=torch.float64) -> torch.Tensor:
    if req["network"]["loss"] == "cross_entropy":
        return torch.tensor(req["y"], dtype=torch.long)
    return torch.tensor(req["y"], dtype=dtype)


def params_of(net: dict, dtype=torch.float64) -> list[torch.Tensor]:
    out = []
    for layer in net["layers"]:
        out += [torch.tensor(layer["weights"], dtype=dtype), torch.tensor(layer["biases"], dtype=dtype)]
    return out


def loss_value(req: dict, params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    _, post = forward(req["network"], x, params)
    return loss_fn(req["network"]["loss"], post[-1], targets(req, x.dtype))


def oracle(req: dict) -> dict:
    """Plain torch: pre/post and their gradients, the parameter gradients, ∂L/∂x."""
    x = torch.tensor(req["x"], dtype=torch.float64, requires_grad=True)
    params = [p.requires_grad_() for p in params_of(req["network"])]
    pre, post = forward(req["network"], x, params)
    for t in pre + post:
        t.retain_grad()
    loss = loss_fn(req["network"]["loss"], post[-1], targets(req))
    loss.backward()
    return {
        "loss": loss.item(),
        "pre": [t.tolist() for t in pre],
        "post": [t.tolist() for t in post],
        "grad_pre": [t.grad.tolist() for t in pre],
        "grad_post": [t.grad.tolist() for t in post],
        "grad_weights": [p.grad.tolist() for p in params[0::2]],
        "grad_biases": [p.grad.tolist() for p in params[1::2]],
        "grad_input": x.grad.tolist(),
    }


def finite_differences(req: dict, h: float = 1e-6) -> dict:
    """Central differences (L(θ+h) − L(θ−h)) / 2h of the loss for every weight, bias and input."""
    x = torch.tensor(req["x"], dtype=torch.float64)
    params = params_of(req["network"])

    def central(t: torch.Tensor) -> list:
        g = torch.zeros_like(t)
        flat, gflat = t.view(-1), g.view(-1)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + h
            up = loss_value(req, params, x).item()
            flat[i] = old - h
            down = loss_value(req, params, x).item()
            flat[i] = old
            gflat[i] = (up - down) / (2 * h)
        return g.tolist()

    return {
        "grad_weights": [central(p) for p in params[0::2]],
        "grad_biases": [central(p) for p in params[1::2]],
        "grad_input": central(x),
    }


def random_request(seed: int, hidden: str, loss: str, n_layers: int | None = None,
                   n_samples: int | None = None, margin: float = 1e-2) -> dict:
    """A random network (1–3 layers, widths 1–4) and batch (N 1–5) with explicit weights.

    Redrawn until every pre-activation is at least `margin` away from 0, so that relu and
    leaky_relu are differentiable at the point (no kink within a finite-difference step).
    """
    rng = random.Random(seed)
    for _ in range(1000):
        L = n_layers or rng.randint(1, 3)
        N = n_samples or rng.randint(1, 5)
        inputs = rng.randint(1, 4)
        layers, fan_in = [], inputs
        for k in range(L):
            last = k == L - 1
            act = output_activation(hidden, loss) if last else hidden
            low = 2 if act == "softmax" or (last and loss == "cross_entropy") else 1
            units = rng.randint(low, 4)
            layers.append({
                "units": units, "activation": act,
                "weights": [[rng.uniform(-1.5, 1.5) for _ in range(fan_in)] for _ in range(units)],
                "biases": [rng.uniform(-0.5, 0.5) for _ in range(units)],
                "negative_slope": 0.05,
            })
            fan_in = units
        outputs = layers[-1]["units"]
        x = [[rng.uniform(-2, 2) for _ in range(inputs)] for _ in range(N)]
        if loss == "cross_entropy":
            y = [rng.randrange(outputs) for _ in range(N)]
        elif loss == "bce":
            y = [[rng.choice([0.0, 1.0, rng.uniform(0, 1)]) for _ in range(outputs)] for _ in range(N)]
        else:
            y = [[rng.uniform(-1, 1) for _ in range(outputs)] for _ in range(N)]
        req = {
            "network": {"inputs": inputs, "layers": layers, "loss": loss},
            "x": x, "y": y,
            "optimizer": {"name": "sgd", "lr": 0.1},
            "trace_sample": rng.randrange(N),
        }
        pre, _ = forward(req["network"], torch.tensor(x, dtype=torch.float64), params_of(req["network"]))
        if all(t.abs().min().item() > margin for t in pre):
            return req
    raise RuntimeError("no random network away from the kinks")


def flat(value) -> list:
    """Nested lists flattened to one list."""
    if isinstance(value, list):
        return [v for item in value for v in flat(item)]
    return [value]


def assert_close(actual, expected, *, rtol: float, atol: float, what: str = "") -> None:
    """Nested lists equal element-wise within rtol·|expected| + atol."""
    a, e = flat(actual), flat(expected)
    assert len(a) == len(e), f"{what}: {len(a)} values, expected {len(e)}"
    for i, (u, v) in enumerate(zip(a, e)):
        assert abs(u - v) <= atol + rtol * abs(v), f"{what}[{i}]: {u!r} != {v!r} (rtol {rtol}, atol {atol})"


def _no_constants(name: str):
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json(text: str | bytes):
    """json.loads that refuses NaN and Infinity, as a browser's JSON.parse does."""
    return json.loads(text, parse_constant=_no_constants)


def is_non_finite(v) -> bool:
    return (isinstance(v, str) and v in NON_FINITE) or (isinstance(v, float) and not math.isfinite(v))


def step(client, req: dict, status: int = 200) -> dict:
    """POST /api/step, assert the status, and return the parsed body (strict JSON)."""
    r = client.post("/api/step", json=req)
    assert r.status_code == status, r.text[:2000]
    return strict_json(r.content)


REF = re.compile(r"^(?:L(\d+)N(\d+)|L(\d+)W(\d+)_(\d+)|L(\d+)B(\d+)|Y(\d+)|loss)$")


@contextmanager
def app_client(**settings):
    """A TestClient on a fresh app whose Settings get these overrides (and never open a browser)."""
    with TestClient(create_app(Settings(open_browser=False, **settings))) as c:
        yield c
