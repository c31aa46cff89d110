"""What a metric filter is, as data: the spec both sides of the plan are compared in.

Pure: the config in, PutMetricFilter's parameters out, and DescribeMetricFilters' items
projected back onto the same shape (CloudWatch Logs API reference, PutMetricFilter).
"""

from __future__ import annotations

from monitor.config.model import Config, Filter
from monitor.config.walk import Place
from monitor.insights import DIMENSIONS, PERFORMANCE_METRICS
from monitor.names import identity
from monitor.names.identity import Identity

KIND = "metric_filter"


def publishes(config: Config, place: Place, item: Filter) -> dict:
    """The metric a container's filter publishes: in the container's own namespace by default."""
    return transformation(item.metric, metric_namespace(config, place, item), item.value or "1",
                          item.unit, item.default, item.dimensions or {})


def metric_namespace(config: Config, place: Place, item: Filter) -> str:
    """The filter's own `namespace` as written; the config's for a `shared` metric; else the container's."""
    if item.namespace:
        return item.namespace
    if item.shared:
        return config.namespace
    owner = Identity(place.cluster.name, place.service.name, place.container.name)
    return identity.namespace(config.namespace, owner)


def performance_metric(config: Config, field: str) -> dict:
    """Named like enhanced mode's native metrics (ContainerCpuUtilized, ...), one per container by dimensions."""
    return transformation(f"Container{field}", config.namespace, f"$.{field}", PERFORMANCE_METRICS[field],
                          None, DIMENSIONS)


def transformation(metric: str, namespace: str, value: str, unit: str | None,
                   default: float | None, dimensions: dict[str, str]) -> dict:
    """The one metricTransformations entry, in the normal form both sides are compared in."""
    result = {"metricName": metric, "metricNamespace": namespace, "metricValue": value}
    if default is not None:
        result["defaultValue"] = float(default)
    if dimensions:
        result["dimensions"] = dict(dimensions)
    if unit and unit != "None":   # AWS stores an omitted unit as None
        result["unit"] = unit
    return result


def make_spec(group: str, name: str, pattern: str, metric: dict) -> dict:
    return {"logGroupName": group, "filterName": name, "filterPattern": pattern,
            "metricTransformations": [metric]}


def to_spec(item: dict) -> dict:
    """A DescribeMetricFilters item projected onto the fields we manage, defaults filled."""
    metric = item["metricTransformations"][0]
    return make_spec(item["logGroupName"], item["filterName"], item.get("filterPattern", ""),
                     transformation(metric["metricName"], metric["metricNamespace"], metric["metricValue"],
                                    metric.get("unit"), metric.get("defaultValue"), metric.get("dimensions") or {}))
