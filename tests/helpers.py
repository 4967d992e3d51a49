"""Shared test helpers: random networks, a plain-torch oracle, finite differences, addresses.

The oracle is written independently of app/engine: torch.nn.functional activations and
losses on tensors built here, so a bug in the engine's registry or capture shows up.
`Addresses` reads numbers by address with the quantity table the server serves, written
here again rather than imported, so a wrong table or a wrong answer shows up too.
"""

from __future__ import annotations

import copy
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

# Written by hand, not read from the registry: test_registry.py asserts they equal its ids, so an
# operation added there without a reference implementation here fails.
ACTIVATIONS = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "gelu", "silu"]
LOSSES = ["mse", "sse", "bce", "cross_entropy"]
NON_FINITE = {"NaN", "Infinity", "-Infinity"}


def output_activation(hidden: str, loss: str) -> str:
    """The last layer's φ a loss accepts: sigmoid for bce, logits for cross_entropy."""
    if loss == "bce":
        return "sigmoid"
    if loss == "cross_entropy":
        return "identity"
    return hidden


def normal_cdf(v: float) -> float:
    """Φ(v), the standard normal CDF, from math.erf (not torch's)."""
    return 0.5 * (1.0 + math.erf(v / math.sqrt(2.0)))


def normal_pdf(v: float) -> float:
    """Φ′(v), the standard normal density."""
    return math.exp(-0.5 * v * v) / math.sqrt(2.0 * math.pi)


def _elementwise(fn, s: torch.Tensor) -> torch.Tensor:
    return torch.tensor([fn(v) for v in s.detach().reshape(-1).tolist()], dtype=s.dtype).reshape(s.shape)


class _Gelu(torch.autograd.Function):
    """Exact GELU, s·Φ(s) (torch's default approximate='none'), its derivative written by hand."""

    @staticmethod
    def forward(ctx, s):
        ctx.save_for_backward(s)
        return s * _elementwise(normal_cdf, s)

    @staticmethod
    def backward(ctx, g):
        (s,) = ctx.saved_tensors
        return g * (_elementwise(normal_cdf, s) + s * _elementwise(normal_pdf, s))


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
    if name == "gelu":
        return _Gelu.apply(s)
    if name == "silu":
        return s / (1 + torch.exp(-s))
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


def explain(client, req: dict, status: int = 200) -> dict:
    """POST /api/explain, assert the status, and return the parsed body (strict JSON)."""
    r = client.post("/api/explain", json=req)
    assert r.status_code == status, r.text[:2000]
    return strict_json(r.content)


# ---- addresses ------------------------------------------------------------------------------

MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # a lookup that finds nothing
_SLOT = re.compile(r"\{(\w+)(?:([+-])(\d+))?\}")


class Addresses:
    """Numbers by address ("W:2,0,1", "L") in {request, response}, from the served quantity table.

    A path segment is a literal key, or a template whose {name} / {name-1} parts take the
    index values; a segment that is then all digits indexes a list. Fewer indices than the
    quantity has: the sub-array. Nothing there: MISSING.
    """

    def __init__(self, quantities: dict) -> None:
        self.quantities = quantities

    def parse(self, address: str) -> tuple[str, dict[str, int]]:
        """(quantity, {index name: value}); AssertionError when the address is malformed or unknown."""
        assert isinstance(address, str), address
        q, colon, rest = address.partition(":")
        assert q in self.quantities, f"unknown quantity in {address!r}"
        names = self.quantities[q]["indices"]
        values = rest.split(",") if colon else []
        assert all(v.isdigit() for v in values) and len(values) <= len(names), f"malformed address {address!r}"
        return q, dict(zip(names, map(int, values)))

    @staticmethod
    def _fill(template: str, index: dict[str, int]) -> str | None:
        missing = False

        def one(m):
            nonlocal missing
            name, sign, k = m.groups()
            if name not in index:
                missing = True
                return ""
            shift = 0 if k is None else (int(k) if sign == "+" else -int(k))
            return str(index[name] + shift)

        text = _SLOT.sub(one, template)
        return None if missing else text

    def get(self, ctx: dict, address: str):
        """The value at an address (a number, a name of a non-finite number, or a nested list), or MISSING."""
        q, index = self.parse(address)
        spec = self.quantities[q]
        node = ctx[spec["root"]]
        for segment in spec["path"]:
            key = self._fill(segment, index)
            if key is None:
                break  # a partial address: the sub-array
            if key.isdigit():
                if not isinstance(node, list) or int(key) >= len(node):
                    return MISSING
                node = node[int(key)]
            else:
                if not isinstance(node, dict) or key not in node:
                    return MISSING
                node = node[key]
        return node

    def number(self, ctx: dict, address: str) -> float:
        """The number at an address as a float (NaN and ±∞ from their names); AssertionError if it is none."""
        v = self.get(ctx, address)
        if isinstance(v, str) and v in NON_FINITE:
            return float(v.replace("Infinity", "inf"))
        assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{address} gives {v!r}, not a number"
        return float(v)

    def element(self, address: str) -> str | None:
        """The diagram element the address lives in ("L1W0_2"), or None."""
        q, index = self.parse(address)
        template = self.quantities[q]["element"]
        return None if template is None else self._fill(template, index)


