"""What one refresh asks CloudWatch for: the config's metrics as GetMetricData queries. Pure.

Three sources, each with its own delay: the filter metrics of every container (in the
container's own namespace, so its identity gives the labels), the per-container performance
metrics (filters on Container Insights performance logs, or the native ContainerInsights
metrics of an `enhanced` cluster, resolved as an alarm on them would be), and the
ECS/ContainerInsights metrics of each configured service. Queries are deduplicated by what
they read; a filter with dimensions is left out (its dimension values are not known before
its log events are), and so said in `skipped`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from monitor.aws import assume
from monitor.config.model import (
    Alarm,
    Cluster,
    Config,
    Exporter,
    Filter,
    once_per_config,
)
from monitor.config.walk import Place, containers
from monitor.exporter import naming, service_edges
from monitor.insights import PERFORMANCE_METRICS
from monitor.names import identity
from monitor.resolved.metrics import INSIGHTS, Metric, resolve
from monitor.resolved.publishing import metric_namespace

FILTERS, PERFORMANCE, SERVICES = "filters", "performance", "insights"   # the keys of `delay`
Pairs = tuple[tuple[str, str], ...]
DEFAULT_ENHANCED = ("CpuUtilized", "MemoryUtilized")   # read on `enhanced` clusters unless the container names others
# ECS/ContainerInsights service metrics (Amazon CloudWatch User Guide, "Amazon ECS Container Insights metrics":
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html):
# CloudWatch name -> (Prometheus name without prefix, unit). Task counts are named as counts of tasks,
# since `_count` belongs to summaries.
SERVICE_METRICS: dict[str, tuple[str, str]] = {
    "RunningTaskCount": ("RunningTasks", "None"), "DesiredTaskCount": ("DesiredTasks", "None"),
    "PendingTaskCount": ("PendingTasks", "None"), "DeploymentCount": ("Deployments", "None"),
    "CpuUtilized": ("CpuUtilized", naming.CPU_UNITS), "CpuReserved": ("CpuReserved", naming.CPU_UNITS),
    "MemoryUtilized": ("MemoryUtilized", naming.MIB), "MemoryReserved": ("MemoryReserved", naming.MIB),
}


@dataclass(frozen=True)
class Query:
    """One metric to read, how to name and label it, and the names a `derived:` expression knows it by."""

    namespace: str
    metric: str
    dimensions: Pairs
    stat: str
    source: str           # FILTERS, PERFORMANCE or SERVICES: which delay applies
    family: str           # the Prometheus metric name
    unit: str | None      # the CloudWatch (or ECS) unit, for scaling
    labels: Pairs
    counter: bool = False
    aliases: tuple[str, ...] = ()
    region: str | None = None   # None: the config's Region
    help: str = ""
    role: str | None = None     # read as this role (the cluster's or the exporter's `role_arn`)

    @property
    def key(self) -> tuple:
        """What CloudWatch is asked: two queries with one key are one query."""
        return (self.role, self.region, self.namespace, self.metric, self.dimensions, self.stat)


@dataclass(frozen=True)
class Queries:
    """Every query of a config, in a stable order, and what was left out and why."""

    items: tuple[Query, ...]
    skipped: tuple[str, ...] = field(default=())


@once_per_config
def build(config: Config) -> Queries:
    """The deduplicated queries the config's `exporter:` asks for (its defaults when it has none)."""
    settings = config.exporter or Exporter()
    found, skipped = [], []
    for place in containers(config):
        role = place.cluster.role_arn or settings.role_arn
        for item in place.container.filters:
            made = filter_query(config, place, item)
            (found if isinstance(made, Query) else skipped).append(as_role(made, role) if isinstance(made, Query) else made)
        found += [as_role(q, role) for q in performance_queries(config, place)]
    if settings.service_metrics:
        found += [as_role(q, cluster.role_arn or settings.role_arn) for cluster in config.clusters
                  for q in service_queries(cluster) + [Query(source=SERVICES, **spec)
                                                       for spec in service_edges.specs(config, cluster)]]
    return Queries(tuple(deduplicated(found)), tuple(skipped))


def as_role(query: Query, role: str | None) -> Query:
    """The query read as `role`, labelled with the role's account; as it is without one."""
    if role is None:
        return query
    return replace(query, role=role, labels=query.labels + ((naming.ACCOUNT, assume.account(role) or ""),))


def deduplicated(queries: Iterable[Query]) -> list[Query]:
    """First of each key, in order; their names for expressions merged."""
    kept: dict[tuple, Query] = {}
    for query in queries:
        first = kept.setdefault(query.key, query)
        if first is not query:
            kept[query.key] = _merged(first, query)
    return list(kept.values())


