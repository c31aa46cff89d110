"""What a metric alarm is, as data: the spec both sides of the plan are compared in.

Pure: a container's `alarms:` entry in, PutMetricAlarm's parameters out, and DescribeAlarms'
items projected back onto the same shape (CloudWatch API reference, PutMetricAlarm and
DescribeAlarms). DescribeAlarms always returns OKActions, AlarmActions, InsufficientDataActions,
Dimensions ([] when unset) and ActionsEnabled, Threshold as a double, omits keys never sent, and
promises no order of dimensions (recorded real DescribeAlarms answers, as in botocore's and
moto's test fixtures); so both sides always
carry every key we manage, with DatapointsToAlarm and TreatMissingData filled with AWS's
defaults (N and `missing`), and dimensions sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.model import Alarm, Config
from monitor.config.walk import Place
from monitor.insights import PERFORMANCE_METRICS
from monitor.kinds.filter_spec import metric_namespace
from monitor.sync import ownership

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
MANAGED = ("AlarmName", "AlarmDescription", "ActionsEnabled", *ACTION_KEYS.values(), "MetricName", "Namespace",
           "Statistic", "ExtendedStatistic", "Dimensions", "Period", "EvaluationPeriods", "DatapointsToAlarm",
           "Threshold", "ComparisonOperator", "TreatMissingData")


@dataclass(frozen=True)
class Metric:
    """The metric an alarm watches."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...] = ()


def alarm_name(config: Config, place: Place, alarm: Alarm) -> str:
    """`<prefix>/<cluster>/<service>/<container>/<alarm>`: the ownership rule's shape."""
    return ownership.filter_name(config.prefix, place.cluster.name, place.service.name, place.container.name,
                                 alarm.name)


def performance_field(metric: str) -> str | None:
    """`MemoryUtilized` or `ContainerMemoryUtilized` -> `MemoryUtilized`; None for other names."""
    field = metric.removeprefix("Container")
    return field if field in PERFORMANCE_METRICS else None


def resolve(config: Config, place: Place, alarm: Alarm) -> Metric | str:
    """The metric the alarm watches, or why there is none: a filter's, a performance metric, or AWS's."""
    if alarm.namespace is not None:
        return Metric(alarm.namespace, alarm.metric, _sorted(_aws_dimensions(place, alarm)))
    for item in place.container.filters:
        if item.metric == alarm.metric and item.dimensions:
            return (f"metric '{alarm.metric}' has dimensions from its filter '{item.name}'; "
                    "alarms on filter metrics with dimensions are not supported yet")
        if item.metric == alarm.metric and place.container.log_region:
            return (f"metric '{alarm.metric}' is published in {place.container.log_region}, where the container's "
                    "log group is; alarms are made in the config's Region, and one there would never see it: "
                    "alarms on metrics of another Region are not supported yet")
        if item.metric == alarm.metric:
            return Metric(metric_namespace(config, place, item), item.metric)
    field = performance_field(alarm.metric)
    found = container_metric(config, place, field) if field is not None else None
    return found or _unknown(place, alarm)


def container_metric(config: Config, place: Place, field: str) -> Metric | None:
    """A container's performance metric (`MemoryUtilized`): on an enhanced cluster the native one
    (ECS/ContainerInsights), else the performance filter's when the container asks for it; else None."""
    if place.cluster.container_insights == "enhanced" or field in place.container.performance_metrics:
        namespace = INSIGHTS if place.cluster.container_insights == "enhanced" else config.namespace
        return Metric(namespace, f"Container{field}", _sorted(_container_dimensions(place)))
    return None


def _aws_dimensions(place: Place, alarm: Alarm) -> dict[str, str]:
    if alarm.dimensions is not None:
        return alarm.dimensions
    if alarm.namespace in SERVICE_NAMESPACES:
        return {"ClusterName": place.cluster.name, "ServiceName": place.service.name}
    return {}


def _container_dimensions(place: Place) -> dict[str, str]:
    """As the performance filters publish them, and as enhanced mode's native metrics carry them."""
    return {"ClusterName": place.cluster.name, "ServiceName": place.service.name,
            "ContainerName": place.container.name}


def _unknown(place: Place, alarm: Alarm) -> str:
    made = [item.metric for item in place.container.filters if item.metric]
    made += [f"Container{field}" for field in place.container.performance_metrics]
    known = ", ".join(made) if made else "none"
    return (f"no metric '{alarm.metric}' in container '{place.container.name}' (its metrics: {known}); "
            "for an AWS metric give its 'namespace' (AWS/... or ECS/ContainerInsights)")


def _sorted(dimensions: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(dimensions.items()))


def make_spec(name: str, metric: Metric, alarm: Alarm, tags: dict[str, str]) -> dict:
    """PutMetricAlarm's parameters (Tags as a mapping) in the normal form."""
    spec = {"AlarmName": name, "ActionsEnabled": True, "MetricName": metric.name, "Namespace": metric.namespace,
            "Dimensions": [{"Name": key, "Value": value} for key, value in metric.dimensions],
            "Period": alarm.period, "EvaluationPeriods": alarm.evaluation_periods,
            "DatapointsToAlarm": alarm.datapoints_to_alarm or alarm.evaluation_periods,
            "Threshold": float(alarm.threshold), "ComparisonOperator": COMPARISONS[alarm.comparison],
            "TreatMissingData": alarm.treat_missing_data, "Tags": dict(sorted(tags.items())),
            **{key: list(getattr(alarm, field)) for field, key in ACTION_KEYS.items()},
            **statistic(alarm.stat)}
    if alarm.description:
        spec["AlarmDescription"] = alarm.description
    return spec


def statistic(stat: str) -> dict[str, str]:
    """A plain statistic is `Statistic`; a percentile (p99, p99.9) is `ExtendedStatistic`."""
    return {"Statistic": stat} if stat in STATISTICS else {"ExtendedStatistic": stat}


def to_spec(item: dict, tags: dict[str, str]) -> dict:
    """A DescribeAlarms item projected onto the keys we manage, AWS's defaults filled, dimensions sorted."""
    spec = {key: item[key] for key in MANAGED if key in item}
    spec["Dimensions"] = sorted(item.get("Dimensions", []), key=lambda d: (d["Name"], d["Value"]))
    spec["Threshold"] = float(item["Threshold"])
    spec.setdefault("DatapointsToAlarm", item["EvaluationPeriods"])
    spec.setdefault("TreatMissingData", "missing")
    spec["ActionsEnabled"] = item.get("ActionsEnabled", True)
    for key in ACTION_KEYS.values():
        spec[key] = list(item.get(key, []))
    spec["Tags"] = dict(sorted(tags.items()))
    return spec


def put_parameters(spec: dict, with_tags: bool) -> dict:
    """What PutMetricAlarm takes: Tags as a list, and only on create (AWS ignores them on update)."""
    params = {key: value for key, value in spec.items() if key != "Tags"}
    if with_tags and spec["Tags"]:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in spec["Tags"].items()]
    return params
