"""What the config, the live services and a log sample tell the estimate. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from monitor.config.model import Config
from monitor.cost.usage import Hints, Service
from monitor.insights import performance_log_group
from monitor.kinds.performance import compile_cluster
from monitor.names import ownership
from monitor.offline.replay import Event, replay

ASSUMED_TASKS = 1
ASSUMED = f"assumed {ASSUMED_TASKS} task: not read from DescribeServices"
READ = "DescribeServices desiredCount"
TaskCounts = dict[tuple[str, str], int]   # (cluster, service) -> desiredCount


def performance_combinations(config: Config) -> dict[str, int]:
    """Each performance filter's id -> the containers it selects: one metric each, by its dimensions."""
    found = {}
    for cluster in config.clusters:
        for compiled in compile_cluster(cluster):
            name = ownership.performance_filter_name(config.prefix, cluster.name, compiled.metric, compiled.part)
            containers = sum(len(names) for _, names in compiled.selections)
            found[f"{performance_log_group(cluster.name)}:{name}"] = containers
    return found


def services(config: Config, counts: TaskCounts | None = None) -> tuple[Service, ...]:
    """The services of clusters with Container Insights on, with their task counts when read, else assumed.

    The containers per task are those the config names (at least one): a task definition may have
    more, which the estimate then undercounts.
    """
    counts = counts or {}
    return tuple(Service(cluster.name, service.name, counts.get((cluster.name, service.name), ASSUMED_TASKS),
                         max(len(service.containers), 1),
                         READ if (cluster.name, service.name) in counts else ASSUMED)
                 for cluster in config.clusters if cluster.container_insights in ("enabled", "enhanced")
                 for service in cluster.services)


def observed_combinations(filters: dict[str, dict], events: Iterable[Event]) -> dict[str, int]:
    """Filter id -> the distinct dimension combinations its spec produces on the sample's events.

    Only filters with dimensions are replayed; `filters` maps ids to metric_filter specs. A filter
    that matched nothing in the sample publishes nothing: 0 metrics.
    """
    chosen = {key: spec for key, spec in filters.items() if spec["metricTransformations"][0].get("dimensions")}
    series, _ = replay(list(chosen.values()), events)
    return {key: len(item.metrics) for key, item in zip(chosen, series)}


def given(config: Config, counts: TaskCounts | None = None) -> Hints:
    """What the config (and, when read, the services' task counts) tells the estimate; with an
    `exporter:`, the metrics one refresh requests (its deduplicated GetMetricData queries) and how often."""
    from monitor.exporter import queries  # the exporter's own count, so the two estimates agree
    metrics = len(queries.build(config).items) if config.exporter else None
    return Hints(known=performance_combinations(config), services=services(config, counts),
                 exporter_metrics=metrics, exporter_interval=config.exporter.interval if config.exporter else None)
