"""Optimizer state in and out of JSON, keyed by parameter name so it survives a request."""

from __future__ import annotations

import torch

from .errors import SpecError

# The per-parameter state each optimizer keeps (torch.optim's keys); anything else is refused.
STATE_KEYS = {"sgd": {"momentum_buffer"}, "adam": {"step", "exp_avg", "exp_avg_sq"}}


def dump_state(name: str, optimizer: torch.optim.Optimizer, names: dict[int, str]) -> dict:
    """The optimizer's per-parameter state as nested lists, keyed by parameter name."""
    params = {}
    for p, state in optimizer.state.items():
        entry = {}
        for key, value in state.items():
            if isinstance(value, torch.Tensor):  # numpy arrays: orjson writes them as nested lists
                entry[key] = value.item() if value.dim() == 0 else value.detach().double().numpy().copy()
            elif value is not None:
                entry[key] = value
        params[names[id(p)]] = entry
    return {"name": name, "params": params}


def load_state(
    state: dict | None, name: str, optimizer: torch.optim.Optimizer, named: dict[str, torch.Tensor]
) -> None:
    """Put a previous response's optimizer state back into a fresh optimizer."""
    if not state:
        return
    loc = ("optimizer_state",)
    if state.get("name") != name:
        raise SpecError(loc + ("name",), f"state is for optimizer {state.get('name')!r}, not {name!r}: omit it to start fresh")
    params = state.get("params")
    if not isinstance(params, dict):
        raise SpecError(loc + ("params",), "must be an object keyed by parameter name")
    for pname, entry in params.items():
        p = named.get(pname)
        if p is None:
            continue  # a parameter that is gone keeps no state (a frozen one keeps its own: torch.optim skips it)
        if not isinstance(entry, dict):
            raise SpecError(loc + ("params", pname), "must be an object")
        unknown = set(entry) - STATE_KEYS[name]
        if unknown:
            raise SpecError(loc + ("params", pname, sorted(unknown)[0]), f"not a {name} state key; "
                            f"expected {sorted(STATE_KEYS[name])}")
        missing = STATE_KEYS[name] - set(entry) if name == "adam" and entry else set()
        if missing:  # Adam reads all three at once: a partial state would crash its step
            raise SpecError(loc + ("params", pname), f"missing {sorted(missing)}: Adam's state has step, exp_avg "
                            "and exp_avg_sq")
        loaded = {}
        for key, value in entry.items():
            try:
                if key == "step":
                    step = float(value)
                    if not (step >= 0 and step.is_integer() and step < 2**24):
                        raise SpecError(loc + ("params", pname, key),
                                        f"must be a whole number of steps in 0..{2**24 - 1}, got {value!r}")
                    loaded[key] = torch.tensor(step, dtype=torch.float32)
                else:
                    t = torch.tensor(value, dtype=p.dtype)
                    if not bool(torch.isfinite(t).all()) or (key == "exp_avg_sq" and bool((t < 0).any())):
                        raise SpecError(loc + ("params", pname, key), "must hold finite numbers"
                                        + (" >= 0" if key == "exp_avg_sq" else ""))
                    if t.shape != p.shape:
                        raise SpecError(
                            loc + ("params", pname, key),
                            f"shape {list(t.shape)} does not match the parameter's {list(p.shape)}: "
                            "omit optimizer_state after changing the network",
                        )
                    loaded[key] = t
            except (TypeError, ValueError, OverflowError, RuntimeError) as exc:
                if isinstance(exc, SpecError):
                    raise
                raise SpecError(loc + ("params", pname, key), f"not a number array: {exc}") from None
        if loaded:
            optimizer.state[p] = loaded
