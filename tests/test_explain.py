"""The trace tells the truth: every chain-rule product equals autograd's value.

On random networks and batches (every activation and loss), each step's `factors`, `terms`
and `value` are checked against one another and against the response's own gradients,
and every element a step names exists in the diagram.
"""

from __future__ import annotations

import math

import pytest

from helpers import ACTIVATIONS, LOSSES, REF, random_request, step

PHASES = ["forward", "loss", "backward", "update"]

CASES = [
    pytest.param((act, loss, seed), id=f"{act}-{loss}-{seed}")
    for act in ACTIVATIONS
    for loss in LOSSES
    for seed in (1, 2)
]


def _seed(act: str, loss: str, seed: int) -> int:
    return 7000 + seed + 10 * ACTIVATIONS.index(act) + 100 * LOSSES.index(loss)


def _close(a: float, b: float, tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _prod(values) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


def _tokens(step: dict):
    """Every token of a step, derivatives' inner symbols included."""
    pending = list(step["lhs"]) + [t for form in step["forms"] for t in form]
    while pending:
        t = pending.pop()
        yield t
        pending += [inner for inner in (t.get("of"), t.get("wrt")) if inner]


def _exists(ref: str, req: dict) -> bool:
    m = REF.match(ref)
    if not m:
        return False
    net = req["network"]
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
    return ref == "loss"


@pytest.fixture(scope="module", params=CASES)
def traced(request, client):
    act, loss, seed = request.param
    req = random_request(_seed(act, loss, seed), act, loss)
    return req, step(client, req)


def test_every_backward_product_of_factors_equals_its_contribution_or_value(traced):
    _, res = traced
    checked = 0
    for s in res["trace"]:
        if s["phase"] == "backward" and s["factors"] is not None:
            want = s["contribution"] if s["contribution"] is not None else s["value"]
            assert _close(_prod(s["factors"]), want), (s["kind"], s["target"], s["factors"], want)
            checked += 1
    assert checked > 0


def test_every_sum_of_products_equals_its_value(traced):
    _, res = traced
    kinds = set()
    for s in res["trace"]:
        if s["terms"] is not None:
            assert _close(sum(_prod(t) for t in s["terms"]), s["value"]), (s["kind"], s["target"])
            kinds.add(s["kind"])
    assert "weighted_sum" in kinds
    hidden = len(res["layers"]) > 1
    assert ("grad_post" in kinds) == hidden


def test_every_forward_and_backward_value_is_the_response_value(traced):
    req, res = traced
    n = req["trace_sample"]
    layers = res["layers"]
    for s in res["trace"]:
        k = (s["layer"] or 0) - 1
        if s["kind"] == "weighted_sum":
            assert s["value"] == layers[k]["pre"][n][s["unit"]]
        elif s["kind"] == "activation":
            assert s["value"] == layers[k]["post"][n][s["unit"]]
        elif s["kind"] in ("grad_output", "grad_post"):
            assert s["value"] == layers[k]["grad_post"][n][s["unit"]]
        elif s["kind"] == "grad_pre":
            assert s["value"] == layers[k]["grad_pre"][n][s["unit"]]
        elif s["kind"] == "grad_weight":
            assert s["value"] == layers[k]["grad_weights"][s["unit"]][s["col"]]
        elif s["kind"] == "grad_bias":
            assert s["value"] == layers[k]["grad_biases"][s["unit"]]
        elif s["kind"] == "loss":
            assert s["value"] == res["loss"]
        assert s["sample"] == n


def test_every_weight_and_bias_has_one_gradient_step_and_one_update_step(traced):
    req, res = traced
    expected = set()
    fan_in = req["network"]["inputs"]
    for layer_index, layer in enumerate(req["network"]["layers"], start=1):
        expected |= {f"L{layer_index}W{i}_{j}" for i in range(layer["units"]) for j in range(fan_in)}
        expected |= {f"L{layer_index}B{i}" for i in range(layer["units"])}
        fan_in = layer["units"]
    for kinds in (("grad_weight", "grad_bias"), ("update_weight", "update_bias")):
        targets = [s["target"] for s in res["trace"] if s["kind"] in kinds]
        assert sorted(targets) == sorted(expected), kinds


def test_update_steps_move_each_parameter_to_its_value_in_network_after(traced):
    _, res = traced
    after = res["network_after"]["layers"]
    updates = [s for s in res["trace"] if s["phase"] == "update"]
    assert updates
    for s in updates:
        layer = after[s["layer"] - 1]
        want = layer["weights"][s["unit"]][s["col"]] if s["kind"] == "update_weight" else layer["biases"][s["unit"]]
        assert s["value"] == want, s["target"]
        assert s["rel"] == "←"


def test_phases_come_in_order_and_steps_are_numbered(traced):
    _, res = traced
    phases = [s["phase"] for s in res["trace"]]
    assert [PHASES.index(p) for p in phases] == sorted(PHASES.index(p) for p in phases)
    assert set(phases) == set(PHASES)
    assert phases.count("loss") == 1
    assert [s["i"] for s in res["trace"]] == list(range(len(phases)))


def test_every_ref_and_target_names_an_element_that_exists(traced):
    req, res = traced
    for s in res["trace"]:
        names = [s["target"], *s["refs"]] + [t["ref"] for t in _tokens(s) if t.get("ref")]
        for ref in names:
            assert _exists(ref, req), (s["kind"], s["target"], ref)
        assert s["target"] in s["refs"]


@pytest.mark.parametrize("act, loss", [("sigmoid", "mse"), ("relu", "cross_entropy"), ("tanh", "bce"),
                                       ("softmax", "sse")])
def test_summing_each_samples_contribution_gives_the_batch_gradient(client, act, loss):
    req = random_request(_seed(act, loss, 9), act, loss, n_layers=2, n_samples=3)
    totals: dict[str, float] = {}
    batch = None
    for n in range(3):
        res = step(client, dict(req, trace_sample=n))
        batch = batch or res
        for s in res["trace"]:
            if s["kind"] in ("grad_weight", "grad_bias"):
                assert s["contribution"] is not None
                totals[s["target"]] = totals.get(s["target"], 0.0) + s["contribution"]
    values = {s["target"]: s["value"] for s in batch["trace"] if s["kind"] in ("grad_weight", "grad_bias")}
    assert set(totals) == set(values)
    for target, total in totals.items():
        assert _close(total, values[target]), target


def test_a_single_sample_has_no_contribution_only_the_value(client):
    req = random_request(3, "tanh", "mse", n_layers=2, n_samples=1)
    res = step(client, req)
    grads = [s for s in res["trace"] if s["kind"] in ("grad_weight", "grad_bias")]
    assert grads and all(s["contribution"] is None for s in grads)


@pytest.mark.parametrize("opt", [
    {"name": "sgd", "lr": 0.3, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    {"name": "adam", "lr": 0.01, "weight_decay": 0.1},
])
def test_update_steps_follow_the_optimizer_over_several_calls(client, opt):
    req = dict(random_request(4, "tanh", "mse", n_layers=2, n_samples=2), optimizer=opt)
    for _ in range(3):
        res = step(client, req)
        after = res["network_after"]["layers"]
        for s in res["trace"]:
            if s["phase"] == "update":
                layer = after[s["layer"] - 1]
                want = layer["weights"][s["unit"]][s["col"]] if s["kind"] == "update_weight" \
                    else layer["biases"][s["unit"]]
                assert s["value"] == want
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])


def test_a_saturated_bce_output_still_has_factors_whose_product_is_the_value(client):
    req = {"network": {"inputs": 1, "loss": "bce",
                       "layers": [{"units": 1, "activation": "sigmoid", "weights": [[50.0]], "biases": [0.0]}]},
           "x": [[1.0]], "y": [[0.0]]}
    res = step(client, req)
    assert res["output"] == [[1.0]]  # σ(50) is 1.0 in float64
    grad_output = next(s for s in res["trace"] if s["kind"] == "grad_output")
    assert all(isinstance(f, float) for f in grad_output["factors"]), grad_output["factors"]
    assert _close(_prod(grad_output["factors"]), grad_output["value"])
