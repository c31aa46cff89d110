"""Log groups named by task definitions: the awslogs driver's `awslogs-group` option."""

from __future__ import annotations

import botocore.exceptions as bx

from monitor.aws import Clients
from monitor.config.model import Config
from monitor.config.walk import Place, containers, map_containers
from monitor.resources import Finding


def resolve(clients: Clients, config: Config) -> tuple[Config, list[Finding]]:
    """The config with each missing `log_group` read from its service's task definition."""
    found: dict[tuple, str] = {}
    findings: list[Finding] = []
    definitions: dict[str, dict | Finding] = {}
    for place in containers(config):
        if place.container.log_group or not place.service.task_definition:
            continue
        family = place.service.task_definition
        if family not in definitions:
            definitions[family] = _describe(clients, family, place.path[:4] + ("task_definition",))
        result = _log_group(definitions[family], place)
        if isinstance(result, Finding):
            findings.append(result)
        else:
            found[place.path] = result
    return (_with_log_groups(config, found) if found else config), findings


def _describe(clients: Clients, family: str, origin: tuple) -> dict | Finding:
    try:
        definition = clients.ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]
    except bx.ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        return Finding("error", f"task definition '{family}' could not be read: {message}", origin)
    return {c["name"]: c for c in definition.get("containerDefinitions", [])}


def _log_group(definition: dict | Finding, place: Place) -> str | Finding:
    if isinstance(definition, Finding):
        return definition
    name = place.container.name
    logging = definition.get(name, {}).get("logConfiguration", {})
    group = logging.get("options", {}).get("awslogs-group")
    if name not in definition:
        return Finding("error", f"task definition '{place.service.task_definition}' has no container "
                                f"'{name}'; known: {', '.join(definition)}", place.path + ("name",))
    if logging.get("logDriver") != "awslogs" or not group:
        return Finding("error", f"container '{name}' does not log with the awslogs driver in its task "
                                "definition; set 'log_group' in the config", place.path)
    return group


def _with_log_groups(config: Config, found: dict[tuple, str]) -> Config:
    return map_containers(config, lambda place: place.container.model_copy(
        update={"log_group": found.get(place.path, place.container.log_group)}))
