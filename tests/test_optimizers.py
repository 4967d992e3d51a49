"""k calls of POST /api/step, state sent back each time, equal k steps of one torch loop.

The in-process loop is what a student would write: torch.manual_seed, nn.Linear layers,
torch.optim, zero_grad / backward / step. The API gets the same seed (weights omitted),
then `network_after` and `optimizer_state` of each response on the next call.
"""

from __future__ import annotations

import inspect

import pytest
import torch
from torch import nn

from helpers import assert_close, step

K = 5

# Written by hand, not resolved from the registry's dotted names: test_registry.py asserts that
# every optimizer the registry serves is here and in OPTIMIZERS below, under the class it names.
TORCH_OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}

OPTIMIZERS = {
    "sgd": {"name": "sgd", "lr": 0.1},
    "sgd-momentum": {"name": "sgd", "lr": 0.1, "momentum": 0.9},
    "sgd-nesterov": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True},
    "sgd-weight-decay-dampening": {"name": "sgd", "lr": 0.1, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05},
    "sgd-weight-decay": {"name": "sgd", "lr": 0.1, "weight_decay": 0.1},
    "adam": {"name": "adam", "lr": 0.05},
    "adam-weight-decay": {"name": "adam", "lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6, "weight_decay": 0.1},
}

NETWORK = {
    "inputs": 3,
    "layers": [{"units": 4, "activation": "tanh"}, {"units": 2, "activation": "identity"}],
    "loss": "mse",
    "seed": 7,
}
X = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1.0, 1.0, -1.0]]
Y = [[1.0, -1.0], [0.0, 0.5], [-0.5, 0.2], [0.3, 0.3]]


def torch_loop(opt: dict, dtype: torch.dtype, k: int = K, with_state: bool = False):
    """Parameters [W1, b1, W2, b2] after each of k steps of a plain torch training loop (and, asked
    for, the optimizer's state of each parameter after the last)."""
    torch.manual_seed(NETWORK["seed"])
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).to(dtype)
    kwargs = {key: v for key, v in opt.items() if key != "name"}
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    optimizer = TORCH_OPTIMIZERS[opt["name"]](model.parameters(), **kwargs)
    x, y = torch.tensor(X, dtype=dtype), torch.tensor(Y, dtype=dtype)
    history = []
    for _ in range(k):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        history.append([p.detach().clone() for p in model.parameters()])
    if with_state:
        return history, [optimizer.state[p] for p in model.parameters()]
    return history


def api_loop(client, opt: dict, dtype: str, k: int = K) -> list[dict]:
    """The responses of k calls, each sending back the previous network and state."""
    req = {"network": NETWORK, "x": X, "y": Y, "optimizer": opt, "dtype": dtype}
    responses = []
    for _ in range(k):
        res = step(client, req)
        responses.append(res)
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])
    return responses


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_answer_names_the_optimizer_with_every_hyper_parameter_filled_in(client, name):
    """The answer's `optimizer` is the request's, each hyper-parameter it left out at torch's own default."""
    opt = OPTIMIZERS[name]
    defaults = {key: param.default for key, param in inspect.signature(TORCH_OPTIMIZERS[opt["name"]]).parameters.items()}
    for _ in range(2):  # a default the first answer carried is not shared with (or changed for) the next
        res = step(client, {"network": NETWORK, "x": X, "y": Y, "optimizer": opt})
        got = res["optimizer"]
        assert got["name"] == opt["name"]
        checked = [key for key in got if key in defaults]
        assert {"lr", "weight_decay"} <= set(checked)
        for key in checked:
            want = opt.get(key, defaults[key])
            assert got[key] == (list(want) if isinstance(want, tuple) else want), key


def params_after(res: dict) -> list:
    return [v for layer in res["network_after"]["layers"] for v in (layer["weights"], layer["biases"])]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_five_api_calls_with_state_sent_back_equal_five_steps_of_a_torch_loop(client, name):
    opt = OPTIMIZERS[name]
    expected = torch_loop(opt, torch.float64)
    responses = api_loop(client, opt, "float64")
    for t, (res, params) in enumerate(zip(responses, expected)):
        for got, want in zip(params_after(res), params):
            assert_close(got, want.tolist(), rtol=0, atol=1e-12, what=f"{name} step {t + 1}")
    # the loop moved: five steps are not one step repeated, nor no step at all
    assert params_after(responses[-1]) != params_after(responses[0])


