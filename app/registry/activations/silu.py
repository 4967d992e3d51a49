"""SiLU: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='silu',
    name='SiLU',
    symbol='SiLU',
    torch='torch.nn.SiLU',
    code='nn.SiLU()',
    forward='s·σ(s)',
    derivative='σ(s)·(1 + s·(1 − σ(s)))',
    words='SiLU (swish) weighs the weighted sum by its own sigmoid: s·σ(s).',
    derivative_words='SiLU′(s) = σ(s)·(1 + s·(1 − σ(s))).',
)
