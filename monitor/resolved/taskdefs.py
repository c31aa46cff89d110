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

from monitor import quotas
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config import facts
from monitor.config.model import Config, Container, Service
from monitor.config.walk import Place, containers, map_containers
from monitor.problems import ERROR, INFO, WARNING, Check, Path, Problem
from monitor.resolved import services, thresholds
from monitor.taskdefs import logconfig, sizing
from monitor.taskdefs.logconfig import LogTarget

NOT_FOUND = "ClientException"   # what DescribeTaskDefinition answers for an unknown family or revision
_DESCRIBE = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html"
UNREADABLE = Check("TSK-002", ERROR, "a task definition that cannot be read, where a log group depends on it",
                   source=_DESCRIBE)
UNCHECKED = Check("TSK-003", WARNING, "a task definition that cannot be read: its sizes go unchecked", source=_DESCRIBE)
NO_CONTAINER = Check("TSK-004", ERROR, "a container the task definition does not have", source=_DESCRIBE)
NO_LOG_TARGET = Check("TSK-005", ERROR, "a container whose log group the task definition does not give",
                      source=quotas.TASK_DEFINITION_DOC)
CHECKS = (UNREADABLE, UNCHECKED, NO_CONTAINER, NO_LOG_TARGET)
Definition = dict | str   # DescribeTaskDefinition's `taskDefinition`, or why there is none
# DescribeTaskDefinition takes no resource-level permission: `*` (Service Authorization Reference, Amazon ECS:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
PERMISSIONS = iam.Permissions("task definitions", read_if=("ecs:DescribeTaskDefinition",),
                              when="a service names a `task_definition`, or a container with `filters` has no "
                                   "`log_group`")


def resolve(clients: Clients, config: Config, sizes: bool = True) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` (and its Region and driver) read from a task definition.

    With `sizes`, the findings also hold the sizing problems of each task definition read, and
    every task definition the config names is read; without (destroy), only what log groups need.
    In one pass: the services' task definitions are read, then every container is resolved once
    (its log target, its `N%` thresholds, its limits), and the config is rebuilt once.
    """
    wanting = _wanting(containers(config))
    named, findings = services.named(clients, config, _paths(config, wanting, sizes))
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
    resolved, shares = _resolved(config, targets, read if sizes else {}, clients.region)
    return resolved, findings + (shares if sizes else [])


def _resolved(config: Config, targets: dict[Path, LogTarget], read: dict[Path, dict],
              home: str | None) -> tuple[Config, list[Problem]]:
    """Every container once: its log target, its `N%` thresholds and its limits (carried in the facts
    to what draws them, dashboards: read here once, never again); and what the thresholds found."""
    limits: dict[facts.Names, sizing.Limits] = {}
    findings: list[Problem] = []

    def change(place: Place) -> Container:
        definition = read.get(place.path[:4])
        update = _log_update(place, targets.get(place.path), home)
        alarms = thresholds.concrete(config, place, definition, findings)
        if alarms is not None:
            update["alarms"] = alarms
        if definition is not None and place.container.name in _by_name(definition):
            limits[(place.cluster.name, place.service.name, place.container.name)] = \
                sizing.limits(definition, place.container.name)
        return place.container.model_copy(update=update) if update else place.container

    resolved = map_containers(config, change)
    return (facts.with_facts(resolved, limits=limits) if limits else resolved), findings


def reads(config: Config, sizes: bool = True) -> tuple[list[tuple[str, str]], bool]:
    """What `resolve` may call AWS for, for the IAM policy: the (cluster, service) pairs it describes, and
    whether it reads any task definition."""
    paths = _paths(config, _wanting(containers(config)), sizes)
    return services.described(config, paths), bool(paths)


def _paths(config: Config, wanting: dict[Path, list[Place]], sizes: bool) -> list[Path]:
    """The services whose task definitions are read: for log groups, and with `sizes` for sizing too."""
    return list(wanting) + (_naming(config, wanting) if sizes else [])


def _wanting(places: tuple[Place, ...]) -> dict[Path, list[Place]]:
    """Containers with filters but no `log_group`, by the path of their service."""
    found: dict[Path, list[Place]] = defaultdict(list)
    for place in places:
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
        return UNREADABLE.problem(origin, f"task definition '{reference}' could not be read: {why}")
    return UNCHECKED.problem(origin, f"task definition '{reference}' could not be read, so its container sizes are "
                             f"not checked: {why}")


def offline(config: Config, definitions: list[dict]) -> list[Problem]:
    """The sizing problems of the task definitions given as files (RegisterTaskDefinition's input
    shape, e.g. from task-definitions/ beside the config), each at the `task_definition` line of
    every service naming its family: what `validate` can say before anything is registered.
    """
    by_family = {definition.get("family"): definition for definition in definitions}
    named = {("clusters", c, "services", s): (service, found) for c, cluster in enumerate(config.clusters)
             for s, service in enumerate(cluster.services)
             if service.task_definition and (found := by_family.get(service.task_definition.split(":")[0]))}
    sized = [problem for path, (service, found) in named.items()
             for problem in _sizing(found, path + ("task_definition",), service)]
    # Thresholds too, as the plan judges them (`N%` made numbers): one past a ceiling is refused here first.
    _, shares = thresholds.resolve(config, {path: found for path, (_, found) in named.items()})
    return sized + [problem for problem in shares if problem.severity != INFO and problem.path[:4] in named]


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
            findings.append(NO_CONTAINER.problem(place.path + ("name",), f"task definition '{reference}' has no "
                                                 f"container '{name}'; known: {', '.join(definition)}"))
        else:
            findings.append(NO_LOG_TARGET.problem(place.path, found))
    return findings


def _log_update(place: Place, found: LogTarget | None, home: str | None) -> dict:
    """A container's log target read from its task definition; a log group in the home Region carries no
    `log_region`, however it was said."""
    if found:
        return {"log_group": found.group, "log_region": None if found.region in (None, home) else found.region,
                "create_log_group": found.creates, "firelens_metadata": found.metadata}
    return {"log_region": None} if place.container.log_region == home else {}


def _with_targets(config: Config, targets: dict[Path, LogTarget], home: str | None) -> Config:
    return map_containers(config, lambda place: place.container.model_copy(
        update=_log_update(place, targets.get(place.path), home)))


def offline_log_groups(config: Config, definitions: list[dict]) -> tuple[Config, list[Problem]]:
    """The config with each missing `log_group` read from the task-definition files given (those of
    task-definitions/ beside the config), matched by the family a service's `task_definition` names:
    what `replay` and `validate` can know with no AWS. A service that names no task definition keeps
    its containers without a group (only the plan can ask ECS which one it runs)."""
    by_family = {definition.get("family"): _by_name(definition) for definition in definitions}
    targets: dict[Path, LogTarget] = {}
    findings: list[Problem] = []
    for path, places in _wanting(containers(config)).items():
        reference = _service(config, path).task_definition
        if reference and (found := by_family.get(reference.split(":")[0])) is not None:
            findings += _targets(found, places, reference, targets)
    return _with_targets(config, targets, config.region), findings
