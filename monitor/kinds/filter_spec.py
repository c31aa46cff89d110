"""What a metric filter is, as data: the spec both sides of the plan are compared in.

Pure: the config in, PutMetricFilter's parameters out, and DescribeMetricFilters' items
projected back onto the same shape (CloudWatch Logs API reference, PutMetricFilter).
"""

from __future__ import annotations

from monitor.resolved.publishing import transformation

KIND = "metric_filter"


def make_spec(group: str, name: str, pattern: str, metric: dict) -> dict:
    return {"logGroupName": group, "filterName": name, "filterPattern": pattern,
            "metricTransformations": [metric]}


def to_spec(item: dict) -> dict:
    """A DescribeMetricFilters item projected onto the fields we manage, defaults filled."""
    metric = item["metricTransformations"][0]
    return make_spec(item["logGroupName"], item["filterName"], item.get("filterPattern", ""),
                     transformation(metric["metricName"], metric["metricNamespace"], metric["metricValue"],
                                    metric.get("unit"), metric.get("defaultValue"), metric.get("dimensions") or {}))
