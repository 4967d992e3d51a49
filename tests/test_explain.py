"""The explanation tells the truth: every address it names is a number of the step's answer.

On random networks and batches (every activation × loss, some parameters frozen), POST
/api/explain gives the player's steps and POST /api/step the numbers. Every address a step
names resolves, with the quantity table GET /api/registry serves, to a number in {request,
response}; each step's value is the response's own number for what the step computes; every
trainable weight and bias has one gradient step and one update step; and the explanation
depends on the network's structure, never on its values. Whether each formula computes its
value is tests/js/formulas.test.mjs's job (driven by tests/test_formula_fixtures.py).
"""

from __future__ import annotations

import copy
import math
import random

import pytest

from helpers import (with_value, ACTIVATIONS, LOSSES, element_exists, explain, random_request, served_addresses, step,
                     step_addresses, tokens_of, with_defaults)

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


def _request(act: str, loss: str, seed: int) -> dict:
    """A random network and batch; with seed 2 some of its parameters are frozen."""
    req = random_request(_seed(act, loss, seed), act, loss)
    if seed == 2:
        layers = req["network"]["layers"]
        layers[0]["freeze_biases"] = True
        if len(layers) > 1:
            layers[-1]["freeze_weights"] = True
    return req


@pytest.fixture(scope="module")
def addresses(client):
    return served_addresses(client)


@pytest.fixture(scope="module", params=CASES)
def explained(request, client):
    req = _request(*request.param)
    return req, step(client, req), explain(client, req)


def _ctx(req: dict, res: dict) -> dict:
    return {"request": req, "response": res}


def _expected(s: dict, req: dict, res: dict) -> tuple[str, float]:
    """The address a step's value must have, and the response's number for it, read by hand."""
    n, l, i, j = req.get("trace_sample", 0), s["layer"], s["unit"], s["col"]
    kind = s["kind"]
    if kind == "loss":
        return "L", res["loss"]
    got = res["layers"][l - 1]
    after = res["network_after"]["layers"][l - 1]
    identity = req["network"]["layers"][l - 1]["activation"] == "identity"
    return {
        # an identity layer's weighted sum is z itself: no separate φ step
        "weighted_sum": lambda: (f"{'z' if identity else 's'}:{l},{n},{i}", got["pre"][n][i]),
        "activation": lambda: (f"z:{l},{n},{i}", got["post"][n][i]),
        "grad_output": lambda: (f"dL/dz:{l},{n},{i}", got["grad_post"][n][i]),
        "grad_post": lambda: (f"dL/dz:{l},{n},{i}", got["grad_post"][n][i]),
        "grad_pre": lambda: (f"dL/ds:{l},{n},{i}", got["grad_pre"][n][i]),
        "grad_weight": lambda: (f"dL/dW:{l},{i},{j}", got["grad_weights"][i][j]),
        "grad_bias": lambda: (f"dL/db:{l},{i}", got["grad_biases"][i]),
        "update_weight": lambda: (f"W':{l},{i},{j}", after["weights"][i][j]),
        "update_bias": lambda: (f"b':{l},{i}", after["biases"][i]),
    }[kind]()


# ---- on random networks ---------------------------------------------------------------------

def test_phases_come_in_order_and_steps_are_numbered(explained):
    req, _, ex = explained
    phases = [s["phase"] for s in ex["steps"]]
    assert [PHASES.index(p) for p in phases] == sorted(PHASES.index(p) for p in phases)
    assert set(phases) == set(PHASES)
    assert phases.count("loss") == 1
    assert [s["i"] for s in ex["steps"]] == list(range(len(phases)))
    assert {s["sample"] for s in ex["steps"]} == {req["trace_sample"]}


def test_the_explanations_key_is_the_step_answers_explain_key(explained):
    _, res, ex = explained
    assert isinstance(ex["key"], str) and ex["key"]
    assert ex["key"] == res["explain_key"]


