"""What a set of resources uses in a month, in billing units. Pure: resources and hints in, usage out.

Each resource kind is counted by name; kinds with no monthly price of their own (log groups)
and kinds this module does not know are skipped, so new kinds never break an estimate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monitor.cost.prices import ANOMALY_ALARM_METRICS, HOURS_A_MONTH
from monitor.kinds import alarm_spec
from monitor.state.resources import Resource

HIGH_RESOLUTION_BELOW = 60   # seconds: an alarm period under a minute is a high-resolution alarm
MINUTES_A_MONTH = HOURS_A_MONTH * 60
BYTES_A_GB = Decimal(10) ** 9


@dataclass(frozen=True)
class Service:
    """A service of a cluster with Container Insights: how many tasks, each with how many containers."""

    cluster: str
    name: str
    tasks: int
    containers: int
    tasks_from: str   # "DescribeServices desiredCount", or the assumption made


@dataclass(frozen=True)
class Hints:
    """What the resources alone cannot say; every default is named in the estimate's assumptions."""

    dimension_values: int = 5   # distinct values a filter dimension takes, unless known or observed
    known: dict[str, int] = field(default_factory=dict)      # filter id -> combinations the config fixes
    observed: dict[str, int] = field(default_factory=dict)   # filter id -> combinations a log sample produced
    services: tuple[Service, ...] = ()
    event_bytes: int = 1000   # size of one Container Insights performance log event
    exporter_metrics: int | None = None   # metrics one exporter refresh requests from GetMetricData
    exporter_interval: int | None = None   # seconds between refreshes


@dataclass(frozen=True)
class Use:
    """One resource's (or the exporter's) use of one billing item."""

    item: str
    region: str
    quantity: Decimal   # in the item's billing unit
    things: int         # alarms, filters, tasks ... for the reader
    basis: str = ""     # how the quantity was found, when it is not plain


def count(resources: Iterable[Resource], home: str, hints: Hints) -> list[Use]:
    """Every billable use of the resources, in order (the exporter, which no resource stands for, apart)."""
    return [use for resource in resources for use in _COUNTERS.get(resource.kind, _free)(resource, home, hints)]


def _free(resource: Resource, home: str, hints: Hints) -> list[Use]:
    return []


def metric_filter(resource: Resource, home: str, hints: Hints) -> list[Use]:
    """One custom metric per dimension combination the filter publishes."""
    metric = resource.spec["metricTransformations"][0]
    dimensions = metric.get("dimensions") or {}
    combinations, basis = _combinations(resource.id, len(dimensions), hints)
    return [Use("custom_metrics", resource.region or home, Decimal(combinations), 1,
                basis and f"{resource.id}: {combinations} ({basis})")]


def _combinations(key: str, dimensions: int, hints: Hints) -> tuple[int, str]:
    if not dimensions:
        return 1, ""
    if key in hints.observed:
        return hints.observed[key], "observed in the log sample"
    if key in hints.known:
        return hints.known[key], "one per container the filter selects"
    return hints.dimension_values ** dimensions, f"assumed {hints.dimension_values} values per dimension"


def alarm(resource: Resource, home: str, hints: Hints) -> list[Use]:
    """Alarm metrics: one per metric the alarm reads (a math alarm's each), 3 for anomaly detection."""
    spec = alarm_spec.put_parameters(resource.spec, with_tags=False)   # the API's shape: Metrics a list
    queries = spec.get("Metrics") or []
    read = [q["MetricStat"] for q in queries if "MetricStat" in q]
    periods = [spec.get("Period")] + [stat.get("Period") for stat in read]
    high = any(p is not None and p < HIGH_RESOLUTION_BELOW for p in periods)
    resolution = "high_resolution" if high else "standard"
    if any("ANOMALY_DETECTION_BAND" in (q.get("Expression") or "") for q in queries):
        return [Use(f"alarm_anomaly_{resolution}", resource.region or home,
                    Decimal(ANOMALY_ALARM_METRICS * max(len(read), 1)), 1)]
    return [Use(f"alarm_{resolution}", resource.region or home, Decimal(max(len(read), 1)), 1,
                "metric math" if read else "")]


def composite_alarm(resource: Resource, home: str, hints: Hints) -> list[Use]:
    return [Use("alarm_composite", resource.region or home, Decimal(1), 1)]


def dashboard(resource: Resource, home: str, hints: Hints) -> list[Use]:
    return [Use("dashboards", resource.region or home, Decimal(1), 1)]


def cluster_setting(resource: Resource, home: str, hints: Hints) -> list[Use]:
    """Container Insights of one cluster, per task of each of its services."""
    mode = resource.spec.get("containerInsights")
    services = [s for s in hints.services if s.cluster == resource.id]
    if mode == "enabled":
        return [_performance_logs(s, home, hints) for s in services]
    if mode == "enhanced":
        return [Use("insights_enhanced", home, Decimal(s.tasks), s.tasks, s.tasks_from) for s in services]
    return []


def _performance_logs(service: Service, home: str, hints: Hints) -> Use:
    """Each task writes a Task event and one event per container every minute."""
    events = service.tasks * (1 + service.containers) * MINUTES_A_MONTH
    gb = Decimal(events * hints.event_bytes) / BYTES_A_GB
    basis = (f"{service.cluster}/{service.name}: {service.tasks} task(s) ({service.tasks_from}) x "
             f"{1 + service.containers} events a minute x {hints.event_bytes} bytes")
    return Use("insights_logs", home, gb, service.tasks, basis)


def exporter(home: str, hints: Hints) -> list[Use]:
    """GetMetricData: metrics requested per refresh x refreshes a month, in thousands."""
    if not hints.exporter_metrics or not hints.exporter_interval:
        return []
    refreshes = Decimal(HOURS_A_MONTH * 3600) / Decimal(hints.exporter_interval)
    thousands = Decimal(hints.exporter_metrics) * refreshes / 1000
    basis = f"{hints.exporter_metrics} metrics every {hints.exporter_interval} s"
    return [Use("get_metric_data", home, thousands, hints.exporter_metrics, basis)]


_COUNTERS = {"metric_filter": metric_filter, "alarm": alarm, "composite_alarm": composite_alarm,
             "dashboard": dashboard, "cluster_setting": cluster_setting}
