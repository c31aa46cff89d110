"""What each filter publishes: its metric's name, namespace, value, unit and dimensions. Pure.

A filter's metric is in the container's own namespace unless it says otherwise, or in the config's
for a `shared` metric (monitor/names/identity.py); the performance filters publish the Container
Insights fields as enhanced mode's native metrics are named (ContainerCpuUtilized, ...), one per
container by dimensions (PutMetricFilter, metricTransformations, CloudWatch Logs API reference).
"""

from __future__ import annotations

from monitor.config.model import Config, Filter
from monitor.config.walk import Place
from monitor.insights import DIMENSIONS, PERFORMANCE_METRICS
from monitor.names import identity
from monitor.names.identity import Identity


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