def test_every_address_in_every_step_resolves_to_a_finite_number_of_the_answer(explained, addresses):
    req, res, ex = explained
    ctx = _ctx(req, res)
    checked = 0
    for s in ex["steps"]:
        where = (s["i"], s["kind"], s["target"])
        for a in step_addresses(s):
            assert math.isfinite(addresses.number(ctx, a)), (where, a)
            checked += 1
        assert s["target"] in s["refs"], where
        named = {t[k] for t in tokens_of(s["lhs"] + [t for f in s["forms"] for t in f]) for k in ("a", "at") if k in t}
        assert named <= set(s["refs"]), (where, named - set(s["refs"]))
    assert checked > 3 * len(ex["steps"])


def test_every_target_and_ref_lives_in_an_element_of_the_diagram(explained, addresses):
    req, _, ex = explained
    for s in ex["steps"]:
        element = addresses.element(s["target"])
        assert element is not None and element_exists(element, req["network"]), (s["kind"], s["target"], element)
        for a in s["refs"]:
            element = addresses.element(a)
            assert element is None or element_exists(element, req["network"]), (s["kind"], a, element)


def test_every_steps_value_is_the_responses_own_number_for_what_it_computes(explained, addresses):
    req, res, ex = explained
    ctx = _ctx(req, res)
    kinds = set()
    for s in ex["steps"]:
        address, number = _expected(s, req, res)
        assert s["value"] == address, (s["i"], s["kind"])
        assert addresses.number(ctx, s["value"]) == number, (s["i"], s["kind"], address)
        if s["phase"] == "update":
            assert s["rel"] == "←"
            assert s["target"] == address.replace("'", "")  # W:l,i,j moves to W':l,i,j
        else:
            assert s["rel"] == "="
            assert s["target"] == s["value"]
        kinds.add(s["kind"])
    layers = req["network"]["layers"]
    assert {"weighted_sum", "loss", "grad_output"} <= kinds
    assert ("grad_post" in kinds) == (len(layers) > 1)
    some_phi = any(layer["activation"] != "identity" for layer in layers)
    assert ("activation" in kinds) == some_phi and ("grad_pre" in kinds) == some_phi


def test_every_trainable_weight_and_bias_has_one_gradient_step_and_one_update_step(explained):
    req, res, ex = explained
    weights, biases = [], []
    fan_in = req["network"]["inputs"]
    for l, layer in enumerate(req["network"]["layers"], start=1):
        if not layer.get("freeze_weights"):
            weights += [(l, i, j) for i in range(layer["units"]) for j in range(fan_in)]
        if not layer.get("freeze_biases"):
            biases += [(l, i, None) for i in range(layer["units"])]
        fan_in = layer["units"]
    for kinds, want in ((("grad_weight", "update_weight"), weights), (("grad_bias", "update_bias"), biases)):
        for kind in kinds:
            got = [(s["layer"], s["unit"], s["col"]) for s in ex["steps"] if s["kind"] == kind]
            assert sorted(got, key=repr) == sorted(want, key=repr), kind
    frozen = [k for k, layer in enumerate(req["network"]["layers"]) if layer.get("freeze_weights")]
    assert all(res["layers"][k]["grad_weights"] is None for k in frozen)


def test_a_batch_gradient_step_names_the_traced_samples_share(explained, addresses):
    req, res, ex = explained
    ctx = _ctx(req, res)
    grads = [s for s in ex["steps"] if s["kind"] in ("grad_weight", "grad_bias")]
    assert grads
    if len(req["x"]) == 1:
        assert res["sample_grads"] is None
        assert all(s["contribution"] is None for s in grads)
        return
    for s in grads:
        l, i, j = s["layer"], s["unit"], s["col"]
        share = res["sample_grads"][l - 1]
        if s["kind"] == "grad_weight":
            assert s["contribution"] == f"dLn/dW:{l},{i},{j}"
            assert addresses.number(ctx, s["contribution"]) == share["weights"][i][j]
        else:
            assert s["contribution"] == f"dLn/db:{l},{i}"
            assert addresses.number(ctx, s["contribution"]) == share["biases"][i]


