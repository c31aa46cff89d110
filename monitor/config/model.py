"""The config's shape as pydantic models: types, required keys, no unknown keys."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator, StrictInt


def _number_as_text(value: object) -> object:
    """A metric value may be written as a YAML number; AWS takes it as a string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, "g") if isinstance(value, float) else str(value)
    return value


MetricValue = Annotated[str, BeforeValidator(_number_as_text)]
InsightsMode = Literal["disabled", "enabled", "enhanced"]
Apm = Literal["xray", "datadog"]   # the tracing sidecar a service should run (reviewed, info only)
EXTENSION = "x-"   # top-level keys for anchors only


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilterCase(Model):
    """One `tests:` case: a log event and what the filter should publish for it."""

    log: str
    match: bool = True
    value: float | None = None
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
    default: float | None = None
    dimensions: dict[str, str] | None = None
    shared: bool = False   # publish into the config's namespace, meaning to share the metric
    tests: list[FilterCase] = []
    alarms: list[Alarm] = []   # catalogue only: recommended alarms on this filter's metric, used as `<filter>:<alarm>`


Comparison = Literal[">", ">=", "<", "<="]
Treatment = Literal["missing", "notBreaching", "breaching", "ignore"]
AlarmState = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]


class AlarmCase(Model):
    """One alarm `tests:` case: a value per period, oldest first (null: missing), or a log sample (`logs:`,
    relative to the config file) that the container's filters turn into one; and the state(s) expected."""

    series: list[float | None] | None = None
    logs: str | None = None
    expect: AlarmState | list[AlarmState]


class Alarm(Model):
    """A metric alarm on a metric this container produces, or on an AWS metric named by `namespace`;
    or `use:` a preset (`memory-high`) or a filter's recommended alarm (`<filter>:<alarm>`), with overrides."""

    use: str | None = None
    name: str | None = None
    metric: str | None = None
    namespace: str | None = None
    dimensions: dict[str, str] | None = None
    stat: str = "Average"
    period: StrictInt = 60
    comparison: Comparison | None = None
    threshold: float | str | None = None   # a number, or `N%` of the container's CPU or memory limit
    evaluation_periods: StrictInt = Field(1, ge=1)   # strict: YAML's `yes` is not 1
    datapoints_to_alarm: StrictInt | None = Field(None, ge=1)
    treat_missing_data: Treatment = "missing"
    actions: list[str] = []
    ok_actions: list[str] = []
    insufficient_data_actions: list[str] = []
    description: str | None = None
    tests: list[AlarmCase] = []


Filter.model_rebuild()   # its `alarms` are Alarms, defined after it


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


class Service(Model):
    name: str
    task_definition: str | None = None
    apm: Apm | None = None
    containers: list[Container] = []


class Cluster(Model):
    name: str
    container_insights: InsightsMode | None = None
    services: list[Service] = []

    @property
    def wants_performance_metrics(self) -> bool:
        return any(container.performance_metrics for service in self.services for container in service.containers)


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
    on_missing: float | None = None         # the value of a metric with no datapoint; else no sample
    on_zero_division: float | None = None   # the value of x / 0; else no sample


class Exporter(Model):
    """`monitor exporter`: where it listens and how it reads CloudWatch."""

    listen: str = "127.0.0.1:9108"
    interval: StrictInt = Field(60, ge=1)   # seconds between refreshes
    period: StrictInt = Field(60, ge=60)    # the CloudWatch period each datapoint covers
    window: StrictInt = Field(5, ge=1)      # complete periods read per refresh
    delay: Annotated[Delay, BeforeValidator(_delay_for_all)] = Delay()
    service_metrics: bool = True            # the ECS/ContainerInsights metrics of each configured service
    derived: list[Derived] = []


class Config(Model):
    """The whole file. Top-level keys starting with `x-` are left for YAML anchors, as in Compose files."""

    version: Literal[1]
    region: str | None = None
    prefix: str = "monitor"
    namespace: str = "Custom/ECS"
    tags: dict[str, str] = Field(default_factory=dict)
    regions: list[str] = []   # more Regions to read for our filters, beside those the log groups are in
    clusters: list[Cluster] = []
    exporter: Exporter | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: object) -> object:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not str(key).startswith(EXTENSION)}
        return data


# Keys of capabilities that later issues build: refused with a clear word, never ignored.
PLANNED_KEYS = ("dashboards",)
# Alarm keys of kinds of alarm not built yet (metric math, composite alarms): refused by name.
PLANNED_ALARM_KEYS = ("metrics", "expression", "alarm_rule", "rule")
