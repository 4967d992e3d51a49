"""Softmax: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='softmax',
    name='Softmax',
    symbol='softmax',
    torch='torch.nn.Softmax',
    code='nn.Softmax(dim=1)',
    forward='exp(s)/Σ',
    derivative='z·(1 − z)',
    backward='z·(g − Σ)',
    kwargs={'dim': 1},
    min_units=2,
    couples_units=True,
    words="Softmax turns the layer's weighted sums into probabilities: exp(sᵢ) over the sum of exp(sₖ).",
    derivative_words='Softmax couples the units: ∂L/∂sᵢ = zᵢ·(∂L/∂zᵢ − Σₖ zₖ·∂L/∂zₖ).',
)
