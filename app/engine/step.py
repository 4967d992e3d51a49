"""One training step, every number kept: forward, loss, backward, optimizer step.

Real torch throughout: the MLP's nn.Linear and activation modules, the loss module,
autograd (retain_grad on every s and z) and a torch.optim optimizer.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..schemas import StepRequest
from .graph import autograd_graph
from .network import DTYPES, build_network, network_spec_dict
from .optim_state import dump_state, load_state
from .registry import make_loss, make_optimizer
from .trace import build_trace
from ..jsonsafe import finite_or_text


@dataclass
class Captured:
    """Plain-list values of one step, read once from the tensors (N rows per layer)."""

    x: list
    y: list
    pre: list
    post: list
    grad_pre: list
    grad_post: list
    grad_w: list
    grad_b: list
    weights: list
    biases: list
    weights_after: list
    biases_after: list
    probabilities: list | None
    loss: float


def _targets(req: StepRequest, dtype: torch.dtype) -> torch.Tensor:
    if req.network.loss == "cross_entropy":
        return torch.tensor(req.y, dtype=torch.long)
    return torch.tensor(req.y, dtype=dtype)


def run_step(req: StepRequest) -> dict:
    """The whole step as a JSON-ready dict (the StepResponse contract)."""
    dtype = DTYPES[req.dtype]
    spec = req.network
    net = build_network(spec, dtype)
    named = dict(net.named_parameters())
    names = {id(p): n for n, p in named.items()}
    trainable = [p for p in named.values() if p.requires_grad]
    optimizer = make_optimizer(req.optimizer, trainable) if trainable else None
    if optimizer is not None:
        load_state(req.optimizer_state, req.optimizer.name, optimizer, named)

    x = torch.tensor(req.x, dtype=dtype, requires_grad=True)
    y = _targets(req, dtype)
    captured = net.forward_captured(x)
    output = captured[-1][1]
    if spec.loss == "bce" and bool(torch.isnan(output).any()):
        # BCELoss refuses NaN input with an error: carry the NaN of a diverged net into L instead.
        loss = output.sum() * float("nan")
    else:
        loss = make_loss(spec.loss)(output, y)
    loss.backward()
    # Read once: the response, the trace and the graph's leaves all show these lists.
    weights = [lin.weight.detach().tolist() for lin in net.layers]
    biases = [lin.bias.detach().tolist() for lin in net.layers]
    grad_w = [lin.weight.grad.tolist() if lin.weight.grad is not None else None for lin in net.layers]
    grad_b = [lin.bias.grad.tolist() if lin.bias.grad is not None else None for lin in net.layers]
    grad_input = x.grad.tolist()
    leaves = {id(x): (x.detach().tolist(), grad_input)}
    for k, lin in enumerate(net.layers):
        leaves[id(lin.weight)] = (weights[k], grad_w[k])
        leaves[id(lin.bias)] = (biases[k], grad_b[k])
    graph = autograd_graph(loss, named, spec, x, leaves)
    if optimizer is not None:
        optimizer.step()

    probabilities = None
    if spec.loss == "cross_entropy":
        probabilities = torch.softmax(output.detach(), dim=1).tolist()
    cap = Captured(
        x=req.x,
        y=req.y,
        pre=[s.detach().tolist() for s, _ in captured],
        post=[z.detach().tolist() for _, z in captured],
        grad_pre=[s.grad.tolist() for s, _ in captured],
        grad_post=[(z.grad if z.grad is not None else s.grad).tolist() for s, z in captured],
        grad_w=grad_w,
        grad_b=grad_b,
        weights=weights,
        biases=biases,
        weights_after=[lin.weight.detach().tolist() for lin in net.layers],
        biases_after=[lin.bias.detach().tolist() for lin in net.layers],
        probabilities=probabilities,
        loss=loss.item(),
    )
    state_after = dump_state(req.optimizer.name, optimizer, names) if optimizer else None
    # The state the step started from is the request's own (load_state checked it).
    trace = build_trace(req, cap, req.optimizer_state, state_after)

    response = {
        "loss": cap.loss,
        "output": cap.post[-1],
        "probabilities": probabilities,
        "layers": [
            {
                "pre": cap.pre[k],
                "post": cap.post[k],
                "grad_pre": cap.grad_pre[k],
                "grad_post": cap.grad_post[k],
                "grad_weights": cap.grad_w[k],
                "grad_biases": cap.grad_b[k],
            }
            for k in range(len(spec.layers))
        ],
        "grad_input": grad_input,
        "network": network_spec_dict(spec, weights, biases),
        "network_after": network_spec_dict(spec, cap.weights_after, cap.biases_after),
        "optimizer_state": state_after,
        "autograd": graph,
        "trace": trace,
        "trace_sample": req.trace_sample,
        "dtype": req.dtype,
    }
    # Every tensor a number of the response comes from: orjson would write a stray inf as null.
    checked = [loss.detach(), x.grad, *(p.detach() for p in named.values()),
               *(p.grad for p in named.values() if p.grad is not None),
               *(t.detach() for pair in captured for t in pair),
               *(t.grad for pair in captured for t in pair if t.grad is not None)]
    if optimizer is not None:
        checked += [v for st in optimizer.state.values() for v in st.values() if isinstance(v, torch.Tensor)]
    diverged = not bool(torch.isfinite(torch.cat([t.reshape(-1) for t in checked])).all())
    response["diverged"] = diverged
    return finite_or_text(response) if diverged else response
