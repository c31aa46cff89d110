"""The collector a scrape runs: the current snapshot's families, then the exporter's own health.

A custom collector on its own CollectorRegistry, as client_python's own collectors are
(prometheus_client/gc_collector.py, registry.py): `collect()` only reads the current state,
never calls AWS, and a label set that left the snapshot leaves the exposition with it.
Self-metrics follow writing_exporters.md ("Failed scrapes": an `up`-like gauge of the
exporter's own; https://prometheus.io/docs/instrumenting/writing_exporters/), and `up` itself,
which Prometheus sets per target, is left to Prometheus.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import CollectorRegistry

from monitor import __version__
from monitor.exporter.naming import SELF
from monitor.exporter.refresh import Current


class SnapshotCollector:
    """Reads `state()` once per scrape, so one scrape sees one state."""

    def __init__(self, state: Callable[[], Current], clock: Callable[[], float] = time.time):
        self._state, self._clock = state, clock

    def collect(self) -> Iterator[Metric]:
        current = self._state()
        yield from current.snapshot.families
        yield from health_families(current, self._clock())


def registry(state: Callable[[], Current]) -> CollectorRegistry:
    """A registry of its own holding only the snapshot collector (no process or GC metrics)."""
    found = CollectorRegistry(auto_describe=False)
    found.register(SnapshotCollector(state))
    return found


def health_families(current: Current, now: float) -> list[Metric]:
    """The exporter's own metrics, built fresh on every scrape."""
    health, snapshot = current.health, current.snapshot
    found = [_gauge("up", "1 if the last refresh from CloudWatch succeeded, 0 if the snapshot served is stale.",
                    1.0 if health.up else 0.0),
             _gauge("queries", "Metrics one refresh reads from CloudWatch (this shard).", current.queries),
             _gauge("series", "Series in the snapshot served.", snapshot.series)]
    if health.last_success is not None:
        found.append(_gauge("last_success_timestamp_seconds", "When the last good refresh ended (Unix time).",
                            health.last_success))
    if health.duration is not None:
        found.append(_gauge("refresh_duration_seconds", "How long the last refresh took.", health.duration))
    if snapshot.data_until is not None:
        found.append(_gauge("data_age_seconds", "Seconds since the end of the newest complete period served.",
                            now - snapshot.data_until))
    found += [_counter("refreshes", "Refreshes, by result.", ("result",), health.refreshes.items()),
              _counter("config_reloads", "Config reloads (SIGHUP or a changed file), by result; after an error "
                       "the config loaded before keeps serving.", ("result",), current.reloads.items()),
              _counter("aws_api_calls", "AWS API calls made, by operation.", ("operation",), health.calls.items()),
              _counter("aws_api_errors", "Failed AWS API attempts (retries included), by operation and error code.",
                       ("operation", "code"), health.errors.items()),
              _counter("cloudwatch_metrics_requested", "Metrics requested from GetMetricData: the unit it is "
                       "billed in.", (), [((), health.requested)])]
    info = GaugeMetricFamily(f"{SELF}_build_info", "The exporter's version.", labels=("version", "python"))
    info.add_metric([__version__, platform.python_version()], 1.0)
    return found + [info]


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{SELF}_{name}", text, value=value)


def _counter(name: str, text: str, labels: tuple[str, ...], items) -> CounterMetricFamily:
    family = CounterMetricFamily(f"{SELF}_{name}", text, labels=labels)
    for key, value in sorted(items):
        family.add_metric(list(key) if isinstance(key, tuple) else [key], value)
    return family
