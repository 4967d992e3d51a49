"""A training run: the modules and the optimizer built once, then steps taken in chunks. torch only.

The loop is a plain torch loop (forward, loss, zero_grad, backward, optimizer step) on the
same modules /api/step builds (nn.Linear, the registry's activation and loss modules, the
torch.optim optimizer), so a step here and the same step through /api/step agree bit for bit.
What a step line needs is kept as tensors and read out once per chunk: losses, gradient norms,
accuracies; snapshots copy the weights and the optimizer state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ..engine.network import MLP, initial_parameters, linear
from ..engine.ops import make_activation, make_loss, make_optimizer, optimizer_step
from ..engine.optim_state import dump_state, load_state
from ..registry import ACTIVATIONS
from .batches import Batches
from .datasets import Dataset
from .grids import Grids, dead_units
from .watch import Watch

F64 = torch.float64


@dataclass
class Plan:
    """Everything a run needs, checked: the network, the optimizer, the data and the schedule."""

    network: dict  # as /api/step takes it (weights may be None)
    optimizer: str
    hyper: dict
    state: dict | None
    data: Dataset
    steps: int
    batch_size: int | None
    seed: int
    start_step: int
    snapshot_every: int
    watch: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)  # (address, param name, index)
    grid: int = 0
    neuron_grid: int = 0


def _per_step_mean(values: torch.Tensor, sizes: list[int]) -> torch.Tensor:
    """The mean of each step's consecutive slice of `values` (slices of `sizes` rows)."""
    if len(set(sizes)) == 1:
        return values.view(len(sizes), -1).mean(1)
    ends = torch.tensor(sizes).cumsum(0)
    sums = torch.cat([values.new_zeros(1), values.cumsum(0)])
    return (sums[ends] - sums[ends - torch.tensor(sizes)]) / torch.tensor(sizes, dtype=values.dtype)


