"""Which rows each step trains on: a full batch, or minibatches in a per-epoch seeded order."""

from __future__ import annotations

import torch


class Batches:
    """Step k's rows (k from 1). Epoch e = (k − 1) // per_epoch takes the (e+1)-th torch.randperm of the
    training rows from a torch.Generator seeded with `seed`, cut into batches of `size` rows in that order
    (the last one shorter when `size` does not divide the rows, as DataLoader's drop_last=False)."""

    def __init__(self, train: torch.Tensor, size: int | None, seed: int) -> None:
        self.train = train
        self.full = size is None or size >= len(train)
        self.size = len(train) if self.full else size
        self.per_epoch = 1 if self.full else -(-len(train) // size)
        self.seed = seed
        self._gen: torch.Generator | None = None
        self._epoch = -1
        self._order: torch.Tensor | None = None

    def epoch_order(self, epoch: int) -> torch.Tensor:
        """The training rows in epoch `epoch`'s order (the rows ascending for a full batch)."""
        if self.full:
            return self.train
        if self._gen is None or epoch < self._epoch:  # backwards: draw again from the start
            self._gen = torch.Generator().manual_seed(self.seed)
            self._epoch = -1
        while self._epoch < epoch:
            self._order = self.train[torch.randperm(len(self.train), generator=self._gen)]
            self._epoch += 1
        return self._order

    def position(self, k: int) -> tuple[int, int, int]:
        """(epoch, first, end): step k takes rows epoch_order(epoch)[first:end]."""
        epoch, j = divmod(k - 1, self.per_epoch)
        first = j * self.size
        return epoch, first, min(first + self.size, len(self.train))

    def rows(self, k: int) -> torch.Tensor:
        """The row indices (into the whole data set) step k trains on."""
        epoch, first, end = self.position(k)
        return self.epoch_order(epoch)[first:end]
