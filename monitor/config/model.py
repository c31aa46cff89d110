"""The config's shape as pydantic models: types, required keys, no unknown keys."""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Hashable
from typing import Annotated, Literal, TypeVar

from pydantic import (AllowInfNan, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictBool, StrictInt,
                      model_validator)
from pydantic_core import PydanticCustomError


def _finite(value: object) -> object:
    """A number where one is meant: YAML reads `true`, `yes` and `on` as booleans and `.nan` and
    `.inf` as floats (YAML 1.1 types, https://yaml.org/type/bool.html, https://yaml.org/type/float.html),
    and none of them is a number AWS or Prometheus takes: PutMetricAlarm's Threshold and a metric
    filter's defaultValue are doubles that never settle as NaN, and a sample is a float that a
    gauge must not make NaN by accident (https://prometheus.io/docs/instrumenting/exposition_formats/)."""
    if isinstance(value, bool):
        raise PydanticCustomError("not_a_number", "is a boolean, not a number (YAML reads true, yes and on as "
                                                  "booleans); write a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("not_finite", "is not a finite number")
    return value


def _number_as_text(value: object) -> object:
    """A metric value may be written as a YAML number; AWS takes it as a string."""
    value = _finite(value)
    if isinstance(value, (int, float)):
        return format(value, "g") if isinstance(value, float) else str(value)
    return value


Number = Annotated[float, BeforeValidator(_finite), AllowInfNan(False)]
"""A finite float that is not a boolean: every number that reaches AWS or an exposition."""
MetricValue = Annotated[str, BeforeValidator(_number_as_text)]
InsightsMode = Literal["disabled", "enabled", "enhanced"]
Apm = Literal["xray", "datadog"]   # the tracing sidecar a service should run (reviewed, info only)
EXTENSION = "x-"   # top-level keys for anchors only
T = TypeVar("T")
_DERIVED: dict[int, dict] = {}   # id(config) -> what Config.once derived from it, while it lives


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilterCase(Model):
    """One `tests:` case: a log event and what the filter should publish for it."""

    log: str
    match: bool = True
    value: Number | None = None
    dimensions: dict[str, str] | None = None


class Filter(Model):
    """A metric filter, written inline or taken from the catalogue with `use:`."""

    use: str | None = None
    name: str | None = None
    description: str | None = None
    log_format: str | None = None
    pattern: str | None = None
    metric: str | None = None
    namespace: str | None = None
    value: MetricValue | None = None
    unit: str | None = None
    default: Number | None = None
    dimensions: dict[str, str] | None = None
    shared: bool = False   # publish into the config's namespace, meaning to share the metric
    tests: list[FilterCase] = []
    alarms: list[Alarm] = []   # catalogue only: recommended alarms on this filter's metric, used as `<filter>:<alarm>`


# PutMetricAlarm ComparisonOperator: the short forms, AWS's own names of the same four (read as the short
# ones), and the three that compare with an anomaly-detection band (`threshold_metric_id`)
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
AWS_COMPARISONS = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=",
                   "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<="}
BAND_COMPARISONS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")


def _short_comparison(value: object) -> object:
    """`GreaterThanThreshold` is `>`: one spelling inside, whichever the config uses."""
    return AWS_COMPARISONS.get(value, value) if isinstance(value, str) else value


Comparison = Annotated[Literal[">", ">=", "<", "<=", "LessThanLowerOrGreaterThanUpperThreshold",
                               "LessThanLowerThreshold", "GreaterThanUpperThreshold"],
                       BeforeValidator(_short_comparison)]
Treatment = Literal["missing", "notBreaching", "breaching", "ignore"]
AlarmState = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]


class AlarmCase(Model):
    """One alarm `tests:` case: a value per period, oldest first (null: missing), or a log sample (`logs:`,
    relative to the config file) that the container's filters turn into one; and the state(s) expected."""

    series: list[Number | None] | None = None
    logs: str | None = None
    sample_counts: list[Number | None] | None = None   # each period's SampleCount: a percentile alarm that ignores low samples
    expect: AlarmState | list[AlarmState]


class MetricQuery(Model):
    """One `metrics:` entry of a metric-math alarm (PutMetricAlarm `Metrics`, a MetricDataQuery):
    a metric, named as an alarm's `metric` is, or an `expression` over the other entries' ids."""

    id: str
    expression: str | None = None
    metric: str | None = None
    namespace: str | None = None
    dimensions: dict[str, str] | None = None
    stat: str = "Average"
    period: StrictInt = 60   # an expression's only for a Metrics Insights query (SELECT ...): MetricDataQuery Period
    unit: str | None = None   # MetricStat.Unit (StandardUnit)
    label: str | None = None
    return_data: StrictBool | None = None   # unset everywhere: the one expression (or the one metric) returns


