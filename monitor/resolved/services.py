"""The task definition each service names: the config's `task_definition`, else the service's own."""

from __future__ import annotations

from collections import defaultdict

import botocore.exceptions as bx

from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config.model import Config, Service
from monitor.problems import ERROR, Check, Path, Problem

DESCRIBE_BATCH = 10   # DescribeServices: at most 10 services a call (ECS API reference)
LIVE = ("ACTIVE", "DRAINING")   # an INACTIVE service was deleted (DescribeServices `status`)
MISSING = Check("PLN-009", ERROR, "a service whose task definition is needed, not found in its cluster",
                source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html")
CHECKS = (MISSING,)

Named = dict[Path, tuple[str, Path]]   # service path -> (task definition, the config line it comes from)
# DescribeServices takes resource type `service` (Service Authorization Reference, Amazon ECS:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html):
# the policies name the services described (`arns`).
PERMISSIONS = iam.Permissions("services", read_if=("ecs:DescribeServices",),
                              when="a container with `filters` and no `log_group` whose service names no "
                                   "`task_definition`; the cost estimate's task counts, in clusters with Container "
                                   "Insights `enabled` or `enhanced`")


def named(clients: Clients, config: Config, paths: list[Path]) -> tuple[Named, list[Problem]]:
    """The task definition of each service at `paths`; DescribeServices only for those the config leaves out."""
    found: Named = {}
    asked: dict[str, list[tuple[Path, Service]]] = defaultdict(list)
    for path in paths:   # the rule `described` says for the IAM policy
        cluster, service = _at(config, path)
        if service.task_definition:
            found[path] = (service.task_definition, path + ("task_definition",))
        else:
            asked[cluster].append((path, service))
    findings = []
    for cluster, services in asked.items():
        findings += _from_cluster(clients, cluster, services, found)
    return found, findings


def described(config: Config, paths: list[Path]) -> list[tuple[str, str]]:
    """(cluster, service) of each service at `paths` that `named` describes: those naming no task definition."""
    return [(cluster, service.name) for cluster, service in (_at(config, path) for path in paths)
            if not service.task_definition]


def arns(services: list[tuple[str, str]], region: str | None) -> tuple[str, ...]:
    """The ARNs of (cluster, service) pairs in `region` (None: any), for a policy's Resource."""
    return tuple(sorted({iam.arn("ecs", region, f"service/{cluster}/{name}") for cluster, name in services}))


def _at(config: Config, path: Path) -> tuple[str, Service]:
    cluster = config.clusters[path[1]]
    return cluster.name, cluster.services[path[3]]


def _from_cluster(clients: Clients, cluster: str, services: list[tuple[Path, Service]], found: Named) -> list[Problem]:
    """Ten services a call; a service the cluster does not run (any more) is a finding at its name."""
    live: dict[str, str] = {}
    for start in range(0, len(services), DESCRIBE_BATCH):
        live |= _describe(clients, cluster, [s.name for _, s in services[start:start + DESCRIBE_BATCH]])
    findings = []
    for path, service in services:
        if service.name in live:
            found[path] = (live[service.name], path + ("name",))
        else:
            findings.append(MISSING.problem(path + ("name",), f"service '{service.name}' was not found in cluster '{cluster}', "
                                    "so its task definition cannot say where its containers log: give the "
                                    "containers a 'log_group' or the service a 'task_definition'"))
    return findings


def _describe(clients: Clients, cluster: str, names: list[str]) -> dict[str, str]:
    """Service name -> its task definition ARN; a missing cluster runs no service."""
    try:
        answer = clients.ecs.describe_services(cluster=cluster, services=names)
    except clients.ecs.exceptions.ClusterNotFoundException:
        return {}
    return {s["serviceName"]: s["taskDefinition"] for s in answer.get("services", [])
            if s.get("status") in LIVE and s.get("taskDefinition")}


def counted(config: Config) -> list[tuple[str, str]]:
    """(cluster, service) of every service `desired_counts` describes."""
    return [(cluster.name, service.name) for cluster in config.clusters
            if cluster.container_insights in ("enabled", "enhanced") for service in cluster.services]


def desired_counts(clients: Clients, config: Config) -> dict[tuple[str, str], int]:
    """(cluster, service) -> desiredCount, for the clusters with Container Insights set: what it bills per task.

    For the cost estimate only: a service or cluster that cannot be read (missing, or no
    permission) is left out, and the estimate says it assumed a task count instead.
    """
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for cluster, name in counted(config):
        by_cluster[cluster].append(name)
    counts: dict[tuple[str, str], int] = {}
    for cluster, names in by_cluster.items():
        for start in range(0, len(names), DESCRIBE_BATCH):
            counts |= {(cluster, name): count
                       for name, count in _desired(clients, cluster, names[start:start + DESCRIBE_BATCH]).items()}
    return counts


def _desired(clients: Clients, cluster: str, names: list[str]) -> dict[str, int]:
    try:
        answer = clients.ecs.describe_services(cluster=cluster, services=names)
    except bx.ClientError:
        return {}
    return {s["serviceName"]: s["desiredCount"] for s in answer.get("services", [])
            if s.get("status") in LIVE and "desiredCount" in s}
