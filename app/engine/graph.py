"""The autograd graph, walked from the loss through grad_fn.next_functions, with values.

What torchviz's make_dot draws, as JSON: backward functions (AddmmBackward0, …) and the
AccumulateGrad leaves that fill each parameter's .grad, labelled in the lecture's notation.
"""

from __future__ import annotations

import torch

from ..schemas import NetworkSpec
from .notation import Notation


def _leaf_info(variable: torch.Tensor, params: dict[int, str], x: torch.Tensor, note: Notation) -> dict:
    if variable is x:
        return {"param": "x", "label": "x"}
    name = params.get(id(variable), "?")
    parts = name.split(".")  # layers.{k}.weight
    label = None
    if len(parts) == 3 and parts[1].isdigit():
        label = note.param_label(int(parts[1]) + 1, parts[2])
    return {"param": name, "label": label}


def autograd_graph(loss: torch.Tensor, named: dict[str, torch.Tensor], spec: NetworkSpec, x: torch.Tensor,
                   leaves: dict[int, tuple]) -> dict:
    """Nodes and edges of the graph autograd recorded, from the loss down to the leaves.

    `leaves` maps id(tensor) to its (value, grad) as nested lists, already read by the caller.
    """
    note = Notation(len(spec.layers), spec.layers[-1].units)
    params = {id(p): n for n, p in named.items()}
    ids: dict[int, str] = {}
    nodes = [
        {"id": "loss", "name": "loss", "kind": "output", "param": None, "label": "L",
         "shape": list(loss.shape), "value": loss.item(), "grad": None}
    ]
    edges = []
    root = loss.grad_fn
    if root is None:
        return {"nodes": nodes, "edges": edges}
    stack = [root]
    ids[id(root)] = "n0"
    edges.append({"from": "loss", "to": "n0"})
    while stack:
        fn = stack.pop(0)  # breadth first: the loss end first, the leaves last
        node = {"id": ids[id(fn)], "name": type(fn).__name__, "kind": "function",
                "param": None, "label": None, "shape": None, "value": None, "grad": None}
        variable = getattr(fn, "variable", None)
        if variable is not None:
            value, grad = leaves[id(variable)]
            node.update(kind="parameter", shape=list(variable.shape), value=value, grad=grad)
            node.update(_leaf_info(variable, params, x, note))
        nodes.append(node)
        for child, _ in fn.next_functions:
            if child is None:
                continue
            if id(child) not in ids:
                ids[id(child)] = f"n{len(ids)}"
                stack.append(child)
            edges.append({"from": node["id"], "to": ids[id(child)]})
    return {"nodes": nodes, "edges": edges}
