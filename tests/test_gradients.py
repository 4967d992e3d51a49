"""The API's gradients are autograd's, and autograd's are the calculus': every activation × loss.

Random networks (1–3 layers, random widths) and batches (N 1–5) in float64, checked two
ways: against central finite differences of the loss, and against a plain torch
reimplementation (activations and losses written out here, not the engine's modules).
"""

from __future__ import annotations

import pytest

from helpers import ACTIVATIONS, LOSSES, assert_close, finite_differences, oracle, random_request, step

# Central differences with h = 1e-6 in float64: truncation ~h², rounding ~1e-16/h.
FD_RTOL, FD_ATOL = 1e-6, 1e-7
# The same maths in the same precision, only the order of operations may differ.
TORCH_RTOL, TORCH_ATOL = 1e-10, 1e-12

CASES = [
    pytest.param(act, loss, n_layers, seed, id=f"{act}-{loss}-{n_layers}layers")
    for act in ACTIVATIONS
    for loss in LOSSES
    for n_layers, seed in ((1, 11), (2, 22), (3, 33))
    # one layer: the loss dictates the output activation, so bce/ce would repeat themselves
    if not (n_layers == 1 and loss in ("bce", "cross_entropy") and act != "identity")
]


@pytest.mark.parametrize("act, loss, n_layers, seed", CASES)
def test_parameter_and_input_gradients_equal_central_finite_differences(client, act, loss, n_layers, seed):
    req = random_request(seed + ACTIVATIONS.index(act) * 100 + LOSSES.index(loss) * 1000, act, loss, n_layers)
    res = step(client, req)
    fd = finite_differences(req)
    for k in range(n_layers):
        assert_close(res["layers"][k]["grad_weights"], fd["grad_weights"][k], rtol=FD_RTOL, atol=FD_ATOL,
                     what=f"∂L/∂W of layer {k}")
        assert_close(res["layers"][k]["grad_biases"], fd["grad_biases"][k], rtol=FD_RTOL, atol=FD_ATOL,
                     what=f"∂L/∂β of layer {k}")
    assert_close(res["grad_input"], fd["grad_input"], rtol=FD_RTOL, atol=FD_ATOL, what="∂L/∂x")


@pytest.mark.parametrize("act, loss, n_layers, seed", CASES)
def test_every_value_and_gradient_equals_a_plain_torch_reimplementation(client, act, loss, n_layers, seed):
    req = random_request(seed + ACTIVATIONS.index(act) * 100 + LOSSES.index(loss) * 1000, act, loss, n_layers)
    res = step(client, req)
    ref = oracle(req)
    assert res["dtype"] == "float64"
    assert res["diverged"] is False
    assert abs(res["loss"] - ref["loss"]) <= TORCH_ATOL + TORCH_RTOL * abs(ref["loss"])
    assert_close(res["output"], ref["post"][-1], rtol=TORCH_RTOL, atol=TORCH_ATOL, what="ŷ")
    for k in range(n_layers):
        got = res["layers"][k]
        for key in ("pre", "post", "grad_pre", "grad_post", "grad_weights", "grad_biases"):
            assert_close(got[key], ref[key][k], rtol=TORCH_RTOL, atol=TORCH_ATOL, what=f"layer {k} {key}")
    assert_close(res["grad_input"], ref["grad_input"], rtol=TORCH_RTOL, atol=TORCH_ATOL, what="∂L/∂x")


def test_cross_entropy_returns_the_softmax_probabilities_of_the_logits(client):
    import torch

    req = random_request(5, "tanh", "cross_entropy", n_layers=2, n_samples=3)
    res = step(client, req)
    expected = torch.softmax(torch.tensor(res["output"], dtype=torch.float64), dim=1).tolist()
    assert_close(res["probabilities"], expected, rtol=1e-12, atol=1e-15, what="p")
    assert step(client, random_request(5, "tanh", "mse", n_layers=2))["probabilities"] is None


def test_the_random_networks_cover_batches_and_several_widths():
    # the parametrisation above is only as strong as the networks it draws
    reqs = [random_request(seed + ACTIVATIONS.index(a) * 100 + LOSSES.index(lo) * 1000, a, lo, n)
            for a, lo, n, seed in (c.values for c in CASES)]
    assert {len(r["x"]) for r in reqs} >= {1, 2, 3, 4, 5}
    assert {len(r["network"]["layers"]) for r in reqs} == {1, 2, 3}
    assert len({r["network"]["layers"][0]["units"] for r in reqs}) >= 3
