"""Clients for the target the user named, or for an embedded emulator seeded from the config."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from monitor.aws.clients import Clients, Target
from monitor.config.walk import containers, task_families
from monitor.insights import performance_log_group
from monitor.resolved import Loaded
from monitor.state.resources import regional
from monitor.taskdefs import files, logconfig

LOCAL_REGION = "us-east-1"


class MissingExtra(RuntimeError):
    """An optional dependency the command needs is not installed."""


@contextmanager
def connect(target: Target, loaded: Loaded | None, local: bool) -> Iterator[Clients]:
    """Clients for the target, or for an embedded emulator seeded from the config (if any)."""
    region = target.region or (loaded.config.region if loaded else None)
    if not local:
        yield Clients(Target(region, target.profile, target.endpoint_url))
        return
    region = region or LOCAL_REGION
    with start_seeded(loaded, region)[0] as running:
        yield Clients(Target(region, endpoint_url=running.url, local=True))


@dataclass(frozen=True)
class Seed:
    """What an emulator is seeded with: clusters, log groups (`region:name` outside home), task definitions."""

    clusters: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    task_definitions: list[dict] = field(default_factory=list)


def start_seeded(loaded: Loaded | None, region: str, port: int = 0):
    """The embedded emulator on 127.0.0.1 (`port` 0: a free one), seeded from a valid config (or
    nothing), as `--local`, `monitor demo` and `monitor emulator` all serve it; and its Seed.

    Raises MissingExtra without moto, TaskFileError for a bad task-definitions/ file, OSError for a
    port that cannot be bound.
    """
    found = Seed(*seed(loaded, region), task_definitions(loaded)) if loaded and loaded.ok else Seed()
    running = local_emulator().start(region, found.clusters, found.groups, port=port,
                                     task_definitions=found.task_definitions)
    return running, found


def local_emulator():
    """The emulator module, imported only when asked for: moto is an optional extra."""
    try:
        return importlib.import_module("monitor.emulator.server")
    except ImportError as error:
        raise MissingExtra("the embedded emulator needs moto: pip install 'ecs-monitor[local]'") from error


def task_definitions(loaded: Loaded) -> list[dict]:
    """The task definitions beside the config (monitor/taskdefs/files.py) of the families its services
    name, as RegisterTaskDefinition's input: the embedded emulator registers them, as a deploy pipeline
    would have. Raises TaskFileError for a file that is not a task definition."""
    return [files.registration(d) for d in files.of_families(loaded.source.name, task_families(loaded.config))]


def seed(loaded: Loaded, home: str | None = None) -> tuple[list[str], list[str]]:
    """The clusters, and the app log groups the config and its task definitions name, a group in
    another Region than `home` as `region:name`.

    Groups the plan creates itself (performance groups, and those a task would create) are left out.
    Raises TaskFileError for a task-definitions/ file that is not a task definition.
    """
    config = loaded.config
    clusters = [cluster.name for cluster in config.clusters]
    named = {regional(p.container.log_region, p.container.log_group) for p in containers(config)
             if p.container.log_group and not p.container.create_log_group}
    groups = (named | set(task_definition_groups(task_definitions(loaded), home))) - \
        {performance_log_group(name) for name in clusters}
    return clusters, sorted(groups)


def task_definition_groups(definitions: list[dict], home: str | None) -> list[str]:
    """The log groups the containers of these task definitions send to (monitor/taskdefs/logconfig.py),
    as a deploy would have left them: a group the awslogs driver or FireLens creates itself is left
    out, as the plan creates it."""
    found = []
    for definition in definitions:
        by_name = {c["name"]: c for c in definition.get("containerDefinitions", [])}
        for name in by_name:
            where = logconfig.target(by_name, name)
            if isinstance(where, logconfig.LogTarget) and not where.creates:
                found.append(regional(None if where.region in (None, home) else where.region, where.group))
    return found
