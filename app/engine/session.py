"""One training step, every number kept: forward, loss, backward, optimizer step.

A Session is built once per network structure (the modules, the loss, the optimizer) and
reused for every step on it: a step copies the request's numbers in, runs real torch
(nn.Linear and activation modules, the loss module, autograd with retain_grad on every s
and z, a torch.optim step) and reads every number out once. Knows nothing of HTTP.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import torch
from torch import nn

from ..registry import LOSSES
from .graph import autograd_graph
from .network import DTYPES, MLP, initial_parameters, linear
from .ops import make_activation, make_loss, make_optimizer, optimizer_step
from .optim_state import dump_state, load_state
from .passes import BackwardOrder, PassGrads, infer, load_grads
from .stepio import Shape, StepInput, StepResult, all_finite, as_array, as_tensor, read_out


class Session:
    """The modules of one network structure, stepped again and again with new numbers.

    The parameters, layers and activations are also kept in plain lists: a step reads them
    dozens of times, and nn.Module's attribute lookup would cost more than the lecture's
    forward pass.
    """

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.dtype = DTYPES[shape.dtype]
        self.float64 = self.dtype == torch.float64
        self.classes = LOSSES[shape.loss].targets == "classes"
        linears = []
        for fan_in, (units, _, freeze_w, freeze_b) in zip(shape.fan_ins(), shape.layers):
            w = nn.Parameter(torch.empty(units, fan_in, dtype=self.dtype), requires_grad=not freeze_w)
            b = nn.Parameter(torch.empty(units, dtype=self.dtype), requires_grad=not freeze_b)
            linears.append(linear(w, b))
        self.net = MLP(linears, [make_activation(act, 0.01) for _, act, *_ in shape.layers])
        self.linears = linears
        self.weights = [lin.weight for lin in linears]
        self.biases = [lin.bias for lin in linears]
        self.slopes = [(k, phi) for k, phi in enumerate(self.net.activations) if hasattr(phi, "negative_slope")]
        self.named = dict(self.net.named_parameters())
        self.names = {id(p): n for n, p in self.named.items()}
        # The optimizer holds every parameter, as a torch loop's would: a frozen one (no .grad) is
        # skipped by its step and keeps its state across a freeze.
        self.params = list(self.named.values())
        self.loss_fn = make_loss(shape.loss)
        self.loss_terms = make_loss(shape.loss, "none")
        self.optimizer = None
        self.graphs: dict[int, dict] = {}
        # the largest W and the widest row of values: what read_out decides by, per step (with the batch)
        self.param_numbers = max(units * fan_in for fan_in, (units, *_) in zip(shape.fan_ins(), shape.layers))
        self.width = max(shape.inputs, *(units for units, *_ in shape.layers))
        self._initial: dict[int, list] = {}  # seed → PyTorch's initial (W, b) per layer

    def _load(self, inp: StepInput) -> None:
        dtype = self.dtype
        initial = None
        if any(w is None for w in inp.weights) or any(b is None for b in inp.biases):
            initial = self._initial.get(inp.seed)
            if initial is None:  # the seed's initialisation, kept (a few): the optimizer only ever gets copies
                if len(self._initial) >= 8:
                    self._initial.clear()
                initial = self._initial[inp.seed] = [(w.to(dtype), b.to(dtype)) for w, b in initial_parameters(
                    self.shape.fan_ins(), [u for u, *_ in self.shape.layers], inp.seed)]
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            given_w, given_b = inp.weights[k], inp.biases[k]
            w.data = as_tensor(given_w, dtype) if given_w is not None else initial[k][0].clone()
            b.data = as_tensor(given_b, dtype) if given_b is not None else initial[k][1].clone()
            w.grad = None
            b.grad = None
        for k, phi in self.slopes:
            phi.negative_slope = inp.slopes[k]
        if self.optimizer is None:
            self.optimizer = make_optimizer(self.shape.optimizer, self.params, inp.hyper)
            self.optimizer_step = optimizer_step(self.optimizer)
        else:
            self.optimizer.param_groups[0].update(inp.hyper)
            self.optimizer.state.clear()
        load_state(inp.state, self.shape.optimizer, self.optimizer, self.named)

    def _before(self, given: list, params: list) -> list:
        """The parameters' values before the step: the request's own lists when they are exactly
        the tensor's numbers (float64), else a copy (the step writes the parameters in place)."""
        return [g if g is not None and self.float64 else as_array(p.detach().clone()) for g, p in zip(given, params)]

    def step(self, inp: StepInput, check=None) -> StepResult:
        """Forward, loss, backward and the optimizer's step, every intermediate number read out.

        `check(phase)`, if given, is called between the phases: it may raise to stop the step
        there (a budget spent, a client gone); the step is then simply not finished.
        """
        check = check or _no_check
        self._load(inp)
        check("the forward pass")
        if inp.no_grad:
            result = infer(self, inp)
            result.diverged = not all_finite(result)
            return result
        dtype = self.dtype
        x = as_tensor(inp.x, dtype).requires_grad_()
        y = torch.tensor(inp.y, dtype=torch.long) if self.classes else as_tensor(inp.y, dtype)
        accumulating = inp.grad_before is not None or inp.backward_passes > 1
        if inp.grad_before:
            load_grads(inp.grad_before, self.named, x)
        pass_grads = PassGrads(self.named, x) if accumulating else None
        graph = self.graphs.get(len(inp.x))
        recorder = None
        try:
            for k in range(inp.backward_passes):  # no zero_grad between passes: .grad adds up
                captured = self.net.forward_captured(x)
                output = captured[-1][1]
                nan_out = self.shape.loss == "bce" and bool(torch.isnan(output).any())
                # BCELoss refuses NaN input with an error: carry the NaN of a diverged net into L instead.
                loss = output.sum() * float("nan") if nan_out else self.loss_fn.forward(output, y)
                if k == inp.backward_passes - 1 and (graph is None or nan_out):
                    recorder = BackwardOrder(loss)  # hooks on the nodes, removed below
                check("the backward pass")
                loss.backward()
        finally:  # the hooks sit on tensors and nodes the session keeps: never left behind
            order = recorder.finish() if recorder is not None else None
            accumulation = pass_grads.finish(inp.backward_passes, inp.grad_before) if pass_grads else None
        check("reading the gradients")
        read, read_param = read_out(len(inp.x) * self.width), read_out(self.param_numbers)
        weights = self._before(inp.weights, self.weights)
        biases = self._before(inp.biases, self.biases)
        grad_w = [read_param(w.grad) for w in self.weights]
        grad_b = [read_param(b.grad) for b in self.biases]
        if recorder is not None:
            graph = autograd_graph(loss, self.named, x, len(self.linears), self.shape.layers[-1][0], captured, order)
            if not nan_out:
                self.graphs[len(inp.x)] = graph
        grad_pre = [read(s.grad) for s, _ in captured]  # (the optimizer's step leaves them as they are)
        sample_grads = self._sample_grads(captured, grad_pre, x, inp.sample, read_param) if len(inp.x) > 1 else None
        loss_rest = None
        if inp.shown_terms is not None:  # NaN when the output is: the formula still names the rest
            loss_rest = float("nan") if nan_out else self._loss_rest(output, y, inp.shown_terms)
        check("the optimizer's step")
        if self.optimizer is not None:
            self.optimizer_step()
        check("reading the values")
        pre = [read(s) for s, _ in captured]
        post = [read(z) for _, z in captured]
        grad_post = [read(z.grad) if z.grad is not None else g for (_, z), g in zip(captured, grad_pre)]
        result = StepResult(
            loss=loss.item(),
            pre=pre,
            post=post,
            grad_pre=grad_pre,
            grad_post=grad_post,
            grad_weights=grad_w,
            grad_biases=grad_b,
            grad_input=read(x.grad),
            weights=weights,
            biases=biases,
            weights_after=[read_param(w) for w in self.weights],
            biases_after=[read_param(b) for b in self.biases],
            probabilities=read(torch.softmax(output.detach(), dim=1)) if self.classes else None,
            state=dump_state(self.shape.optimizer, self.optimizer, self.names),
            optimizer_terms=self._adam_terms(inp.hyper) if self.shape.optimizer == "adam" else None,
            sample_grads=sample_grads,
            loss_rest=loss_rest,
            graph=graph,
            diverged=False,
            accumulation=accumulation,
        )
        result.diverged = not all_finite(result)
        return result

    def _sample_grads(self, captured, grad_pre: list, x: torch.Tensor, n: int, read) -> list[dict]:
        """The traced sample's share of each batch gradient: ∂L/∂s of sample n (its row of the ∂L/∂s
        read out) times its inputs (torch.outer; .grad and the detached inputs record no graph), each
        read out by `read`, as its parameter's gradient is."""
        out = []
        a = x.detach()
        for (s, z), g, w, b in zip(captured, grad_pre, self.weights, self.biases):
            out.append({"weights": read(torch.outer(s.grad[n], a[n])) if w.requires_grad else None,
                        "biases": g[n] if b.requires_grad else None})
            a = z.detach()
        return out

    def _loss_rest(self, output: torch.Tensor, y: torch.Tensor, shown: list[tuple[int, int]]) -> float:
        """The loss terms the formula leaves out, summed by torch, in the sign of the registry's term."""
        with torch.no_grad():  # the module's forward itself: no hooks sit on it, and the call costs less
            terms = as_array(self.loss_terms.forward(output.detach(), y))
        if terms.ndim == 1:
            terms = terms[:, None]
        n = shown[0][0]  # the shown terms are the traced sample's first outputs
        # (every term has one sign, so a sum is never ∞ − ∞; the difference is taken in Python
        # floats: ∞ − ∞ of a diverged net is NaN, as torch would give, without numpy's warning)
        rest = float(terms.sum()) - float(terms[n, : len(shown)].sum())
        return -rest if LOSSES[self.shape.loss].negate else rest

    def _adam_terms(self, hyper: dict) -> list[dict]:
        """m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) of every element, from the state torch wrote."""
        beta1, beta2 = hyper["betas"]
        out = []
        for w, b in zip(self.weights, self.biases):
            entry = {}
            for kind, p in (("weight", w), ("bias", b)):
                st = self.optimizer.state.get(p)
                if not st or not p.requires_grad:  # a frozen parameter's state is kept, not stepped
                    entry[kind] = None
                    continue
                t = float(st["step"])
                entry[kind] = {"m_hat": as_array(st["exp_avg"] / (1 - beta1**t)),
                               "v_hat": as_array(st["exp_avg_sq"] / (1 - beta2**t))}
            out.append(entry)
        return out


def _no_check(phase: str) -> None:
    pass


_local = threading.local()
_MAX_SESSIONS = 32


def session_for(shape: Shape) -> Session:
    """This thread's session for the structure (each engine thread keeps its own few)."""
    cache = getattr(_local, "sessions", None)
    if cache is None:
        cache = _local.sessions = OrderedDict()
    session = cache.get(shape)
    if session is None:
        session = cache[shape] = Session(shape)
        if len(cache) > _MAX_SESSIONS:
            cache.popitem(last=False)
    else:
        cache.move_to_end(shape)
    return session


def run(inp: StepInput, threads: int = 1, check=None) -> StepResult:
    """One step on a known (or new) structure, torch using `threads` threads in this thread;
    `check(phase)` is called between its phases (see Session.step)."""
    if torch.get_num_threads() != threads:  # per thread (OpenMP), and anything in the process may change it
        torch.set_num_threads(threads)
    return session_for(inp.shape).step(inp, check)
