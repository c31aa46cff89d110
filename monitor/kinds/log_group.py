"""Log groups: we read whether every group in scope exists, and create only performance groups.

Container Insights creates `/aws/ecs/containerinsights/<cluster>/performance` when the first
task of the cluster runs. Until then there is nothing to attach the performance filters to, so
we create the group ourselves; Container Insights writes into an existing group as it would
into its own. We never delete a log group: it holds data.

A group we create carries the config's `tags`, `managed-by=ecs-monitor`, and tags naming our
prefix and cluster: that is what makes it ours (the ownership rule, for a resource whose name
cannot say it), and only then are its tags reconciled on later plans. A group someone else
made (Container Insights itself, a task's awslogs driver) is used as it is and never tagged.
App log groups belong to the task definitions; a missing one is an error, never created.
"""

from __future__ import annotations

from monitor import quotas
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.insights import performance_log_group
from monitor.sync.plan import Change
from monitor.sync.resources import Actual, Resource
from monitor.problems import Problem

KIND = "log_group"
IDENTIFIERS_BATCH = quotas.LOG_GROUP_IDENTIFIERS
MARKER_TAG = {"managed-by": "ecs-monitor"}
PREFIX_TAG = "ecs-monitor:prefix"
CLUSTER_TAG = "ecs-monitor:cluster"


def desired(config: Config) -> list[Resource]:
    """The performance group of each cluster whose containers ask for performance metrics."""
    return [Resource(KIND, performance_log_group(cluster.name), {"tags": tags(config, cluster.name)},
                     prunable=False, claim=False, origin=("clusters", number),
                     params={"tags": tags(config, cluster.name)})
            for number, cluster in enumerate(config.clusters) if wants_performance(cluster)]


def tags(config: Config, cluster: str) -> dict[str, str]:
    """The config's tags, then ours, which no config tag may override."""
    return {**config.tags, **MARKER_TAG, PREFIX_TAG: config.prefix, CLUSTER_TAG: cluster}


def owned(config: Config, live: dict[str, str]) -> bool:
    """The ownership rule, read from tags: our marker, our prefix and a cluster of this config."""
    clusters = {cluster.name for cluster in config.clusters}
    return (live.get("managed-by") == MARKER_TAG["managed-by"] and live.get(PREFIX_TAG) == config.prefix
            and live.get(CLUSTER_TAG) in clusters)


def wants_performance(cluster) -> bool:
    """Enhanced mode already publishes per-container metrics, so no filters there."""
    return cluster.container_insights != "enhanced" and cluster.wants_performance_metrics


def scope(config: Config) -> list[str]:
    """Every log group the config's filters can live on, app and performance."""
    groups = {place.container.log_group for place in containers(config) if place.container.log_group}
    groups |= {performance_log_group(cluster.name) for cluster in config.clusters}
    return sorted(groups)


def read(clients: Clients, config: Config, actual: Actual) -> None:
    """Every group in scope, 50 names a call; tags only of the groups we would make (one call each)."""
    names = scope(config)
    ours = {resource.id for resource in desired(config)}
    found: dict[str, str] = {}
    paginator = clients.logs.get_paginator("describe_log_groups")
    for start in range(0, len(names), IDENTIFIERS_BATCH):
        batch = names[start:start + IDENTIFIERS_BATCH]
        for page in paginator.paginate(logGroupIdentifiers=batch):
            found |= {g["logGroupName"]: arn(g) for g in page["logGroups"] if g["logGroupName"] in batch}
    actual.missing |= {("log_group", name) for name in names if name not in found}
    for name, handle in found.items():
        live = _tags(clients, handle) if name in ours else {}
        actual.add(Resource(KIND, name, {"tags": live} if name in ours else {}, owned=owned(config, live),
                            prunable=False, handle=handle))


def arn(group: dict) -> str:
    """TagResource wants the ARN without the `:*` that `arn` ends with; `logGroupArn` is that form
    (DescribeLogGroups and TagResource API references)."""
    return group.get("logGroupArn") or group["arn"].removesuffix(":*")


def _tags(clients: Clients, handle: str) -> dict[str, str]:
    return clients.logs.list_tags_for_resource(resourceArn=handle).get("tags", {})


def check(config: Config, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return []


def apply(clients: Clients, changes: list[Change]) -> None:
    """Create tagged; on update make the tags what the plan says (CreateLogGroup takes tags, later
    changes need TagResource and UntagResource)."""
    for change in changes:
        if change.action == "create":
            _create(clients, change)
        else:
            _retag(clients, change.handle, change.before.get("tags", {}), change.after["tags"])


def _create(clients: Clients, change: Change) -> None:
    """A group that is already there (a retried create that had reached AWS, or a concurrent run)
    counts as created once it carries the planned tags."""
    try:
        clients.logs.create_log_group(logGroupName=change.id, **change.params)
    except clients.logs.exceptions.ResourceAlreadyExistsException:
        found = clients.logs.describe_log_groups(logGroupIdentifiers=[change.id])["logGroups"]
        handle = next(arn(group) for group in found if group["logGroupName"] == change.id)
        _retag(clients, handle, {}, change.params.get("tags", {}))


def _retag(clients: Clients, handle: str, before: dict[str, str], after: dict[str, str]) -> None:
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    removed = sorted(set(before) - set(after))
    if changed:
        clients.logs.tag_resource(resourceArn=handle, tags=changed)
    if removed:
        clients.logs.untag_resource(resourceArn=handle, tagKeys=removed)