@pytest.mark.parametrize("name", ["sgd-momentum", "adam"])
def test_dropping_the_optimizer_state_restarts_the_optimizer(client, name):
    # Honesty check for the test above: without the state, step 2 is a fresh first step.
    opt = OPTIMIZERS[name]
    first = step(client, {"network": NETWORK, "x": X, "y": Y, "optimizer": opt})
    fresh = step(client, {"network": first["network_after"], "x": X, "y": Y, "optimizer": opt})
    resumed = step(client, {"network": first["network_after"], "x": X, "y": Y, "optimizer": opt,
                            "optimizer_state": first["optimizer_state"]})
    want = torch_loop(opt, torch.float64, k=2)[1]
    assert_close(params_after(resumed), [p.tolist() for p in want], rtol=0, atol=1e-12, what="resumed")
    assert params_after(fresh) != params_after(resumed)


def test_adam_state_carries_its_step_count_and_moments(client):
    responses = api_loop(client, OPTIMIZERS["adam"], "float64", k=3)
    state = responses[-1]["optimizer_state"]
    assert state["name"] == "adam"
    assert set(state["params"]) == {"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"}
    entry = state["params"]["layers.0.weight"]
    assert float(entry["step"]) == 3.0
    assert len(entry["exp_avg"]) == 4 and len(entry["exp_avg"][0]) == 3
    assert len(entry["exp_avg_sq"]) == 4


@pytest.mark.parametrize("name", ["adam", "adam-weight-decay"])
def test_adams_m_hat_and_v_hat_are_its_moments_corrected_for_their_start_at_zero(client, name):
    opt = OPTIMIZERS[name]
    beta1, beta2 = opt.get("betas", (0.9, 0.999))
    responses = api_loop(client, opt, "float64", k=3)
    _, states = torch_loop(opt, torch.float64, k=3, with_state=True)
    terms = responses[-1]["optimizer_terms"]
    assert len(terms) == 2
    for k, layer in enumerate(terms):
        for kind, state in (("weight", states[2 * k]), ("bias", states[2 * k + 1])):
            t = float(state["step"])
            assert t == 3.0
            m_hat = (state["exp_avg"] / (1 - beta1**t)).tolist()
            v_hat = (state["exp_avg_sq"] / (1 - beta2**t)).tolist()
            assert_close(layer[kind]["m_hat"], m_hat, rtol=1e-12, atol=1e-15, what=f"m̂ of layer {k} {kind}")
            assert_close(layer[kind]["v_hat"], v_hat, rtol=1e-12, atol=1e-15, what=f"v̂ of layer {k} {kind}")
    assert step(client, {"network": NETWORK, "x": X, "y": Y, "optimizer": OPTIMIZERS["sgd-momentum"]})[
        "optimizer_terms"] is None


def _is_float32(v: float) -> bool:
    return torch.tensor(v, dtype=torch.float32).item() == v


@pytest.mark.parametrize("name", ["sgd-momentum", "adam"])
def test_float32_on_request_matches_a_float32_torch_loop(client, name):
    opt = OPTIMIZERS[name]
    responses = api_loop(client, opt, "float32")
    expected32 = torch_loop(opt, torch.float32)
    expected64 = torch_loop(opt, torch.float64)
    assert responses[0]["dtype"] == "float32"
    for res, params in zip(responses, expected32):
        for got, want in zip(params_after(res), params):
            assert_close(got, want.tolist(), rtol=1e-6, atol=1e-7, what=f"{name} float32")
    last = responses[-1]
    numbers = [v for p in params_after(last) for v in (p if isinstance(p[0], float) else sum(p, []))]
    numbers += [v for row in last["layers"][0]["pre"] for v in row] + [last["loss"]]
    assert all(_is_float32(v) for v in numbers), "every number is a float32 value"
    # and float32 really is float32: it differs from the float64 loop in the last digits
    far = max(abs(a - b) for got, want in zip(params_after(last), expected64[-1])
              for a, b in zip(sum(got, []) if isinstance(got[0], list) else got, want.reshape(-1).tolist()))
    assert 1e-10 < far < 1e-4


@pytest.mark.parametrize("name", ["sgd-weight-decay-dampening", "adam-weight-decay"])
def test_with_a_frozen_bias_the_api_equals_a_torch_loop_that_freezes_it(client, name):
    opt = OPTIMIZERS[name]
    torch.manual_seed(NETWORK["seed"])
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    model[0].bias.requires_grad_(False)
    kwargs = {key: (tuple(v) if key == "betas" else v) for key, v in opt.items() if key != "name"}
    optimizer = TORCH_OPTIMIZERS[opt["name"]]([p for p in model.parameters() if p.requires_grad], **kwargs)
    x, y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    network = dict(NETWORK, layers=[dict(NETWORK["layers"][0], freeze_biases=True), NETWORK["layers"][1]])
    req = {"network": network, "x": X, "y": Y, "optimizer": opt}
    for _ in range(K):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        res = step(client, req)
        for got, want in zip(params_after(res), model.parameters()):
            assert_close(got, want.tolist(), rtol=0, atol=1e-12, what=name)
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])
