"""The backward phase: the chain rule from ∂L/∂ŷ back to every weight, as the lecture does it.

Every number is autograd's; the formulas say which factors autograd multiplied, with the
activation's and the loss's own derivative templates from the registry.
"""

from __future__ import annotations

from ...registry import ACTIVATIONS, LOSSES
from ...registry.template import top_level_ops
from ..addresses import addr
from .context import Context, make_step
from .forward import ACT_NAMES, LOSS_NAMES
from .tokens import d, fraction, joined, num, op, sym, template


def _output_step(ctx: Context, k: int) -> tuple[dict, list[dict]]:
    """∂L/∂ŷ_k for the traced sample, the loss's derivative template filled in."""
    note, L, n = ctx.note, ctx.L, ctx.n
    entry = LOSSES[ctx.st.loss]
    yhat = note.z(L, k)
    if entry.targets == "classes":
        values = {"p": note.p(k), "onehot": num(1 if ctx.st.labels[n] == k else 0)}
        count = ctx.N
    else:
        values = {"ŷ": yhat, "y": note.y(k)}
        count = ctx.N * ctx.K
    form = template(entry.derivative, LOSS_NAMES, values)
    if entry.reduction == "mean" and count > 1:
        form = fraction(count) + ([op("(")] + form + [op(")")] if "−" in top_level_ops(form) else form)
    target = addr("dL/dz", L, n, k)
    extra = (addr("c", n),) if entry.targets == "classes" else ()
    step = make_step("backward", "grad_output", L, k, target, [note.dL(yhat)], [form], target, op=entry.id,
                     sample=n, args={"count": count}, extra_refs=extra)
    return step, form


def _grad_post(ctx: Context, layer: int, i: int) -> dict:
    """∂L/∂z of a hidden neuron: the sum over the neurons it feeds."""
    note, n, nxt = ctx.note, ctx.n, layer + 1
    z = note.z(layer, i)
    chain, form = [], []
    grad = "dL/dz" if ctx.identity(nxt) else "dL/ds"
    for k in range(ctx.widths[nxt]):
        target = ctx.node(nxt, k)
        chain.append([note.dL(target), op("·"), d(target, z, at=addr("W", nxt, k, i))])
        form.append([note.dL(target, addr(grad, nxt, n, k)), op("·"), note.w(nxt, k, i)])
    value = addr("dL/dz", layer, n, i)
    return make_step("backward", "grad_post", layer, i, value, [note.dL(z)], [joined(chain), joined(form)], value,
                     sample=n, args={"fan_out": ctx.widths[nxt]})


def _grad_pre(ctx: Context, layer: int, i: int) -> dict:
    """∂L/∂s: through the activation, with the registry's local derivative."""
    note, n = ctx.note, ctx.n
    entry = ACTIVATIONS[ctx.layer(layer).activation]
    z, s = note.z(layer, i), note.s(layer, i)
    values = {"g": note.dL(z, addr("dL/dz", layer, n, i)), "s": s, "z": z, "α": sym("α", addr("alpha", layer))}
    if entry.couples_units:
        products = [[note.z(layer, k), op("·"), note.dL(note.z(layer, k), addr("dL/dz", layer, n, k))]
                    for k in range(ctx.widths[layer])]
        values["Σ"] = [op("(")] + joined(products) + [op(")")]
    form = template(entry.backward_template(), ACT_NAMES, values)
    chain = [note.dL(z), op("·"), d(z, s, at=z["a"])]
    value = addr("dL/ds", layer, n, i)
    return make_step("backward", "grad_pre", layer, i, value, [note.dL(s)], [chain, form], value, op=entry.id,
                     sample=n)


def _param_steps(ctx: Context, layer: int, out_forms: dict) -> list[dict]:
    """∂L/∂w per weight and ∂L/∂β per bias of one layer (the traced sample's share in a batch)."""
    note, n, batch = ctx.note, ctx.n, ctx.N > 1
    spec = ctx.layer(layer)
    grad = "dL/dz" if ctx.identity(layer) else "dL/ds"
    steps = []
    for i in range(spec.units):
        node = ctx.node(layer, i)
        dnode = out_forms.get(i) or [note.dL(node, addr(grad, layer, n, i))]
        if not spec.freeze_weights:
            for j in range(ctx.widths[layer - 1]):
                w = note.w(layer, i, j)
                chain = [note.dL(node), op("·"), d(node, w, at=w["a"])]
                form = dnode + [op("·"), note.z(layer - 1, j)]
                steps.append(make_step(
                    "backward", "grad_weight", layer, i, addr("dL/dW", layer, i, j), [note.dL(w)], [chain, form],
                    addr("dL/dW", layer, i, j), col=j, contribution=addr("dLn/dW", layer, i, j) if batch else None,
                    sample=n, args={"samples": ctx.N}))
        if not spec.freeze_biases:
            b = note.b(layer, i)
            chain = [note.dL(node), op("·"), d(node, b, at=b["a"])]
            form = dnode + [op("·"), num(1)]
            steps.append(make_step(
                "backward", "grad_bias", layer, i, addr("dL/db", layer, i), [note.dL(b)], [chain, form],
                addr("dL/db", layer, i), contribution=addr("dLn/db", layer, i) if batch else None,
                sample=n, args={"samples": ctx.N}))
    return steps


def backward_steps(ctx: Context) -> list[dict]:
    """From the loss back to the first layer."""
    steps = []
    out_forms: dict[int, list[dict]] = {}
    for k in range(ctx.K):
        step, form = _output_step(ctx, k)
        steps.append(step)
        if ctx.identity(ctx.L) and len(form) <= 8:  # short enough to write out in each weight's step
            out_forms[k] = [op("(")] + form + [op(")")] if top_level_ops(form) & {"+", "−"} else form
    for layer in range(ctx.L, 0, -1):
        if layer < ctx.L:
            steps += [_grad_post(ctx, layer, i) for i in range(ctx.widths[layer])]
        if not ctx.identity(layer):
            steps += [_grad_pre(ctx, layer, i) for i in range(ctx.widths[layer])]
        steps += _param_steps(ctx, layer, out_forms if layer == ctx.L else {})
    return steps
