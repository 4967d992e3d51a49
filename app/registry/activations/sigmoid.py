"""Sigmoid: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='sigmoid',
    name='Sigmoid',
    symbol='σ',
    torch='torch.nn.Sigmoid',
    code='nn.Sigmoid()',
    forward='σ(s)',
    derivative='z·(1 − z)',
    words='The sigmoid σ(s) = 1/(1 + e⁻ˢ) squashes the weighted sum into (0, 1).',
    derivative_words="The sigmoid's derivative is σ′(s) = z·(1 − z), with z = σ(s).",
)
