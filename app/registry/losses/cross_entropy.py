"""Cross-entropy (classes): one registry entry — its torch module, formula, derivative and code."""

from ..base import Loss

ENTRY = Loss(
    id='cross_entropy',
    name='Cross-entropy (classes)',
    torch='torch.nn.CrossEntropyLoss',
    code='nn.CrossEntropyLoss()',
    term='log(p)',
    derivative='p − onehot',
    reduction='mean',
    negate=True,
    targets='classes',
    output_activations=('identity',),
    words='cross-entropy (torch.nn.CrossEntropyLoss): minus the mean over the samples of log p of the true class, p = softmax(ŷ)',
    derivative_words='Softmax and cross-entropy together: ∂L/∂ŷₖ is pₖ minus 1 for the true class, minus 0 for the others.',
)
