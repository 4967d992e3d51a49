"""From request bytes to answer bytes: parse, check, compute with the engine, encode.

The routes call these (on the engine executor, or inline for a small step); the
benchmarks call them directly. The JSON shape of a step answer is written here, once.
"""

from __future__ import annotations

import orjson
from pydantic import ValidationError

from .config import Settings
from .engine.errors import SpecError
from .engine.explain import explain_gzip, explain_json
from .engine.ops import hyper_of
from .engine.session import run
from .engine.stepio import StepInput, StepResult
from . import jsonpieces
from .jsonsafe import finite_or_text
from .prescan import prescan
from .plan import plan, structure
from .schemas import NetworkSpec, StepRequest
from .validation import request_errors


MAX_ERRORS = 50  # validation errors a 422 lists; the rest are counted


class RequestInvalid(Exception):
    """The request cannot be computed: FastAPI-style errors, each with the field's path."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def validate(model, body: bytes, settings: Settings, table: str | None = None, samples: str = "max_samples"):
    """The model in these bytes, or RequestInvalid with at most MAX_ERRORS errors (the rest counted).
    A large body's arrays are checked first, in pieces (see prescan); `table` names the object that
    holds x and y when they are not at the top (a training run's `data`, limited by `samples`)."""
    if len(body) > settings.inline_max_bytes:
        errors = prescan(body, settings, table, samples)
        if errors:
            raise RequestInvalid(errors)
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        shown = [_error(e) for e in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:  # a body of wrong values must not make an answer of errors as large
            shown.append({"type": "too_many_errors", "loc": ("body",), "input": None,
                          "msg": f"and {len(errors) - MAX_ERRORS} more errors like these"})
        raise RequestInvalid(shown) from None


def parse(body: bytes, settings: Settings) -> StepRequest:
    """The step request in these bytes, checked against itself and the limits."""
    req = validate(StepRequest, body, settings)
    errors = request_errors(req, settings)
    if errors:
        raise RequestInvalid(errors)
    return req


def step_cost(req: StepRequest) -> int:
    """Parameters × samples × backward passes: what a step's time grows with."""
    return req.network.parameters() * len(req.x) * req.backward_passes


def _error(e: dict) -> dict:
    """A validation error as the 422 shows it: the field's path, the message, a short echo of the input."""
    echo = e.get("input")
    small_int = isinstance(echo, int) and abs(echo) < 2**63
    if not (echo is None or small_int or isinstance(echo, float) or (isinstance(echo, str) and len(echo) <= 80)):
        echo = None  # bytes (bad UTF-8), whole objects, long strings, huge integers: the path and message say enough
    return {"type": e["type"], "loc": ("body", *e["loc"]), "msg": e["msg"], "input": echo}


def _network(net: NetworkSpec, weights: list, biases: list) -> dict:
    """The network as an answer returns it: the request's, with these weights and biases."""
    return {
        "inputs": net.inputs, "loss": net.loss, "seed": net.seed,
        "layers": [{"units": layer.units, "activation": layer.activation, "weights": w, "biases": b,
                    "freeze_weights": layer.freeze_weights, "freeze_biases": layer.freeze_biases,
                    "negative_slope": layer.negative_slope} for layer, w, b in zip(net.layers, weights, biases)],
    }


def step_input(req: StepRequest) -> tuple[StepInput, str]:
    """The engine's input for a checked request, and the key of its explanation."""
    net = req.network
    known = plan(req)
    inp = StepInput(
        shape=known.shape, weights=[layer.weights for layer in net.layers], biases=[layer.biases for layer in net.layers],
        slopes=[layer.negative_slope for layer in net.layers], seed=net.seed, x=req.x, y=req.y,
        hyper=hyper_of(req.optimizer.name, req.optimizer), state=req.optimizer_state, sample=req.trace_sample,
        shown_terms=known.shown_terms,
        grad_before=req.grad_before, backward_passes=req.backward_passes, no_grad=req.no_grad,
    )
    return inp, known.explain_key


def compute(req: StepRequest, threads: int = 1, check=None) -> tuple[StepResult, str]:
    """The engine's step for a checked request (torch on `threads` threads), and the key of its explanation;
    `check(phase)` is called between the step's phases (it may raise to stop the step)."""
    inp, key = step_input(req)
    try:
        return run(inp, threads, check), key
    except SpecError as exc:
        raise RequestInvalid([{"type": "value_error", "loc": ("body", *exc.loc), "msg": exc.msg, "input": None}]) \
            from None


_GRAPH_JSON: dict[int, tuple[dict, orjson.Fragment]] = {}  # id(graph) → (graph, its JSON): a few structures


def _graph_json(graph: dict) -> orjson.Fragment:
    """The autograd graph's JSON, written once per graph: a session keeps one graph object per
    structure and batch size (the graph has addresses, no numbers), and writing it cost the
    lecture's answer ~50k instructions, more than all of its numbers."""
    entry = _GRAPH_JSON.get(id(graph))
    if entry is None or entry[0] is not graph:
        if len(_GRAPH_JSON) >= 256:
            _GRAPH_JSON.clear()
        entry = _GRAPH_JSON[id(graph)] = (graph, orjson.Fragment(orjson.dumps(graph)))
    return entry[1]


def answer(req: StepRequest, result: StepResult, key: str) -> dict:
    """The step answer (API v1 keys, plus explain_key and the numbers the explanation names)."""
    r = result
    content = {
        "loss": r.loss,
        "output": r.post[-1],
        "probabilities": r.probabilities,
        "layers": [{"pre": r.pre[k], "post": r.post[k], "grad_pre": r.grad_pre[k], "grad_post": r.grad_post[k],
                    "grad_weights": r.grad_weights[k], "grad_biases": r.grad_biases[k]} for k in range(len(r.pre))],
        "grad_input": r.grad_input,
        "network": _network(req.network, r.weights, r.biases),
        "network_after": _network(req.network, r.weights_after, r.biases_after),
        "optimizer": dict(vars(req.optimizer)),  # its fields, every default filled in (model_dump, a 10th of the cost)
        "optimizer_state": r.state,
        "autograd": _graph_json(r.graph),
        "trace_sample": req.trace_sample,
        "dtype": req.dtype,
        "explain_key": key,
        "sample_grads": r.sample_grads,
        "optimizer_terms": r.optimizer_terms,
        "loss_rest": r.loss_rest,
        "no_grad": req.no_grad,
        "accumulation": r.accumulation,
        "diverged": r.diverged,
    }
    return finite_or_text(content) if r.diverged else content


PIECES_FROM = 256 * 1024  # estimated answer bytes from which the JSON is written in pieces (~0.3 ms in one call below)


def encode(content: dict, pieces: bool = True) -> bytes:
    """The answer's JSON, written once (numpy arrays directly); a large one in short pieces (see jsonpieces),
    a small one in one call (in pieces, the lecture's answer cost more than its torch step)."""
    if pieces:
        return jsonpieces.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)
    return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


def answer_bytes(req: StepRequest, settings: Settings, check=None) -> bytes:
    """The answer's JSON bytes for a checked request (RequestInvalid if the engine refuses its state);
    `check(phase)` between the phases, the last before the answer is written."""
    result, key = compute(req, settings.torch_threads, check)
    if check is not None:
        check("writing the answer")
    return encode(answer(req, result, key), pieces=plan(req).answer_size > PIECES_FROM)


def step_bytes(body: bytes, settings: Settings, check=None) -> bytes:
    """POST /api/step: the request's bytes in, the answer's JSON bytes out (RequestInvalid if it cannot be computed)."""
    return answer_bytes(parse(body, settings), settings, check)


def explain_bytes(body: bytes, settings: Settings, gzipped: bool = False, check=None) -> bytes:
    """POST /api/explain: the player's steps for the request's structure, as JSON (cached per structure),
    gzipped when asked; `check(phase)` once the body is parsed."""
    st = structure(parse(body, settings))
    if check is not None:
        check("deriving the explanation")
    return explain_gzip(st) if gzipped else explain_json(st)
