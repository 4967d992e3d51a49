"""Leaky ReLU: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='leaky_relu',
    name='Leaky ReLU',
    symbol='LeakyReLU',
    torch='torch.nn.LeakyReLU',
    code='nn.LeakyReLU(negative_slope={alpha})',
    forward='LeakyReLU(s, α)',
    derivative='LeakyReLU′(s, α)',
    kwargs={'negative_slope': 'alpha'},
    words='Leaky ReLU keeps a positive weighted sum and multiplies a negative one by the slope α.',
    kink=True,
    derivative_words='LeakyReLU′(s, α) is 1 where s > 0 and α elsewhere.',
    dies='nearly dead',
    dead_words='so ∂L/∂s = α·∂L/∂z for every one of them: its incoming weights and bias learn only α times as fast.',
)
