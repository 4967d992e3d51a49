"""The contract's autograd graph: the nodes and edges a step answer names (see schemas.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GraphNode(BaseModel):
    """One node of the autograd graph, as torchviz's make_dot would draw it, with values."""

    id: str = Field(description="Stable id within this response.")
    name: str = Field(description="The grad_fn class name, e.g. AddmmBackward0, or AccumulateGrad.")
    kind: Literal["function", "parameter", "output"] = Field(
        description="function: a backward op; parameter: an AccumulateGrad leaf; output: the loss."
    )
    param: str | None = Field(None, description="For a parameter: e.g. layers.1.weight.")
    label: str | None = Field(None, description="The parameter in the lecture's notation, e.g. W¹.")
    shape: list[int] | None = Field(None, description="Shape of the parameter or output tensor.")
    address: str | None = Field(None, description="Address of the tensor's value (e.g. W:1, x, L): the "
                                "numbers are in the answer, not copied here.")
    grad_address: str | None = Field(None, description="Address of the gradient autograd accumulated (dL/dW:1).")
    receives: list[str] = Field([], description="Addresses of the gradient flowing into this node in the backward "
                                "pass, ∂L/∂(its forward output): SigmoidBackward0 of layer 1 receives dL/dz:1, an "
                                "AddmmBackward0 dL/ds:l (and dL/dz:l when φ is the identity), an AccumulateGrad "
                                "dL/dW:l, dL/db:l or dL/dx. Whole tensors: the address without sample or unit "
                                "indices. Empty for the loss's own node (it receives ∂L/∂L = 1) and for "
                                "intermediates without an address (LogSoftmaxBackward0).")
    transposed: bool = Field(False, description="The gradient received is the transpose of `receives` (TBackward0: "
                             "the gradient of Wᵀ is (∂L/∂W)ᵀ).")
    passes: list[str] = Field([], description="Addresses of the gradients this node passes on, one per outgoing "
                              "edge in next_functions order (AddmmBackward0 of layer 2: dL/db:2, dL/dz:1, dL/dW:2 "
                              "transposed). Empty for AccumulateGrad (it writes .grad).")
    out_shape: list[int] | None = Field(None, description="Shape of the node's forward output, which is the shape "
                                        "of the gradient it receives (from torch's input metadata).")
    order: int | None = Field(None, description="Position (from 0) in the order autograd ran the backward nodes, "
                              "recorded by hooks on the nodes during loss.backward(); null for the loss and when no "
                              "backward ran.")


class GraphEdge(BaseModel):
    """Gradient flows from `from` (closer to the loss) to `to`."""

    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", description="Node the gradient leaves.")
    to: str = Field(description="Node the gradient reaches (a next_functions entry).")
    grad_address: str | None = Field(None, description="Address of the gradient passed along this edge (the "
                                     "`to` node's first `receives`), null when it has none.")


class AutogradGraph(BaseModel):
    """The graph autograd recorded in the forward pass, walked from the loss."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
