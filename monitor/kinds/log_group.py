"""Log groups: we read whether every group in scope exists, and create only performance groups.

Container Insights creates `/aws/ecs/containerinsights/<cluster>/performance` when the first
task of the cluster runs. Until then there is nothing to attach the performance filters to, so
we create the group ourselves (tagged `managed-by=ecs-monitor`); Container Insights writes into
an existing group as it would into its own. We never delete a log group: it holds data.
App log groups belong to the task definitions; a missing one is an error, never created.
"""

from __future__ import annotations

from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.insights import performance_log_group
from monitor.sync.plan import Change
from monitor.sync.resources import Actual, Resource
from monitor.problems import Problem

KIND = "log_group"
IDENTIFIERS_BATCH = 50   # DescribeLogGroups logGroupIdentifiers: 1-50 names (botocore logs model)
MARKER_TAG = {"managed-by": "ecs-monitor"}


def desired(config: Config) -> list[Resource]:
    """The performance group of each cluster whose containers ask for performance metrics."""
    tags = {**config.tags, **MARKER_TAG}
    return [Resource(KIND, performance_log_group(cluster.name), {}, prunable=False,
                     origin=("clusters", number), params={"tags": tags})
            for number, cluster in enumerate(config.clusters) if wants_performance(cluster)]


def wants_performance(cluster) -> bool:
    """Enhanced mode already publishes per-container metrics, so no filters there."""
    return cluster.container_insights != "enhanced" and cluster.wants_performance_metrics


def scope(config: Config) -> list[str]:
    """Every log group the config's filters can live on, app and performance."""
    groups = {place.container.log_group for place in containers(config) if place.container.log_group}
    groups |= {performance_log_group(cluster.name) for cluster in config.clusters}
    return sorted(groups)


def read(clients: Clients, config: Config, actual: Actual) -> None:
    """Existence of every group in scope, 50 names a call; the missing ones go to `missing`."""
    names = scope(config)
    found: set[str] = set()
    paginator = clients.logs.get_paginator("describe_log_groups")
    for start in range(0, len(names), IDENTIFIERS_BATCH):
        batch = names[start:start + IDENTIFIERS_BATCH]
        for page in paginator.paginate(logGroupIdentifiers=batch):
            found |= {group["logGroupName"] for group in page["logGroups"]} & set(batch)
    actual.missing |= {("log_group", name) for name in names if name not in found}
    for name in found:
        actual.add(Resource(KIND, name, {}, prunable=False))


def check(config: Config, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return []


def apply(clients: Clients, changes: list[Change]) -> None:
    """A group that is already there (a retried create that had reached AWS, or a concurrent run)
    counts as created once it carries the planned tags."""
    for change in changes:
        try:
            clients.logs.create_log_group(logGroupName=change.id, **change.params)
        except clients.logs.exceptions.ResourceAlreadyExistsException:
            _tag(clients, change.id, change.params.get("tags"))


def _tag(clients: Clients, name: str, tags: dict | None) -> None:
    """TagResource needs the ARN without ':*', which DescribeLogGroups gives as `logGroupArn`
    (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html)."""
    if not tags:
        return
    found = clients.logs.describe_log_groups(logGroupIdentifiers=[name])["logGroups"]
    arn = next(group["logGroupArn"] for group in found if group["logGroupName"] == name)
    clients.logs.tag_resource(resourceArn=arn, tags=tags)
