"""The one seam between the exporter and the `derived:` expression language (monitor/expressions).

The exporter calls `compile_expression` (at load, for the plan) and `evaluate_all` (per refresh);
the language itself tokenizes, parses to frozen dataclasses and walks the tree, with no `eval`.
Values go in as a metric name -> {label set: value} mapping and come out as a value per label
set; missing data, a division by zero and a non-finite result give no sample unless the entry's
`on_missing` / `on_zero_division` say otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from monitor.expressions import Expr, ExpressionError, LabelSet, Options, evaluate_vector, names, parse

__all__ = ["Compiled", "ExpressionError", "LabelSet", "Options", "Series", "compile_expression", "evaluate_all"]

Series = Mapping[str, Mapping[LabelSet, float | None]]   # metric name -> label set -> last period's value


@dataclass(frozen=True)
class Compiled:
    """A parsed expression and the metric names it reads, each once, in order of first use."""

    text: str
    names: tuple[str, ...]
    tree: Expr


def compile_expression(text: str) -> Compiled:
    """Parse `text`; raises ExpressionError with the 1-based column of the problem."""
    tree = parse(text)
    return Compiled(text, tuple(dict.fromkeys(name.name for name in names(tree))), tree)


def evaluate_all(compiled: Compiled, series: Series, label_sets: Iterable[LabelSet],
                 options: Options = Options()) -> dict[LabelSet, float]:
    """One finite value per label set that has one (a one-argument sum/max/min gives one, under
    the empty label set); missing inputs give none unless `on_missing` says."""
    return evaluate_vector(compiled.tree, series, list(label_sets), options)
