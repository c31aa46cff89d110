"""Log groups: we read whether every group in scope exists, and create the ones a task would.

Container Insights creates `/aws/ecs/containerinsights/<cluster>/performance` when the first
task of the cluster runs; so does a task's log driver with `awslogs-create-group: "true"` (or
FireLens `auto_create_group`) for its group (Amazon ECS Developer Guide, awslogs driver
options). Until then there is nothing to attach filters to, so we create the group ourselves;
the writer uses an existing group as it would its own. We never delete a log group of a cluster the
config has: it holds data.

A group we create carries the config's `tags`, `managed-by=ecs-monitor`, and tags naming our
prefix and cluster: that is what makes it ours (the ownership rule, for a resource whose name
cannot say it), and only then are its tags reconciled on later plans. A group someone else
made (Container Insights itself, a task's awslogs driver) is used as it is and never tagged.
Any other app log group belongs to its task definition; a missing one is an error, never created.
The one exception to "never deleted": a group we created for a cluster the config lists under
`retired_clusters` goes with that cluster's other resources on --prune and destroy, unless a filter
that is not ours still sits on it.
A group may live in another Region than the config's (`log_region`): it is read and made there.

`log_groups:` (top level, or a container's own for the group its tasks would create) gives a group
we create a retention and a KMS key: CreateLogGroup `kmsKeyId`, then PutRetentionPolicy; later plans
reconcile both on our groups only (PutRetentionPolicy / DeleteRetentionPolicy, AssociateKmsKey /
DisassociateKmsKey; CloudWatch Logs API reference). DescribeLogGroups gives `retentionInDays` and
`kmsKeyId` only when set. Someone else's group keeps its own retention and key.
"""

from __future__ import annotations

from monitor import quotas
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config import log_groups as settings
from monitor.config.model import Config, Container
from monitor.insights import performance_log_group
from monitor.names import ownership
from monitor.names.ownership import CLUSTER_TAG, MARKER_TAG, PREFIX_TAG
from monitor.problems import WARNING, Check, Problem
from monitor.state.plan import Change
from monitor.resolved.model import Model
from monitor.state.resources import Actual, Resource, regional

KIND = "log_group"
IDENTIFIERS_BATCH = quotas.LOG_GROUP_IDENTIFIERS
# CreateLogGroup with tags needs logs:TagResource too ("To assign tags when you create a log group, you
# must have either the logs:TagResource or logs:TagLogGroup permission", CreateLogGroup API reference,
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
PERMISSIONS = iam.Permissions("log groups", read=("logs:DescribeLogGroups",), read_if=("logs:ListTagsForResource",),
                              make=("logs:CreateLogGroup", "logs:TagResource", "logs:UntagResource", "logs:PutRetentionPolicy",
                                    "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey"),
                              delete=("logs:DeleteLogGroup",),
                              when="a cluster's performance filters, or a container's `create_log_group` "
                                   "(also read from a task definition's `awslogs-create-group`); deletes only the "
                                   "groups we made for a cluster under `retired_clusters`")
KEPT_RETIRED = Check("PLN-016", WARNING, "a log group made for a retired cluster, kept because filters not ours sit on it")
CHECKS = (KEPT_RETIRED,)


def desired(model: Model) -> list[Resource]:
    """Performance groups, then the groups tasks would create; one resource per group."""
    config = model.config
    wanted = [_made(config, None, performance_log_group(cluster.name), cluster.name, ("clusters", number))
              for number, cluster in enumerate(config.clusters) if wants_performance(cluster)]
    wanted += [_made(config, p.container.log_region, p.container.log_group, p.cluster.name, p.path + ("log_group",),
                     p.container)
               for p in model.places if p.container.create_log_group and p.container.log_group]
    unique: dict[tuple[str, str], Resource] = {}
    for resource in wanted:   # several containers may write to one group
        unique.setdefault(resource.key, resource)
    return list(unique.values())


def makes(model: Model) -> bool:
    """Whether the config may make a log group: its own, or one a task definition read at plan time creates."""
    return bool(desired(model)) or any(p.container.filters and not p.container.log_group for p in model.places)


