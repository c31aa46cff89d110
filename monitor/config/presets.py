"""The alarms/ catalogue: recommended alarms as data, and the rules every catalogue alarm follows.

A preset (alarms/<name>.yaml) is an `alarms:` entry written once, on a metric named as any alarm
names one (a performance metric such as MemoryUtilized, or an AWS metric with its `namespace`).
A filter definition (filters/<name>.yaml) may carry recommended `alarms:` on its own metric, with
no `metric` key: they watch whatever metric the container's filter publishes. A container opts in
with `use: <preset>` or `use: <filter>:<alarm>` (monitor/config/alarm_uses.py).

Each preset file cites, in its comments, the section of CloudWatch's "Recommended alarms" page it
follows (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html:
Amazon ECS, ECS with Container Insights, Amazon SQS; for CPU and memory Average over 60 s, 5 of 5,
above 80), and its description says which numbers are ours where the page gives none (it says
"Depends on your situation") or has no section (load balancers).

A preset is plain data with the same keys as a config's alarm, so alarms written with metric math
(`metrics:`, when alarms take it) are presets too: one with `metrics` needs no `metric`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath

from monitor.config import structure, yamlfile
from monitor.config.model import Alarm
from monitor.problems import ERROR, WARNING, Check, Path, Problem, Source

# The catalogues' own checks (filters/, alarms/, dashboards/ definitions); monitor/config/catalogue.py shares them.
CATALOGUE_KEY = Check("CAT-001", ERROR, "a catalogue definition without a required key")
CATALOGUE_USE = Check("CAT-002", ERROR, "a catalogue definition that uses another")
FILE_NAME = Check("CAT-003", ERROR, "a catalogue definition not named as its file")
SHADOWS = Check("CAT-004", WARNING, "a local catalogue file that replaces a built-in definition")
OWN_METRIC_KEY = Check("CAT-005", ERROR, "a filter definition's alarm that names a metric of its own")
SERIES_ONLY = Check("CAT-006", ERROR, "a catalogue alarm's test case without a series")
NAME_CHARS = Check("ALM-001", ERROR, "an alarm name with a character that breaks ecs-monitor's alarm names")
CHECKS = (CATALOGUE_KEY, CATALOGUE_USE, FILE_NAME, SHADOWS, OWN_METRIC_KEY, SERIES_ONLY, NAME_CHARS)

FOLDER = "alarms"
SEPARATOR = ":"   # `<filter>:<alarm>`; AWS allows no ':' in a filter name, so the split is unambiguous
FORBIDDEN = ("/", SEPARATOR)   # `/` separates the parts of <prefix>/<cluster>/<service>/<container>/<alarm>
OWN_METRIC = ("metric", "namespace", "dimensions")   # a filter's alarm watches the filter's own metric


@dataclass(frozen=True)
class Preset:
    """A preset and the file it came from."""

    alarm: Alarm
    source: Source

    @property
    def name(self) -> str:
        return self.alarm.name


def read_one(file: FilePath) -> tuple[Preset | None, list[Problem]]:
    """One alarms/*.yaml file, checked; None when it cannot be used."""
    source, problems = yamlfile.load(file)
    if problems:
        return None, problems
    item, problems = structure.check(Alarm, source)
    if item is None:
        return None, problems
    problems = definition_problems(item, (), source, on_filter=False)
    if item.name is not None and item.name != file.stem:
        problems.append(FILE_NAME.problem(("name",), f"name '{item.name}' must match the file name '{file.stem}'",
                                source=source))
    return (None if problems else Preset(item, source)), problems


def definition_problems(alarm: Alarm, path: Path, source: Source, on_filter: bool) -> list[Problem]:
    """What makes a catalogue alarm (a preset, or a filter definition's alarm) unusable."""
    found = [(CATALOGUE_KEY, (), f"required key '{key}' is missing") for key in _required(alarm, on_filter)
             if getattr(alarm, key) is None]
    if alarm.use is not None:
        found.append((CATALOGUE_USE, "use", "a catalogue alarm cannot 'use' another"))
    if alarm.name is not None and (message := name_problem(alarm.name)):
        found.append((NAME_CHARS, "name", message))
    if on_filter:
        found += [(OWN_METRIC_KEY, key, f"a filter's alarm watches the filter's own metric; remove '{key}'")
                  for key in OWN_METRIC if getattr(alarm, key) is not None]
    found += [(SERIES_ONLY, ("tests", n), "a catalogue alarm's tests give a `series:`; log samples belong to a config's alarms")
              for n, case in enumerate(alarm.tests) if case.series is None or case.logs is not None]
    return [check.problem(path + (key if isinstance(key, tuple) else (key,)), message, source=source)
            for check, key, message in found]


def _required(alarm: Alarm, on_filter: bool) -> tuple[str, ...]:
    keys = ("name", "comparison", "threshold")
    math = getattr(alarm, "metrics", None)   # a metric-math preset names its metrics there
    return keys if on_filter or math else keys + ("metric",)


def name_problem(name: str, forbidden: tuple[str, ...] = FORBIDDEN) -> str | None:
    """An alarm's short name becomes the last part of `<prefix>/<cluster>/<service>/<container>/<alarm>`;
    a catalogue alarm's is also the right side of `<filter>:<alarm>`."""
    bad = [char for char in forbidden if char in name]
    if bad:
        allowed = " and ".join(f"'{char}'" for char in forbidden)
        return (f"alarm name '{name}' contains '{bad[0]}'; it becomes the last part of "
                f"<prefix>/<cluster>/<service>/<container>/<alarm>, so {allowed} cannot be in it")
    return None
