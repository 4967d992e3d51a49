"""MSE (mean squared error): one registry entry — its torch module, formula, derivative and code."""

from ..base import Loss

ENTRY = Loss(
    id='mse',
    name='MSE (mean squared error)',
    torch='torch.nn.MSELoss',
    code='nn.MSELoss()',
    term='(ŷ − y)²',
    derivative='2·(ŷ − y)',
    reduction='mean',
    words='mean squared error (torch.nn.MSELoss): the average of (ŷ − y)² over every output of every sample',
    derivative_words='The derivative of the squared error (ŷ − y)² is 2·(ŷ − y).',
)
