"""Identity: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='identity',
    name='Identity',
    symbol='id',
    torch='torch.nn.Identity',
    code='nn.Identity()',
    forward='s',
    derivative='1',
    words='The identity passes the weighted sum through unchanged: z = s.',
    derivative_words="The identity's derivative is 1.",
)
