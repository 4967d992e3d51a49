"""The update phase: each parameter moved by the optimizer, with the optimizer's own rule.

The rule is the registry's template for what torch.optim did (SGD with weight decay,
momentum, dampening, Nesterov; Adam); the new value is the one torch wrote.
"""

from __future__ import annotations

from ...registry import OPTIMIZERS
from ..addresses import addr, param_name
from .context import Context, make_step
from .tokens import op, sym, template


def rule_id(ctx: Context, pname: str) -> str:
    """Which of the optimizer's rules this parameter's step used."""
    st = ctx.st
    if st.optimizer == "adam":
        return "adam"
    if not st.momentum:
        return "sgd"
    if st.nesterov:
        return "nesterov"
    if pname not in st.momentum_state:
        return "momentum_first"
    return "momentum_damped" if st.dampening else "momentum"


def _element_step(ctx: Context, kind: str, layer: int, i: int, j: int | None, rule: str) -> dict:
    note, entry = ctx.note, OPTIMIZERS[ctx.st.optimizer]
    idx = (layer, i) if j is None else (layer, i, j)
    p = note.b(layer, i) if j is None else note.w(layer, i, j)
    g = note.dL(p, addr("dL/db" if j is None else "dL/dW", *idx))
    lam = sym("λ", addr("weight_decay"))
    geff = [op("("), g, op("+"), lam, op("·"), p, op(")")] if ctx.st.weight_decay else [g]
    values = {
        "p": p, "g": geff, "ε": sym("ε", addr("lr")), "μ": sym("μ", addr("momentum")),
        "τ": sym("τ", addr("dampening")), "λ": lam, "ε̂": sym("ε̂", addr("eps")),
        "b": sym("b", addr(f"buf.{kind}", *idx)), "b′": sym("b′", addr(f"buf'.{kind}", *idx)),
        "m̂": sym("m̂", addr(f"mhat.{kind}", *idx)), "v̂": sym("v̂", addr(f"vhat.{kind}", *idx)),
    }
    form = template(entry.rules[rule], entry.rule_vars, values)
    after = addr(f"{kind}'", *idx)
    args = {"t": addr(f"t'.{kind}", layer), "m": addr(f"m'.{kind}", *idx), "v": addr(f"v'.{kind}", *idx)} \
        if rule == "adam" else {"b": addr(f"buf'.{kind}", *idx)} if rule != "sgd" else {}
    lhs = [dict(p, a=after)]
    return make_step("update", f"update_{'bias' if j is None else 'weight'}", layer, i, p["a"], lhs, [form], after,
                     col=j, rel="←", op=entry.id, words=f"update_{rule}", args=args, sample=ctx.n)


def update_steps(ctx: Context) -> list[dict]:
    """w ← the optimizer's rule, for every element of every trainable parameter."""
    steps = []
    for layer in range(1, ctx.L + 1):
        spec = ctx.layer(layer)
        fan_in = ctx.widths[layer - 1]
        if not spec.freeze_weights:
            rule = rule_id(ctx, param_name("W", layer))
            steps += [_element_step(ctx, "W", layer, i, j, rule) for i in range(spec.units) for j in range(fan_in)]
        if not spec.freeze_biases:
            rule = rule_id(ctx, param_name("b", layer))
            steps += [_element_step(ctx, "b", layer, i, None, rule) for i in range(spec.units)]
    return steps
