"""Task definitions read at plan time: the log groups of containers whose `log_group` the config
leaves out, and the sizing problems (`sizing.problems`) of every service whose task definition is read.

A service's task definition is read when one of its containers needs a log group, or when the
config names it (`task_definition`). Each is read once, however many services name it. An AWS
failure (denied, expired credentials, throttling past the retries) propagates as the AWS error it
is; only a task definition that does not exist (ECS `ClientException`, DescribeTaskDefinition API
reference) is a finding, one per service, at the config line that named it: an error where a log
group depends on it, else a warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import botocore.exceptions as bx

from monitor.aws.clients import Clients
from monitor.config import facts
from monitor.config.model import Config, Service
from monitor.config.walk import Place, containers, map_containers
from monitor.problems import Path, Problem
from monitor.resolved import services, thresholds
from monitor.taskdefs import logconfig, sizing
from monitor.taskdefs.logconfig import LogTarget

NOT_FOUND = "ClientException"   # what DescribeTaskDefinition answers for an unknown family or revision
Definition = dict | str   # DescribeTaskDefinition's `taskDefinition`, or why there is none


def resolve(clients: Clients, config: Config, sizes: bool = True) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` (and its Region and driver) read from a task definition.

    With `sizes`, the findings also hold the sizing problems of each task definition read, and
    every task definition the config names is read; without (destroy), only what log groups need.
    """
    wanting = _wanting(config)
    named, findings = services.named(clients, config, list(wanting) + (_naming(config, wanting) if sizes else []))
    definitions = {reference: describe(clients, reference) for reference in {r for r, _ in named.values()}}
    targets: dict[Path, LogTarget] = {}
    read: dict[Path, dict] = {}
    for path, (reference, origin) in named.items():
        definition = definitions[reference]
        if isinstance(definition, str):
            findings.append(_unreadable(reference, definition, origin, needed=path in wanting))
            continue
        read[path] = definition
        findings += _sizing(definition, origin, _service(config, path)) if sizes else []
        findings += _targets(_by_name(definition), wanting.get(path, []), reference, targets)
    resolved, made = thresholds.resolve(_with_targets(config, targets, clients.region), read if sizes else {})
    return _with_limits(resolved, read if sizes else {}), findings + (made if sizes else [])


def _with_limits(config: Config, read: dict[Path, dict]) -> Config:
    """Each container's limits from the task definition read for its service, carried in the config's
    facts to what draws them (dashboards): read here once, never again."""
    found = {(p.cluster.name, p.service.name, p.container.name): sizing.limits(read[p.path[:4]], p.container.name)
             for p in containers(config)
             if p.path[:4] in read and p.container.name in _by_name(read[p.path[:4]])}
    return facts.with_facts(config, limits=found) if found else config


def _wanting(config: Config) -> dict[Path, list[Place]]:
    """Containers with filters but no `log_group`, by the path of their service."""
    found: dict[Path, list[Place]] = defaultdict(list)
    for place in containers(config):
        if place.container.filters and not place.container.log_group:
            found[place.path[:4]].append(place)
    return found


def _naming(config: Config, wanting: dict[Path, list[Place]]) -> list[Path]:
    """The other services that name a task definition: read for their sizing alone."""
    return [("clusters", c, "services", s) for c, cluster in enumerate(config.clusters)
            for s, service in enumerate(cluster.services)
            if service.task_definition and ("clusters", c, "services", s) not in wanting]


def _service(config: Config, path: Path) -> Service:
    return config.clusters[path[1]].services[path[3]]


def describe(clients: Clients, reference: str) -> Definition:
    """DescribeTaskDefinition's `taskDefinition`; for one that does not exist, why (AWS's message)."""
    try:
        return clients.ecs.describe_task_definition(taskDefinition=reference)["taskDefinition"]
    except bx.ClientError as error:
        detail = error.response.get("Error", {})
        if detail.get("Code") != NOT_FOUND:
            raise
        return detail.get("Message") or "it does not exist"


def _by_name(definition: dict) -> dict[str, dict]:
    return {c["name"]: c for c in definition.get("containerDefinitions", [])}


def _unreadable(reference: str, why: str, origin: Path, needed: bool) -> Problem:
    """An error where a container's log group depends on it; else only its sizing goes unchecked."""
    if needed:
        return Problem(origin, f"task definition '{reference}' could not be read: {why}", "error")
    return Problem(origin, f"task definition '{reference}' could not be read, so its container sizes are not "
                   f"checked: {why}", "warning")


def offline(config: Config, definitions: list[dict]) -> list[Problem]:
    """The sizing problems of the task definitions given as files (RegisterTaskDefinition's input
    shape, e.g. from task-definitions/ beside the config), each at the `task_definition` line of
    every service naming its family: what `validate` can say before anything is registered.
    """
    by_family = {definition.get("family"): definition for definition in definitions}
    return [problem for c, cluster in enumerate(config.clusters) for s, service in enumerate(cluster.services)
            if service.task_definition and (found := by_family.get(service.task_definition.split(":")[0]))
            for problem in _sizing(found, ("clusters", c, "services", s, "task_definition"), service)]


def _sizing(definition: dict, origin: Path, service: Service) -> list[Problem]:
    """The task definition's sizing problems, at the line that named it; the config's containers are the main ones."""
    return [replace(p, path=origin) for p in sizing.problems(definition, [c.name for c in service.containers])]


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


def offline_log_groups(config: Config, definitions: list[dict]) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` read from the task-definition files given (those of
    task-definitions/ beside the config), matched by the family a service's `task_definition` names:
    what `replay` and `validate` can know with no AWS. A service that names no task definition keeps
    its containers without a group (only the plan can ask ECS which one it runs)."""
    by_family = {definition.get("family"): _by_name(definition) for definition in definitions}
    targets: dict[Path, LogTarget] = {}
    findings: list[Problem] = []
    for path, places in _wanting(config).items():
        reference = _service(config, path).task_definition
        if reference and (found := by_family.get(reference.split(":")[0])) is not None:
            findings += _targets(found, places, reference, targets)
    return _with_targets(config, targets, config.region), findings
