"""Each configured container's CPU and memory limit, from the task definition its service runs.

The task definition is the config's `task_definition`, else the one DescribeServices names
(monitor/resolved/services.py); each is read once with DescribeTaskDefinition and turned into limits
by monitor/taskdefs/sizing.py. What cannot be read is a note, not a failure: the container then has
no utilization ratio. An endpoint that does not answer is a failure (retries.SILENT): it would say
the same for every task definition, and the command's budget against it is spent.
"""

from __future__ import annotations

import botocore.exceptions as bx

from monitor.aws import retries
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.names.identity import Identity
from monitor.resolved import services, taskdefs
from monitor.taskdefs import sizing


def paths(config: Config) -> list[tuple]:
    """The paths of the services whose task definitions `read` reads: every one with a container."""
    return sorted({place.path[:4] for place in containers(config)})


def read(clients: Clients, config: Config) -> tuple[dict[Identity, sizing.Limits], list[str]]:
    """Identity -> limits for every container whose task definition could be read; notes for the rest."""
    try:
        named, problems = services.named(clients, config, paths(config))
    except retries.SILENT:
        raise
    except (bx.ClientError, bx.BotoCoreError) as error:
        return {}, [f"services could not be described, so no limits are known: {error}"]
    notes = [f"{_service(config, p.path)}: the service is not running and the config names no task_definition"
             for p in problems]
    found: dict[Identity, sizing.Limits] = {}
    read_: dict[str, taskdefs.Definition] = {}
    for place in containers(config):
        reference = named.get(place.path[:4], (None,))[0]
        if reference is None:
            continue
        definition = read_.setdefault(reference, _describe(clients, reference))
        owner = Identity(place.cluster.name, place.service.name, place.container.name)
        try:
            found[owner] = sizing.limits(definition, place.container.name) if isinstance(definition, dict) else None
        except KeyError as error:
            notes.append(str(error.args[0]))
        if isinstance(definition, str):
            notes.append(f"task definition '{reference}' could not be read: {definition}")
    return {k: v for k, v in found.items() if v is not None}, sorted(set(notes))


def _describe(clients: Clients, reference: str) -> taskdefs.Definition:
    try:
        return taskdefs.describe(clients, reference)
    except retries.SILENT:
        raise
    except (bx.ClientError, bx.BotoCoreError) as error:
        return str(error)


def _service(config: Config, path: tuple) -> str:
    cluster = config.clusters[path[1]]
    return f"{cluster.name}/{cluster.services[path[3]].name}"
