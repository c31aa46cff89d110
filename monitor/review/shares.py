"""Alarm thresholds written as `N%` of a container's limit, and what each CPU or memory figure can reach, as the
review shows and checks them.

The number and its note come from monitor/resolved/thresholds.py (the same the plan prints); here each
also keeps the limit it is a share of. Whether a threshold can ever be crossed depends on what the container can
reach (thresholds.reach_of, judged by monitor/resolved/ceilings.py, as validate and plan judge it): a hard memory
limit, the task's memory and the task's CPU are ceilings (the container is killed past its hard limit; the
task-level cpu and memory are hard upper bounds, "Task size",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size),
while a soft limit (memoryReservation) and a container's CPU share (CpuShares) are not.
Task definitions come from files (offline: `--task-definitions` and task-definitions/ beside the config) or from
the account (read only).
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
from monitor.taskdefs.reach import Reach

CEILINGS = sizing.CEILINGS
Definitions = dict[Path, dict]   # service path -> its task definition
Reaches = dict[Path, Reach]      # alarm path -> what its figure can reach


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
    """The task definitions of the services that have thresholds judged against them (`N%`, or a number on a
    container's CPU or memory: thresholds.judged; DescribeServices and DescribeTaskDefinition, read only); one that
    cannot be read leaves its shares unknown."""
    paths = sorted({place.path[:4] for place in containers(config)
                    if any(thresholds.judged(config, place, a) for a in place.container.alarms)})
    if not paths:
        return {}
    named, _ = services.named(clients, config, paths)
    read = {ref: taskdefs.describe(clients, ref) for ref in {ref for ref, _ in named.values()}}
    return {path: read[ref] for path, (ref, _) in named.items() if isinstance(read[ref], dict)}


def resolve(config: Config, definitions: Definitions) -> tuple[Config, dict[Path, Share], Reaches]:
    """The config with every share it can make a number of, each share by its alarm's path, and what each judged
    alarm's figure can reach, by its path."""
    resolved, notes = thresholds.resolve(config, definitions)
    said = {problem.path[:-1]: problem.message for problem in notes if problem.check == thresholds.RESOLVED}
    found, reaches = {}, {}
    for place in containers(config):
        definition = definitions.get(place.path[:4])
        for number, alarm in enumerate(place.container.alarms):
            path = place.path + ("alarms", number)
            if (reach := thresholds.reach_of(config, place, alarm, definition)) is not None:
                reaches[path] = reach
            share = thresholds.percent(alarm.threshold)
            if share is None:
                continue
            limit = thresholds.limit_of(place, alarm, definition)
            known = limit if isinstance(limit, sizing.Limit) else None
            note = said[path].split(": ", 1)[-1].removeprefix("threshold ") if path in said else \
                f"{share:g}% of {limit.source}, past what the container can use: see its finding" if known else \
                f"{share:g}% of the limit, unknown: {limit}"
            found[path] = Share(share, known, note)
    return resolved, found, reaches