def test_the_symbols_label_every_element_of_the_diagram(explained):
    req, _, ex = explained
    net = req["network"]
    widths = [net["inputs"]] + [layer["units"] for layer in net["layers"]]
    want = {"L"} | {f"x:{j}" for j in range(widths[0])} | {f"y:{k}" for k in range(widths[-1])}
    for l, layer in enumerate(net["layers"], start=1):
        for i in range(widths[l]):
            want |= {f"z:{l},{i}", f"b:{l},{i}"} | {f"W:{l},{i},{j}" for j in range(widths[l - 1])}
            if layer["activation"] != "identity":
                want.add(f"s:{l},{i}")
    assert set(ex["symbols"]) == want
    assert all(sym.get("s") for sym in ex["symbols"].values())


def test_the_random_networks_cover_batches_widths_depths_and_frozen_parameters():
    # the parametrisation above is only as strong as the networks it draws
    reqs = [_request(*c.values[0]) for c in CASES]
    assert {len(r["x"]) for r in reqs} >= {1, 2, 3, 4, 5}
    assert {len(r["network"]["layers"]) for r in reqs} == {1, 2, 3}
    assert len({r["network"]["layers"][0]["units"] for r in reqs}) >= 3
    assert len({r["trace_sample"] for r in reqs}) >= 3
    assert any(layer.get("freeze_weights") for r in reqs for layer in r["network"]["layers"])


# ---- batches ----------------------------------------------------------------------------------

@pytest.mark.parametrize("act, loss", [("sigmoid", "mse"), ("relu", "cross_entropy"), ("tanh", "bce"),
                                       ("softmax", "sse"), ("gelu", "mse"), ("silu", "cross_entropy")])
def test_summing_the_traced_samples_share_over_every_trace_sample_gives_the_batch_gradient(client, act, loss):
    req = random_request(_seed(act, loss, 9), act, loss, n_layers=2, n_samples=3)
    answers = [step(client, dict(req, trace_sample=n)) for n in range(3)]
    batch = answers[0]["layers"]
    for k, layer in enumerate(batch):
        for key, grad in (("weights", layer["grad_weights"]), ("biases", layer["grad_biases"])):
            shares = [a["sample_grads"][k][key] for a in answers]
            total = [sum(vals) for vals in zip(*shares)] if key == "biases" else \
                [[sum(vals) for vals in zip(*rows)] for rows in zip(*shares)]
            flat_total = total if key == "biases" else [v for row in total for v in row]
            flat_grad = grad if key == "biases" else [v for row in grad for v in row]
            assert all(_close(a, b) for a, b in zip(flat_total, flat_grad, strict=True)), (k, key)
            assert shares[0] != shares[1], "each sample has its own share"
    # the batch's numbers do not depend on which sample is traced
    assert all(a["layers"] == answers[0]["layers"] for a in answers)


# ---- structure, not values ------------------------------------------------------------------

def _revalued(req: dict, seed: int) -> dict:
    """The same structure with other numbers: weights, biases, slopes, x, y (the same classes), lr."""
    rng = random.Random(seed)
    out = copy.deepcopy(req)
    for layer in out["network"]["layers"]:
        layer["weights"] = [[rng.uniform(-1, 1) for _ in row] for row in layer["weights"]]
        layer["biases"] = [rng.uniform(-1, 1) for _ in layer["biases"]]
        layer["negative_slope"] = 0.2
    out["x"] = [[rng.uniform(-2, 2) for _ in row] for row in out["x"]]
    if out["network"]["loss"] == "bce":
        out["y"] = [[rng.uniform(0, 1) for _ in row] for row in out["y"]]
    elif out["network"]["loss"] != "cross_entropy":
        out["y"] = [[rng.uniform(-1, 1) for _ in row] for row in out["y"]]
    out["optimizer"] = dict(out["optimizer"], lr=0.37)
    return out


@pytest.mark.parametrize("act, loss", [("leaky_relu", "mse"), ("gelu", "cross_entropy"), ("sigmoid", "bce"),
                                       ("silu", "sse")])
