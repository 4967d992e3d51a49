"""The operation registry is the one source of truth, and every operation in it is checked.

Each activation, loss and optimizer GET /api/registry serves has a reference written by hand
in the tests (helpers._phi, helpers.loss_fn, test_optimizers.TORCH_OPTIMIZERS) and is in the
gradient and optimizer parametrisations, so adding an operation without them fails here. The
schemas' enums are the registry's ids; the registry and the schemas import no torch; every
torch class the registry names exists and is the one its code string builds.
"""

from __future__ import annotations

import math
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
import torch
from torch import nn

import helpers
from helpers import _phi, loss_fn
from test_gradients import CASES as GRADIENT_CASES
from test_optimizers import OPTIMIZERS as OPTIMIZER_CASES
from test_optimizers import TORCH_OPTIMIZERS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def registry(client) -> dict:
    r = client.get("/api/registry")
    assert r.status_code == 200
    return r.json()


def _ids(registry: dict, kind: str) -> list[str]:
    return [entry["id"] for entry in registry[kind]]


def _resolve(dotted: str) -> type:
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


# ---- every operation has a reference --------------------------------------------------------

def test_the_tests_hand_written_activation_and_loss_lists_are_the_registrys_ids(registry):
    assert sorted(helpers.ACTIVATIONS) == sorted(_ids(registry, "activations"))
    assert len(set(helpers.ACTIVATIONS)) == len(helpers.ACTIVATIONS)
    assert sorted(helpers.LOSSES) == sorted(_ids(registry, "losses"))


def test_every_activation_has_a_reference_implementation_equal_to_its_torch_module(registry):
    from app.engine.ops import make_activation

    s = torch.linspace(-4, 4, 24, dtype=torch.float64).reshape(4, 6)
    for act in _ids(registry, "activations"):
        want = _phi(act, s, 0.05)  # KeyError: no reference for an activation the registry serves
        got = make_activation(act, 0.05)(s)
        assert torch.allclose(got, want, rtol=1e-12, atol=1e-14), act


def test_every_loss_has_a_reference_implementation_equal_to_its_torch_module(registry):
    from app.engine.ops import make_loss

    g = torch.Generator().manual_seed(0)
    logits = torch.randn(5, 3, dtype=torch.float64, generator=g)
    for entry in registry["losses"]:
        if entry["targets"] == "classes":
            yhat, y = logits, torch.tensor([0, 2, 1, 1, 0])
        else:
            y = torch.rand(5, 3, dtype=torch.float64, generator=g)
            yhat = torch.sigmoid(logits) if entry["output_activations"] == ["sigmoid"] else logits
        want = loss_fn(entry["id"], yhat, y)  # KeyError: no reference for a loss the registry serves
        got = make_loss(entry["id"])(yhat, y)
        assert math.isclose(got.item(), want.item(), rel_tol=1e-12, abs_tol=1e-14), entry["id"]


def test_every_operation_is_in_the_gradient_and_optimizer_parametrisations(registry):
    covered = {case.values[0] for case in GRADIENT_CASES}
    assert covered == set(_ids(registry, "activations"))
    assert {case.values[1] for case in GRADIENT_CASES} == set(_ids(registry, "losses"))
    assert {opt["name"] for opt in OPTIMIZER_CASES.values()} == set(_ids(registry, "optimizers"))
    assert set(TORCH_OPTIMIZERS) == set(_ids(registry, "optimizers"))
    for entry in registry["optimizers"]:  # the loop steps the class the registry names
        assert TORCH_OPTIMIZERS[entry["id"]] is _resolve(entry["torch"]), entry["id"]


# ---- the registry is the source of the schemas ----------------------------------------------

def test_the_step_requests_enums_are_the_registrys_ids(client, registry):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    def ref(prop: dict) -> dict:
        return schemas[prop["$ref"].rsplit("/", 1)[-1]]

    request = schemas["StepRequest"]["properties"]
    network = ref(request["network"])["properties"]
    layer = ref(network["layers"]["items"])["properties"]
    optimizer = ref(request["optimizer"])["properties"]
    assert layer["activation"]["enum"] == _ids(registry, "activations")
    assert network["loss"]["enum"] == _ids(registry, "losses")
    assert optimizer["name"]["enum"] == _ids(registry, "optimizers")


