"""Prometheus naming rules for a derived metric's name (derived metrics are gauges).

Sources:
- the data model, https://prometheus.io/docs/concepts/data_model/ : metric names match
  [a-zA-Z_:][a-zA-Z0-9_:]*, and "the colons are reserved for user defined recording rules";
  names beginning with "__" are reserved for Prometheus's internal use;
- the naming practices, https://prometheus.io/docs/practices/naming/ : base units (seconds,
  bytes, and ratio for a percentage, with values 0..1), and "_total" for an accumulating count,
  i.e. a counter;
- OpenMetrics, https://github.com/prometheus/OpenMetrics/blob/main/specification/OpenMetrics.md :
  the suffixes a histogram, summary or info metric adds to its family name.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from monitor import quotas
from monitor.expressions.syntax import Binary, Expr, Issue, names
from monitor.problems import ERROR, WARNING, Check

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAMES = ("ecs_cluster", "ecs_service", "container")   # the labels the exporter puts on its series
TYPED_SUFFIXES = ("_count", "_sum", "_bucket", "_created", "_info")
DATA_MODEL_DOC = "https://prometheus.io/docs/concepts/data_model/"
NOT_A_NAME = Check("EXP-012", ERROR, "a derived name that is not a Prometheus metric name", source=DATA_MODEL_DOC)
RESERVED = Check("EXP-013", ERROR, "a derived name starting with '__' (Prometheus's own)", source=DATA_MODEL_DOC)
TAKEN = Check("EXP-014", ERROR, "a derived name the exporter gives a label or metric of its own")
COLON = Check("EXP-015", WARNING, "a colon in a derived name (reserved for recording rules)", source=DATA_MODEL_DOC)
TOTAL = Check("EXP-016", ERROR, "a derived gauge named '_total' like a counter", source=quotas.PROMETHEUS_NAMING_DOC)
TYPED_SUFFIX = Check("EXP-017", WARNING, "a derived gauge named like a histogram, summary or info series",
                     source="https://github.com/prometheus/OpenMetrics/blob/main/specification/OpenMetrics.md")
BASE_UNIT = Check("EXP-018", WARNING, "a derived name without base units", source=quotas.PROMETHEUS_NAMING_DOC)
RATIO = Check("EXP-019", WARNING, "a derived ratio not named '_ratio'", source=quotas.PROMETHEUS_NAMING_DOC)
CHECKS = (NOT_A_NAME, RESERVED, TAKEN, COLON, TOTAL, TYPED_SUFFIX, BASE_UNIT, RATIO)
BASE_UNITS = {
    "milliseconds": "seconds", "microseconds": "seconds", "nanoseconds": "seconds",
    "minutes": "seconds", "hours": "seconds", "days": "seconds",
    "kilobytes": "bytes", "megabytes": "bytes", "gigabytes": "bytes",
    "kibibytes": "bytes", "mebibytes": "bytes", "gibibytes": "bytes", "bits": "bytes",
    "percent": "ratio", "percentage": "ratio",
}


def name_issues(name: str, expr: Expr | None = None, taken: Collection[str] = LABEL_NAMES) -> list[Issue]:
    """What is wrong with `name` for a gauge computed by `expr`. Errors: not a metric name, a
    reserved "__" prefix, a name in `taken` (the exporter's label names by default; pass its own
    metric names too), "_total". Warnings: a colon, a non-base unit, a histogram/summary/info
    suffix, a division of metrics not named "_ratio". Issues have no column."""
    if not METRIC_NAME.fullmatch(name):
        return [Issue(f"'{name}' is not a valid Prometheus metric name: it must match "
                      f"{METRIC_NAME.pattern}", check=NOT_A_NAME)]
    return _reserved(name, taken) + _suffixes(name) + _units(name) + _ratio(name, expr)


def _reserved(name: str, taken: Collection[str]) -> list[Issue]:
    issues = []
    if name.startswith("__"):
        issues.append(Issue(f"'{name}': names starting with '__' are reserved for Prometheus's internal use", check=RESERVED))
    if name in taken:
        issues.append(Issue(f"'{name}' is already the name of one of the exporter's labels or metrics", check=TAKEN))
    if ":" in name:
        issues.append(Issue(f"'{name}': colons are reserved for recording rules; use '_'", check=COLON))
    return issues


def _suffixes(name: str) -> list[Issue]:
    if name.endswith("_total"):
        return [Issue(f"'{name}': '_total' is for counters, and a derived metric is a gauge", check=TOTAL)]
    suffix = next((s for s in TYPED_SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return []
    return [Issue(f"'{name}': '{suffix}' is a suffix of histogram, summary and info series, "
                  "which makes a gauge look like one", check=TYPED_SUFFIX)]


def _units(name: str) -> list[Issue]:
    return [Issue(f"'{name}': use base units, '{BASE_UNITS[word]}' rather than '{word}'", check=BASE_UNIT)
            for word in name.lower().split("_") if word in BASE_UNITS]


def _ratio(name: str, expr: Expr | None) -> list[Issue]:
    """A metric divided by a metric is a ratio; a division by a number is a unit conversion."""
    is_ratio = isinstance(expr, Binary) and expr.operator == "/" and names(expr.right) and names(expr.left)
    if not is_ratio or name.endswith("_ratio"):
        return []
    return [Issue(f"'{name}': the expression divides one metric by another; a ratio's name ends in "
                  "'_ratio' (and its values are 0..1)", check=RATIO)]