def with_defaults(client, optimizer: dict) -> dict:
    """The optimizer with every hyper-parameter the registry lists, at its default unless set, as the
    page sends it: `lr`, `eps`… are read from the request, so a request that omits them has no number there."""
    entries = {o["id"]: o for o in client.get("/api/registry").json()["optimizers"]}
    out = dict(optimizer)
    for h in entries[out.get("name", "sgd")]["hyper"]:
        out.setdefault(h["key"], h["default"])
    return out


def served_addresses(client) -> Addresses:
    """The resolver for the quantity table GET /api/registry serves."""
    r = client.get("/api/registry")
    assert r.status_code == 200
    return Addresses(r.json()["quantities"])


def tokens_of(tokens: list[dict]):
    """Every token of a list, a derivative's inner symbols included."""
    pending = list(tokens)
    while pending:
        t = pending.pop(0)
        yield t
        pending += [inner for inner in (t.get("of"), t.get("wrt")) if inner]


def step_addresses(s: dict) -> list[str]:
    """Every address an explanation step names: target, refs, value, contribution, tokens' a and at,
    and the string values of words.args."""
    out = [s["target"], *s["refs"], s["value"]]
    if s["contribution"] is not None:
        out.append(s["contribution"])
    for t in tokens_of(s["lhs"] + [t for form in s["forms"] for t in form]):
        out += [t[key] for key in ("a", "at") if key in t]
    out += [v for v in s["words"]["args"].values() if isinstance(v, str)]
    return out


# A diagram element: a neuron, a weight, a bias, a target, the loss.
ELEMENT = re.compile(r"^(?:L(\d+)N(\d+)|L(\d+)W(\d+)_(\d+)|L(\d+)B(\d+)|Y(\d+)|loss)$")


def element_exists(element: str, net: dict) -> bool:
    """Does the network's diagram have this element?"""
    m = ELEMENT.match(element)
    if not m:
        return False
    widths = [net["inputs"]] + [layer["units"] for layer in net["layers"]]
    L = len(net["layers"])
    nl, ni, wl, wr, wc, bl, bi, yk = m.groups()
    if nl is not None:
        return int(nl) <= L and int(ni) < widths[int(nl)]
    if wl is not None:
        return 1 <= int(wl) <= L and int(wr) < widths[int(wl)] and int(wc) < widths[int(wl) - 1]
    if bl is not None:
        return 1 <= int(bl) <= L and int(bi) < widths[int(bl)]
    if yk is not None:
        return int(yk) < widths[-1]
    return element == "loss"


@contextmanager
def app_client(**settings):
    """A TestClient on a fresh app whose Settings get these overrides (and never open a browser)."""
    with TestClient(create_app(Settings(open_browser=False, **settings))) as c:
        yield c


def with_value(req: dict, path: str, value) -> dict:
    """A deep copy of req with the value at a dotted path (numbers index lists) replaced."""
    out = copy.deepcopy(req)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = out
    for p in parents:
        node = node[p]
    node[last] = value
    return out


def free_port() -> int:
    """A port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(**settings):
    """`python -m app` on a free 127.0.0.1 port with these settings (as BACKPROP_LAB_* variables, as an
    operator sets them); yields the port once /api/health answers; at the end, stops it and checks its
    log has no traceback or error."""
    import os
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_LAB_")}
    env.update({f"BACKPROP_LAB_{k.upper()}": str(v) for k, v in settings.items()})
    log = tempfile.TemporaryFile("w+")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), "--no-browser"],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"server did not start:\n{log.read()}") from None
                time.sleep(0.2)  # polling the start-up
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    log.seek(0)
    text = log.read()
    assert "Traceback" not in text and "ERROR" not in text, text


def run_async(coro):
    """asyncio.run(coro) on a thread of its own: the browser tests' sync Playwright leaves an event
    loop running on the main thread, where asyncio.run refuses to start another."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
