"""The one seam between the exporter and the `derived:` expression language.

The exporter calls `compile_expression` (at load, for the config's checks and the plan) and
`evaluate_all` (per refresh). Until the safe expression language (monitor/exporter/expressions,
no `eval`) is in place, a stand-in accepts a single metric name and yields that metric's value
per label set; the shapes here are the language's (a metric name -> {label set: value} in, a
value per label set out), so switching over is a matter of these two functions' bodies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

IDENTIFIER = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*")

LabelSet = tuple[tuple[str, str], ...]
Series = Mapping[str, Mapping[LabelSet, float | None]]   # metric name -> label set -> last period's value


class ExpressionError(ValueError):
    """An expression that cannot be compiled; `column` is 1-based, inside the expression's text."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Options:
    """A derived entry's `on_missing` and `on_zero_division` (None: no sample), and the period in seconds."""

    on_missing: float | None = None
    on_zero_division: float | None = None
    window_seconds: float = 60.0


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
        head = IDENTIFIER.match(text)
        raise ExpressionError("only a single metric name is supported for now", head.end() + 1 if head else 1)
    return Compiled(text, (match.group(1),), match.group(1))


def evaluate_all(compiled: Compiled, series: Series, label_sets: Iterable[LabelSet],
                 options: Options = Options()) -> dict[LabelSet, float]:
    """One finite value per label set that has one; missing inputs give none unless `on_missing` says."""
    found = {}
    for labels in label_sets:
        value = series.get(compiled.tree, {}).get(labels)
        value = options.on_missing if value is None else value
        if value is not None and math.isfinite(value):
            found[labels] = value
    return found