def _made(config: Config, region: str | None, name: str, cluster: str, origin: tuple,
          container: Container | None = None) -> Resource:
    """A group we create if it is missing, tagged as ours, with its retention and key; someone else's
    copy serves as it is."""
    given = settings.settings(config, container)
    spec = {"tags": tags(config, cluster), "retention_days": given.retention_days, "kms_key_id": given.kms_key_id}
    params = {"tags": tags(config, cluster), **({"kmsKeyId": given.kms_key_id} if given.kms_key_id else {})}
    return Resource(KIND, regional(region, name), spec, prunable=False, claim=False,
                    origin=origin, params=params, region=region)


def tags(config: Config, cluster: str) -> dict[str, str]:
    """The config's tags, then ours, which no config tag may override."""
    return {**config.tags, **MARKER_TAG, PREFIX_TAG: config.prefix, CLUSTER_TAG: cluster}


def owned(config: Config, live: dict[str, str]) -> bool:
    """The ownership rule, read from tags: our marker, our prefix and a cluster of this config or a retired one."""
    return ownership.tagged(config.prefix, live) and live.get(CLUSTER_TAG) in config.owned_clusters


def wants_performance(cluster) -> bool:
    """Enhanced mode already publishes per-container metrics, so no filters there."""
    return cluster.container_insights != "enhanced" and cluster.wants_performance_metrics


def regions(model: Model) -> list[str | None]:
    """Every Region the config's log groups live in; None, the home Region, always first."""
    return [None] + sorted({p.container.log_region for p in model.places if p.container.log_region})


def swept(clients: Clients, model: Model) -> list[str]:
    """The config's `regions:` that no log group is in: read only to find resources of ours left there."""
    known = set(regions(model)) | {clients.region}
    return sorted(set(model.config.regions) - known)


def scope(model: Model, region: str | None = None) -> list[str]:
    """Every log group the config's filters can live on in one Region, app and performance."""
    groups = {p.container.log_group for p in model.places
              if p.container.log_group and p.container.log_region == region}
    if region is None:
        groups |= {performance_log_group(cluster.name) for cluster in model.config.clusters}
    return sorted(groups)


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """Every group in scope, Region by Region; tags only of the groups we would make (one call each)."""
    config = model.config
    ours = {resource.id for resource in desired(model)}
    for region in regions(model):
        names = scope(model, region)
        found = _described(clients.in_region(region), names)
        actual.missing |= {(KIND, regional(region, name)) for name in names if name not in found}
        for name, group in found.items():
            mine, handle = regional(region, name) in ours, arn(group)
            live = _tags(clients.in_region(region), handle) if mine else {}
            spec = {"tags": live, "retention_days": group.get("retentionInDays"),
                    "kms_key_id": group.get("kmsKeyId")} if mine else {}
            actual.add(Resource(KIND, regional(region, name), spec,
                                owned=owned(config, live), prunable=False, handle=handle, region=region))


def read_retired(clients: Clients, config: Config, actual: Actual, region: str | None, filters: list[dict]) -> None:
    """The groups we made for a retired cluster in one Region, to be deleted with its other resources.

    A group we make is its cluster's performance group or a group its filters sit on, so those are
    the candidates (`filters`: DescribeMetricFilters items of the Region); ours means our tags naming
    a retired cluster. One that also holds a filter that is not ours is kept, and said so.
    """
    retired = set(config.retired_clusters)
    names = {performance_log_group(cluster) for cluster in retired} if region is None else set()
    names |= {item["logGroupName"] for item in filters
              if (found := ownership.owner(item["filterName"])) and found.prefix == config.prefix
              and found.cluster in retired}
    names = sorted(name for name in names if (KIND, regional(region, name)) not in actual.resources)
    for name, handle in _existing(clients, names).items():
        live = _tags(clients, handle)
        if not owned(config, live) or live.get(CLUSTER_TAG) not in retired:
            continue
        others = sorted(item["filterName"] for item in filters if item["logGroupName"] == name
                        and not ownership.owns(config.prefix, config.owned_clusters, item["filterName"]))
        if others:
            actual.problems.append(KEPT_RETIRED.problem((), f"log group {regional(region, name)} was made for retired cluster "
                                               f"{live[CLUSTER_TAG]} but is kept: filters not ours sit on it "
                                               f"({', '.join(others[:3])})"))
            continue
        actual.add(Resource(KIND, regional(region, name), {"tags": live}, handle=handle, region=region))