class Alarm(Model):
    """An alarm of the container: on one metric (`metric`), on metric math (`metrics`), or a composite
    alarm over the container's other alarms (`alarm_rule`); or `use:` a preset (`memory-high`) or a
    filter's recommended alarm (`<filter>:<alarm>`), with overrides. Which keys each takes is checked
    in monitor/kinds/alarm_checks.py and monitor/config/alarm_uses.py, each at its line."""

    use: str | None = None
    name: str | None = None
    metric: str | None = None
    namespace: str | None = None
    dimensions: dict[str, str] | None = None
    stat: str = "Average"
    period: StrictInt = 60
    metrics: list[MetricQuery] | None = None
    threshold_metric_id: str | None = None   # the `metrics` entry with ANOMALY_DETECTION_BAND(...): PutMetricAlarm ThresholdMetricId
    alarm_rule: str | None = None
    comparison: Comparison | None = None
    threshold: Annotated[Number | str, BeforeValidator(_finite)] | None = None   # a number, or `N%` of a limit
    evaluation_periods: StrictInt = Field(1, ge=1)   # strict: YAML's `yes` is not 1
    datapoints_to_alarm: StrictInt | None = Field(None, ge=1)
    treat_missing_data: Treatment = "missing"
    # PutMetricAlarm EvaluateLowSampleCountPercentile (`evaluate` | `ignore`), Unit (StandardUnit) and
    # ActionsEnabled (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)
    evaluate_low_sample_count_percentiles: Literal["evaluate", "ignore"] | None = None
    unit: str | None = None
    actions_enabled: StrictBool = True
    actions: list[str] = []
    ok_actions: list[str] = []
    insufficient_data_actions: list[str] = []
    description: str | None = None
    tests: list[AlarmCase] = []

    @property
    def composite(self) -> bool:
        return self.alarm_rule is not None


Filter.model_rebuild()   # its `alarms` are Alarms, defined after it


class Defaults(Model):
    """Actions every alarm under this level takes unless it sets its own (`defaults:` at the top level,
    on a cluster or on a service; the nearest level wins, key by key; monitor/config/defaults.py)."""

    actions: list[str] | None = None
    ok_actions: list[str] | None = None
    insufficient_data_actions: list[str] | None = None


class LogGroups(Model):
    """Retention and encryption of the log groups ecs-monitor creates (monitor/config/log_groups.py)."""

    retention_days: StrictInt | None = None   # None: kept forever (no retention policy)
    kms_key_id: str | None = None             # a KMS key ARN; None: CloudWatch Logs' own encryption


class Container(Model):
    """A container; the `log_*` keys say where its logs go, as its task definition's log driver does."""

    name: str
    log_group: str | None = None
    log_region: str | None = None    # `awslogs-region` (FireLens `region`) when not the config's Region
    create_log_group: bool = False   # `awslogs-create-group: "true"`: the group exists after the first task
    firelens_metadata: bool = False  # FireLens adds container_name (and ecs_cluster, ecs_task_arn) to records
    performance_metrics: list[str] = []
    filters: list[Filter] = []
    alarms: list[Alarm] = []
    log_groups: LogGroups | None = None   # for the group this container's tasks would create


class Service(Model):
    name: str
    task_definition: str | None = None
    apm: Apm | None = None
    # The service's edges (monitor/config/edges.py): its load balancer's target group and its queue.
    target_group_arn: str | None = None     # else read from DescribeServices at plan time
    load_balancer_arn: str | None = None    # else read from DescribeTargetGroups at plan time
    queue: str | None = None                # SQS queue name, URL or ARN
    defaults: Defaults | None = None
    containers: list[Container] = []


class Cluster(Model):
    name: str
    container_insights: InsightsMode | None = None
    role_arn: str | None = None   # the exporter reads this cluster's metrics as this role (another account)
    defaults: Defaults | None = None
    services: list[Service] = []

    @property
    def wants_performance_metrics(self) -> bool:
        return any(container.performance_metrics for service in self.services for container in service.containers)


Scope = Literal["cluster", "service", "container"]
WidgetType = Literal["text", "cpu", "memory", "filters", "alarms", "logs", "metric",
                     "tasks", "utilization", "network", "storage", "target_group", "queue"]


class Item(Model):
    """A dashboard template entry: a group (`each` + `widgets`, each instance on new rows) or one
    widget (`type`), repeated inline for every cluster, service or container of `each`."""

    each: Scope | None = None
    widgets: list[Item] | None = None
    type: WidgetType | None = None
    title: str | None = None
    markdown: str | None = None               # text
    query: str | None = None                  # logs: Logs Insights commands after the SOURCE lines
    metrics: list[list[str]] | None = None    # metric: [namespace, metric, dimension, value, ...] rows
    stat: str | None = None
    period: StrictInt | None = None
    width: StrictInt = 6
    height: StrictInt = 6


