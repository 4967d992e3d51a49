"""SSE (sum of squared errors): one registry entry — its torch module, formula, derivative and code."""

from ..base import Loss

ENTRY = Loss(
    id='sse',
    name='SSE (sum of squared errors)',
    torch='torch.nn.MSELoss',
    code='nn.MSELoss(reduction="sum")',
    term='(ŷ − y)²',
    derivative='2·(ŷ − y)',
    reduction='sum',
    kwargs={'reduction': 'sum'},
    words="sum of squared errors (MSELoss with reduction='sum'): (ŷ − y)² added over every output of every sample",
    derivative_words='The derivative of the squared error (ŷ − y)² is 2·(ŷ − y).',
)
