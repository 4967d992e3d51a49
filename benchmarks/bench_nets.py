"""The networks measured, the engine's step as the route runs it, and the bare torch step."""

from __future__ import annotations

import json
import random
from typing import Callable

from bench_common import SEED

LABELS = {
    "lecture": "lecture (3 → 2σ → 1, N = 1)",
    "mini-mlp": "MyMiniMLP (8 → 16 ReLU → 1, N = 32)",
    "growth": "8 → 32 → 32 → 1 ReLU (N = 1)",
}


def _random_rows(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    """rows × cols values from N(0, 1), rounded to 4 decimals as a person would type them."""
    return [[round(rng.gauss(0.0, 1.0), 4) for _ in range(cols)] for _ in range(rows)]


def step_request(name: str) -> dict:
    """The step request of a measured network.

    lecture: the preset as GET /api/presets/lecture serves it. mini-mlp: the preset with a
    batch of 32 random samples (fixed seed). growth: 8 → 32 → 32 → 1 (ReLU, identity output,
    MSE), weights from network.seed, one random sample.
    """
    from app.engine.presets import get_preset

    rng = random.Random(SEED)
    if name == "lecture":
        return get_preset("lecture")
    if name == "mini-mlp":
        request = get_preset("mini-mlp")
        request["x"], request["y"] = _random_rows(rng, 32, 8), _random_rows(rng, 32, 1)
        return request
    if name == "growth":
        layers = [{"units": 32, "activation": "relu"}, {"units": 32, "activation": "relu"},
                  {"units": 1, "activation": "identity"}]
        return {"network": {"inputs": 8, "layers": layers, "loss": "mse", "seed": 0},
                "x": _random_rows(rng, 1, 8), "y": _random_rows(rng, 1, 1),
                "optimizer": {"name": "sgd", "lr": 0.1}}
    raise KeyError(name)


def edited_lecture_bodies(count: int) -> list[bytes]:
    """`count` bodies of the lecture net, each with every weight and bias moved a little at random."""
    base = step_request("lecture")
    rng = random.Random(SEED)
    bodies = []
    for _ in range(count):
        request = json.loads(json.dumps(base))
        for layer in request["network"]["layers"]:
            layer["weights"] = [[round(w + rng.gauss(0, 0.05), 4) for w in row] for row in layer["weights"]]
            layer["biases"] = [round(b + rng.gauss(0, 0.05), 4) for b in layer["biases"]]
        bodies.append(json.dumps(request).encode())
    return bodies


def engine_step() -> Callable[[bytes], bytes]:
    """The engine's step for a request body, exactly as POST /api/step runs it:
    app.service.step_bytes(body, settings) with the server's default settings, and torch's
    threads set as the server's start-up sets them."""
    import torch

    from app.config import Settings
    from app.service import step_bytes

    settings = Settings()
    torch.set_num_threads(settings.torch_threads)
    return lambda body: step_bytes(body, settings)


def session_step(body: bytes) -> Callable[[], object]:
    """The engine's own step on a known structure: Session.step (through app.engine.session.run)
    on the input the service builds from the body once — no JSON, no validation."""
    from app.config import Settings
    from app.engine.session import run
    from app.service import parse, step_input

    settings = Settings()
    inp, _ = step_input(parse(body, settings))
    return lambda: run(inp, settings.torch_threads)


def _bare_modules(request: dict, network: dict):
    """nn.Sequential of nn.Linear and activation modules holding `network`'s weights, its loss
    module and its SGD optimizer, built as a plain torch script would; and the dtype."""
    import torch
    from torch import nn

    dtype = {"float64": torch.float64, "float32": torch.float32}[request.get("dtype", "float64")]
    activations = {"identity": nn.Identity, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
    modules, fan_in = [], network["inputs"]
    for layer in network["layers"]:
        linear = nn.Linear(fan_in, layer["units"], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(layer["weights"], dtype=dtype))
            linear.bias.copy_(torch.tensor(layer["biases"], dtype=dtype))
        modules += [linear, activations[layer["activation"]]()]
        fan_in = layer["units"]
    net = nn.Sequential(*modules)
    loss_fn = {"mse": nn.MSELoss(), "sse": nn.MSELoss(reduction="sum")}[network.get("loss", "mse")]
    spec = {"name": "sgd", "lr": 0.1, **request.get("optimizer", {})}
    if spec.pop("name") != "sgd":
        raise ValueError("the bare step is written for SGD, the optimizer of every measured net")
    return net, loss_fn, torch.optim.SGD(net.parameters(), **spec), dtype


def bare_step(request: dict, network: dict) -> Callable[[], None]:
    """A bare torch step of the same network: zero_grad, forward, loss, backward, optimizer step.

    `network` is the engine's answer's `network` (every weight filled in, seeded ones too).
    The module, loss, optimizer and tensors are built once; each call is one training step.
    """
    import torch

    net, loss_fn, optimizer, dtype = _bare_modules(request, network)
    x = torch.tensor(request["x"], dtype=dtype)
    y = torch.tensor(request["y"], dtype=dtype)

    def step() -> None:
        """One training step."""
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        optimizer.step()

    return step


def floor_step(request: dict) -> Callable[[dict], None]:
    """The bare step on each request's own numbers: every weight, bias, input and target copied in
    from the parsed request's lists (through numpy), then zero_grad, forward, loss, backward and
    the optimizer's step. The modules are built once, from this request (its weights given)."""
    import numpy as np
    import torch

    net, loss_fn, optimizer, dtype = _bare_modules(request, request["network"])
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]

    def tensor(values: list) -> torch.Tensor:
        return torch.from_numpy(np.array(values, dtype=np.float64)).to(dtype)

    def step(req: dict) -> None:
        """One training step on req's numbers."""
        with torch.no_grad():
            for linear, layer in zip(linears, req["network"]["layers"]):
                linear.weight.copy_(tensor(layer["weights"]))
                linear.bias.copy_(tensor(layer["biases"]))
        optimizer.zero_grad()
        loss_fn(net(tensor(req["x"])), tensor(req["y"])).backward()
        optimizer.step()

    return step


def answer_numbers(answer: bytes) -> int:
    """How many computed numbers (floats) a step answer carries; the autograd graph, structure only, not counted."""
    def count(value) -> int:
        if isinstance(value, float):
            return 1
        if isinstance(value, list):
            return sum(count(v) for v in value)
        if isinstance(value, dict):
            return sum(count(v) for k, v in value.items() if k != "autograd")
        return 0

    return count(json.loads(answer))