class Dashboard(Model):
    """A CloudWatch dashboard `<prefix>-<name>`, generated from a template of the dashboards/ catalogue."""

    name: str
    template: str | None = None               # default: service (or the inline `widgets`)
    widgets: list[Item] | None = None         # an inline template; filled from `template` when loading
    clusters: list[str] | None = None         # default: every cluster of the config
    per: Literal["service"] | None = None     # `service`: one dashboard a service, <prefix>-<name>-<cluster>-<service>
    period: StrictInt = 300
    start: str = "-PT3H"


def _delay_for_all(value: object) -> object:
    """`delay: 120` is the same delay for every kind of metric."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"filters": value, "performance": value, "insights": value}
    return value


class Delay(Model):
    """Seconds after a period ends before its datapoint is complete in CloudWatch, by where the metric comes from.

    Filter metrics appear soon after the log events; Container Insights writes its performance
    events once a minute and its own metrics later still.
    """

    filters: StrictInt = Field(120, ge=0)       # metric filters on application logs
    performance: StrictInt = Field(180, ge=0)   # per-container metrics (filters on performance logs, or enhanced)
    insights: StrictInt = Field(180, ge=0)      # ECS/ContainerInsights service metrics


class Derived(Model):
    """A gauge computed per label set from the metrics this config produces (`expr`), with no eval."""

    name: str
    expr: str
    help: str | None = None
    on_missing: Number | None = None         # the value of a metric with no datapoint; else no sample
    on_zero_division: Number | None = None   # the value of x / 0; else no sample


class Exporter(Model):
    """`monitor exporter`: where it listens and how it reads CloudWatch."""

    listen: str = "127.0.0.1:9108"
    interval: StrictInt = Field(60, ge=1)   # seconds between refreshes
    period: StrictInt = Field(60, ge=60)    # the CloudWatch period each datapoint covers
    window: StrictInt = Field(5, ge=1)      # complete periods read per refresh
    delay: Annotated[Delay, BeforeValidator(_delay_for_all)] = Delay()
    service_metrics: bool = True            # each configured service's ECS/ContainerInsights, AWS/ECS and target group metrics
    role_arn: str | None = None             # read CloudWatch as this role (sts:AssumeRole); a cluster's own wins
    derived: list[Derived] = []


class Config(Model):
    """The whole file. Top-level keys starting with `x-` are left for YAML anchors, as in Compose files."""

    version: Literal[1]
    region: str | None = None
    prefix: str = "monitor"
    namespace: str = "Custom/ECS"
    tags: dict[str, str] = Field(default_factory=dict)
    regions: list[str] = []   # more Regions to read for our filters, beside those the log groups are in
    defaults: Defaults | None = None
    log_groups: LogGroups | None = None   # for the groups ecs-monitor creates; a container's own wins
    clusters: list[Cluster] = []
    retired_clusters: list[str] = []   # clusters this config made resources for: --prune and destroy delete them
    dashboards: list[Dashboard] = []
    exporter: Exporter | None = None
    ignore: list[str] = []   # problem and finding codes to silence (monitor/commands/codes.py says which may be)
    _facts: object = PrivateAttr(default=None)   # what plan time read from AWS (monitor/config/facts.py)

    @property
    def owned_clusters(self) -> frozenset[str]:
        """The clusters whose resources are this config's: its own and its retired ones."""
        return frozenset(cluster.name for cluster in self.clusters) | frozenset(self.retired_clusters)

    @property
    def facts(self) -> object:
        return self._facts

    def once(self, key: Hashable, derive: Callable[[], T]) -> T:
        """`derive()`, computed once for this config and kept with it: the resolved model's parts
        (its containers, each alarm's metric, the resources each kind renders) are derived from a
        config once per command, however many steps use them. A copy (model_copy keeps private
        attributes) derives its own: what was kept goes with the config it was derived from."""
        kept = _DERIVED.get(id(self))
        if kept is None:   # kept apart from the fields, so that two equal configs stay equal
            kept = _DERIVED[id(self)] = {}
            weakref.finalize(self, _DERIVED.pop, id(self), None)
        if key not in kept:
            kept[key] = derive()
        return kept[key]

    def with_facts(self, facts: object) -> Config:
        """A copy carrying `facts`; models are frozen, private attributes are not fields."""
        copy = self.model_copy()
        copy._facts = facts
        return copy

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: object) -> object:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not str(key).startswith(EXTENSION)}
        return data


# Keys of capabilities that later issues build: refused with a clear word, never ignored.
PLANNED_KEYS: tuple[str, ...] = ()


def once_per_config(derive: Callable[[Config], T]) -> Callable[[Config], T]:
    """`derive(config)`, computed once per config (Config.once): for the parts of the resolved model."""
    key = (derive.__module__, derive.__qualname__)

    @functools.wraps(derive)
    def derived(config: Config) -> T:
        return config.once(key, lambda: derive(config))
    return derived
