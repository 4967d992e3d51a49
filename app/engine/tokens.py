"""Formula tokens: a flat list the page renders as MathML and the server renders as text.

A `sym` token carries its value `v`, so one list gives both the formula in symbols and the
same formula with the numbers substituted. `ref` names the diagram element it lives in.
"""

from __future__ import annotations

import math
from functools import lru_cache

_SUB = str.maketrans("0123456789,()+-", "₀₁₂₃₄₅₆₇₈₉‚₍₎₊₋")
_SUP = str.maketrans("0123456789,()+-out", "⁰¹²³⁴⁵⁶⁷⁸⁹˒⁽⁾⁺⁻ᵒᵘᵗ")


def sym(s: str, v: float | None = None, sub: str | None = None, sup: str | None = None, ref: str | None = None) -> dict:
    """A symbol such as w₀ᵒᵘᵗ standing for the value v (keys left out when empty: smaller JSON)."""
    t = {"t": "sym", "s": s}
    if sub is not None:
        t["sub"] = sub
    if sup is not None:
        t["sup"] = sup
    if v is not None:
        t["v"] = v
    if ref is not None:
        t["ref"] = ref
    return t


_OP_TOKENS: dict[str, dict] = {}


def op(s: str) -> dict:
    """An operator or bracket: + − · / ( ) ² √ Σ (one shared token each: tokens are never mutated)."""
    token = _OP_TOKENS.get(s)
    if token is None:
        token = _OP_TOKENS[s] = {"t": "op", "s": s}
    return token


def num(v: float) -> dict:
    """A constant that reads the same in symbols and in numbers."""
    return {"t": "num", "v": v}


def fn(name: str) -> dict:
    """A function name applied to what follows in brackets, e.g. σ or log."""
    return {"t": "fn", "s": name}


def bare(t: dict) -> dict:
    """The symbol of a token without its value or ref: what ∂L/∂(·) is written with."""
    return sym(t["s"], sub=t.get("sub"), sup=t.get("sup"))


def d(of: dict, wrt: dict, v: float | None = None, ref: str | None = None) -> dict:
    """The partial derivative ∂of/∂wrt, with its value."""
    t = {"t": "d", "of": of, "wrt": wrt}
    if v is not None:
        t["v"] = v
    if ref is not None:
        t["ref"] = ref
    return t


def fmt(v) -> str:
    """A number as the page shows it: 4 decimals, or 4 significant digits when tiny or huge."""
    if isinstance(v, str):
        return v
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0:
        return "0.0"
    a = abs(v)
    if 1e-3 <= a < 1e5:
        text = f"{v:.4f}".rstrip("0")
        text = text + "0" if text.endswith(".") else text
    else:
        text = f"{v:.3e}"
    return text.replace("-", "−")


@lru_cache(maxsize=4096)
def _symbol_text(s: str, sub: str | None, sup: str | None) -> str:
    text = s
    if sub:
        text += sub.translate(_SUB)
    if sup:
        mapped = sup.translate(_SUP)
        text += mapped if all(c in "0123456789,()+-out" for c in sup) else f"^({sup})"
    return text


def symbol_text(t: dict) -> str:
    """A symbol token as plain text, e.g. w₀ᵒᵘᵗ."""
    return _symbol_text(t["s"], t.get("sub"), t.get("sup"))


def fmt_const(v: float) -> str:
    """A constant of a formula: 2, 1, 0.25 (no trailing .0 on whole numbers)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e6:
        return str(int(v)).replace("-", "−")
    return fmt(v)


_SPACED = {"+", "−", "=", "←", "/"}
_OPENERS = {"(", "[", "√"}


def text(tokens: list[dict], numeric: bool = False) -> str:
    """Tokens as one line of plain text, symbols or their numbers.

    A negative number after an operator is bracketed, 0.3·(−1.1); a leading minus stays unary.
    """
    out = []
    bare = True  # at the start, or right after an opening bracket
    for t in tokens:
        kind = t["t"]
        if kind == "op":
            s = t["s"]
            out.append(f" {s} " if s in _SPACED and not (bare and s == "−") else s)
            bare = s in _OPENERS
            continue
        if kind == "fn" or kind == "text":
            out.append(t["s"])
        elif kind == "num" or numeric:
            v = t.get("v")
            piece = fmt_const(v) if kind == "num" else fmt(v)
            out.append(f"({piece})" if not bare and v.__class__ is float and v < 0 else piece)
        elif kind == "d":
            out.append(f"∂{symbol_text(t['of'])}/∂{symbol_text(t['wrt'])}")
        else:
            out.append(_symbol_text(t["s"], t.get("sub"), t.get("sup")))
        bare = False
    return "".join(out)
