"""Errors the engine raises for a request it cannot compute, with the path of the field."""


class SpecError(ValueError):
    """A request field that is well-formed but cannot be used: `loc` is its path."""

    def __init__(self, loc: tuple, msg: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg
