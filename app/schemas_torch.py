"""The contract of the PyTorch-side endpoints: the numeric gradient check (POST /api/gradcheck).

POST /api/code takes a StepRequest and answers a Python script (text/x-python), so it has no
model of its own here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, FiniteFloat, StringConstraints

from .schemas import StepRequest, _Strict

Address = Annotated[str, StringConstraints(max_length=40)]


class GradcheckRequest(_Strict):
    """Which parameter elements to check, on which step request, with which step h."""

    request: StepRequest = Field(description="The step request whose network, x and y are checked (its optimizer, "
                                 "dtype and graph switches do not matter: the check is one backward pass in float64).")
    addresses: list[Address] | None = Field(
        None, description="Parameter elements to check: W:l,i,j and b:l,i (layers from 1). Omitted: every weight "
        "and bias element, layer by layer, up to the server's max_gradcheck_addresses and max_gradcheck_cost "
        "(addresses × 2 forward passes × samples × parameters; the rest counted in `omitted`); a longer list is "
        "refused.")
    h: FiniteFloat | None = Field(None, gt=0, le=0.1, description="The step of the central difference "
                                  "(L(w + h) − L(w − h))/2h; omitted: 1e-6.")


class GradCheck(BaseModel):
    """One parameter element: autograd's ∂L/∂w beside the central finite difference."""

    address: str = Field(description="The parameter element, e.g. W:1,0,2.")
    autograd: float = Field(description="∂L/∂w from loss.backward() in float64 (computed for frozen parameters too).")
    numeric: float = Field(description="(L(w + h) − L(w − h))/2h in float64, every other number unchanged.")
    abs_error: float = Field(description="|autograd − numeric|.")
    rel_error: float = Field(description="|autograd − numeric| / max(|autograd|, |numeric|); 0 when both are 0.")
    ok: bool = Field(description="The rule: |autograd − numeric| ≤ 1e-6·|autograd| + 1e-9.")
    kink: bool = Field(description="A ReLU or leaky ReLU weighted sum at or above this parameter's layer is at its "
                       "kink (s = 0) or changes sign between w − h and w + h: the difference then straddles a "
                       "corner, and a disagreement is expected, not a failure of backprop.")


class GradcheckResponse(BaseModel):
    """The checks, in the order asked."""

    checks: list[GradCheck] = Field(description="One check per address.")
    h: float = Field(description="The step h used.")
    rule: str = Field(description="When a check is ok, in words.")
    omitted: int = Field(description="Parameter elements left unchecked because no list was given and the network "
                         "has more than the limits allow (max_gradcheck_addresses, max_gradcheck_cost).")
