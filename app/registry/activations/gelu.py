"""GELU: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='gelu',
    name='GELU',
    symbol='GELU',
    torch='torch.nn.GELU',
    code='nn.GELU()',
    forward='s·Φ(s)',
    derivative='Φ(s) + s·Φ′(s)',
    words='GELU weighs the weighted sum by Φ(s), the probability that a standard normal variable is below s.',
    derivative_words='GELU′(s) = Φ(s) + s·Φ′(s), with Φ the standard normal CDF and Φ′ its density.',
)
