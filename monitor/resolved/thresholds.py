"""Alarm thresholds written as a share of a container's limit (`90%`), made concrete. Pure: no AWS.

The limit is what the container can use, as monitor/taskdefs/sizing.py `limits` reads it from the
service's task definition: for memory the hard limit, else what the task leaves it (the task's
memory less the other containers' hard limits, else their reservations), never its own soft
limit; for CPU what the task's CPU leaves it after the other containers' shares. CpuUtilized is in
CPU units and MemoryUtilized in MiB ("Container Insights performance log events for Amazon ECS"),
the units of those limits, so 90% of a 1024 MiB hard limit is 921.6. EphemeralStorageUtilized is
in GB (the task's, "Amazon ECS Container Insights metrics"), a share of the task's
`ephemeralStorage.sizeInGiB`, 20 GiB when unset on Fargate ("Fargate task ephemeral storage",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html).
Every threshold on the container's CPU or memory, `N%` made a number or a number as written, is then judged
against what the container can reach (monitor/resolved/ceilings.py, the judgement `review` shares): past its
ceiling (a hard limit, the task's size) it is an error (CEILING), past only what the task leaves it a warning
(ROOM).
"""

from __future__ import annotations

import re

from monitor.config.model import Alarm, Config
from monitor.config.walk import Place, containers, map_containers
from monitor.problems import ERROR, INFO, WARNING, Check, Path, Problem
from monitor.resolved import ceilings
from monitor.taskdefs import reach, sizing
from monitor.taskdefs.reach import Reach

PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")
LIMITED = {"CpuUtilized": "cpu", "MemoryUtilized": "memory",   # performance field -> the limit it is a share of
           "EphemeralStorageUtilized": "storage"}
NO_LIMIT = Check("ALM-040", ERROR, "an N% threshold whose limit the task definition does not give")
RESOLVED = Check("ALM-041", INFO, "an N% threshold, and the number it stands for")
_TASK_SIZE = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size"
CEILING = Check("ALM-042", ERROR, "a CPU or memory threshold past what the container can ever use (its hard limit, "
                "the task's size): never or always true", source=_TASK_SIZE, ignorable=True)
ROOM = Check("ALM-043", WARNING, "a CPU or memory threshold past what the task leaves the container: reached only "
             "while the other containers use less than they hold", source=_TASK_SIZE)
CHECKS = (NO_LIMIT, RESOLVED, CEILING, ROOM)


def percent(threshold: float | str) -> float | None:
    """`90%` -> 90.0; None for a number or any other text."""
    match = PERCENT.fullmatch(threshold) if isinstance(threshold, str) else None
    return float(match.group(1)) if match else None


def limited_field(metric: str | None) -> str | None:
    """The limit (`cpu` or `memory`) a metric can be a share of: CpuUtilized, ContainerMemoryUtilized, ..."""
    return LIMITED.get(metric.removeprefix("Container")) if metric else None


def resolve(config: Config, definitions: dict[Path, dict]) -> tuple[Config, list[Problem]]:
    """Each `N%` threshold as a number, with a note saying of what; an error where no limit is known; and every
    CPU or memory threshold judged against what the container can reach.

    definitions: the task definition read for each service, by the service's path.
    """
    findings: list[Problem] = []

    def change(place: Place):
        alarms = concrete(config, place, definitions.get(place.path[:4]), findings)
        return place.container if alarms is None else place.container.model_copy(update={"alarms": alarms})

    return map_containers(config, change), findings


def concrete(config: Config, place: Place, definition: dict | None, findings: list[Problem]) -> list[Alarm] | None:
    """The container's alarms with each `N%` threshold made a number (findings appended to `findings`, with those
    of its number thresholds); None when it has no `N%` threshold. definition: its service's task definition, if read."""
    if definition is not None:
        findings += [found for n, alarm in enumerate(place.container.alarms)
                     for found in _number(config, place, n, alarm, definition)]
    if not any(percent(alarm.threshold) is not None for alarm in place.container.alarms):
        return None
    return [_concrete(config, place, n, alarm, definition, findings) for n, alarm in enumerate(place.container.alarms)]


