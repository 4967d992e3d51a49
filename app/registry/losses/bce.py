"""Binary cross-entropy: one registry entry — its torch module, formula, derivative and code."""

from ..base import Loss

ENTRY = Loss(
    id='bce',
    name='Binary cross-entropy',
    torch='torch.nn.BCELoss',
    code='nn.BCELoss()',
    term='y·log(ŷ) + (1 − y)·log(1 − ŷ)',
    derivative='(ŷ − y)/(ŷ·(1 − ŷ))',
    reduction='mean',
    negate=True,
    output_activations=('sigmoid',),
    words='binary cross-entropy (torch.nn.BCELoss): minus the mean of y·log(ŷ) + (1 − y)·log(1 − ŷ)',
    derivative_words='The derivative of binary cross-entropy with respect to ŷ is (ŷ − y)/(ŷ·(1 − ŷ)).',
)
