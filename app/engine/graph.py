"""The autograd graph, walked from the loss through grad_fn.next_functions.

What torchviz's make_dot draws, as JSON: backward functions (AddmmBackward0, …) and the
AccumulateGrad leaves that fill each parameter's .grad, labelled in the lecture's notation.
Numbers are not copied: a leaf names its value and its gradient by address. The graph
depends only on the structure, so a session walks it once per batch size.
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


def autograd_graph(loss: torch.Tensor, named: dict[str, torch.Tensor], x: torch.Tensor, n_layers: int,
                   outputs: int) -> dict:
    """Nodes and edges of the graph autograd recorded, from the loss down to the leaves."""
    note = Notation(n_layers, outputs, 0)
    params = {id(p): n for n, p in named.items()}
    ids: dict[int, str] = {}
    nodes = [{"id": "loss", "name": "loss", "kind": "output", "param": None, "label": "L",
              "shape": list(loss.shape), "address": "L", "grad_address": None}]
    edges = []
    root = loss.grad_fn
    if root is None:
        return {"nodes": nodes, "edges": edges}
    queue = [root]
    ids[id(root)] = "n0"
    edges.append({"from": "loss", "to": "n0"})
    while queue:
        fn = queue.pop(0)  # breadth first: the loss end first, the leaves last
        node = {"id": ids[id(fn)], "name": type(fn).__name__, "kind": "function", "param": None, "label": None,
                "shape": None, "address": None, "grad_address": None}
        variable = getattr(fn, "variable", None)
        if variable is not None:
            node.update(kind="parameter", shape=list(variable.shape))
            node.update(_leaf(variable, params, x, note))
        nodes.append(node)
        for child, _ in fn.next_functions:
            if child is None:
                continue
            if id(child) not in ids:
                ids[id(child)] = f"n{len(ids)}"
                queue.append(child)
            edges.append({"from": node["id"], "to": ids[id(child)]})
    return {"nodes": nodes, "edges": edges}
