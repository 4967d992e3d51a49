"""The forward phase and the loss: per neuron the weighted sum, then φ; then L."""

from __future__ import annotations

from ...registry import ACTIVATIONS, LOSSES
from ...registry.template import top_level_ops
from ..addresses import addr
from .context import Context, make_step
from .tokens import fn, fraction, joined, op, sym, template

from ...registry.base import LOSS_VARS as LOSS_NAMES
from ...registry.base import VARS as ACT_NAMES
MAX_LOSS_TERMS = 8  # more terms than this: the traced sample's, then "…" worth the rest


def _weighted_sum(ctx: Context, layer: int, i: int) -> dict:
    note = ctx.note
    terms = [[note.w(layer, i, j), op("·"), note.z(layer - 1, j)] for j in range(ctx.widths[layer - 1])]
    form = joined(terms + [[note.b(layer, i)]])
    node = ctx.node(layer, i)
    return make_step("forward", "weighted_sum", layer, i, node["a"], [node], [form], node["a"], sample=ctx.n,
                     args={"inputs": ctx.widths[layer - 1]})


def _activation(ctx: Context, layer: int, i: int) -> dict:
    note = ctx.note
    entry = ACTIVATIONS[ctx.layer(layer).activation]
    values = {"s": note.s(layer, i), "z": note.z(layer, i), "α": sym("α", addr("alpha", layer))}
    if entry.couples_units:
        exps = [[fn("exp"), op("("), note.s(layer, k), op(")")] for k in range(ctx.widths[layer])]
        values["Σ"] = [op("(")] + joined(exps) + [op(")")]
    form = template(entry.forward, ACT_NAMES, values)
    z = note.z(layer, i)
    return make_step("forward", "activation", layer, i, z["a"], [z], [form], z["a"], op=entry.id, sample=ctx.n)


def forward_steps(ctx: Context) -> list[dict]:
    """Per layer: every neuron's weighted sum, then (unless φ is the identity) its φ."""
    steps = []
    for layer in range(1, ctx.L + 1):
        steps += [_weighted_sum(ctx, layer, i) for i in range(ctx.widths[layer])]
        if not ctx.identity(layer):
            steps += [_activation(ctx, layer, i) for i in range(ctx.widths[layer])]
    return steps


def _marked(ctx: Context, t: dict, n: int) -> dict:
    """A symbol of the loss's sum marked with its sample when the batch has several."""
    return dict(t, sup=f"({n})") if ctx.N > 1 else t


def _loss_term(ctx: Context, n: int, k: int) -> list[dict]:
    note = ctx.note
    entry = LOSSES[ctx.st.loss]
    if entry.targets == "classes":
        label = ctx.st.labels[n]
        values = {"p": _marked(ctx, note.p(label, n), n)}
    else:
        values = {"ŷ": _marked(ctx, note.z(ctx.L, k, n), n), "y": _marked(ctx, note.y(k, n), n)}
    return template(entry.term, LOSS_NAMES, values)


def loss_pairs(ctx: Context) -> tuple[list[tuple[int, int]], int]:
    """The (sample, output) terms the loss formula writes out, and how many terms L has."""
    classes = LOSSES[ctx.st.loss].targets == "classes"
    pairs = [(n, 0) for n in range(ctx.N)] if classes else [(n, k) for n in range(ctx.N) for k in range(ctx.K)]
    if len(pairs) <= MAX_LOSS_TERMS:
        return pairs, len(pairs)
    return [p for p in pairs if p[0] == ctx.n][:MAX_LOSS_TERMS], len(pairs)


def loss_step(ctx: Context) -> dict:
    """L as the loss module computes it: every term written out when there are few."""
    entry = LOSSES[ctx.st.loss]
    pairs, count = loss_pairs(ctx)
    several = len(pairs) > 1 or len(pairs) < count
    terms = []
    for n, k in pairs:
        term = _loss_term(ctx, n, k)
        terms.append([op("[")] + term + [op("]")] if several and "+" in top_level_ops(term) else term)
    if len(pairs) < count:  # the other terms, summed by torch, as one number
        terms.append([sym("…", addr("Lrest"))])
    body = joined(terms)
    form = [op("−")] if entry.negate else []
    if entry.reduction == "mean" and count > 1:
        form += fraction(count) + [op("(")] + body + [op(")")]
    elif entry.negate and (len(terms) > 1 or "+" in top_level_ops(body)):
        form += [op("(")] + body + [op(")")]
    else:
        form += body
    extra: tuple[str, ...] = ()
    if entry.targets == "classes":  # cross-entropy reads every logit (through the softmax) and the class
        extra = tuple(addr("z", ctx.L, ctx.n, k) for k in range(ctx.K)) + (addr("c", ctx.n),)
    return make_step("loss", "loss", None, None, addr("L"), [ctx.note.loss()], [form], addr("L"), op=entry.id,
                     sample=ctx.n, args={"count": count, "shown": len(pairs)}, extra_refs=extra)
