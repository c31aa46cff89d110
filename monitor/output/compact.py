"""One line per created or deleted resource, with the fields a reviewer looks for first. Pure.

`+ create alarm monitor/web/api/app/errors-high  Errors Sum > 5 (3 of 5 x 60s)`: a plan of a few
hundred resources stays a few hundred lines; the field diffs of updates are shown in full elsewhere
(monitor.output.plan), and `--verbose` lists every field of a create.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from monitor.state.plan import Change

SYMBOLS = {"create": "+", "update": "~", "delete": "-"}
WIDTH = 100   # a key field longer than this is cut, with an ellipsis
COMPARISONS = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<",
               "LessThanOrEqualToThreshold": "<=", "LessThanLowerOrGreaterThanUpperThreshold": "outside band",
               "LessThanLowerThreshold": "below band", "GreaterThanUpperThreshold": "above band"}


def compact_line(change: Change) -> str:
    """`<symbol> <action> <kind> <id>`, and for a create the key fields of what it makes."""
    head = f"{SYMBOLS[change.action]} {change.action} {change.kind} {change.id}"
    if change.action != "create" or not change.after:
        return head
    key = KEYS.get(change.kind, _fields)(change.after)
    return f"{head}  {_cut(key)}" if key else head


def _cut(text: str) -> str:
    return text if len(text) <= WIDTH else text[:WIDTH - 3] + "..."


def _metric_filter(spec: dict) -> str:
    """`Errors = 1 in Custom/ECS/web/api/app on "ERROR"`: the metric first, the pattern (often long) last."""
    metric = (spec.get("metricTransformations") or [{}])[0]
    return (f"{metric.get('metricName')} = {metric.get('metricValue')} in {metric.get('metricNamespace')} "
            f"on {json.dumps(spec.get('filterPattern', ''))}")


def _alarm(spec: dict) -> str:
    """`Errors Sum > 5 (3 of 5 x 60s)`, or `metric math > 5 (...)`."""
    metric = spec.get("MetricName") or ("metric math" if spec.get("Metrics") else "?")
    stat = spec.get("Statistic") or spec.get("ExtendedStatistic") or ""
    comparison = COMPARISONS.get(spec.get("ComparisonOperator", ""), spec.get("ComparisonOperator", ""))
    threshold = spec.get("Threshold", spec.get("ThresholdMetricId", ""))
    evaluated = spec.get("EvaluationPeriods")
    period = f" x {spec['Period']}s" if spec.get("Period") else ""
    window = f" ({spec.get('DatapointsToAlarm') or evaluated} of {evaluated}{period})" if evaluated else ""
    return " ".join(part for part in (metric, stat, comparison, str(threshold)) if part) + window


def _composite(spec: dict) -> str:
    return str(spec.get("AlarmRule", ""))


def _dashboard(spec: dict) -> str:
    return f"{len(spec.get('widgets') or [])} widgets"


def _log_group(spec: dict) -> str:
    retention = spec.get("retentionInDays")
    return f"retention {retention} days" if retention else ""


def _fields(spec: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in spec.items() if not isinstance(value, (dict, list)))


KEYS: dict[str, Callable[[dict], str]] = {"metric_filter": _metric_filter, "alarm": _alarm,
                                          "composite_alarm": _composite, "dashboard": _dashboard,
                                          "log_group": _log_group}
