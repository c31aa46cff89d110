"""Layer four for alarms: `use:` references to presets and to filters' recommended alarms, resolved.

`use: memory-high` takes the preset alarms/memory-high.yaml; `use: errors:high` takes the alarm
`high` of the container's filter named `errors` (whatever catalogue definition that filter uses),
on that filter's metric, named `errors-high`. Every other key of the entry overrides the
reference's (threshold, actions, treat_missing_data, name, ...); its `tests:` are the entry's own.
"""

from __future__ import annotations

import difflib

from monitor.config.model import Alarm, Config, Filter
from monitor.config.presets import NAME_CHARS, SEPARATOR, Preset, name_problem
from monitor.config.walk import Place, containers, map_containers
from monitor.insights import PERFORMANCE_METRICS
from monitor.problems import ERROR, Check, Path, Problem, Source

REQUIRED = ("name",)   # the other keys depend on the kind of alarm: monitor/kinds/alarm_checks.py
INSIGHTS = "ECS/ContainerInsights"

IN_DEFINITION = Check("ALM-002", ERROR, "a recommended alarm written in the config, not in a catalogue definition")
UNNAMED = Check("ALM-003", ERROR, "an alarm with neither a name nor a 'use:'")
UNKNOWN_USE = Check("ALM-004", ERROR, "an alarm that uses no preset or filter alarm")
NOT_PRODUCED = Check("ALM-005", ERROR, "a preset on a metric the container does not produce")
CASE_SHAPE = Check("ALM-006", ERROR, "an alarm test case with neither or both of 'series:' and 'logs:'")
CHECKS = (IN_DEFINITION, UNNAMED, UNKNOWN_USE, NOT_PRODUCED, CASE_SHAPE)


def check(model: Config, resolved: Config, source: Source, presets: dict[str, Preset]) -> list[Problem]:
    """Every bad reference, incomplete entry and unusable test case, each at its key.

    model: the config as written; resolved: the same with filters' `use:` resolved (their alarms known).
    """
    found: list[tuple[Check, Path, str]] = []
    for written, place in zip(containers(model), containers(resolved)):
        found += [(IN_DEFINITION, place.path + ("filters", n, "alarms"), "recommended alarms are written in a catalogue "
                   "definition; write this one in the container's `alarms:`")
                  for n, item in enumerate(written.container.filters) if item.alarms]
        for number, alarm in enumerate(place.container.alarms):
            path = place.path + ("alarms", number)
            found += [(check, path + key, message) for check, key, message in _entry(place, alarm, presets)]
    return [check.problem(path, message, source=source) for check, path, message in found]


def _entry(place: Place, alarm: Alarm, presets: dict[str, Preset]) -> list[tuple[Check, Path, str]]:
    if alarm.use is None:
        missing = [key for key in REQUIRED if getattr(alarm, key) is None]
        found = [(UNNAMED, (), f"required key '{key}' is missing (or 'use:' a preset)") for key in missing]
    else:
        found = _reference(place, alarm, presets)
    complete = _apply(place, alarm, presets)
    if complete is not None and complete.name and (message := name_problem(complete.name, ("/",))):
        found.append((NAME_CHARS, ("name" if alarm.name else "use",), message))
    return found + _cases(alarm)


def _reference(place: Place, alarm: Alarm, presets: dict[str, Preset]) -> list[tuple[Check, Path, str]]:
    """An unknown reference, or a preset on a metric this container does not produce."""
    if _target(place, alarm.use, presets) is None:
        known = sorted(presets) + _filter_references(place)
        close = difflib.get_close_matches(alarm.use, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return [(UNKNOWN_USE, ("use",), f"no preset or filter alarm '{alarm.use}'; {hint}known here: {', '.join(known) or 'none'}")]
    if alarm.use in presets and (message := _not_produced(place, presets[alarm.use].alarm)):
        return [(NOT_PRODUCED, ("use",), f"preset '{alarm.use}' watches {message}")]
    return []


def _filter_references(place: Place) -> list[str]:
    return [f"{item.name}{SEPARATOR}{alarm.name}" for item in place.container.filters for alarm in item.alarms]


def _target(place: Place, use: str, presets: dict[str, Preset]) -> Alarm | None:
    """The complete alarm a reference names, before the entry's overrides; None when there is none."""
    if use in presets:
        return presets[use].alarm
    owner, _, short = use.partition(SEPARATOR)
    item = next((f for f in place.container.filters if f.name == owner), None)
    found = next((a for a in item.alarms if a.name == short), None) if item else None
    return _on_filter(item, found) if found else None


def _on_filter(item: Filter, alarm: Alarm) -> Alarm:
    """A filter's alarm on the metric the container's filter publishes (unless it is metric math,
    whose `metrics:` name theirs), named after the filter."""
    metric = {} if alarm.metrics is not None else {"metric": item.metric}
    return alarm.model_copy(update={**metric, "name": f"{item.name}-{alarm.name}"})


def _not_produced(place: Place, alarm: Alarm) -> str | None:
    """Why the container has no data for the preset's metric, or None when it has."""
    if alarm.namespace == INSIGHTS and place.cluster.container_insights == "disabled":
        return (f"{INSIGHTS} {alarm.metric}, which cluster '{place.cluster.name}' does not publish: "
                "its container_insights is disabled")
    if alarm.namespace is not None or alarm.metric is None:
        return None
    if any(item.metric == alarm.metric for item in place.container.filters):
        return None
    field = alarm.metric.removeprefix("Container")
    if field not in PERFORMANCE_METRICS:
        return f"{alarm.metric}, which no filter of container '{place.container.name}' publishes"
    if place.cluster.container_insights == "enhanced" or field in place.container.performance_metrics:
        return None
    return (f"{alarm.metric}, which container '{place.container.name}' does not produce: add {field} to its "
            "performance_metrics, or set the cluster's container_insights to enhanced")


def _cases(alarm: Alarm) -> list[tuple[Check, Path, str]]:
    """A test case gives either the series itself or a log sample that makes one."""
    return [(CASE_SHAPE, ("tests", n), "give either 'series:' or 'logs:' (a log sample), not both" if case.series is not None
             else "give 'series:' (one value a period) or 'logs:' (a log sample)")
            for n, case in enumerate(alarm.tests) if (case.series is None) == (case.logs is None)]


def _apply(place: Place, alarm: Alarm, presets: dict[str, Preset]) -> Alarm | None:
    """The entry merged over what it uses; the entry itself when it uses nothing; None for a bad reference."""
    if alarm.use is None:
        return alarm
    target = _target(place, alarm.use, presets)
    if target is None:
        return None
    overrides = alarm.model_dump(exclude_unset=True, exclude={"use", "tests"})
    return target.model_copy(update={**overrides, "use": alarm.use, "tests": alarm.tests})


def resolve(config: Config, presets: dict[str, Preset]) -> Config:
    """The config (its filters already resolved) with every alarm's `use:` replaced by the alarm it names."""
    def resolved(place: Place):
        alarms = [_apply(place, alarm, presets) or alarm for alarm in place.container.alarms]
        return place.container.model_copy(update={"alarms": alarms})
    return map_containers(config, resolved)
