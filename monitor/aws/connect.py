"""Clients for the target the user named, or for an embedded emulator seeded from the config."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath

from monitor.aws.clients import Clients, Target
from monitor.config import Loaded
from monitor.config.walk import containers
from monitor.insights import performance_log_group
from monitor.review import taskfiles
from monitor.sync.resources import regional

LOCAL_REGION = "us-east-1"


TASK_DEFINITIONS = "task-definitions"   # beside the config: what the embedded emulator registers


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
        return importlib.import_module("monitor.aws.emulator")
    except ImportError as error:
        raise MissingExtra("the embedded emulator needs moto: pip install 'ecs-monitor[local]'") from error


def task_definition_files(config_path: str | FilePath) -> list[FilePath]:
    """The `task-definitions/*.json` files beside the config, in name order."""
    return sorted((FilePath(config_path).resolve().parent / TASK_DEFINITIONS).glob("*.json"))


def task_definitions(loaded: Loaded) -> list[dict]:
    """The task definitions in a `task-definitions/` folder beside the config (RegisterTaskDefinition's
    input, as `aws ecs register-task-definition --cli-input-json` takes it), of the families the
    config's services name: the embedded emulator registers them, as a deploy pipeline would have.

    Raises taskfiles.TaskFileError (a ValueError) for a file that is not JSON, or is too large or too
    deeply nested to be a task definition, with its line and column.
    """
    named = {service.task_definition.split(":")[0] for cluster in loaded.config.clusters
             for service in cluster.services if service.task_definition}
    found = []
    for path in task_definition_files(loaded.source.name) if named else ():
        document = taskfiles.read(path)
        if isinstance(document, dict) and document.get("family") in named:
            found.append(document)
    return found


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
