"""Log groups named by task definitions: the awslogs driver's `awslogs-group` option."""

from __future__ import annotations

import botocore.exceptions as bx

from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import Place, containers, map_containers
from monitor.problems import Problem


def resolve(clients: Clients, config: Config) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` read from its service's task definition."""
    found: dict[tuple, str] = {}
    findings: list[Problem] = []
    definitions: dict[str, dict | Problem] = {}
    for place in containers(config):
        if place.container.log_group or not place.service.task_definition:
            continue
        family = place.service.task_definition
        if family not in definitions:
            definitions[family] = _describe(clients, family, place.path[:4] + ("task_definition",))
        result = _log_group(definitions[family], place)
        if isinstance(result, Problem):
            findings.append(result)
        else:
            found[place.path] = result
    return (_with_log_groups(config, found) if found else config), findings


def _describe(clients: Clients, family: str, origin: tuple) -> dict | Problem:
    try:
        definition = clients.ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]
    except bx.ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        return Problem(origin, f"task definition '{family}' could not be read: {message}", "error")
    return {c["name"]: c for c in definition.get("containerDefinitions", [])}


def _log_group(definition: dict | Problem, place: Place) -> str | Problem:
    if isinstance(definition, Problem):
        return definition
    name = place.container.name
    logging = definition.get(name, {}).get("logConfiguration", {})
    group = logging.get("options", {}).get("awslogs-group")
    if name not in definition:
        return Problem(place.path + ("name",), f"task definition '{place.service.task_definition}' has no container "
                                f"'{name}'; known: {', '.join(definition)}", "error")
    if logging.get("logDriver") != "awslogs" or not group:
        return Problem(place.path, f"container '{name}' does not log with the awslogs driver in its task "
                                "definition; set 'log_group' in the config", "error")
    return group


def _with_log_groups(config: Config, found: dict[tuple, str]) -> Config:
    return map_containers(config, lambda place: place.container.model_copy(
        update={"log_group": found.get(place.path, place.container.log_group)}))