def test_importing_the_registry_and_the_schemas_does_not_import_torch():
    code = ("import sys, app.registry, app.schemas; "
            "print('torch' in sys.modules, 'fastapi' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"], "the registry and the schemas are pure data"


# ---- what GET /api/registry serves ------------------------------------------------------------

def _template_text(tokens: list[dict]) -> str:
    return "".join(str(t.get("s", t.get("v"))) for t in tokens)


@pytest.mark.parametrize("act, symbol, torch_name, code, forward, derivative", [
    ("gelu", "GELU", "torch.nn.GELU", "nn.GELU()", "s·Φ(s)", "Φ(s)+s·Φ′(s)"),
    ("silu", "SiLU", "torch.nn.SiLU", "nn.SiLU()", "s·σ(s)", "σ(s)·(1.0+s·(1.0−σ(s)))"),
])
def test_the_registry_serves_gelu_and_silu_with_symbol_torch_class_code_and_templates(
        registry, act, symbol, torch_name, code, forward, derivative):
    entry = next(e for e in registry["activations"] if e["id"] == act)
    assert (entry["symbol"], entry["torch"], entry["code"]) == (symbol, torch_name, code)
    assert _template_text(entry["forward"]) == forward
    assert _template_text(entry["derivative"]) == derivative
    assert {t["s"] for t in entry["forward"] + entry["derivative"] if t["t"] == "var"} == {"s"}
    assert entry["words"] and entry["derivative_words"] and entry["min_units"] == 1


def test_every_registry_entrys_torch_name_is_a_real_class_its_code_builds(registry):
    for kind, base in (("activations", nn.Module), ("losses", nn.Module), ("optimizers", torch.optim.Optimizer)):
        for entry in registry[kind]:
            cls = _resolve(entry["torch"])
            assert isinstance(cls, type) and issubclass(cls, base), entry["torch"]
            prefix = entry["torch"] if kind == "optimizers" else f"nn.{cls.__name__}"
            assert entry["code"].startswith(prefix + "("), (entry["id"], entry["code"])


def test_the_registry_serves_the_quantity_table_and_the_limits(client, registry):
    from app.config import Settings

    assert {"x", "W", "b", "s", "z", "L", "dL/dW", "W'", "vhat.W"} <= set(registry["quantities"])
    for q, spec in registry["quantities"].items():
        assert spec["root"] in ("request", "response"), q
        assert spec["path"] and spec["description"], q
    settings = Settings()
    assert registry["limits"] == {k: getattr(settings, k) for k in
                                  ("max_layers", "max_units", "max_inputs", "max_parameters", "max_samples")}


# ---- the newcomers' calculus --------------------------------------------------------------------

@pytest.mark.parametrize("act, module", [("gelu", nn.GELU()), ("silu", nn.SiLU())])
def test_gelu_and_silu_derivatives_equal_central_differences_and_torch_autograd(act, module):
    s = torch.tensor([-6.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.9, 1.7, 3.0, 8.0], dtype=torch.float64)
    h = 1e-6
    fd = (_phi(act, s + h, 0.0) - _phi(act, s - h, 0.0)) / (2 * h)
    leaf = s.clone().requires_grad_()
    (reference,) = torch.autograd.grad(_phi(act, leaf, 0.0).sum(), leaf)
    leaf = s.clone().requires_grad_()
    (torch_grad,) = torch.autograd.grad(module(leaf).sum(), leaf)
    assert torch.allclose(reference, fd, rtol=1e-7, atol=1e-8), (reference - fd).abs().max()
    assert torch.allclose(torch_grad, reference, rtol=1e-12, atol=1e-14), (torch_grad - reference).abs().max()
    assert torch.allclose(module(s), _phi(act, s, 0.0), rtol=1e-12, atol=1e-14)
    if act == "gelu":  # exact GELU, not tanh's approximation (torch's default approximate='none')
        tanh_gelu = nn.GELU(approximate="tanh")(s)
        assert not torch.allclose(_phi(act, s, 0.0), tanh_gelu, rtol=1e-6, atol=1e-7)
