"""Optimizer internals of chosen parameter elements, every step: value, gradient, new value, state."""

from __future__ import annotations

import torch


class Watch:
    """Follows elements such as "W:1,0,0" (parameter name and flat position given) through a chunk of steps.

    Per step it keeps a copy of each watched tensor after the step and of its optimizer state (torch
    updates both in place) and the step's gradient (a new tensor every step: zero_grad sets it to None);
    the elements are read out once per chunk.
    """

    def __init__(self, entries: list[tuple[str, str, tuple[int, ...]]], named: dict, optimizer: torch.optim.Optimizer,
                 hyper: dict) -> None:
        self.entries = entries  # (address, parameter name, index)
        self.optimizer = optimizer
        self.params = {name: named[name] for _, name, _ in entries}
        self.betas = hyper.get("betas")
        self.before = {name: p.detach().clone() for name, p in self.params.items()}
        self._steps: list[dict] = []

    def record(self) -> None:
        """After an optimizer step: the watched tensors, their gradients and their state."""
        rec = {}
        for name, p in self.params.items():
            state = self.optimizer.state.get(p, {}) if self.optimizer is not None else {}
            rec[name] = (p.detach().clone(), p.grad,
                         {k: (v.clone() if isinstance(v, torch.Tensor) else v) for k, v in state.items() if v is not None})
        self._steps.append(rec)

    def lines(self) -> list[dict]:
        """Per recorded step, {address: {value, grad, after, state}}; then forgets them."""
        out = []
        for rec in self._steps:
            line = {}
            for address, name, idx in self.entries:
                after, grad, state = rec[name]
                line[address] = {"value": self.before[name][idx].item(),
                                 "grad": grad[idx].item() if grad is not None else None,
                                 "after": after[idx].item(), "state": self._state(state, idx)}
            for name in self.params:
                self.before[name] = rec[name][0]
            out.append(line)
        self._steps = []
        return out

    def _state(self, state: dict, idx: tuple[int, ...]) -> dict:
        """The element's optimizer state after the step (Adam: with m̂ and v̂ as /api/step computes them)."""
        out = {}
        for key, value in state.items():
            out[key] = float(value) if key == "step" else value[idx].item()
        if "exp_avg" in out and self.betas is not None:
            t = out["step"]
            out["m_hat"] = out["exp_avg"] / (1 - self.betas[0] ** t)
            out["v_hat"] = out["exp_avg_sq"] / (1 - self.betas[1] ** t)
        return out