def _merged(first: Query, other: Query) -> Query:
    return replace(first, aliases=tuple(dict.fromkeys(first.aliases + other.aliases)))


def labels_of(config: Config, namespace: str, place: Place) -> Pairs:
    """The container's labels, read back from its metric namespace; a namespace of no container is a label itself."""
    owner = identity.identity(config.namespace, namespace)
    if owner is None:
        return ((naming.NAMESPACE, namespace),)
    return ((naming.CLUSTER, owner.cluster), (naming.SERVICE, owner.service), (naming.CONTAINER, owner.container))


def filter_query(config: Config, place: Place, item: Filter) -> Query | str:
    """A filter's metric: Sum into a counter for counts, else the Average in base units."""
    where = f"{place.cluster.name}/{place.service.name}/{place.container.name}: filter '{item.name}'"
    if item.dimensions:
        return f"{where}: its metric '{item.metric}' has dimensions, whose values are known only from its logs"
    namespace = metric_namespace(config, place, item)
    counter = item.unit == "Count" or (item.unit in (None, "None") and _constant(item.value))
    unit = naming.unit(item.unit)
    return Query(namespace, item.metric, (), "Sum" if counter else "Average", FILTERS,
                 naming.metric_name("filter", item.metric, unit.suffix, counter), item.unit,
                 labels_of(config, namespace, place), counter, (item.metric,), place.container.log_region,
                 _help(item.metric, namespace, "Sum" if counter else "Average", item.unit))


def _constant(value: str | None) -> bool:
    """A filter that publishes a fixed number per event counts events."""
    try:
        float(value or "1")
        return True
    except ValueError:
        return False


def performance_queries(config: Config, place: Place) -> list[Query]:
    """The container's performance metrics, where an alarm on them would look."""
    fields = place.container.performance_metrics
    if not fields and place.cluster.container_insights == "enhanced":
        fields = list(DEFAULT_ENHANCED)
    found = []
    for field_ in fields:
        metric = resolve(config, place, Alarm(metric=f"Container{field_}"))
        if isinstance(metric, Metric):
            found.append(_performance(metric, field_))
    return found


def _performance(metric: Metric, field_: str) -> Query:
    unit = ecs_unit(field_, PERFORMANCE_METRICS.get(field_))
    labels = dimension_labels(metric.dimensions)
    return Query(metric.namespace, metric.name, metric.dimensions, "Average", PERFORMANCE,
                 naming.metric_name("container", field_, naming.unit(unit).suffix), unit, labels,
                 aliases=(field_, metric.name), help=_help(metric.name, metric.namespace, "Average", unit))


def ecs_unit(field_: str, unit: str | None) -> str | None:
    """CPU is in ECS CPU units, memory in MiB, whatever unit CloudWatch was told."""
    if field_.startswith("Cpu"):
        return naming.CPU_UNITS
    if field_.startswith("Memory"):
        return naming.MIB
    return unit


def dimension_labels(dimensions: Pairs) -> Pairs:
    """ClusterName, ServiceName and ContainerName as the exporter's labels, in that order."""
    given = dict(dimensions)
    names = (("ClusterName", naming.CLUSTER), ("ServiceName", naming.SERVICE), ("ContainerName", naming.CONTAINER))
    return tuple((label, given[name]) for name, label in names if name in given)


def service_queries(cluster: Cluster) -> list[Query]:
    """ECS/ContainerInsights per service, on clusters that have Container Insights turned on."""
    if cluster.container_insights not in ("enabled", "enhanced"):
        return []
    return [Query(INSIGHTS, metric, (("ClusterName", cluster.name), ("ServiceName", service.name)), "Average",
                  SERVICES, naming.metric_name("service", name, naming.unit(unit).suffix), unit,
                  ((naming.CLUSTER, cluster.name), (naming.SERVICE, service.name)), aliases=(metric,),
                  help=_help(metric, INSIGHTS, "Average", unit))
            for service in cluster.services for metric, (name, unit) in SERVICE_METRICS.items()]


def _help(metric: str, namespace: str, stat: str, unit: str | None) -> str:
    scaled = naming.unit(unit)
    base = f" in {scaled.suffix.replace('_', ' ')}" if scaled.suffix and scaled.suffix != "ratio" else ""
    what = "summed into a running total over complete periods" if stat == "Sum" else "in the last complete period"
    return f"CloudWatch {namespace} {metric}, {stat} {what}{base}."
