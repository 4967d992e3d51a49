"""The autograd graph, walked from the loss through grad_fn.next_functions.

What torchviz's make_dot draws, as JSON: backward functions (AddmmBackward0, …) and the
AccumulateGrad leaves that fill each parameter's .grad, labelled in the lecture's notation.
Numbers are not copied: a node names the gradient it receives and those it passes on by
address, and carries its place in the order autograd ran the nodes. The graph depends only
on the structure, so a session walks it once per batch size.
"""

from __future__ import annotations

import torch

from .addresses import addr, param_address
from .explain.notation import Notation


def _leaf(variable: torch.Tensor, params: dict[int, str], x: torch.Tensor, note: Notation) -> dict:
    if variable is x:
        return {"param": "x", "label": "x", "address": "x", "grad_address": "dL/dx"}
    name = params[id(variable)]
    kind, layer = param_address(name)
    return {"param": name, "label": note.param_label(layer, "weight" if kind == "W" else "bias"),
            "address": addr(kind, layer), "grad_address": addr(f"dL/d{kind}", layer)}


def _receivers(captured: list) -> dict[int, list[str]]:
    """id(node) → the gradients it receives: ∂L/∂s of a layer's Linear, ∂L/∂z of its activation."""
    out: dict[int, list[str]] = {}
    for layer, (s, z) in enumerate(captured, start=1):
        out.setdefault(id(s.grad_fn), []).append(addr("dL/ds", layer))
        out.setdefault(id(z.grad_fn), []).append(addr("dL/dz", layer))  # the same node when φ is the identity
    return out


def _out_shape(fn) -> list[int] | None:
    """The shape of the node's forward output (the gradient it receives), from torch's metadata."""
    try:
        meta = fn._input_metadata
        return list(meta[0].shape) if len(meta) == 1 else None
    except (AttributeError, RuntimeError, IndexError):
        return None


def autograd_graph(loss: torch.Tensor, named: dict[str, torch.Tensor], x: torch.Tensor, n_layers: int,
                   outputs: int, captured: list | None = None, order: dict[int, int] | None = None) -> dict:
    """Nodes and edges of the graph autograd recorded, from the loss down to the leaves.

    `captured` (the (s, z) of each layer) names the gradients; `order` (id(node) → position,
    from BackwardOrder) is the order the backward pass ran them.
    """
    note = Notation(n_layers, outputs, 0)
    params = {id(p): n for n, p in named.items()}
    receivers = _receivers(captured or [])
    order = order or {}
    ids: dict[int, str] = {}
    nodes = [{"id": "loss", "name": "loss", "kind": "output", "param": None, "label": "L",
              "shape": list(loss.shape), "address": "L", "grad_address": None, "receives": [],
              "transposed": False, "passes": [], "out_shape": list(loss.shape), "order": None}]
    edges = []
    root = loss.grad_fn
    if root is None:
        return {"nodes": nodes, "edges": edges}

    def receives(fn) -> tuple[list[str], bool]:
        variable = getattr(fn, "variable", None)
        if variable is not None:
            return [_leaf(variable, params, x, note)["grad_address"]], False
        if fn is root:
            return [], False
        if id(fn) in receivers:
            return receivers[id(fn)], False
        children = [c for c, _ in fn.next_functions if c is not None]
        leaf = getattr(children[0], "variable", None) if len(children) == 1 else None
        if leaf is not None and leaf is not x and leaf.dim() == 2 and _out_shape(fn) == list(leaf.shape)[::-1]:
            return [_leaf(leaf, params, x, note)["grad_address"]], True  # TBackward0: the gradient of Wᵀ
        return [], False

    queue = [root]
    ids[id(root)] = "n0"
    edges.append({"from": "loss", "to": "n0", "grad_address": None})
    while queue:
        fn = queue.pop(0)  # breadth first: the loss end first, the leaves last
        got, transposed = receives(fn)
        node = {"id": ids[id(fn)], "name": type(fn).__name__, "kind": "function", "param": None, "label": None,
                "shape": None, "address": None, "grad_address": None, "receives": got, "transposed": transposed,
                "passes": [], "out_shape": _out_shape(fn), "order": order.get(id(fn))}
        variable = getattr(fn, "variable", None)
        if variable is not None:
            node.update(kind="parameter", shape=list(variable.shape), out_shape=list(variable.shape))
            node.update(_leaf(variable, params, x, note))
        nodes.append(node)
        for child, _ in fn.next_functions:
            if child is None:
                continue
            if id(child) not in ids:
                ids[id(child)] = f"n{len(ids)}"
                queue.append(child)
            passed = receives(child)[0]
            node["passes"] += passed[:1]
            edges.append({"from": node["id"], "to": ids[id(child)], "grad_address": passed[0] if passed else None})
    return {"nodes": nodes, "edges": edges}