def _existing(clients: Clients, names: list[str]) -> dict[str, str]:
    """Name -> ARN of the groups that exist."""
    return {name: arn(group) for name, group in _described(clients, names).items()}


def _described(clients: Clients, names: list[str]) -> dict[str, dict]:
    """Name -> DescribeLogGroups item of the groups that exist, 50 names a call."""
    found: dict[str, dict] = {}
    paginator = clients.logs.get_paginator("describe_log_groups")
    for start in range(0, len(names), IDENTIFIERS_BATCH):
        batch = names[start:start + IDENTIFIERS_BATCH]
        for page in paginator.paginate(logGroupIdentifiers=batch):
            found |= {g["logGroupName"]: g for g in page["logGroups"] if g["logGroupName"] in batch}
    return found


def arn(group: dict) -> str:
    """TagResource wants the ARN without the `:*` that `arn` ends with; `logGroupArn` is that form
    (DescribeLogGroups and TagResource API references)."""
    return group.get("logGroupArn") or group["arn"].removesuffix(":*")


def _tags(clients: Clients, handle: str) -> dict[str, str]:
    return clients.logs.list_tags_for_resource(resourceArn=handle).get("tags", {})


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return []


def apply(clients: Clients, changes: list[Change]) -> None:
    """Create tagged; on update make the tags what the plan says (CreateLogGroup takes tags, later
    changes need TagResource and UntagResource)."""
    for change in changes:
        if change.action == "create":
            _create(clients, change)
            _keep(clients, _name(change), {}, change.after)
        elif change.action == "delete":
            _delete(clients, change)
        else:
            _retag(clients, change.handle, change.before.get("tags", {}), change.after["tags"])
            _keep(clients, _name(change), change.before, change.after)


def _name(change: Change) -> str:
    return change.id.removeprefix(f"{change.region}:") if change.region else change.id


def _keep(clients: Clients, name: str, before: dict, after: dict) -> None:
    """Retention and key as the plan says; CreateLogGroup already set the key of a new group."""
    days = after.get("retention_days")
    if days != before.get("retention_days") and days is not None:
        clients.logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    elif days != before.get("retention_days"):
        clients.logs.delete_retention_policy(logGroupName=name)
    key = after.get("kms_key_id")
    if key != before.get("kms_key_id") and before and key is not None:
        clients.logs.associate_kms_key(logGroupName=name, kmsKeyId=key)
    elif key != before.get("kms_key_id") and before:
        clients.logs.disassociate_kms_key(logGroupName=name)


def _create(clients: Clients, change: Change) -> None:
    """A group that is already there (a retried create that had reached AWS, or a concurrent run)
    counts as created once it carries the planned tags."""
    name = _name(change)
    try:
        clients.logs.create_log_group(logGroupName=name, **change.params)
    except clients.logs.exceptions.ResourceAlreadyExistsException:
        handle = _existing(clients, [name])[name]
        _retag(clients, handle, {}, change.params.get("tags", {}))


def _delete(clients: Clients, change: Change) -> None:
    """Only a retired cluster's group is ever deleted (read_retired); one already gone is deleted."""
    name = change.id.removeprefix(f"{change.region}:") if change.region else change.id
    try:
        clients.logs.delete_log_group(logGroupName=name)
    except clients.logs.exceptions.ResourceNotFoundException:
        pass


def _retag(clients: Clients, handle: str, before: dict[str, str], after: dict[str, str]) -> None:
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    removed = sorted(set(before) - set(after))
    if changed:
        clients.logs.tag_resource(resourceArn=handle, tags=changed)
    if removed:
        clients.logs.untag_resource(resourceArn=handle, tagKeys=removed)
