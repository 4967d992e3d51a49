"""ReLU: one registry entry — its torch module, symbol, formula, derivative and code."""

from ..base import Activation

ENTRY = Activation(
    id='relu',
    name='ReLU',
    symbol='ReLU',
    torch='torch.nn.ReLU',
    code='nn.ReLU()',
    forward='ReLU(s)',
    derivative='ReLU′(s)',
    words='ReLU keeps a positive weighted sum and turns a negative one into 0.',
    kink=True,
    derivative_words='ReLU′(s) is 1 where s > 0 and 0 elsewhere.',
    dies='dead',
    dead_words='so z = 0 and every gradient through it is 0: its incoming weights and bias cannot learn from them.',
)
