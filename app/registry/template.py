"""Formula templates: a short string in the lecture's notation, read into tokens.

`tpl("z·(1 − z)", vars={"z"})` gives the flat token list the page renders (MathML, text,
LaTeX) and the tests evaluate. Names in `vars` stand for what the explanation fills in:
symbols that carry addresses; a name followed by "(" is a function; any other name is an
error (a typo in an entry fails at import). Pure data: no torch, no FastAPI.
"""

from __future__ import annotations

import re

FUNCTIONS = {"σ", "tanh", "exp", "log", "ReLU", "ReLU′", "LeakyReLU", "LeakyReLU′", "Φ", "Φ′", "id", "√"}
OPERATORS = "+−·/()[],²√…"
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-zα-ωΑ-ΩŷΦσ][A-Za-zα-ωΑ-ΩΦ′̂ŷ]*)|(.))")


def tpl(text: str, vars: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The tokens of a formula written as text, e.g. "s·Φ(s)" with vars {"s"}."""
    tokens: list[dict] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r} in template {text!r}")
        pos = m.end()
        number, name, op = m.groups()
        if number is not None:
            tokens.append({"t": "num", "v": float(number)})
        elif name is not None:
            following = text[pos:].lstrip()[:1]
            if name in vars:
                tokens.append({"t": "var", "s": name})
            elif following == "(":
                if name not in FUNCTIONS:
                    raise ValueError(f"unknown function {name!r} in template {text!r}")
                tokens.append({"t": "fn", "s": name})
            else:
                raise ValueError(f"unknown name {name!r} in template {text!r}: declare it in vars")
        elif op in OPERATORS:
            tokens.append({"t": "op", "s": op})
        else:
            raise ValueError(f"unknown symbol {op!r} in template {text!r}")
    return tokens


def fill(tokens: list[dict], values: dict[str, list[dict] | dict]) -> list[dict]:
    """The template with each var replaced by its token (or token list)."""
    out: list[dict] = []
    for t in tokens:
        if t["t"] == "var":
            sub = values[t["s"]]
            out.extend(sub if isinstance(sub, list) else [sub])
        else:
            out.append(t)
    return out


def top_level_ops(tokens: list[dict]) -> set[str]:
    """The operators outside any bracket: {"+"} for a·b + c, {"·"} for a·(b + c)."""
    depth, out = 0, set()
    for t in tokens:
        if t["t"] != "op":
            continue
        if t["s"] in "([":
            depth += 1
        elif t["s"] in ")]":
            depth -= 1
        elif depth == 0:
            out.add(t["s"])
    return out
