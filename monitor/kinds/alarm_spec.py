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

from monitor.config import edges
from monitor.config.model import BAND_COMPARISONS, Alarm, MetricQuery
from monitor.resolved.metrics import Metric, NoMetric, insights_query, returning_ids
from monitor.resolved.model import AlarmEntry

KIND = "alarm"
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")   # PutMetricAlarm Statistic enum
COMPARISONS = {">": "GreaterThanThreshold", ">=": "GreaterThanOrEqualToThreshold",
               "<": "LessThanThreshold", "<=": "LessThanOrEqualToThreshold"}
ACTION_KEYS = {"actions": "AlarmActions", "ok_actions": "OKActions",
               "insufficient_data_actions": "InsufficientDataActions"}
# The PutMetricAlarm keys we manage: anything else DescribeAlarms returns is dropped before comparing.
COMMON = ("AlarmName", "AlarmDescription", "ActionsEnabled", *ACTION_KEYS.values(), "EvaluationPeriods",
          "DatapointsToAlarm", "Threshold", "ThresholdMetricId", "ComparisonOperator", "TreatMissingData",
          "EvaluateLowSampleCountPercentile")
SINGLE = ("MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit")
MANAGED = COMMON + SINGLE + ("Metrics",)


def comparison_operator(comparison: str) -> str:
    """`>` -> GreaterThanThreshold; the band comparisons are their own names."""
    return COMPARISONS.get(comparison, comparison)


def make(entry: AlarmEntry, tags: dict[str, str]) -> tuple[dict, str | None] | None:
    """The spec of a metric or metric-math alarm and the Region it is made in (None: the config's),
    or None when the entry cannot make one: validation, or for an unknown dimension PLN-013, says why."""
    alarm = entry.alarm
    anomaly = alarm.threshold_metric_id is not None
    if (isinstance(alarm.threshold, str) or (alarm.threshold is None) != anomaly or alarm.comparison is None
            or anomaly and (alarm.comparison not in BAND_COMPARISONS or alarm.metrics is None)):
        return None
    if alarm.metrics is None:
        if not isinstance(entry.metric, Metric) or edges.unknown(entry.metric.dimensions):
            return None
        return make_spec(entry.name, entry.metric, alarm, tags), entry.metric.region
    queries = entry.queries
    returning = returning_ids(alarm)
    regions = {metric.region for metric in queries.values() if isinstance(metric, Metric)}
    if (not returning or len(regions) > 1 or len(queries) != len(alarm.metrics)
            or any(isinstance(metric, NoMetric) for metric in queries.values())
            or any(edges.unknown(metric.dimensions) for metric in queries.values() if isinstance(metric, Metric))):
        return None   # a dimension no one could tell (a service's target group it does not have): PLN-013
    spec = _common(entry.name, alarm, tags)
    spec["Metrics"] = {query.id: _query(query, queries[query.id], query.id in returning) for query in alarm.metrics}
    return spec, next(iter(regions), None)


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
