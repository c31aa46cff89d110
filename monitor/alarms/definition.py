"""An alarm definition, validated once, with the comparison it breaches on [A1][A5][A6]."""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

from monitor.alarms import semantics
from monitor.alarms.errors import AlarmError

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}
"""The comparisons a value breaches on: value OP threshold (a value equal to the threshold breaches
only `>=` and `<=`, as AWS's names say)."""

AWS_COMPARISONS = {
    "GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=",
    "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
}
TREATMENTS = ("missing", "notBreaching", "breaching", "ignore")
LOW_SAMPLE_CHOICES = ("evaluate", "ignore")
PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)")

AWS_KEYS = {
    "ComparisonOperator": "comparison", "Threshold": "threshold",
    "EvaluationPeriods": "evaluation_periods", "DatapointsToAlarm": "datapoints_to_alarm",
    "TreatMissingData": "treat_missing_data", "ExtendedStatistic": "statistic", "Statistic": "statistic",
    "EvaluateLowSampleCountPercentile": "evaluate_low_sample_count_percentile", "Namespace": "namespace",
}
"""PutMetricAlarm's names for the same fields, so a DescribeAlarms item can be evaluated as it is."""


@dataclass(frozen=True)
class MetricAlarm:
    """A metric alarm as CloudWatch evaluates it; raises AlarmError (a ValueError) when AWS would refuse it.

    comparison: `>`, `>=`, `<`, `<=` or AWS's GreaterThanThreshold, ... (stored as the symbol).
    datapoints_to_alarm (M) defaults to evaluation_periods (N); evaluation_range defaults to
    N + semantics.EXTRA_RANGE_PERIODS. statistic `p0`..`p100` makes it a percentile alarm [A5].
    """

    comparison: str
    threshold: float
    evaluation_periods: int
    datapoints_to_alarm: int | None = None
    treat_missing_data: str = "missing"
    statistic: str | None = None
    evaluate_low_sample_count_percentile: str = "evaluate"
    evaluation_range: int | None = None
    namespace: str | None = None

    def __post_init__(self) -> None:
        n = _count("evaluation_periods", self.evaluation_periods, 1)
        m = _count("datapoints_to_alarm", n if self.datapoints_to_alarm is None else self.datapoints_to_alarm, 1)
        if m > n:
            raise AlarmError("datapoints_to_alarm", f"{m} is more than evaluation_periods ({n})")
        size = n + semantics.EXTRA_RANGE_PERIODS if self.evaluation_range is None else self.evaluation_range
        object.__setattr__(self, "datapoints_to_alarm", m)
        object.__setattr__(self, "evaluation_range", _count("evaluation_range", size, n))
        object.__setattr__(self, "comparison", _comparison(self.comparison))
        object.__setattr__(self, "threshold", _threshold(self.threshold))
        _choice("treat_missing_data", self.treat_missing_data, TREATMENTS)
        _choice("evaluate_low_sample_count_percentile", self.evaluate_low_sample_count_percentile, LOW_SAMPLE_CHOICES)
        percentile(self.statistic)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> "MetricAlarm":
        """Build from snake_case keys or PutMetricAlarm's names; an unknown key is an AlarmError."""
        known = {f.name for f in fields(cls)}
        args = {AWS_KEYS.get(key, key): value for key, value in spec.items()}
        for key in sorted(args.keys() - known):
            raise AlarmError(key, f"unknown field; allowed: {', '.join(sorted(known))}")
        for key in ("comparison", "threshold", "evaluation_periods"):
            if key not in args:
                raise AlarmError(key, "required")
        return cls(**args)

    def breaches(self, value: float) -> bool:
        """True when the datapoint is outside the threshold."""
        return COMPARISONS[self.comparison](value, self.threshold)

    @property
    def treatment(self) -> str:
        """The treatment CloudWatch applies: DynamoDB alarms always ignore missing data [A2]."""
        return "ignore" if self.namespace in semantics.ALWAYS_IGNORE_NAMESPACES else self.treat_missing_data

    @property
    def min_samples(self) -> Fraction | None:
        """Fewest samples a period needs when low samples are ignored [A5]; None when never held."""
        p = percentile(self.statistic)
        if self.evaluate_low_sample_count_percentile != "ignore" or p is None or p in semantics.EXACT_PERCENTILES:
            return None
        return 10 / (1 - p) if p >= Fraction(1, 2) else 10 / p


def percentile(statistic: str | None) -> Fraction | None:
    """`p99.9` -> 999/1000, exactly (p99 needs 1000 samples, not 999.99...); None for other statistics."""
    if statistic is None:
        return None
    if not isinstance(statistic, str):
        raise AlarmError("statistic", f"{statistic!r} is not a string")
    match = PERCENTILE.fullmatch(statistic)
    if match is None and re.fullmatch(r"p[\d.]*", statistic):
        raise AlarmError("statistic", f"{statistic!r} is not a percentile; allowed: p0 to p100")
    if match is None:
        return None
    value = Fraction(Decimal(match.group(1))) / 100
    if value > 1:
        raise AlarmError("statistic", f"{statistic!r} is above p100")
    return value


def _count(field: str, value: Any, least: int) -> int:
    """A whole number of periods, at least `least`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise AlarmError(field, f"{value!r} must be a whole number, at least {least}")
    return value


def _comparison(value: Any) -> str:
    """The symbol for a symbol or one of AWS's four threshold names."""
    symbol = AWS_COMPARISONS.get(value, value)
    if symbol in COMPARISONS:
        return symbol
    if value in semantics.UNSUPPORTED_COMPARISONS:
        raise AlarmError("comparison", f"{value} needs an anomaly-detection band, which is not evaluated offline")
    raise AlarmError("comparison", f"{value!r} is unknown; allowed: {', '.join([*COMPARISONS, *AWS_COMPARISONS])}")


def _threshold(value: Any) -> float:
    """A finite number (PutMetricAlarm's Threshold is a double)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        raise AlarmError("threshold", f"{value!r} must be a finite number")
    return float(value)


def _choice(field: str, value: Any, allowed: tuple[str, ...]) -> None:
    """One of AWS's spellings, case-sensitive as the API is."""
    if value not in allowed:
        raise AlarmError(field, f"{value!r} is unknown; allowed: {', '.join(allowed)}")
