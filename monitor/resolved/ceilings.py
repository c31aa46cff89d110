"""A threshold past what the container can use: the one judgement `validate`, `plan` and `review` share. Pure.

What a container's CPU or memory can reach comes from its task definition (monitor/taskdefs/reach.py, with the AWS
pages behind it): its ceiling is its hard limit, else the task's size, which on Fargate bounds all the task's
containers together ("Task size",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size); below it,
a container with no hard limit is sure of what the task leaves it. The comparison is judged by
monitor/alarms/ranges.py `past`, on the threshold as a number (`N%` made one, or as written):

- past the ceiling, `>` and `>=` are never true and `<` and `<=` always: an error, as every threshold outside its
  metric's range is (ranges.crossing); AWS accepts the alarm, so the error may be ignored;
- between what the task leaves it and the ceiling, a warning, never an error: AWS accepts it and it can fire, but
  only while the other containers use less than they hold (their hard limits, else reservations). When every
  container is busy, which is when memory or CPU runs short, the container cannot get there, so a `>` alarm
  stays silent exactly then, and a `<` alarm is in ALARM all the rest of the time;
- Sum and SampleCount are not judged: a Sum adds the datapoints of every task, and can pass any one's ceiling.

A number threshold is judged on the container's own CpuUtilized or MemoryUtilized (CPU units and MiB, the units
of the limits: "Container Insights performance log events for Amazon ECS"), its performance metric or the native
one of an enhanced cluster, told by its ClusterName, ServiceName and ContainerName.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.alarms import ranges
from monitor.config.model import Alarm, Config
from monitor.config.walk import Place
from monitor.resolved import metrics as alarm_metrics
from monitor.taskdefs.reach import Reach
from monitor.taskdefs.sizing import Limit

FIGURES = {"ContainerCpuUtilized": "cpu", "ContainerMemoryUtilized": "memory"}   # metric -> the limit it is bounded by
WHAT = {"cpu": "CPU", "memory": "memory", "storage": "ephemeral storage"}
ABOVE = (">", ">=")


@dataclass(frozen=True)
class Verdict:
    """A threshold judged against what the container can reach: ranges.ALWAYS, NEVER or UNSURE, and why."""

    kind: str
    message: str

    @property
    def settled(self) -> bool:
        """Always or never true: an error; UNSURE is a warning."""
        return self.kind in (ranges.ALWAYS, ranges.NEVER)


def number_field(config: Config, place: Place, alarm: Alarm) -> str | None:
    """The limit (`cpu` or `memory`) a number threshold is bounded by: the alarm watches the container's own
    CpuUtilized or MemoryUtilized (module docstring); None for any other metric."""
    if alarm.metrics is not None or alarm.metric is None:
        return None
    metric = alarm_metrics.resolve(config, place, alarm)
    if not isinstance(metric, alarm_metrics.Metric) or metric.name not in FIGURES:
        return None
    own = {"ClusterName": place.cluster.name, "ServiceName": place.service.name, "ContainerName": place.container.name}
    namespaces = (alarm_metrics.INSIGHTS, config.namespace)
    return FIGURES[metric.name] if metric.namespace in namespaces and dict(metric.dimensions) == own else None


def judge(comparison: str | None, statistic: str | None, value: float, reach: Reach,
          share: tuple[float, Limit] | None = None) -> Verdict | None:
    """The verdict on `statistic comparison value` for a figure that can reach `reach`; None when it can go either
    way. `share`: the threshold as written, `N%` of a limit (the message says of which), else a number."""
    kind = ranges.past(comparison, statistic, value, reach.most.value, reach.sure.value if reach.sure else None)
    if kind is None:
        return None
    unit, what = reach.most.unit, WHAT[reach.field]
    if share is not None:
        percent, limit = share
        said, wrote = f"{percent:g}% of {limit.source}" + ("" if limit == reach.most else f" is {value:g} {unit}"), \
            f"{percent:g}%"
    else:
        said, wrote = f"{value:g} {unit} of {what}", f"{value:g}"
    alarm = f"'{statistic} {comparison} {wrote}'"
    if kind == ranges.UNSURE:
        how = (f"the container's {what} goes above {reach.sure.source} only while" if comparison in ABOVE else
               f"{alarm} is true unless the container's {what} passes {reach.sure.source}, which it does only while")
        return Verdict(kind, f"{said}, but {how} the other containers use less than they hold (their hard limits, "
                             f"else reservations); its ceiling is {reach.most.source}")
    ceiling = "it" if share is not None and share[1] == reach.most else reach.most.source
    truth = "never true: no datapoint can breach" if kind == ranges.NEVER else "always true: every datapoint breaches"
    return Verdict(kind, f"{said}, but the container's {what} cannot pass {ceiling} ({reach.why}), so {alarm} is "
                         f"{truth}")
