"""The metric each alarm watches, resolved from the config: a filter's, a performance metric, or
one named by `namespace`. Pure: no AWS.

An alarm is named `<prefix>/<cluster>/<service>/<container>/<alarm>` (monitor/names/ownership.py).
Its metric is a filter's metric in the container's namespace and its log group's Region (CloudWatch
Logs publishes a metric filter's metric in the log group's Region, and an alarm sees only its own
Region's metrics); a Container Insights performance metric (`MemoryUtilized` ->
ContainerMemoryUtilized, native on an enhanced cluster, else from the performance filters); or an
AWS metric, per service in `AWS/ECS` and `ECS/ContainerInsights`, per target group or queue in
`AWS/ApplicationELB` and `AWS/SQS` (monitor/config/edges.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from monitor.config import edges
from monitor.config.model import Alarm, Config, Filter, MetricQuery
from monitor.config.walk import Place
from monitor.insights import PERFORMANCE_METRICS
from monitor.names import ownership
from monitor.resolved.publishing import metric_namespace

INSIGHTS = "ECS/ContainerInsights"


# Namespaces whose metrics are per service: ClusterName and ServiceName unless `dimensions` says otherwise.
SERVICE_NAMESPACES = (INSIGHTS, "AWS/ECS")


# ANOMALY_DETECTION_BAND(m1) or ANOMALY_DETECTION_BAND(m1, 2): the band, N standard deviations wide
# (CloudWatch User Guide, Metric math functions).
BAND = re.compile(r"\s*ANOMALY_DETECTION_BAND\s*\(\s*(?P<id>[A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*(?P<width>[^)]*?)\s*)?\)\s*")


def band_of(expression: str | None) -> str | None:
    """The id an `ANOMALY_DETECTION_BAND(m1, 2)` expression draws its band around; None for any other."""
    match = BAND.fullmatch(expression or "")
    return match.group("id") if match else None


def insights_query(expression: str | None) -> bool:
    """A Metrics Insights query (`SELECT ...`): it needs a Period of its own (MetricDataQuery Period)."""
    return (expression or "").lstrip().upper().startswith("SELECT")


@dataclass(frozen=True)
class Metric:
    """The metric an alarm watches, and the Region it is published in (None: the config's own)."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    region: str | None = None


@dataclass(frozen=True)
class NoMetric:
    """Why an entry names no metric: the message, and the entry's key it is about."""

    key: str
    message: str


Source = Alarm | MetricQuery   # what names a metric: an alarm's `metric`, or a `metrics:` entry's


def alarm_name(config: Config, place: Place, alarm: Alarm) -> str:
    """`<prefix>/<cluster>/<service>/<container>/<alarm>`: the ownership rule's shape."""
    return ownership.filter_name(config.prefix, place.cluster.name, place.service.name, place.container.name,
                                 alarm.name)


def performance_field(metric: str) -> str | None:
    """`MemoryUtilized` or `ContainerMemoryUtilized` -> `MemoryUtilized`; None for other names."""
    field = metric.removeprefix("Container")
    return field if field in PERFORMANCE_METRICS else None


def resolve(config: Config, place: Place, source: Source) -> Metric | NoMetric:
    """The metric an alarm or a `metrics:` entry names, or why there is none: a filter's, a
    performance metric, or one named by `namespace` (AWS's, or any other). A metric-math or
    composite alarm names none of its own. Resolved once per config and place (Config.once)."""
    given = None if source.dimensions is None else tuple(sorted(source.dimensions.items()))
    key = ("metric", place.path, place.container.name, source.metric, source.namespace, given)
    return config.once(key, lambda: _resolve(config, place, source))


def _resolve(config: Config, place: Place, source: Source) -> Metric | NoMetric:
    if source.metric is None:
        return NoMetric("metric", "it watches no metric of its own (metric math, or a composite alarm)")
    if source.namespace is not None:
        return Metric(source.namespace, source.metric, _sorted(_aws_dimensions(config, place, source)))
    for item in place.container.filters:
        if item.metric == source.metric:
            return _filter_metric(config, place, item, source)
    field = performance_field(source.metric)
    found = container_metric(config, place, field) if field is not None else None
    if found is not None and source.dimensions:
        return NoMetric("dimensions", f"metric '{source.metric}' has the dimensions ClusterName, ServiceName and "
                                      "ContainerName, which ecs-monitor sets: give no 'dimensions'")
    return found or _unknown(place, source)


def container_metric(config: Config, place: Place, field: str) -> Metric | None:
    """A container's performance metric (`MemoryUtilized`): on an enhanced cluster the native one
    (ECS/ContainerInsights), else the performance filter's when the container asks for it; else None."""
    if place.cluster.container_insights == "enhanced" or field in place.container.performance_metrics:
        namespace = INSIGHTS if place.cluster.container_insights == "enhanced" else config.namespace
        return Metric(namespace, f"Container{field}", _sorted(_container_dimensions(place)))
    return None


def _filter_metric(config: Config, place: Place, item: Filter, source: Source) -> Metric | NoMetric:
    """A filter's metric, in the Region its log group is in: CloudWatch Logs publishes a metric
    filter's metric in the log group's Region, and an alarm sees only its own Region's metrics.

    A filter with dimensions publishes one metric per combination of their values (PutMetricFilter,
    `dimensions`; a metric's dimensions are part of its identity), so the alarm names one combination:
    a value for each of the filter's dimension names, and no other name.
    """
    metric = Metric(metric_namespace(config, place, item), item.metric, region=place.container.log_region)
    names = sorted(item.dimensions or {})
    given = source.dimensions
    if not names and given:
        return NoMetric("dimensions", f"metric '{source.metric}' of filter '{item.name}' has no dimensions: "
                                      "give no 'dimensions'")
    if names and (given is None or sorted(given) != names):
        expected = ", ".join(names)
        got = f"; got {', '.join(sorted(given)) or 'none'}" if given is not None else ""
        return NoMetric("dimensions" if given is not None else "metric",
                        f"metric '{source.metric}' has the dimensions {expected} (filter '{item.name}'), one "
                        f"CloudWatch metric per combination of values: give 'dimensions' a value for each of "
                        f"{expected}{got}")
    return replace(metric, dimensions=_sorted(given or {}))


def _aws_dimensions(config: Config, place: Place, source: Source) -> dict[str, str]:
    """Given ones; else the service's own: per service in ECS, its target group or queue (monitor/config/edges.py)."""
    if source.dimensions is not None:
        return source.dimensions
    if source.namespace in SERVICE_NAMESPACES:
        return {"ClusterName": place.cluster.name, "ServiceName": place.service.name}
    return edges.dimensions(config, place.cluster.name, place.service, source.namespace) or {}


def _container_dimensions(place: Place) -> dict[str, str]:
    """As the performance filters publish them, and as enhanced mode's native metrics carry them."""
    return {"ClusterName": place.cluster.name, "ServiceName": place.service.name,
            "ContainerName": place.container.name}


def _unknown(place: Place, source: Source) -> NoMetric:
    made = [item.metric for item in place.container.filters if item.metric]
    made += [f"Container{field}" for field in place.container.performance_metrics]
    known = ", ".join(made) if made else "none"
    return NoMetric("metric", f"no metric '{source.metric}' in container '{place.container.name}' (its metrics: "
                              f"{known}); for an AWS metric give its 'namespace' (AWS/... or ECS/ContainerInsights)")


def _sorted(dimensions: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(dimensions.items()))


def returning_ids(alarm: Alarm) -> tuple[str, ...]:
    """The ids of the queries that return data: the one `returned` names; for an anomaly-detection
    alarm the band and the metric it is drawn around. Empty when that is not well defined."""
    queries = alarm.metrics or []
    if alarm.threshold_metric_id is None:
        one = returned(queries)
        return (one,) if one else ()
    by_id = {query.id: query for query in queries}
    band = by_id.get(alarm.threshold_metric_id)
    around = band_of(band.expression) if band is not None else None
    if around is None or around not in by_id:
        return ()
    return (band.id, around)


def math_metrics(config: Config, place: Place, alarm: Alarm) -> dict[str, Metric | NoMetric | None]:
    """Each `metrics:` entry's metric by id (None for an expression); a repeated id keeps its first."""
    found: dict[str, Metric | NoMetric | None] = {}
    for query in alarm.metrics or []:
        if query.id not in found:
            found[query.id] = None if query.expression is not None or query.metric is None else \
                resolve(config, place, query)
    return found


def returned(queries: list[MetricQuery]) -> str | None:
    """The id of the query whose result the alarm watches, or None when that is not one query.

    The one entry with `return_data: true`; when no entry sets it, the one expression, or, with no
    expression, the one metric (PutMetricAlarm needs exactly one query with ReturnData true:
    "specify true for the one expression result to use as the alarm").
    """
    chosen = [query.id for query in queries if query.return_data]
    if chosen:
        return chosen[0] if len(chosen) == 1 else None
    open_ = [query for query in queries if query.return_data is None]   # false: not this one
    expressions = [query.id for query in open_ if query.expression is not None]
    if expressions:
        return expressions[0] if len(expressions) == 1 else None
    return open_[0].id if len(open_) == 1 else None