class Run:
    """One training run, advanced a chunk of steps at a time by whoever streams it."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        net = plan.network
        fan_ins = [net["inputs"]] + [layer["units"] for layer in net["layers"][:-1]]
        units = [layer["units"] for layer in net["layers"]]
        initial = None
        if any(layer.get("weights") is None or layer.get("biases") is None for layer in net["layers"]):
            initial = initial_parameters(fan_ins, units, net.get("seed", 0))
        linears, acts = [], []
        for k, layer in enumerate(net["layers"]):
            w = torch.tensor(layer["weights"], dtype=F64) if layer.get("weights") is not None else initial[k][0]
            b = torch.tensor(layer["biases"], dtype=F64) if layer.get("biases") is not None else initial[k][1]
            linears.append(linear(nn.Parameter(w, requires_grad=not layer.get("freeze_weights", False)),
                                  nn.Parameter(b, requires_grad=not layer.get("freeze_biases", False))))
            acts.append(make_activation(layer["activation"], layer.get("negative_slope", 0.01)))
        self.net = MLP(linears, acts)
        self.dies = [bool(ACTIVATIONS[layer["activation"]].dies) for layer in net["layers"]]
        # The loop calls each module's forward itself: the same torch ops, without nn.Module's per-call hook checks.
        self.forwards = [(lin.forward, phi.forward) for lin, phi in self.net.pairs]
        self.weights = [lin.weight for lin in linears]
        self.biases = [lin.bias for lin in linears]
        self.named = dict(self.net.named_parameters())
        self.names = {id(p): n for n, p in self.named.items()}
        trainable = self.trainable = [p for p in self.named.values() if p.requires_grad]
        self.optimizer = self.optimizer_step = None
        if trainable:
            self.optimizer = make_optimizer(plan.optimizer, trainable, plan.hyper)
            self.optimizer_step = optimizer_step(self.optimizer)
            load_state(plan.state, plan.optimizer, self.optimizer, self.named)  # SpecError: a 422 at its path
        self.loss_fn = make_loss(net["loss"])
        self.bce = net["loss"] == "bce"
        self.classes = net["loss"] == "cross_entropy"
        data = plan.data
        self.x, self.y = data.x, data.y
        self.classify = data.task == "classification"
        self.x_test, self.y_test = data.x[data.test], data.y[data.test]
        self.has_test = len(data.test) > 0
        self.batches = Batches(data.train, plan.batch_size, plan.seed)
        self.grids = Grids(data.x, plan.grid, plan.neuron_grid, self.classes)
        self.watch = Watch(plan.watch, self.named, self.optimizer, plan.hyper) if plan.watch else None
        self.k = plan.start_step
        self.end = plan.start_step + plan.steps
        self._epoch = None
        self.diverged = False
        self.snapshotted = None  # the step of the last snapshot line

    # ---- the loop ------------------------------------------------------------------------------

    def _batch(self, k: int):
        """Step k's inputs and targets (views into the epoch's rows) and its row indices (None: full batch)."""
        b = self.batches
        epoch, first, end = b.position(k)
        key = 0 if b.full else epoch
        if key != self._epoch:
            order = b.epoch_order(epoch)
            self._xe, self._ye, self._rows = self.x[order], self.y[order], order.numpy()
            self._epoch = key
        rows = None if b.full else self._rows[first:end]
        return self._xe[first:end], self._ye[first:end], rows

    def _loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        try:
            return self.loss_fn(out, y)
        except RuntimeError:
            if not self.bce:
                raise
            return out.sum() * float("nan")  # BCELoss refuses NaN ŷ: carry it into L, as /api/step does

    def _take(self, count: int) -> dict:
        """Take `count` steps; what the lines need, as tensors and lists."""
        step, forwards = self.optimizer_step, self.forwards
        losses, outs, targets, sizes, rows, grads, test_losses, test_outs = [], [], [], [], [], [], [], []
        for k in range(self.k + 1, self.k + count + 1):
            xb, yb, r = self._batch(k)
            out = xb
            for lin, phi in forwards:
                out = phi(lin(out))
            loss = self._loss(out, yb)
            if self.has_test:
                with torch.no_grad():
                    test_out = self.net(self.x_test)
                    test_losses.append(self._loss(test_out, self.y_test))
                    test_outs.append(test_out)
            for p in self.trainable:  # what optimizer.zero_grad() does (set_to_none), without its bookkeeping
                p.grad = None
            if loss.requires_grad:
                loss.backward()
            if step is not None:
                step()
            losses.append(loss)  # read in _lines under no_grad (backward has freed its graph's buffers)
            grads.append([w.grad for w in self.weights])
            rows.append(r)
            if self.classify:
                outs.append(out)
                targets.append(yb)
                sizes.append(len(yb))
            if self.watch is not None:
                self.watch.record()
        self.k += count
        return {"losses": losses, "outs": outs, "targets": targets, "sizes": sizes, "rows": rows, "grads": grads,
                "test_losses": test_losses, "test_outs": test_outs}

    def _correct(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """1.0 for each row classified right: the largest logit (classes), or ŷ > 0.5 ⇔ y > 0.5 on every output."""
        if self.classes:
            return (out.argmax(1) == y).to(F64)
        return ((out > 0.5) == (y > 0.5)).all(1).to(F64)

    @torch.no_grad()
    def _lines(self, t: dict, first: int) -> list[dict]:
        """The step lines of a chunk that began after step `first − 1`."""
        count = len(t["losses"])
        columns = {"loss": torch.stack(t["losses"])}
        if self.has_test:
            columns["test_loss"] = torch.stack(t["test_losses"])
        if self.classify:
            columns["accuracy"] = _per_step_mean(self._correct(torch.cat(t["outs"]), torch.cat(t["targets"])),
                                                 t["sizes"])
            if self.has_test:
                test_outs = torch.cat(t["test_outs"])
                columns["test_accuracy"] = self._correct(test_outs, self.y_test.repeat(count, *[1] * (
                    self.y_test.dim() - 1))).view(count, -1).mean(1)
        norms = [torch.linalg.vector_norm(torch.stack([g[layer] for g in t["grads"]]).flatten(1), dim=1)
                 if self.weights[layer].requires_grad else torch.full((count,), 0.0, dtype=F64)
                 for layer in range(len(self.weights))]
        norms = torch.stack(norms, 1)
        finite = torch.isfinite(norms).all(1)
        for v in columns.values():
            finite &= torch.isfinite(v)
        values = {key: v.tolist() for key, v in columns.items()}
        norm_rows = norms.tolist()
        frozen = [k for k, w in enumerate(self.weights) if not w.requires_grad]
        for row in norm_rows:
            for k in frozen:
                row[k] = None
        watch = self.watch.lines() if self.watch is not None else None
        lines = []
        for i, ok in enumerate(finite.tolist()):
            line = {"step": first + i, "loss": values["loss"][i],
                    "test_loss": values["test_loss"][i] if self.has_test else None,
                    "accuracy": values["accuracy"][i] if self.classify else None,
                    "test_accuracy": values["test_accuracy"][i] if self.classify and self.has_test else None,
                    "grad_norms": norm_rows[i], "batch": t["rows"][i], "watch": watch[i] if watch else {}}
            if not ok:
                line["diverged"] = True
            lines.append(line)
        return lines

    def advance(self, count: int) -> list[dict]:
        """Up to `count` more steps: their lines, and a snapshot line at each multiple of snapshot_every and at
        the end. Stops at the first step with a non-finite number (self.diverged)."""
        count = min(count, self.end - self.k)
        every = self.plan.snapshot_every
        out = []
        while count > 0:
            n = min(count, every - self.k % every)  # up to the next snapshot
            saved = self._save() if n > 1 else None
            first = self.k + 1
            lines = self._lines(self._take(n), first)
            bad = next((i for i, line in enumerate(lines) if line.get("diverged")), None)
            if bad is not None:
                if bad + 1 < n:  # the run ends at that step: take it again from the chunk's start, and no further
                    self._restore(saved, first - 1)
                    lines = self._lines(self._take(bad + 1), first)
                self.diverged = True
                return out + lines + [self.snapshot_line()]
            out += lines
            count -= n
            if self.k % every == 0 or self.k == self.end:
                out.append(self.snapshot_line())
        return out

    def _save(self):
        params = [p.detach().clone() for p in self.named.values()]
        state = copy.deepcopy(self.optimizer.state_dict()) if self.optimizer is not None else None
        watch = dict(self.watch.before) if self.watch is not None else None
        return params, state, watch

    def _restore(self, saved, k: int) -> None:
        params, state, watch = saved
        with torch.no_grad():
            for p, v in zip(self.named.values(), params):
                p.copy_(v)
        if self.optimizer is not None:
            self.optimizer.load_state_dict(state)
        if self.watch is not None:
            self.watch.before = watch
        self.k = k

    def params_finite(self) -> bool:
        return all(bool(torch.isfinite(p).all()) for p in self.named.values())

    @property
    def finished(self) -> bool:
        return self.diverged or self.k >= self.end

    # ---- snapshots and the end ---------------------------------------------------------------

    def network(self) -> dict:
        """The network as /api/step takes it, with the current weights (numpy copies)."""
        layers = []
        for layer, w, b in zip(self.plan.network["layers"], self.weights, self.biases):
            layers.append({**{key: layer.get(key) for key in ("units", "activation", "freeze_weights",
                                                               "freeze_biases", "negative_slope")},
                           "weights": w.detach().numpy().copy(), "biases": b.detach().numpy().copy()})
        net = self.plan.network
        return {"inputs": net["inputs"], "layers": layers, "loss": net["loss"], "seed": net.get("seed", 0)}

    def optimizer_state(self) -> dict:
        if self.optimizer is None:
            return {"name": self.plan.optimizer, "params": {}}
        return dump_state(self.plan.optimizer, self.optimizer, self.names)

    def next_batch(self) -> np.ndarray:
        return self.batches.rows(self.k + 1).numpy()

    def snapshot_line(self) -> dict:
        """The state after step self.k: network, optimizer state, the next batch, the maps, the dead ReLUs."""
        train_x = self.x[self.plan.data.train]
        self.snapshotted = self.k
        return {"snapshot": {"step": self.k, "network": self.network(), "optimizer_state": self.optimizer_state(),
                             "next_batch": self.next_batch(), "grid": self.grids.maps(self.net),
                             "dead": dead_units(self.net, train_x, self.dies)}}

    def done_line(self, reason: str) -> dict:
        return {"done": True, "step": self.k, "reason": reason, "network": self.network(),
                "optimizer_state": self.optimizer_state(), "next_batch": self.next_batch()}
