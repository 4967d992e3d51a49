"""The backward phase of the trace: the chain rule from ∂L/∂ŷ back to every weight.

Every number here is autograd's (captured with retain_grad); the formulas only spell out
which factors autograd multiplied, and `factors`/`terms` let a test check the product.
"""

from __future__ import annotations

from . import tokens as tk
from .registry import ACTIVATIONS
from .trace_context import TraceContext, make_step


_BCE_EPS = 9.999999960041972e-13  # float32(1e-12), torch's BCE backward floor


def _output_grad_form(ctx: TraceContext, k: int) -> tuple[list[dict], list[float], str]:
    """∂L/∂ŷ_k for the traced sample, expanded for the loss, with its factors."""
    note, n, loss = ctx.note, ctx.n, ctx.spec.loss
    yhat = ctx.cap.post[-1][n][k]
    zt = note.z(ctx.L, k, yhat)
    if loss == "cross_entropy":
        label = ctx.cap.y[n]
        p = ctx.cap.probabilities[n][k]
        hot = 1.0 if k == label else 0.0
        form = [tk.op("("), tk.sym("p", p, sub=str(k), ref=f"L{ctx.L}N{k}"), tk.op("−"), tk.num(hot), tk.op(")")]
        if ctx.N > 1:
            form += [tk.op("/"), tk.num(float(ctx.N))]
        return form, [p - hot, 1.0 / ctx.N], "Softmax and cross-entropy together: p minus 1 for the true class, 0 for the others."
    y = ctx.cap.y[n][k]
    yt = note.y(k, y)
    count = ctx.N * ctx.K
    if loss in ("mse", "sse"):
        c = 2.0 / count if loss == "mse" else 2.0
        return ([tk.num(c), tk.op("("), zt, tk.op("−"), yt, tk.op(")")], [c, yhat - y],
                "The derivative of the squared error (ŷ − y)² is 2(ŷ − y)"
                + (f"; the mean over {count} terms divides it by {count}." if loss == "mse" and count > 1 else "."))
    form = [tk.op("("), zt, tk.op("−"), yt, tk.op(")"), tk.op("/"), tk.op("("), zt, tk.op("·"), tk.op("("),
            tk.num(1.0), tk.op("−"), zt, tk.op(")"), tk.op(")")]
    if count > 1:
        form = [tk.num(1.0 / count), tk.op("·")] + form
    # BCELoss divides by max(ŷ(1 − ŷ), ε) with ε = 1e-12 as a float32, so a saturated ŷ
    # still has a finite gradient.
    return form, [1.0 / count, yhat - y, 1.0 / max(yhat * (1.0 - yhat), _BCE_EPS)], \
        "The derivative of binary cross-entropy with respect to ŷ."


def _grad_pre_step(ctx: TraceContext, layer: int, i: int) -> dict:
    note, n = ctx.note, ctx.n
    spec = ctx.spec.layers[layer - 1]
    s, z = ctx.cap.pre[layer - 1][n], ctx.cap.post[layer - 1][n]
    gz = ctx.cap.grad_post[layer - 1][n]
    zt, st = note.z(layer, i, z[i]), note.s(layer, i, s[i])
    chain = [note.dL(zt), tk.op("·"), tk.d(tk.bare(zt), tk.bare(st), None, zt["ref"])]
    if spec.activation == "softmax":
        inner = [note.dL(note.z(layer, i), gz[i]), tk.op("−"), tk.op("(")]
        for k in range(spec.units):
            inner += [note.z(layer, k, z[k]), tk.op("·"), note.dL(note.z(layer, k), gz[k]), tk.op("+")]
        inner[-1] = tk.op(")")
        form = [zt, tk.op("·"), tk.op("(")] + inner + [tk.op(")")]
        dot = sum(z[k] * gz[k] for k in range(spec.units))
        factors = [z[i], gz[i] - dot]
        words = "Softmax couples the units: ∂L/∂s = z·(∂L/∂z − Σ z·∂L/∂z)."
    else:
        info = ACTIVATIONS[spec.activation]
        deriv = info.derivative(s[i], z[i], spec.negative_slope)
        if spec.activation == "sigmoid":
            local = [zt, tk.op("("), tk.num(1.0), tk.op("−"), zt, tk.op(")")]
        elif spec.activation == "tanh":
            local = [tk.op("("), tk.num(1.0), tk.op("−"), zt, tk.op("²"), tk.op(")")]
        else:
            local = [tk.fn(info.symbol + "′"), tk.op("("), st, tk.op(")")]
        form = [note.dL(zt, gz[i]), tk.op("·")] + local
        factors = [gz[i], deriv]
        words = f"Chain rule through φ = {info.symbol}: multiply by its local derivative φ′(s) = {info.derivative_text}."
    return make_step("backward", "grad_pre", layer, i, n, f"L{layer}N{i}", [note.dL(st)], [chain, form],
                     ctx.cap.grad_pre[layer - 1][n][i], factors=factors, text=words)


