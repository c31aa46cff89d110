"""What a metric alarm is, as data: the spec both sides of the plan are compared in.

Pure: a container's `alarms:` entry in, PutMetricAlarm's parameters out, and DescribeAlarms'
items projected back onto the same shape (CloudWatch API reference, PutMetricAlarm and
DescribeAlarms). DescribeAlarms always returns OKActions, AlarmActions, InsufficientDataActions,
Dimensions ([] when unset) and ActionsEnabled, Threshold as a double, omits keys never sent, and
promises no order of dimensions (recorded real DescribeAlarms answers, as in botocore's and
moto's test fixtures); so both sides always
carry every key we manage, with DatapointsToAlarm and TreatMissingData filled with AWS's
defaults (N and `missing`), and dimensions sorted.

A metric-math alarm carries `Metrics` instead of the metric keys (PutMetricAlarm: "If you use the
Metrics parameter, you cannot include the Namespace, MetricName, Dimensions, Period, Unit,
Statistic, or ExtendedStatistic parameters"). In the spec `Metrics` is a mapping from each query's
Id to the rest of it, as Tags is a mapping: the plan then names a changed field
`Metrics.e1.Expression`, and the order of the queries, which means nothing to CloudWatch, never
shows as a change. Every query carries ReturnData: we always send it, true on one query and false on
the rest, and a query read back without it has the default the API gives it, true
(MetricDataQuery, ReturnData: "If you omit this, the default of true is used"). A query's
dimensions are sorted, and [] when it has none, as the alarm's are.

`Unit` (StandardUnit) and `EvaluateLowSampleCountPercentile` (`evaluate` | `ignore`) are sent only
when the config sets them, and are managed keys: absent in the config means absent in AWS, so one
added by hand shows as an update that removes it (PutMetricAlarm replaces the whole alarm, so the
update does). ActionsEnabled is the config's `actions_enabled`, true by default (PutMetricAlarm:
"The default is TRUE").

An anomaly-detection alarm is a metric-math alarm whose `ThresholdMetricId` names the query
`ANOMALY_DETECTION_BAND(m1, N)`; it has no Threshold, and both the band and the metric it is drawn
around return data, as AWS's own examples send them (CloudWatch User Guide, "Create a CloudWatch
alarm based on anomaly detection"; PutMetricAlarm Threshold: "This parameter is required for alarms
based on static thresholds, but should not be used for alarms based on anomaly detection models").
DescribeAlarms returns ThresholdMetricId and no
Threshold, so the spec carries neither key that the other kind has. A Metrics Insights query
(`SELECT ...`) is an expression with a Period of its own (MetricDataQuery Period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from monitor.config import edges
from monitor.config.model import BAND_COMPARISONS, Alarm, Config, Filter, MetricQuery
from monitor.config.walk import Place
from monitor.insights import PERFORMANCE_METRICS
from monitor.kinds.filter_spec import metric_namespace
from monitor.names import ownership

KIND = "alarm"
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")   # PutMetricAlarm Statistic enum
COMPARISONS = {">": "GreaterThanThreshold", ">=": "GreaterThanOrEqualToThreshold",
               "<": "LessThanThreshold", "<=": "LessThanOrEqualToThreshold"}
INSIGHTS = "ECS/ContainerInsights"
# Namespaces whose metrics are per service: ClusterName and ServiceName unless `dimensions` says otherwise.
SERVICE_NAMESPACES = (INSIGHTS, "AWS/ECS")
ACTION_KEYS = {"actions": "AlarmActions", "ok_actions": "OKActions",
               "insufficient_data_actions": "InsufficientDataActions"}
# The PutMetricAlarm keys we manage: anything else DescribeAlarms returns is dropped before comparing.
COMMON = ("AlarmName", "AlarmDescription", "ActionsEnabled", *ACTION_KEYS.values(), "EvaluationPeriods",
          "DatapointsToAlarm", "Threshold", "ThresholdMetricId", "ComparisonOperator", "TreatMissingData",
          "EvaluateLowSampleCountPercentile")
SINGLE = ("MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit")
MANAGED = COMMON + SINGLE + ("Metrics",)
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


def comparison_operator(comparison: str) -> str:
    """`>` -> GreaterThanThreshold; the band comparisons are their own names."""
    return COMPARISONS.get(comparison, comparison)


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


def make(config: Config, place: Place, alarm: Alarm, tags: dict[str, str]) -> tuple[dict, str | None] | None:
    """The spec of a metric or metric-math alarm and the Region it is made in (None: the config's),
    or None when the entry cannot make one: validation says why."""
    anomaly = alarm.threshold_metric_id is not None
    if (isinstance(alarm.threshold, str) or (alarm.threshold is None) != anomaly or alarm.comparison is None
            or anomaly and (alarm.comparison not in BAND_COMPARISONS or alarm.metrics is None)):
        return None
    name = alarm_name(config, place, alarm)
    if alarm.metrics is None:
        metric = resolve(config, place, alarm) if alarm.metric is not None else None
        if not isinstance(metric, Metric):
            return None
        return make_spec(name, metric, alarm, tags), metric.region
    queries = math_metrics(config, place, alarm)
    returning = returning_ids(alarm)
    regions = {metric.region for metric in queries.values() if isinstance(metric, Metric)}
    if (not returning or len(regions) > 1 or len(queries) != len(alarm.metrics)
            or any(isinstance(metric, NoMetric) for metric in queries.values())):
        return None
    spec = _common(name, alarm, tags)
    spec["Metrics"] = {query.id: _query(query, queries[query.id], query.id in returning) for query in alarm.metrics}
    return spec, next(iter(regions), None)


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


def _query(query: MetricQuery, metric: Metric | None, returns: bool) -> dict:
    """One MetricDataQuery, without its Id (the key it is under)."""
    body: dict = {"ReturnData": returns}
    if metric is None:
        body["Expression"] = query.expression
        if insights_query(query.expression):
            body["Period"] = query.period
    else:
        body["MetricStat"] = {"Metric": {"Namespace": metric.namespace, "MetricName": metric.name,
                                         "Dimensions": _dimension_list(metric.dimensions)},
                              "Period": query.period, "Stat": query.stat}
        if query.unit is not None:
            body["MetricStat"]["Unit"] = query.unit
    if query.label is not None:
        body["Label"] = query.label
    return body


def _common(name: str, alarm: Alarm, tags: dict[str, str]) -> dict:
    """What every metric alarm sends, on one metric or on metric math."""
    spec = {"AlarmName": name, "ActionsEnabled": alarm.actions_enabled, "EvaluationPeriods": alarm.evaluation_periods,
            "DatapointsToAlarm": alarm.datapoints_to_alarm or alarm.evaluation_periods,
            "ComparisonOperator": comparison_operator(alarm.comparison),
            "TreatMissingData": alarm.treat_missing_data, "Tags": dict(sorted(tags.items())),
            **{key: list(getattr(alarm, field)) for field, key in ACTION_KEYS.items()}}
    if alarm.threshold_metric_id is None:
        spec["Threshold"] = float(alarm.threshold)
    else:
        spec["ThresholdMetricId"] = alarm.threshold_metric_id
    if alarm.description:
        spec["AlarmDescription"] = alarm.description
    if alarm.evaluate_low_sample_count_percentiles is not None:
        spec["EvaluateLowSampleCountPercentile"] = alarm.evaluate_low_sample_count_percentiles
    return spec


def _dimension_list(dimensions: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"Name": key, "Value": value} for key, value in dimensions]


def make_spec(name: str, metric: Metric, alarm: Alarm, tags: dict[str, str]) -> dict:
    """PutMetricAlarm's parameters (Tags as a mapping) in the normal form."""
    spec = {**_common(name, alarm, tags), "MetricName": metric.name, "Namespace": metric.namespace,
            "Dimensions": _dimension_list(metric.dimensions), "Period": alarm.period, **statistic(alarm.stat)}
    if alarm.unit is not None:
        spec["Unit"] = alarm.unit
    return spec


def statistic(stat: str) -> dict[str, str]:
    """A plain statistic is `Statistic`; a percentile (p99, p99.9) is `ExtendedStatistic`."""
    return {"Statistic": stat} if stat in STATISTICS else {"ExtendedStatistic": stat}


def to_spec(item: dict, tags: dict[str, str]) -> dict:
    """A DescribeAlarms item projected onto the keys we manage, AWS's defaults filled, dimensions sorted."""
    math = bool(item.get("Metrics"))
    spec = {key: item[key] for key in (COMMON if math else COMMON + SINGLE) if key in item}
    if math:
        spec["Metrics"] = {query["Id"]: _query_spec(query) for query in item["Metrics"]}
    else:
        spec["Dimensions"] = _sorted_list(item.get("Dimensions", []))
    if "ThresholdMetricId" not in item:
        spec["Threshold"] = float(item["Threshold"])
    else:
        spec.pop("Threshold", None)   # an anomaly-detection alarm has none
    spec.setdefault("DatapointsToAlarm", item["EvaluationPeriods"])
    spec.setdefault("TreatMissingData", "missing")
    spec["ActionsEnabled"] = item.get("ActionsEnabled", True)
    for key in ACTION_KEYS.values():
        spec[key] = list(item.get(key, []))
    spec["Tags"] = dict(sorted(tags.items()))
    return spec


def _query_spec(query: dict) -> dict:
    """A MetricDataQuery read back, on the keys we send: ReturnData filled, dimensions sorted."""
    body: dict = {"ReturnData": query.get("ReturnData", True)}
    if "Expression" in query:
        body["Expression"] = query["Expression"]
        if "Period" in query:
            body["Period"] = query["Period"]
    if "MetricStat" in query:
        stat, metric = query["MetricStat"], query["MetricStat"].get("Metric", {})
        body["MetricStat"] = {"Metric": {"Namespace": metric.get("Namespace"), "MetricName": metric.get("MetricName"),
                                         "Dimensions": _sorted_list(metric.get("Dimensions", []))},
                              "Period": stat.get("Period"), "Stat": stat.get("Stat")}
        if "Unit" in stat:
            body["MetricStat"]["Unit"] = stat["Unit"]
    if "Label" in query:
        body["Label"] = query["Label"]
    return body


def _sorted_list(dimensions: list[dict]) -> list[dict]:
    return sorted(dimensions, key=lambda d: (d["Name"], d["Value"]))


def put_parameters(spec: dict, with_tags: bool) -> dict:
    """What PutMetricAlarm takes: Metrics and Tags as lists, Tags only on create (AWS ignores them on update)."""
    params = {key: value for key, value in spec.items() if key != "Tags"}
    if "Metrics" in spec:
        params["Metrics"] = [{"Id": query, **body} for query, body in spec["Metrics"].items()]
    if with_tags and spec["Tags"]:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in spec["Tags"].items()]
    return params
