"""The one seam between the exporter and the `derived:` expression language.

`compile_expression` and `evaluate` are all the exporter uses. Until the safe expression
language (monitor/exporter/expressions.py, no `eval`) is in place, a stand-in accepts a single
metric name and yields that metric's value; switching over is a matter of these two functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

IDENTIFIER = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*")

Values = Sequence[float | None]   # one value per period of the window, oldest first; None: no datapoint
Lookup = Callable[[str], Values | None]   # a metric name -> its window for one label set; None: unknown there


class ExpressionError(ValueError):
    """An expression that cannot be compiled; `column` is 1-based, inside the expression's text."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Compiled:
    """A compiled expression and the metric names it reads."""

    text: str
    names: tuple[str, ...]
    tree: object


def compile_expression(text: str) -> Compiled:
    """Parse `text`; raises ExpressionError with the column of the problem."""
    match = IDENTIFIER.fullmatch(text)
    if match is None:
        column = (IDENTIFIER.match(text).end() + 1) if IDENTIFIER.match(text) else 1
        raise ExpressionError("only a single metric name is supported for now", min(column, len(text) + 1))
    return Compiled(text, (match.group(1),), match.group(1))


def evaluate(compiled: Compiled, lookup: Lookup) -> float | None:
    """The expression's value for one label set: a float, or None for no sample (missing input, x/0)."""
    values = lookup(compiled.tree)
    return values[-1] if values else None
