"""Formula tokens that name numbers by address and never carry a value.

The page renders them (MathML, plain text, LaTeX) and fills in each number from the step's
answer by its address; the tests evaluate them. See static/js/render/ for the renderers.
"""

from __future__ import annotations

from ...registry.template import fill, tpl


def sym(s: str, a: str | None = None, sub: str | None = None, sup: str | None = None) -> dict:
    """A symbol such as w₀ᵒᵘᵗ standing for the number at address `a` (empty keys left out)."""
    t = {"t": "sym", "s": s}
    if sub is not None:
        t["sub"] = sub
    if sup is not None:
        t["sup"] = sup
    if a is not None:
        t["a"] = a
    return t


_OPS: dict[str, dict] = {}


def op(s: str) -> dict:
    """An operator or bracket (one shared token each: tokens are never mutated)."""
    token = _OPS.get(s)
    if token is None:
        token = _OPS[s] = {"t": "op", "s": s}
    return token


def num(v: float) -> dict:
    """A constant that reads the same in symbols and in numbers."""
    return {"t": "num", "v": float(v)}


def fn(name: str) -> dict:
    """A function applied to the bracket that follows, e.g. σ or log."""
    return {"t": "fn", "s": name}


def bare(t: dict) -> dict:
    """The symbol of a token without its address: what ∂L/∂(·) is written with."""
    return sym(t["s"], sub=t.get("sub"), sup=t.get("sup"))


def d(of: dict, wrt: dict, a: str | None = None, at: str | None = None) -> dict:
    """∂of/∂wrt, worth the number at `a`; `at` places it in the diagram when it has no number."""
    t = {"t": "d", "of": bare(of), "wrt": bare(wrt)}
    if a is not None:
        t["a"] = a
    if at is not None:
        t["at"] = at
    return t


def fraction(count: int) -> list[dict]:
    """1/count, as the mean's factor: (1/4)·… reads as the average over four terms."""
    return [op("("), num(1), op("/"), num(count), op(")"), op("·")]


def template(text: str, names: frozenset[str] | set[str], values: dict) -> list[dict]:
    """A registry template with each of its names replaced by the given tokens."""
    return fill(tpl(text, names), values)


def joined(parts: list[list[dict]], sep: str = "+") -> list[dict]:
    """Token lists joined by an operator: a + b + c."""
    out: list[dict] = []
    for i, part in enumerate(parts):
        if i:
            out.append(op(sep))
        out.extend(part)
    return out


def addresses(tokens: list[dict]) -> list[str]:
    """Every address a token list names (values and places), in order, once each."""
    seen: dict[str, None] = {}
    for t in tokens:
        for key in ("a", "at"):
            if key in t:
                seen[t[key]] = None
    return list(seen)
