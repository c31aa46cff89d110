"""The emulator's PutLogEvents runs the log group's metric filters and publishes metric data.

moto stores metric filters but never applies them. Here the accepted events of a PutLogEvents go
through the group's filters with our engine (monitor.offline.replay.publish, the same evaluation
`monitor replay` and `monitor test` use) and become datapoints in moto's CloudWatch backend of the
same account and Region, as CloudWatch Logs does [F1]. The open choices are named in
monitor/emulator/flow_semantics.py.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.models import MetricDatumBase, cloudwatch_backends
from moto.logs.models import LogsBackend

from monitor.emulator import flow_semantics
from monitor.offline.replay import Datum, Event, publish

Wrapped = Any
Key = tuple[str, str, int | None]
"""(log group, filter name, minute in epoch ms): one filter's minute."""

_STATE = "_ecs_monitor_published_minutes"


def install() -> None:
    """Hook LogsBackend.put_log_events; called once by emulator.install_fidelity_patches."""
    LogsBackend.put_log_events = _publishing(LogsBackend.put_log_events)


def _publishing(put: Wrapped) -> Wrapped:
    @functools.wraps(put)
    def put_log_events(self: LogsBackend, group: str, stream: str, events: list[dict]) -> Any:
        token, rejected = put(self, group, stream, events)
        accepted = _accepted(events, rejected)
        filters = self.filters.get_matching_filters(log_group_name=group)
        if accepted and filters:
            data = list(publish(filters, (Event(e["message"], e["timestamp"]) for e in accepted)))
            _store(self, group, data)
        return token, rejected

    return put_log_events


def _accepted(events: list[dict], rejected: dict) -> list[dict]:
    """The events moto kept: its answer names the last too old and the first too new (events are
    in chronological order, which PutLogEvents requires)."""
    start = rejected.get("tooOldLogEventEndIndex", -1) + 1
    return events[start:rejected.get("tooNewLogEventStartIndex", len(events))]


def _store(logs: LogsBackend, group: str, data: list[Datum]) -> None:
    """Publish into the CloudWatch backend of the same account and Region, minute by minute."""
    cloudwatch = cloudwatch_backends[logs.account_id][logs.region_name]
    minutes: dict[Key, Any] = logs.__dict__.setdefault(_STATE, {})
    kept = [d for d in data if not (d.default and _key(group, d) in minutes)]
    for datum in kept:
        if not datum.default:
            _withdraw_default(cloudwatch, minutes.get(_key(group, datum)))
    by_namespace: dict[str, list[Datum]] = defaultdict(list)
    for datum in kept:
        by_namespace[datum.spec["metricTransformations"][0]["metricNamespace"]].append(datum)
    for namespace, items in by_namespace.items():
        before = len(cloudwatch.metric_data)
        cloudwatch.put_metric_data(namespace, [_metric_datum(d) for d in items])
        for datum, stored in zip(items, cloudwatch.metric_data[before:]):
            minutes[_key(group, datum)] = stored if datum.default else None


def _key(group: str, datum: Datum) -> Key:
    return (group, datum.spec["filterName"], datum.minute)


def _withdraw_default(cloudwatch: Any, stored: MetricDatumBase | None) -> None:
    """The first match of a minute replaces a default published for it earlier (flow_semantics)."""
    if stored is not None and flow_semantics.DEFAULT_WITHDRAWN_BY_A_LATER_MATCH:
        cloudwatch.metric_data = [d for d in cloudwatch.metric_data if d is not stored]


def _metric_datum(datum: Datum) -> dict:
    """One MetricData member of PutMetricData, from one published value."""
    metric = datum.spec["metricTransformations"][0]
    item = {"MetricName": metric["metricName"], "Value": datum.value,
            "Timestamp": _utc(datum.timestamp),
            "Dimensions": [{"Name": name, "Value": value} for name, value in datum.dimensions]}
    if metric.get("unit"):
        item["Unit"] = metric["unit"]
    return item


def _utc(milliseconds: int) -> datetime:
    """moto keeps timestamps as naive UTC datetimes."""
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc).replace(tzinfo=None)
