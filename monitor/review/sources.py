"""Where the metric an alarm watches comes from, and how often it has a datapoint. Pure.

Known publishers, by (namespace, metric name):
- the config's metric filters (one metric each; sparse when the filter has no default value:
  PutMetricFilter, MetricTransformation `defaultValue`);
- the config's performance metrics (`Container<Field>` from the Container Insights performance
  log events, monitor/kinds/performance.py);
- Container Insights itself (`ECS/ContainerInsights`) and AWS's services (`AWS/...`).
Anything else is a custom namespace that, as far as this config knows, nobody publishes.

Resolution: metrics that metric filters publish are standard resolution, one datapoint a minute
at most; Container Insights and the ECS service metrics publish once a minute. A period of 10, 20
or 30 s on such a metric "does not receive data for the attempts that do not correspond to a
one-minute data resolution" (PutMetricAlarm, Period:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.insights import PERFORMANCE_METRICS
from monitor.resolved.metrics import INSIGHTS
from monitor.resolved.publishing import metric_namespace

MINUTE = 60
AWS_PREFIX = "AWS/"
AWS_NAMESPACES = (INSIGHTS, "ContainerInsights")   # Container Insights' own namespaces on ECS and EKS
FILTER, PERFORMANCE, INSIGHTS_KIND, AWS, CUSTOM, MATH, COMPOSITE = (
    "filter", "performance metric", "Container Insights", "AWS namespace", "custom namespace", "metric math",
    "composite")


@dataclass(frozen=True)
class Origin:
    """What publishes a metric: `kind` (one of the names above), a label for tables, its resolution in
    seconds (None: unknown), and for a filter without a default value the filter's name (`sparse`).
    A filter publishing `1` or another number >= 0 per match is `unsigned`; so are performance
    metrics and Container Insights' and the AWS/ECS metrics (counts, sizes, rates and shares)."""

    kind: str
    label: str
    resolution: int | None = None
    sparse: str | None = None
    unsigned: bool = False   # never negative: a count, size, rate or share

    @property
    def published(self) -> bool:
        """Whether anything known publishes it (a custom namespace nobody in the config writes to: no)."""
        return self.kind != CUSTOM


Publishers = dict[tuple[str, str], Origin]


def publishers(config: Config | None) -> Publishers:
    """Every metric the config's filters and performance metrics publish, by (namespace, metric name)."""
    found: Publishers = {}
    for place in containers(config) if config else ():
        for item in place.container.filters:
            if item.metric:
                sparse = item.name if item.default is None else None
                found.setdefault((metric_namespace(config, place, item), item.metric),
                                 Origin(FILTER, f"filter {item.name}", MINUTE, sparse, _unsigned(item.value or "1")))
        for field in place.container.performance_metrics:
            if field in PERFORMANCE_METRICS:
                found.setdefault((config.namespace, f"Container{field}"),
                                 Origin(PERFORMANCE, f"performance metric {field}", MINUTE, unsigned=True))
    return found


def origin(known: Publishers, namespace: str | None, metric: str | None) -> Origin:
    """The origin of one metric: the config's, Container Insights', an AWS service's, or unknown (custom)."""
    if (namespace, metric) in known:
        return known[(namespace, metric)]
    if namespace in AWS_NAMESPACES:
        return Origin(INSIGHTS_KIND, f"Container Insights ({namespace})", MINUTE, unsigned=True)
    if (namespace or "").startswith(AWS_PREFIX):
        return Origin(AWS, f"AWS namespace {namespace}", MINUTE, unsigned=namespace == "AWS/ECS")
    return Origin(CUSTOM, f"custom namespace {namespace}")


def _unsigned(value: str) -> bool:
    """A filter's `value` that is a number >= 0 (`1`, `0.5`); a `$.selector` may be anything."""
    try:
        return float(value) >= 0
    except ValueError:
        return False
