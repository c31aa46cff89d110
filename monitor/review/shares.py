"""Alarm thresholds written as `N%` of a container's limit, as the review shows and checks them.

The number and its note come from monitor/resolved/thresholds.py (the same the plan prints); here each
also keeps the limit it is a share of, because whether a share above 100% can ever be reached
depends on it: a hard memory limit, the task's memory and the task's CPU are ceilings (the
container is killed past its hard limit; the task-level cpu and memory are hard upper bounds,
"Task size", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size),
while a soft limit (memoryReservation) and a container's CPU share (CpuShares) are not.
Task definitions come from files (offline) or from the account (read only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FilePath

from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.problems import Path
from monitor.resolved import services, taskdefs, thresholds
from monitor.review import collect
from monitor.taskdefs import files as taskfiles
from monitor.taskdefs import sizing

CEILINGS = (sizing.HARD, sizing.TASK)
Definitions = dict[Path, dict]   # service path -> its task definition


@dataclass(frozen=True)
class Share:
    """An `N%` threshold: the percent, the limit (None: unknown) and the note saying what it stands for."""

    percent: float
    limit: sizing.Limit | None
    note: str

    @property
    def ceiling(self) -> bool | None:
        """Whether the limit is a ceiling the metric cannot pass; None when the limit is unknown."""
        return None if self.limit is None else self.limit.kind in CEILINGS


def from_files(files: Iterable[str | FilePath], config: Config) -> Definitions:
    """Each service's task definition among the files (matched as collect.from_files matches them).

    Raises taskfiles.TaskFileError for a file that is not a task definition.
    """
    found = {}
    for file in files:
        definition = taskfiles.load(file)
        path, service = collect.serving(config, definition["family"])
        if service is not None:
            found[path] = definition
    return found


def from_account(clients: Clients, config: Config) -> Definitions:
    """The task definitions of the services that have `N%` thresholds (DescribeServices and
    DescribeTaskDefinition, read only); one that cannot be read leaves its shares unknown."""
    paths = sorted({place.path[:4] for place in containers(config)
                    if any(thresholds.percent(a.threshold) is not None for a in place.container.alarms)})
    if not paths:
        return {}
    named, _ = services.named(clients, config, paths)
    read = {ref: taskdefs.describe(clients, ref) for ref in {ref for ref, _ in named.values()}}
    return {path: read[ref] for path, (ref, _) in named.items() if isinstance(read[ref], dict)}


def resolve(config: Config, definitions: Definitions) -> tuple[Config, dict[Path, Share]]:
    """The config with every share it can make a number of, and each share by its alarm's path."""
    resolved, notes = thresholds.resolve(config, definitions)
    said = {problem.path[:-1]: problem.message for problem in notes}
    found = {}
    for place in containers(config):
        for number, alarm in enumerate(place.container.alarms):
            share = thresholds.percent(alarm.threshold)
            if share is None:
                continue
            path = place.path + ("alarms", number)
            limit = thresholds.limit_of(place, alarm, definitions.get(place.path[:4]))
            known = limit if isinstance(limit, sizing.Limit) else None
            note = said.get(path, "").split(": ", 1)[-1].removeprefix("threshold ")
            found[path] = Share(share, known, note if known else f"{share:g}% of the limit, unknown: {limit}")
    return resolved, found
