"""The graph switches of a step: .grad carried over (accumulation), backward run again without
zero_grad, and the inference-only run under torch.no_grad(), each as torch itself does it."""

from __future__ import annotations

import torch

from .addresses import addr, param_address
from .graph import autograd_graph
from .optim_state import dump_state
from .stepio import StepInput, StepResult, as_array, as_tensor


def load_grads(grad_before: dict, named: dict[str, torch.Tensor], x: torch.Tensor) -> None:
    """Put the .grad an earlier backward left back into each tensor (W:l, b:l, x), as if not zeroed.

    The addresses and shapes were checked with the request (app/validation_grads.py).
    """
    by_address = {addr(*param_address(name)): p for name, p in named.items()}
    by_address["x"] = x
    for address, values in grad_before.items():
        t = by_address[address]
        t.grad = as_tensor(values, t.dtype)


class PassGrads:
    """What one backward pass adds to each .grad, read by hooks on the leaves (before accumulation)."""

    def __init__(self, named: dict[str, torch.Tensor], x: torch.Tensor) -> None:
        self.grads: dict[str, torch.Tensor] = {}
        leaves = [(addr(*param_address(name)), p) for name, p in named.items() if p.requires_grad] + [("x", x)]
        self.handles = [t.register_hook(self._keep(address)) for address, t in leaves]

    def _keep(self, address: str):
        def hook(grad: torch.Tensor) -> None:
            self.grads.setdefault(address, grad.detach().clone())  # the first pass's (every pass adds the same)
        return hook

    def finish(self, passes: int, grad_before: dict | None) -> dict:
        for handle in self.handles:
            handle.remove()
        return {"backward_passes": passes, "grad_before": sorted(grad_before or ()),
                "pass_grads": {a: as_array(g) for a, g in self.grads.items()}}


class BackwardOrder:
    """The order autograd runs the backward nodes, recorded by a pre-hook on every node of the graph."""

    def __init__(self, loss: torch.Tensor) -> None:
        self.order: dict[int, int] = {}
        self.handles = []
        seen = set()
        stack = [loss.grad_fn] if loss.grad_fn is not None else []
        while stack:
            fn = stack.pop()
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            self.handles.append(fn.register_prehook(self._mark(id(fn))))
            stack += [child for child, _ in fn.next_functions if child is not None]

    def _mark(self, key: int):
        def hook(grad_outputs):
            self.order.setdefault(key, len(self.order))
        return hook

    def finish(self) -> dict[int, int]:
        """id(node) → its position in the run, hooks removed."""
        for handle in self.handles:
            handle.remove()
        return self.order


def infer(session, inp: StepInput) -> StepResult:
    """Forward and loss under torch.no_grad(): no graph, no gradient, no step; the state passes through."""
    dtype = session.dtype
    x = as_tensor(inp.x, dtype)
    y = torch.tensor(inp.y, dtype=torch.long) if session.classes else as_tensor(inp.y, dtype)
    pre, post = [], []
    with torch.no_grad():
        a = x
        for linear, phi in session.net.pairs:
            s = linear(a)
            a = phi(s)
            pre.append(as_array(s))
            post.append(as_array(a))
        nan_out = session.shape.loss == "bce" and bool(torch.isnan(a).any())
        loss = a.sum() * float("nan") if nan_out else session.loss_fn(a, y)
    loss_rest = None
    if inp.shown_terms is not None:
        loss_rest = float("nan") if nan_out else session._loss_rest(a, y, inp.shown_terms)
    weights = session._before(inp.weights, session.weights)
    biases = session._before(inp.biases, session.biases)
    n = len(session.linears)
    return StepResult(
        loss=loss.item(), pre=pre, post=post, grad_pre=[None] * n, grad_post=[None] * n,
        grad_weights=[None] * n, grad_biases=[None] * n, grad_input=None,
        weights=weights, biases=biases,
        weights_after=[as_array(w) for w in session.weights], biases_after=[as_array(b) for b in session.biases],
        probabilities=as_array(torch.softmax(a, dim=1)) if session.classes else None,
        state=dump_state(session.shape.optimizer, session.optimizer, session.names) if inp.state else None,
        optimizer_terms=None, sample_grads=None, loss_rest=loss_rest,
        graph=autograd_graph(loss, session.named, x, n, session.shape.layers[-1][0]),
        diverged=False,
    )
