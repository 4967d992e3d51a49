"""The trace: the ordered steps the player shows, forward and loss phases here.

Each step names what it is about, gives its formula as tokens (symbols that carry their
values) and the value torch computed. The backward and update phases are built in
trace_backward.py and trace_update.py from the same captured numbers.
"""

from __future__ import annotations

from . import tokens as tk
from .registry import ACTIVATIONS
from .trace_backward import backward_steps
from .trace_context import TraceContext, make_step
from .trace_update import update_steps


def forward_steps(ctx: TraceContext) -> list[dict]:
    """Per neuron: the weighted sum with its terms, then φ."""
    steps = []
    note, n = ctx.note, ctx.n
    for layer in range(1, ctx.L + 1):
        spec = ctx.spec.layers[layer - 1]
        W, B = ctx.cap.weights[layer - 1], ctx.cap.biases[layer - 1]
        a = ctx.a(layer - 1)
        pre, post = ctx.cap.pre[layer - 1][n], ctx.cap.post[layer - 1][n]
        info = ACTIVATIONS[spec.activation]
        for i in range(spec.units):
            form = []
            for j, aj in enumerate(a):
                form += [note.w(layer, i, j, W[i][j]), tk.op("·"), note.z(layer - 1, j, aj), tk.op("+")]
            form.append(note.b(layer, i, B[i]))
            steps.append(make_step(
                "forward", "weighted_sum", layer, i, n, f"L{layer}N{i}", [ctx.node(layer, i)], [form],
                pre[i], terms=[[W[i][j], aj] for j, aj in enumerate(a)] + [[B[i]]],
                text=f"Weighted sum of neuron {i} in layer {layer}: each input times its weight, plus the bias β.",
            ))
        if spec.activation == "identity":
            continue
        for i in range(spec.units):
            if spec.activation == "softmax":
                form = [tk.fn("exp"), tk.op("("), note.s(layer, i, pre[i]), tk.op(")"), tk.op("/"), tk.op("(")]
                for k in range(spec.units):
                    form += [tk.fn("exp"), tk.op("("), note.s(layer, k, pre[k]), tk.op(")"), tk.op("+")]
                form[-1] = tk.op(")")
            else:
                form = [tk.fn(info.symbol), tk.op("("), note.s(layer, i, pre[i]), tk.op(")")]
            steps.append(make_step(
                "forward", "activation", layer, i, n, f"L{layer}N{i}", [note.z(layer, i)], [form], post[i],
                text=f"The activation φ = {info.symbol} turns the weighted sum into the neuron's output.",
            ))
    return steps


def _of_sample(ctx: TraceContext, t: dict, sample: int) -> dict:
    """A symbol of the loss's sum marked with its sample: only the traced one lives in the diagram."""
    if ctx.N > 1:
        t["sup"] = f"({sample})"
    if sample != ctx.n:
        t.pop("ref", None)
    return t


_MAX_LOSS_TERMS = 8


def _loss_term(ctx: TraceContext, sample: int, k: int) -> list[dict]:
    loss = ctx.spec.loss
    yhat = ctx.cap.post[-1][sample][k]
    if loss == "cross_entropy":
        label = ctx.cap.y[sample]
        p = tk.sym("p", ctx.cap.probabilities[sample][label], sub=str(label),
                   sup=f"({sample})" if ctx.N > 1 else None, ref=f"L{ctx.L}N{label}" if sample == ctx.n else None)
        return [tk.fn("log"), tk.op("("), p, tk.op(")")]
    y = ctx.cap.y[sample][k]
    zt = _of_sample(ctx, ctx.note.z(ctx.L, k, yhat), sample)
    yt = _of_sample(ctx, ctx.note.y(k, y), sample)
    if loss == "bce":
        return [yt, tk.op("·"), tk.fn("log"), tk.op("("), zt, tk.op(")"), tk.op("+"), tk.op("("), tk.num(1.0),
                tk.op("−"), yt, tk.op(")"), tk.op("·"), tk.fn("log"), tk.op("("), tk.num(1.0), tk.op("−"),
                zt, tk.op(")")]
    return [tk.op("("), zt, tk.op("−"), yt, tk.op(")"), tk.op("²")]


def loss_step(ctx: TraceContext) -> dict:
    """L as the loss module computes it, every term written out when there are few."""
    loss = ctx.spec.loss
    pairs = [(s, 0) for s in range(ctx.N)] if loss == "cross_entropy" else [
        (s, k) for s in range(ctx.N) for k in range(ctx.K)]
    count = len(pairs)
    if count > _MAX_LOSS_TERMS:  # the traced sample's terms, then an ellipsis
        pairs = [p for p in pairs if p[0] == ctx.n]
    body = []
    for s, k in pairs:
        term = _loss_term(ctx, s, k)
        body += ([tk.op("[")] + term + [tk.op("]")]) if loss == "bce" and len(pairs) > 1 else term
        body.append(tk.op("+"))
    body = body[:-1] + ([tk.op("+"), tk.op("…")] if len(pairs) < count else [])
    form = []
    if loss in ("bce", "cross_entropy"):
        form.append(tk.op("−"))
    if loss != "sse" and count > 1:
        form += [tk.num(1.0 / count), tk.op("·"), tk.op("(")] + body + [tk.op(")")]
    elif loss in ("bce", "cross_entropy") and len(body) > 4:
        form += [tk.op("(")] + body + [tk.op(")")]
    else:
        form += body
    words = {
        "mse": "mean squared error (torch.nn.MSELoss)",
        "sse": "sum of squared errors (MSELoss with reduction='sum')",
        "bce": "binary cross-entropy (torch.nn.BCELoss)",
        "cross_entropy": "cross-entropy of the softmax probabilities p (torch.nn.CrossEntropyLoss)",
    }[loss]
    # cross-entropy reads every logit (through the softmax) and the class target
    extra = [f"L{ctx.L}N{k}" for k in range(ctx.K)] + ["Y0"] if loss == "cross_entropy" else ()
    return make_step("loss", "loss", None, None, ctx.n, "loss", [ctx.note.loss()], [form], ctx.cap.loss,
                     text=f"The loss L compares the prediction ŷ with the truth y: {words}, over {count} term(s).",
                     extra_refs=extra)


def build_trace(req, cap, state_before, state_after) -> list[dict]:
    """All four phases in order, each step numbered."""
    ctx = TraceContext(req, cap)
    steps = forward_steps(ctx)
    steps.append(loss_step(ctx))
    steps += backward_steps(ctx)
    steps += update_steps(ctx, state_before, state_after)
    for i, step in enumerate(steps):
        step["i"] = i
    return steps
