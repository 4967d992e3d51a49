"""The update phase of the trace: each parameter moved by the optimizer, as torch.optim did it.

The new value is the one torch's optimizer wrote; the formula shows the optimizer's real
rule (SGD with weight decay, momentum, Nesterov; Adam) with the state it used.
"""

from __future__ import annotations

from . import tokens as tk
from .trace_context import TraceContext, make_step


def _at(value, i: int, j: int | None):
    if value is None:
        return None
    return value[i] if j is None else value[i][j]


def _rule(opt, p: dict, g: dict, prev: dict | None, new: dict) -> tuple[list[list[dict]], str]:
    """Right-hand sides for one element: p is the parameter, g its gradient (tokens)."""
    eps = tk.sym("ε", opt.lr)
    geff = [g]
    if opt.weight_decay:
        geff = [tk.op("("), g, tk.op("+"), tk.sym("λ", opt.weight_decay), tk.op("·"), p, tk.op(")")]
    if opt.name == "adam":
        b1, b2 = opt.betas
        t = new.get("step", 1)
        m, v = new.get("exp_avg"), new.get("exp_avg_sq")
        mhat, vhat = m / (1 - b1**t), v / (1 - b2**t)
        form = [p, tk.op("−"), eps, tk.op("·"), tk.sym("m̂", mhat), tk.op("/"), tk.op("("), tk.op("√"),
                tk.sym("v̂", vhat), tk.op("+"), tk.sym("ε̂", opt.eps), tk.op(")")]
        words = (f"Adam, step t = {t:g}: m = β₁·m + (1 − β₁)·g = {tk.fmt(m)}, v = β₂·v + (1 − β₂)·g² = "
                 f"{tk.fmt(v)}; m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) correct their bias towards 0.")
        return [form], words
    if not opt.momentum:
        words = "Gradient descent: step against the gradient, scaled by the learning rate ε."
        return [[p, tk.op("−"), eps, tk.op("·")] + geff], words
    mu = tk.sym("μ", opt.momentum)
    buf = new.get("momentum_buffer")
    if prev is None or prev.get("momentum_buffer") is None:
        velocity = geff
        words = "SGD with momentum, first step: the velocity b starts as the gradient."
    else:
        velocity = [tk.op("("), mu, tk.op("·"), tk.sym("b", prev["momentum_buffer"]), tk.op("+")]
        if opt.dampening:
            velocity += [tk.op("("), tk.num(1.0), tk.op("−"), tk.sym("τ", opt.dampening), tk.op(")"), tk.op("·")]
        velocity += geff + [tk.op(")")]
        words = f"SGD with momentum: the velocity b = μ·b + g = {tk.fmt(buf)} remembers earlier steps."
    if opt.nesterov:
        form = [p, tk.op("−"), eps, tk.op("·"), tk.op("(")] + geff + [tk.op("+"), mu, tk.op("·"), tk.sym("b", buf), tk.op(")")]
        words += " Nesterov looks ahead: it steps by g + μ·b."
        return [form], words
    return [[p, tk.op("−"), eps, tk.op("·")] + velocity], words


def _cell(state: dict | None, name: str, i: int, j: int | None) -> dict | None:
    """One element's optimizer state (momentum buffer, Adam's moments, step), or None."""
    entry = (state or {}).get("params", {}).get(name)
    if not entry:
        return None
    return {key: _at(val, i, j) if isinstance(val, list) else val for key, val in entry.items()}


def update_steps(ctx: TraceContext, state_before: dict | None, state_after: dict | None) -> list[dict]:
    """w ← w − ε·∂L/∂w (or the optimizer's real rule) for every trainable parameter."""
    note, opt, cap = ctx.note, ctx.req.optimizer, ctx.cap
    steps = []
    for layer in range(1, ctx.L + 1):
        k = layer - 1
        spec = ctx.spec.layers[k]
        for kind, grads in (("weight", cap.grad_w[k]), ("bias", cap.grad_b[k])):
            if grads is None:
                continue
            name = f"layers.{k}.{kind}"
            old_all = cap.weights[k] if kind == "weight" else cap.biases[k]
            after_all = cap.weights_after[k] if kind == "weight" else cap.biases_after[k]
            cells = [(i, j) for i in range(spec.units) for j in range(len(old_all[0]))] if kind == "weight" \
                else [(i, None) for i in range(spec.units)]
            for i, j in cells:
                old, g = _at(old_all, i, j), _at(grads, i, j)
                p = note.w(layer, i, j, old) if kind == "weight" else note.b(layer, i, old)
                prev, new = _cell(state_before, name, i, j), _cell(state_after, name, i, j) or {}
                forms, words = _rule(opt, p, note.dL(p, g), prev, new)
                steps.append(make_step(
                    "update", f"update_{kind}", layer, i, ctx.n, p["ref"], [dict(p, v=_at(after_all, i, j))],
                    forms, _at(after_all, i, j), col=j, rel="←", text=words,
                ))
    return steps
