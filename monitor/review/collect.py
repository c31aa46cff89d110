"""Every design finding: from the services the config names in the account, or from task definition files.

Live: each service's task definition is the config's `task_definition`, else the one the service
runs (DescribeServices, 10 services a call: monitor/resolved/services.py), read once with
DescribeTaskDefinition however many services name it; then the ECR repositories of their images
(monitor/review/ecr.py). Read only. A service or task definition that cannot be read (it does not
exist, or access is denied) is a finding saying its design was not checked; other AWS errors propagate.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FilePath

from monitor.aws.clients import Clients
from monitor.aws.errors import DENIED_CODES, explain
from monitor.config.model import Config, Service
from monitor.problems import Path
from monitor.resolved import services, taskdefs
from monitor.review import design, ecr
from monitor.review.findings import WARNING, Finding, Rule
from monitor.taskdefs import files as taskfiles
from monitor.taskdefs import sizing

UNREAD = Rule("ECS-READ-001", WARNING, "service design not checked: its task definition could not be read",
              "give the service a task_definition that exists, or allow ecs:DescribeServices and "
              "ecs:DescribeTaskDefinition to the role running monitor")
RULES = (UNREAD,)


def from_account(clients: Clients, config: Config) -> list[Finding]:
    """The design findings of every service in the config, read from the account (module docstring)."""
    named, findings = _named(clients, config)
    definitions = {reference: _describe(clients, reference) for reference in {r for r, _ in named.values()}}
    uses: list[ecr.Use] = []
    for path, (reference, origin) in named.items():
        subject, service, definition = _subject(config, path), _service(config, path), definitions[reference]
        if isinstance(definition, str):
            findings.append(UNREAD.finding(subject, f"task definition '{reference}' could not be read: {definition}",
                                           path=origin))
            continue
        findings += design.check(definition, service, subject, origin, path, sizing.label(definition))
        uses += [ecr.Use(c["image"], f"{subject}/{c['name']}", origin)
                 for c in design.containers(definition) if c.get("image")]
    return findings + ecr.scanning(clients, uses)


def from_files(files: Iterable[str | FilePath], config: Config | None = None) -> list[Finding]:
    """The design findings of task definition files (either JSON shape: monitor/taskdefs/files.py).

    A file's service in the config, if any, is the one whose `task_definition` names the file's
    family (else whose name is the family); it gives the main containers and `apm`. Offline: ECR is
    not read. Raises taskfiles.TaskFileError for a file that is not a task definition.
    """
    findings = []
    for file in files:
        definition = taskfiles.load(file)
        path, service = serving(config, definition["family"])
        origin = (path + (("task_definition",) if service.task_definition else ("name",))) if service else ()
        findings += design.check(definition, service, sizing.label(definition), origin, path, str(file))
    return findings


def _named(clients: Clients, config: Config) -> tuple[services.Named, list[Finding]]:
    """Each service's task definition; without ecs:DescribeServices, only those the config names."""
    paths = [("clusters", c, "services", s) for c, cluster in enumerate(config.clusters)
             for s, _ in enumerate(cluster.services)]
    try:
        named, missing = services.named(clients, config, paths)
    except clients.ecs.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") not in DENIED_CODES:
            raise
        named, _ = services.named(clients, config, [p for p in paths if _service(config, p).task_definition])
        return named, [UNREAD.finding(_subject(config, p), explain(error), path=p + ("name",))
                       for p in paths if p not in named]
    return named, [UNREAD.finding(_subject(config, p.path[:4]), f"service '{_service(config, p.path[:4]).name}' was not "
                                  f"found in cluster '{config.clusters[p.path[1]].name}'", path=p.path) for p in missing]


def _describe(clients: Clients, reference: str) -> taskdefs.Definition:
    """The task definition, or why it could not be read: it does not exist, or access is denied."""
    try:
        return taskdefs.describe(clients, reference)
    except clients.ecs.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") not in DENIED_CODES:
            raise
        return explain(error)


def serving(config: Config | None, family: str) -> tuple[Path, Service | None]:
    """The config's service running a task definition family, and its path; ((), None) when none does."""
    candidates = [(("clusters", c, "services", s), service) for c, cluster in enumerate(config.clusters if config else [])
                  for s, service in enumerate(cluster.services)]
    by_family = [(p, s) for p, s in candidates if (s.task_definition or "").rsplit("/", 1)[-1].split(":")[0] == family]
    by_name = [(p, s) for p, s in candidates if not s.task_definition and s.name == family]
    return (by_family or by_name or [((), None)])[0]


def _service(config: Config, path: Path) -> Service:
    return config.clusters[path[1]].services[path[3]]


def _subject(config: Config, path: Path) -> str:
    return f"{config.clusters[path[1]].name}/{_service(config, path).name}"
