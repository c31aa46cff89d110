"""Clients for the target the user named, or for an embedded emulator seeded from the config."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from monitor.aws.clients import Clients, Target
from monitor.config.walk import containers, task_families
from monitor.insights import performance_log_group
from monitor.resolved import Loaded
from monitor.state.resources import regional
from monitor.taskdefs import files

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
    with local_emulator().start(region, *(seed(loaded) if loaded else ((), ())),
                                task_definitions=task_definitions(loaded) if loaded else ()) as running:
        yield Clients(Target(region, endpoint_url=running.url, local=True))


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



def seed(loaded: Loaded) -> tuple[list[str], list[str]]:
    """The clusters and app log groups the config names, a group in another Region as `region:name`.

    Groups the plan creates itself (performance groups, and those a task would create) are left out.
    """
    config = loaded.config
    clusters = [cluster.name for cluster in config.clusters]
    groups = sorted({regional(p.container.log_region, p.container.log_group) for p in containers(config)
                     if p.container.log_group and not p.container.create_log_group}
                    - {performance_log_group(name) for name in clusters})
    return clusters, groups
