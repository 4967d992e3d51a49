"""Tanh: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='tanh',
    name='Tanh',
    symbol='tanh',
    torch='torch.nn.Tanh',
    code='nn.Tanh()',
    forward='tanh(s)',
    derivative='1 − z²',
    words='tanh squashes the weighted sum into (−1, 1).',
    derivative_words='tanh′(s) = 1 − z², with z = tanh(s).',
)