def test_the_explanation_does_not_change_when_only_values_change(client, act, loss):
    a = random_request(_seed(act, loss, 5), act, loss, n_layers=2, n_samples=3)
    b = _revalued(a, 1)
    c = copy.deepcopy(a)  # weights left to the seed
    for layer in c["network"]["layers"]:
        del layer["weights"], layer["biases"]
    first = client.post("/api/explain", json=a)
    assert first.status_code == 200
    for other in (b, c):
        r = client.post("/api/explain", json=other)
        assert r.status_code == 200 and r.content == first.content
    keys = {step(client, req)["explain_key"] for req in (a, b, c)}
    assert keys == {first.json()["key"]}
    assert step(client, a)["loss"] != step(client, b)["loss"], "the values did change"


BASE = {
    "network": {"inputs": 3, "layers": [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "identity"}],
                "loss": "cross_entropy"},
    "x": [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1]],
    "y": [0, 1, 1],
    "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.0, "dampening": 0.0, "nesterov": False,
                  "weight_decay": 0.0},
    "trace_sample": 0,
}


def _changed(path: str, value) -> dict:
    return with_value(BASE, path, value)


STRUCTURE_CHANGES = {
    "units": _changed("network.layers.0.units", 4),
    "inputs": dict(_changed("network.inputs", 2), x=[row[:2] for row in BASE["x"]]),
    "depth": _changed("network.layers", [{"units": 3, "activation": "tanh"}] + BASE["network"]["layers"]),
    "activation": _changed("network.layers.0.activation", "gelu"),
    "loss": dict(_changed("network.loss", "mse"), y=[[0.0, 1.0]] * 3),
    "samples": dict(_changed("x", BASE["x"] + [[0.0, 0.0, 1.0]]), y=[0, 1, 1, 0]),
    "trace_sample": _changed("trace_sample", 2),
    "momentum": _changed("optimizer.momentum", 0.9),
    "weight_decay": _changed("optimizer.weight_decay", 0.01),
    "optimizer": _changed("optimizer", {"name": "adam", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8,
                                        "weight_decay": 0.0}),
    "class_labels": _changed("y", [1, 1, 0]),
    "frozen": _changed("network.layers.0.freeze_weights", True),
}


@pytest.mark.parametrize("change", list(STRUCTURE_CHANGES))
def test_the_explanation_changes_when_the_structure_changes(client, change):
    base = client.post("/api/explain", json=BASE)
    other = client.post("/api/explain", json=STRUCTURE_CHANGES[change])
    assert base.status_code == other.status_code == 200, other.text[:500]
    assert other.content != base.content
    assert other.json()["key"] != base.json()["key"]
    assert step(client, STRUCTURE_CHANGES[change])["explain_key"] == other.json()["key"]


# ---- the update phase -----------------------------------------------------------------------

