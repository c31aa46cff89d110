"""Container Insights per cluster: `disabled`, `enabled` or `enhanced`."""

from __future__ import annotations

from monitor import quotas
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.problems import ERROR, Check, Problem
from monitor.state.plan import Change
from monitor.resolved.model import Model
from monitor.state.resources import Actual, Resource

KIND = "cluster_setting"
SETTING = "containerInsights"
DESCRIBE_BATCH = quotas.DESCRIBE_CLUSTERS
# Both take resource type `cluster` (Service Authorization Reference, Amazon ECS:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html),
# so the policy names the config's clusters (`resources`, under the statement ids ReadClusters, WriteClusters).
SCOPE = "Clusters"
PERMISSIONS = iam.Permissions("Container Insights setting", read=("ecs:DescribeClusters",),
                              make=("ecs:UpdateCluster",), when="a cluster sets `container_insights`")


def makes(model: Model) -> bool:
    """Whether the config sets the setting of any cluster (the IAM policy's make actions)."""
    config = model.config
    return any(cluster.container_insights for cluster in config.clusters)


def resources(model: Model, region: str | None) -> tuple[str, ...]:
    """The ARNs of the config's clusters, in `region` (None: any)."""
    config = model.config
    return tuple(iam.arn("ecs", region, f"cluster/{cluster.name}") for cluster in config.clusters)

MISSING = Check("PLN-001", ERROR, "a cluster the config manages that is not found in the Region",
                source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html")
CHECKS = (MISSING,)


def desired(model: Model) -> list[Resource]:
    """Only clusters that set `container_insights`: the rest are left as they are."""
    config = model.config
    return [Resource(KIND, cluster.name, {SETTING: cluster.container_insights}, prunable=False,
                     creatable=False, origin=("clusters", number, "container_insights"))
            for number, cluster in enumerate(config.clusters) if cluster.container_insights]


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """The live setting of every cluster the config names; absent clusters go to `missing`."""
    config = model.config
    names = [cluster.name for cluster in config.clusters]
    for start in range(0, len(names), DESCRIBE_BATCH):
        batch = names[start:start + DESCRIBE_BATCH]
        found = clients.ecs.describe_clusters(clusters=batch, include=["SETTINGS"])["clusters"]
        active = {c["clusterName"]: c for c in found if c.get("status") == "ACTIVE"}
        for name in batch:
            if name not in active:
                actual.missing.add(("cluster", name))
                continue
            value = _setting(active[name])
            actual.settings[name] = value
            actual.add(Resource(KIND, name, {SETTING: value}, prunable=False))


def _setting(cluster: dict) -> str:
    """A cluster without its own setting follows the account default; AWS reports it as disabled."""
    values = {s["name"]: s["value"] for s in cluster.get("settings", [])}
    return values.get(SETTING, "disabled")


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    """A cluster the config manages must exist in the Region we talk to."""
    config = model.config
    return [MISSING.problem(("clusters", number, "name"),
                            f"cluster '{cluster.name}' was not found: check the name and --region")
            for number, cluster in enumerate(config.clusters)
            if ("cluster", cluster.name) in actual.missing
            and (cluster.container_insights or cluster.wants_performance_metrics)]


def apply(clients: Clients, changes: list[Change]) -> None:
    """UpdateCluster(settings=...) sets it the same as UpdateClusterSettings (ECS API reference)."""
    for change in changes:
        value = change.after[SETTING]
        clients.ecs.update_cluster(cluster=change.id, settings=[{"name": SETTING, "value": value}])
