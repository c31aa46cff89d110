"""Log groups named by task definitions, for containers whose `log_group` the config leaves out.

Each task definition is read once, however many services name it. An AWS failure (denied,
expired credentials, throttling past the retries) propagates as the AWS error it is; only a
task definition that does not exist (ECS `ClientException`, DescribeTaskDefinition API
reference) is a finding, one per service, at the config line that named it.
"""

from __future__ import annotations

from collections import defaultdict

import botocore.exceptions as bx

from monitor.aws import logconfig, services
from monitor.aws.clients import Clients
from monitor.aws.logconfig import LogTarget
from monitor.config.model import Config
from monitor.config.walk import Place, containers, map_containers
from monitor.problems import Path, Problem

NOT_FOUND = "ClientException"   # what DescribeTaskDefinition answers for an unknown family or revision
Definition = dict[str, dict] | str   # container definitions by name, or why there are none


def resolve(clients: Clients, config: Config) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` (and its Region and driver) read from a task definition."""
    wanting = _wanting(config)
    named, findings = services.named(clients, config, list(wanting))
    definitions = {reference: _describe(clients, reference) for reference in {r for r, _ in named.values()}}
    targets: dict[Path, LogTarget] = {}
    for path, (reference, origin) in named.items():
        definition = definitions[reference]
        if isinstance(definition, str):
            findings.append(Problem(origin, f"task definition '{reference}' could not be read: {definition}", "error"))
        else:
            findings += _targets(definition, wanting[path], reference, targets)
    return _with_targets(config, targets, clients.region), findings


def _wanting(config: Config) -> dict[Path, list[Place]]:
    """Containers with filters but no `log_group`, by the path of their service."""
    found: dict[Path, list[Place]] = defaultdict(list)
    for place in containers(config):
        if place.container.filters and not place.container.log_group:
            found[place.path[:4]].append(place)
    return found


def _describe(clients: Clients, reference: str) -> Definition:
    try:
        definition = clients.ecs.describe_task_definition(taskDefinition=reference)["taskDefinition"]
    except bx.ClientError as error:
        detail = error.response.get("Error", {})
        if detail.get("Code") != NOT_FOUND:
            raise
        return detail.get("Message") or "it does not exist"
    return {c["name"]: c for c in definition.get("containerDefinitions", [])}


def _targets(definition: dict[str, dict], places: list[Place], reference: str,
             targets: dict[Path, LogTarget]) -> list[Problem]:
    """Each container's log target into `targets`; a finding for each container that has none."""
    findings = []
    for place in places:
        name = place.container.name
        found = logconfig.target(definition, name) if name in definition else None
        if isinstance(found, LogTarget):
            targets[place.path] = found
        elif found is None:
            findings.append(Problem(place.path + ("name",), f"task definition '{reference}' has no container "
                                    f"'{name}'; known: {', '.join(definition)}", "error"))
        else:
            findings.append(Problem(place.path, found, "error"))
    return findings


def _with_targets(config: Config, targets: dict[Path, LogTarget], home: str | None) -> Config:
    """A log group in the home Region carries no `log_region`, however it was said."""
    def change(place: Place):
        found = targets.get(place.path)
        update = {"log_region": None} if place.container.log_region == home else {}
        if found:
            update = {"log_group": found.group, "log_region": None if found.region in (None, home) else found.region,
                      "create_log_group": found.creates, "firelens_metadata": found.metadata}
        return place.container.model_copy(update=update)
    return map_containers(config, change)