@pytest.mark.parametrize("opt, rules", [
    pytest.param({"name": "sgd", "lr": 0.3, "weight_decay": 0.01}, ["update_sgd"] * 3, id="sgd"),
    pytest.param({"name": "sgd", "lr": 0.3, "momentum": 0.9, "weight_decay": 0.01},
                 ["update_momentum_first", "update_momentum", "update_momentum"], id="momentum"),
    pytest.param({"name": "sgd", "lr": 0.3, "momentum": 0.9, "dampening": 0.2},
                 ["update_momentum_first", "update_momentum_damped", "update_momentum_damped"], id="dampened"),
    pytest.param({"name": "sgd", "lr": 0.3, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
                 ["update_nesterov"] * 3, id="nesterov"),
    pytest.param({"name": "adam", "lr": 0.01, "weight_decay": 0.1}, ["update_adam"] * 3, id="adam"),
])
def test_update_steps_follow_the_optimizer_over_several_calls(client, addresses, opt, rules):
    req = dict(random_request(4, "tanh", "mse", n_layers=2, n_samples=2), optimizer=with_defaults(client, opt))
    previous = None
    for t, rule in enumerate(rules, start=1):
        res, ex = step(client, req), explain(client, req)
        assert ex["key"] == res["explain_key"]
        ctx = _ctx(req, res)
        updates = [s for s in ex["steps"] if s["phase"] == "update"]
        assert len(updates) == sum(len(layer["biases"]) * (1 + len(layer["weights"][0]))
                                   for layer in req["network"]["layers"])
        for s in updates:
            assert (s["words"]["id"], s["op"]) == (rule, opt["name"]), (t, s["target"])
            address, number = _expected(s, req, res)
            assert s["value"] == address and addresses.number(ctx, address) == number
            for a in step_addresses(s):
                assert math.isfinite(addresses.number(ctx, a)), (t, s["target"], a)
            kind, l, i, j = ("W" if s["col"] is not None else "b"), s["layer"], s["unit"], s["col"]
            pname = f"layers.{l - 1}.{'weight' if kind == 'W' else 'bias'}"
            at = (lambda v: v[i][j]) if kind == "W" else (lambda v: v[i])
            idx = f"{l},{i}" + (f",{j}" if kind == "W" else "")
            state = res["optimizer_state"]["params"].get(pname)
            args = s["words"]["args"]
            if rule == "update_adam":
                assert addresses.number(ctx, args["t"]) == t  # the step count torch wrote
                assert addresses.number(ctx, args["m"]) == at(state["exp_avg"])
                assert addresses.number(ctx, args["v"]) == at(state["exp_avg_sq"])
            elif rule != "update_sgd":
                assert addresses.number(ctx, args["b"]) == at(state["momentum_buffer"])  # the buffer after
            if rule in ("update_momentum", "update_momentum_damped"):  # the buffer before: the last answer's
                assert f"buf.{kind}:{idx}" in s["refs"]
                before = previous["optimizer_state"]["params"][pname]["momentum_buffer"]
                assert addresses.number(ctx, f"buf.{kind}:{idx}") == at(before)
            else:
                assert not any(a.startswith("buf.") for a in s["refs"]), (rule, s["refs"])
        previous = res
        req = dict(req, network=res["network_after"], optimizer_state=res["optimizer_state"])


def test_a_saturated_bce_output_names_the_finite_numbers_torch_computed(client, addresses):
    req = {"network": {"inputs": 1, "loss": "bce",
                       "layers": [{"units": 1, "activation": "sigmoid", "weights": [[50.0]], "biases": [0.0],
                                   "negative_slope": 0.01}]},
           "x": [[1.0]], "y": [[0.0]], "optimizer": {"name": "sgd", "lr": 0.1}}
    res, ex = step(client, req), explain(client, req)
    assert res["output"] == [[1.0]]  # σ(50) is 1.0 in float64
    ctx = _ctx(req, res)
    grad_output = next(s for s in ex["steps"] if s["kind"] == "grad_output")
    assert addresses.number(ctx, grad_output["value"]) == res["layers"][0]["grad_post"][0][0]
    for s in ex["steps"]:
        for a in step_addresses(s):
            assert math.isfinite(addresses.number(ctx, a)), (s["kind"], a)


def test_the_explanation_is_gzipped_for_a_client_that_accepts_it_and_the_same_json(client):
    import gzip

    req = client.get("/api/presets/mini-mlp").json()
    plain = client.post("/api/explain", json=req, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    raw = client.post("/api/explain", json=req, headers={"accept-encoding": "gzip, deflate"})
    assert raw.headers["content-encoding"] == "gzip" and raw.headers["vary"] == "Accept-Encoding"
    packed = int(raw.headers["content-length"])
    assert raw.content == plain.content  # the client decodes it to the very same bytes
    assert packed * 8 < len(plain.content) and gzip.compress(plain.content, mtime=0)[:2] == b"\x1f\x8b"


def test_an_inference_only_run_is_explained_by_its_forward_pass_and_loss_alone(client, lecture):
    full = explain(client, lecture)
    inference = explain(client, dict(lecture, no_grad=True))
    assert inference["key"] != full["key"]
    assert {s["phase"] for s in inference["steps"]} == {"forward", "loss"}
    assert inference["steps"] == [s for s in full["steps"] if s["phase"] in ("forward", "loss")]