def _concrete(config: Config, place: Place, number: int, alarm: Alarm, definition: dict | None,
              findings: list[Problem]) -> Alarm:
    share = percent(alarm.threshold)
    if share is None:
        return alarm
    where = place.path + ("alarms", number, "threshold")
    limit = limit_of(place, alarm, definition)
    if isinstance(limit, str):
        findings.append(NO_LIMIT.problem(where, f"threshold {alarm.threshold}: {limit}"))
        return alarm
    value = round(share / 100 * limit.value, 6)
    found = reach_of(config, place, alarm, definition)
    verdict = ceilings.judge(alarm.comparison, alarm.stat, value, found, (share, limit)) if found else None
    if verdict is not None:
        findings.append((CEILING if verdict.settled else ROOM).problem(
            where, f"threshold {alarm.threshold}: {verdict.message}; give a share below 100%"))
    if verdict is not None and verdict.settled:
        return alarm
    findings.append(RESOLVED.problem(where, f"alarm {alarm.name}: threshold {value:g} {limit.unit} = {share:g}% of the "
                                   f"{limit.source}"))
    return alarm.model_copy(update={"threshold": value})


def _number(config: Config, place: Place, number: int, alarm: Alarm, definition: dict) -> list[Problem]:
    """A number threshold on the container's CPU or memory, judged against what the container can reach."""
    if isinstance(alarm.threshold, str) or alarm.threshold is None:
        return []
    found = reach_of(config, place, alarm, definition)
    verdict = ceilings.judge(alarm.comparison, alarm.stat, float(alarm.threshold), found) if found else None
    if verdict is None:
        return []
    check, limit = (CEILING, found.most) if verdict.settled else (ROOM, found.sure)
    return [check.problem(place.path + ("alarms", number, "threshold"), f"threshold {alarm.threshold:g}: "
                          f"{verdict.message}; give a threshold below {limit.value:g} {limit.unit}")]


def reach_of(config: Config, place: Place, alarm: Alarm, definition: dict | None) -> Reach | None:
    """What the alarm's figure can reach, from the service's task definition: for an `N%` threshold the figure it is
    a share of, for a number the container's own CPU or memory (ceilings.number_field); None when not known."""
    field = limited_field(alarm.metric) if percent(alarm.threshold) is not None else \
        ceilings.number_field(config, place, alarm)
    if definition is None or field is None:
        return None
    try:
        return reach.reach(definition, place.container.name, field)
    except KeyError:
        return None   # a container the task definition does not have: said where its limits are needed


def limit_of(place: Place, alarm: Alarm, definition: dict | None) -> sizing.Limit | str:
    """The container's limit for the alarm's metric (`N%` is a share of it), or why there is none."""
    if definition is None:
        return "the service's task definition could not be read, so the limit is unknown"
    try:
        limits = sizing.limits(definition, place.container.name)
    except KeyError as error:
        return str(error.args[0])
    field = limited_field(alarm.metric)
    found = sizing.storage(definition) if field == "storage" else getattr(limits, field or "", None)
    return found or f"task definition '{sizing.label(definition)}' sets no {field} limit"


def wanted(config: Config) -> bool:
    """Whether any alarm has a percent threshold, so that task definitions must be read for it."""
    return any(percent(alarm.threshold) is not None for place in containers(config)
               for alarm in place.container.alarms)


def judged(config: Config, place: Place, alarm: Alarm) -> bool:
    """Whether the alarm's threshold is judged against its container's task definition: an `N%` threshold, or a
    number on the container's own CPU or memory."""
    return percent(alarm.threshold) is not None or (
        not isinstance(alarm.threshold, str) and alarm.threshold is not None
        and ceilings.number_field(config, place, alarm) is not None)