def _grad_post_step(ctx: TraceContext, layer: int, i: int) -> dict:
    """∂L/∂z of a hidden neuron: the sum over the neurons it feeds."""
    note, n = ctx.note, ctx.n
    nxt = layer + 1
    W = ctx.cap.weights[nxt - 1]
    g = ctx.cap.grad_pre[nxt - 1][n]
    zt = note.z(layer, i, ctx.cap.post[layer - 1][n][i])
    chain, form, terms = [], [], []
    for k in range(len(W)):
        target = ctx.node(nxt, k)
        chain += [note.dL(target), tk.op("·"), tk.d(tk.bare(target), tk.bare(zt), None, f"L{nxt}W{k}_{i}"), tk.op("+")]
        form += [note.dL(target, g[k]), tk.op("·"), note.w(nxt, k, i, W[k][i]), tk.op("+")]
        terms.append([g[k], W[k][i]])
    return make_step("backward", "grad_post", layer, i, n, f"L{layer}N{i}", [note.dL(zt)], [chain[:-1], form[:-1]],
                     ctx.cap.grad_post[layer - 1][n][i], terms=terms,
                     text="The neuron feeds every neuron of the next layer: add the gradient coming back along each weight.")


def _param_steps(ctx: TraceContext, layer: int, out_forms: dict) -> list[dict]:
    """∂L/∂w per weight and ∂L/∂β per bias of one layer."""
    note, n, N = ctx.note, ctx.n, ctx.N
    steps = []
    gW, gB = ctx.cap.grad_w[layer - 1], ctx.cap.grad_b[layer - 1]
    g = ctx.cap.grad_pre[layer - 1][n]
    a = ctx.a(layer - 1)
    batch = f" Autograd adds this sample's share to the other {N - 1} samples' shares." if N > 1 else ""
    for i in range(ctx.spec.layers[layer - 1].units):
        node = ctx.node(layer, i)
        dnode = out_forms.get(i) or [note.dL(node, g[i])]
        if gW is not None:
            for j, aj in enumerate(a):
                wt = note.w(layer, i, j)
                chain = [note.dL(node), tk.op("·"), tk.d(tk.bare(node), tk.bare(wt), None, wt["ref"])]
                form = dnode + [tk.op("·"), note.z(layer - 1, j, aj)]
                steps.append(make_step(
                    "backward", "grad_weight", layer, i, n, wt["ref"], [note.dL(wt)], [chain, form], gW[i][j],
                    col=j, contribution=g[i] * aj if N > 1 else None, factors=[g[i], aj],
                    text=f"The weight's gradient: the gradient at the neuron it feeds times the input it carries.{batch}",
                ))
        if gB is not None:
            bt = note.b(layer, i)
            chain = [note.dL(node), tk.op("·"), tk.d(tk.bare(node), tk.bare(bt), None, bt["ref"])]
            form = dnode + [tk.op("·"), tk.num(1.0)]
            steps.append(make_step(
                "backward", "grad_bias", layer, i, n, bt["ref"], [note.dL(bt)], [chain, form], gB[i],
                contribution=g[i] if N > 1 else None, factors=[g[i], 1.0],
                text=f"The bias's gradient: the bias is added with weight 1, so it gets the neuron's gradient.{batch}",
            ))
    return steps


def backward_steps(ctx: TraceContext) -> list[dict]:
    """From the loss back to the first layer, as the lecture does it."""
    note, n, L = ctx.note, ctx.n, ctx.L
    steps = []
    out_forms: dict[int, list[dict]] = {}
    for k in range(ctx.K):
        form, factors, words = _output_grad_form(ctx, k)
        zt = note.z(L, k)
        steps.append(make_step("backward", "grad_output", L, k, n, f"L{L}N{k}", [note.dL(zt)], [form],
                               ctx.cap.grad_post[L - 1][n][k], factors=factors, text=words,
                               extra_refs=["Y0"] if ctx.spec.loss == "cross_entropy" else ()))
        if ctx.identity(L) and len(form) <= 8:
            out_forms[k] = form
    for layer in range(L, 0, -1):
        spec = ctx.spec.layers[layer - 1]
        if layer < L:
            steps += [_grad_post_step(ctx, layer, i) for i in range(spec.units)]
        if spec.activation != "identity":
            steps += [_grad_pre_step(ctx, layer, i) for i in range(spec.units)]
        steps += _param_steps(ctx, layer, out_forms if layer == L else {})
    return steps
