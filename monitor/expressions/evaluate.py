"""Evaluate a tree over the values fetched for one window: missing data and division by zero give
no sample (None), never 0 or NaN, unless the derived entry says what to use instead.

A *vector* holds one value per label set; every vector in one evaluation covers the same label
sets, so operators combine vectors label set by label set, and a scalar (a number, or the result of
an aggregation) applies to every label set.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from monitor.expressions.syntax import Binary, Call, Expr, Name, Negate, Number

LabelSet = Hashable      # the exporter uses tuples of (label, value) pairs
COLLAPSED: LabelSet = ()  # the label set of a result aggregated across label sets: no labels at all
Value = float | None
Vector = dict[LabelSet, Value]


@dataclass(frozen=True)
class Options:
    """How one derived metric treats gaps: a derived entry's `on_missing` and `on_zero_division`
    keys (None: no sample), and the window the values were fetched for, in seconds (for rate())."""

    on_missing: float | None = None
    on_zero_division: float | None = None
    window_seconds: float = 60.0

    def __post_init__(self):
        """Raises ValueError for a non-finite substitute or a window that is not a positive number."""
        for value in (self.on_missing, self.on_zero_division):
            if value is not None and not math.isfinite(value):
                raise ValueError(f"on_missing and on_zero_division must be finite numbers, not {value}")
        if not (math.isfinite(self.window_seconds) and self.window_seconds > 0):
            raise ValueError(f"window_seconds must be a positive number of seconds, not {self.window_seconds}")


def evaluate(expr: Expr, values: Mapping[str, Value], options: Options = Options()) -> float | None:
    """The value of `expr` for one label set; `values` maps metric name -> value (None or absent:
    missing). None when the result is missing, a division by zero, NaN or infinite. Never raises."""
    return evaluate_vector(expr, {name: {COLLAPSED: value} for name, value in values.items()},
                           [COLLAPSED], options).get(COLLAPSED)


def evaluate_vector(expr: Expr, series: Mapping[str, Mapping[LabelSet, Value]],
                    label_sets: Iterable[LabelSet] | None = None,
                    options: Options = Options()) -> dict[LabelSet, float]:
    """One result per label set: `series` maps metric name -> {label set: value}. The label sets
    evaluated are `label_sets` (default: every label set in `series`), so that `on_missing` can
    give a value to a container with no data at all. An expression whose metrics all sit inside
    one-argument aggregations has one result, under COLLAPSED. Label sets without a sample are
    left out. Never raises."""
    if label_sets is None:
        label_sets = {key for values in series.values() for key in values}
    result = _Evaluation(series, tuple(label_sets), options).value(expr)
    vector = result if isinstance(result, dict) else {COLLAPSED: result}
    return {key: value for key, value in vector.items() if value is not None}


class _Evaluation:
    def __init__(self, series: Mapping[str, Mapping[LabelSet, Value]], label_sets: tuple, options: Options):
        self.series = series
        self.label_sets = label_sets
        self.options = options

    def value(self, expr: Expr) -> Value | Vector:
        if isinstance(expr, Number):
            return expr.value
        if isinstance(expr, Name):
            return self.name(expr.name)
        if isinstance(expr, Negate):
            return _map(lambda x: -x, self.value(expr.operand))
        if isinstance(expr, Binary):
            return _zip(self.operator(expr.operator), self.value(expr.left), self.value(expr.right))
        return self.call(expr)

    def name(self, name: str) -> Vector:
        values = self.series.get(name, {})
        return {key: _present(values.get(key), self.options.on_missing) for key in self.label_sets}

    def operator(self, symbol: str) -> Callable[[float, float], Value]:
        if symbol == "/":
            return lambda a, b: _finite(a / b) if b != 0 else self.options.on_zero_division
        return {"+": lambda a, b: _finite(a + b), "-": lambda a, b: _finite(a - b),
                "*": lambda a, b: _finite(a * b)}[symbol]

    def call(self, call: Call) -> Value | Vector:
        arguments = [self.value(argument) for argument in call.arguments]
        if call.function == "rate":
            return _map(lambda x: _finite(x / self.options.window_seconds), arguments[0])
        if call.function == "abs":
            return _map(abs, arguments[0])
        combine = AGGREGATIONS[call.function]
        if len(arguments) == 1:
            return _across_label_sets(combine, arguments[0])
        return _reduce(lambda a, b: _zip(lambda x, y: _finite(combine([x, y])), a, b), arguments)


def _sum(values: list[float]) -> float:
    """An exact sum where it fits in a float; past that, infinity (which becomes no sample)."""
    try:
        return math.fsum(values)
    except OverflowError:
        return math.inf


AGGREGATIONS: dict[str, Callable[[list[float]], float]] = {"sum": _sum, "max": max, "min": min}


def _across_label_sets(combine: Callable[[list[float]], float], argument: Value | Vector) -> Value:
    """One value from all label sets; missing ones are left out, and none at all is missing."""
    values = list(argument.values()) if isinstance(argument, dict) else [argument]
    present = [value for value in values if value is not None]
    return _finite(combine(present)) if present else None


def _reduce(step: Callable, arguments: list):
    result = arguments[0]
    for argument in arguments[1:]:
        result = step(result, argument)
    return result


def _map(function: Callable[[float], Value], operand: Value | Vector) -> Value | Vector:
    if isinstance(operand, dict):
        return {key: _map(function, value) for key, value in operand.items()}
    return None if operand is None else function(operand)


def _zip(function: Callable[[float, float], Value], left: Value | Vector, right: Value | Vector) -> Value | Vector:
    """Combine label set by label set; a scalar applies to every label set; missing stays missing."""
    if isinstance(left, dict) or isinstance(right, dict):
        keys = left.keys() if isinstance(left, dict) else right.keys()
        return {key: _zip(function, _at(left, key), _at(right, key)) for key in keys}
    return None if left is None or right is None else function(left, right)


def _at(operand: Value | Vector, key: LabelSet) -> Value:
    return operand.get(key) if isinstance(operand, dict) else operand


def _present(value: object, on_missing: float | None) -> Value:
    """A fetched value as a float; None, non-numbers, NaN, infinities and huge integers count as missing."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return on_missing
    try:
        number = float(value)
    except OverflowError:
        return on_missing
    return number if math.isfinite(number) else on_missing


def _finite(value: float) -> Value:
    return value if math.isfinite(value) else None
