"""One row per alarm, from PutMetricAlarm parameters or DescribeAlarms items alike. Pure.

Works on the CloudWatch API's shapes, so an alarm kind the config cannot make yet reads the same
(DescribeAlarms: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html):
- a metric alarm: MetricName, Namespace, Dimensions, Statistic or ExtendedStatistic, Period;
- a metric-math alarm: `Metrics`, a list of MetricDataQuery, exactly one with ReturnData true,
  its `Expression` (or MetricStat) the value compared, each MetricStat with its own Period;
- an anomaly-detection alarm: `ThresholdMetricId` names the band, compared with
  LessThanLowerOrGreaterThanUpperThreshold and friends, no Threshold;
- a composite alarm (CompositeAlarms): `AlarmRule` over other alarms' states, no metric.
Keys AWS leaves out are read with its defaults: DatapointsToAlarm = EvaluationPeriods,
TreatMissingData `missing`, ActionsEnabled true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.kinds.alarm_spec import COMPARISONS
from monitor.problems import Path
from monitor.review.shares import Share
from monitor.review.sources import COMPOSITE, MATH, Origin, Publishers, origin
from monitor.taskdefs.reach import Reach

SYMBOLS = {operator: symbol for symbol, operator in COMPARISONS.items()}
METRIC, MATH_KIND, ANOMALY, COMPOSITE_KIND = "metric", "math", "anomaly", "composite"
ACTIONS = {"alarm": "AlarmActions", "ok": "OKActions", "insufficient_data": "InsufficientDataActions"}


@dataclass(frozen=True)
class Case:
    """One `tests:` case of the alarm, run by the offline evaluator (monitor/offline/alarm_cases.py)."""

    case: int
    passed: bool
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """An alarm as the review shows and checks it. `container` is `cluster/service/container` for ours,
    `unowned` for another's; `watched` is every (namespace, metric, origin) it reads; times are UTC."""

    name: str
    kind: str
    container: str
    metric: str
    origin: Origin
    statistic: str | None = None
    period: int | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None
    threshold: float | None = None
    share: Share | None = None
    reach: Reach | None = None   # what the container's CPU or memory figure it watches can reach, when known
    comparison: str | None = None
    treat_missing_data: str | None = None
    actions: dict[str, list[str]] = field(default_factory=dict)
    actions_enabled: bool = True
    namespace: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)
    watched: tuple[tuple[str | None, str | None, Origin], ...] = ()
    state: str | None = None
    state_since: datetime | None = None
    tests: tuple[Case, ...] = ()
    path: Path = ()
    item: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def m_of_n(self) -> str:
        """`3 of 5` (DatapointsToAlarm of EvaluationPeriods); empty for a composite alarm."""
        return "" if self.evaluation_periods is None else f"{self.datapoints_to_alarm} of {self.evaluation_periods}"


def row(item: dict, known: Publishers, container: str, path: Path = (), share: Share | None = None,
        tests: tuple[Case, ...] = (), reach: Reach | None = None) -> Row:
    """The row of one alarm in API shape (a spec, a MetricAlarms or a CompositeAlarms item)."""
    common = {"name": item["AlarmName"], "container": container, "path": path, "share": share, "tests": tests,
              "reach": reach,
              "actions": {key: list(item.get(api) or []) for key, api in ACTIONS.items()},
              "actions_enabled": item.get("ActionsEnabled", True), "state": item.get("StateValue"),
              "state_since": item.get("StateTransitionedTimestamp") or item.get("StateUpdatedTimestamp"), "item": item}
    if "AlarmRule" in item:
        return Row(kind=COMPOSITE_KIND, metric=item["AlarmRule"], origin=Origin(COMPOSITE, "composite alarm"), **common)
    evaluation = {"evaluation_periods": item.get("EvaluationPeriods"),
                  "datapoints_to_alarm": item.get("DatapointsToAlarm") or item.get("EvaluationPeriods"),
                  "threshold": _number(item.get("Threshold")), "treat_missing_data": item.get("TreatMissingData", "missing"),
                  "comparison": SYMBOLS.get(item.get("ComparisonOperator"), item.get("ComparisonOperator"))}
    if item.get("Metrics"):   # a metric alarm may carry `Metrics: []`, as the emulator answers
        return _math(item, known, common, evaluation)
    watched = ((item.get("Namespace"), item.get("MetricName"), origin(known, item.get("Namespace"), item.get("MetricName"))),)
    return Row(kind=METRIC, metric=item.get("MetricName", ""), origin=watched[0][2], namespace=item.get("Namespace"),
               dimensions=_dimensions(item.get("Dimensions")), statistic=item.get("Statistic") or item.get("ExtendedStatistic"),
               period=item.get("Period"), watched=watched, **evaluation, **common)


def _math(item: dict, known: Publishers, common: dict, evaluation: dict) -> Row:
    """Metric math or anomaly detection: the returned query's expression, the MetricStats it reads."""
    queries = item["Metrics"]
    returned = next((q for q in queries if q.get("ReturnData", True)), queries[0] if queries else {})
    stats = [q["MetricStat"] for q in queries if "MetricStat" in q]
    watched = tuple((s["Metric"].get("Namespace"), s["Metric"].get("MetricName"),
                     origin(known, s["Metric"].get("Namespace"), s["Metric"].get("MetricName"))) for s in stats)
    periods = [s.get("Period") for s in stats if s.get("Period")] + ([returned["Period"]] if returned.get("Period") else [])
    anomaly = "ThresholdMetricId" in item
    shown = returned.get("Expression") or " ".join(filter(None, (w[1] for w in watched))) or returned.get("Id", "")
    return Row(kind=ANOMALY if anomaly else MATH_KIND, metric=shown,
               origin=Origin(MATH, "anomaly detection band" if anomaly else "metric math"),
               statistic=", ".join(dict.fromkeys(s.get("Stat", "") for s in stats)) or None,
               period=min(periods) if periods else None, watched=watched, **evaluation, **common)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _dimensions(dimensions: list[dict] | None) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in sorted(dimensions or [], key=lambda d: d["Name"])}
