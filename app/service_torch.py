"""POST /api/code and POST /api/gradcheck, from request bytes to answer bytes: parse, check, call
the engine (codegen, gradcheck), encode. Run on the engine executor."""

from __future__ import annotations

import orjson
from pydantic import ValidationError

from .config import Settings
from .engine.codegen import script
from .engine.gradcheck import DEFAULT_H, REL, ABS, address_error, check, parameter_addresses
from .schemas_torch import GradcheckRequest
from .service import MAX_ERRORS, RequestInvalid, _error, compute, parse, step_input
from .validation import limit_message, request_errors


def code_text(body: bytes, settings: Settings) -> str:
    """POST /api/code: the step request's runnable PyTorch script (for a request /api/step computes: the
    step is taken once, so a state torch cannot hold is the same 422 here as there)."""
    req = parse(body, settings)
    compute(req, settings.torch_threads)
    return script(req.model_dump())


def _parse_gradcheck(body: bytes, settings: Settings) -> GradcheckRequest:
    try:
        req = GradcheckRequest.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestInvalid([_error(e) for e in errors[:MAX_ERRORS]]) from None
    errors = [dict(e, loc=("body", "request", *e["loc"][1:])) for e in request_errors(req.request, settings)]
    if errors:
        raise RequestInvalid(errors)
    if req.addresses is not None and len(req.addresses) > allowed_addresses(req, settings):
        field, limit = min(("max_gradcheck_addresses", settings.max_gradcheck_addresses),
                           ("max_gradcheck_cost", allowed_addresses(req, settings)), key=lambda f: f[1])
        what = "addresses" if field == "max_gradcheck_addresses" else \
            f"addresses on this network and batch (each costs {_cost(req):,} of the {settings.max_gradcheck_cost:,})"
        raise RequestInvalid([{"type": "limit", "loc": ("body", "addresses"), "input": None,
                               "msg": limit_message(field, limit, what, len(req.addresses))}])
    return req


def _cost(req: GradcheckRequest) -> int:
    """One address's work: two forward passes over every sample through every parameter."""
    return 2 * len(req.request.x) * req.request.network.parameters()


def allowed_addresses(req: GradcheckRequest, settings: Settings) -> int:
    """How many addresses one check of this request may hold, by both limits."""
    return max(1, min(settings.max_gradcheck_addresses, settings.max_gradcheck_cost // _cost(req)))


def gradcheck_bytes(body: bytes, settings: Settings) -> bytes:
    """POST /api/gradcheck: autograd beside the central finite difference, per parameter element, as JSON."""
    req = _parse_gradcheck(body, settings)
    inp, _ = step_input(req.request)
    shape = inp.shape
    omitted = 0
    if req.addresses is None:
        addresses = parameter_addresses(shape)
        allowed = allowed_addresses(req, settings)
        omitted = max(0, len(addresses) - allowed)
        addresses = addresses[:allowed]
    else:
        addresses = req.addresses
        errors = [{"type": "value_error", "loc": ("body", "addresses", k), "msg": why, "input": a[:40]}
                  for k, a in enumerate(addresses) if (why := address_error(shape, a))]
        if errors:
            raise RequestInvalid(errors[:MAX_ERRORS])
    h = req.h if req.h is not None else DEFAULT_H
    checks = check(shape, inp.weights, inp.biases, inp.slopes, inp.seed, inp.x, inp.y, addresses, h)
    rule = f"ok when |autograd − numeric| ≤ {REL:g}·|autograd| + {ABS:g}"
    return orjson.dumps({"checks": checks, "h": h, "rule": rule, "omitted": omitted})
