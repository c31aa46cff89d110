"""The IAM policies `plan` and `apply` need for a config, from the actions each step declares. Pure.

`plan` reads: the task definitions and services that resolve the config (monitor/resolved), every
kind's live state (monitor/kinds), and the task counts the cost estimate prices (ECS DescribeServices).
`apply` and `destroy` read the same, then make and delete. The policies hold only what the config can
call for (no PutDashboard without `dashboards:`, no DescribeTaskDefinition when nothing names one),
except the reads and deletes that find and remove resources of ours an earlier config left behind.
Resources are `*`, but for ECS clusters and services, which take resource-level permissions and are
named by the config (in its Region, else any). sts:GetCallerIdentity needs no permission
(monitor/aws/iam.py NEEDS_NO_PERMISSION).
"""

from __future__ import annotations

from monitor import kinds
from monitor.aws.iam import NEEDS_NO_PERMISSION, Grant, Permissions, document
from monitor.config.model import Config
from monitor.resolved import edges, services, taskdefs
from monitor.resolved import model as resolved_model

READERS = (taskdefs.PERMISSIONS, services.PERMISSIONS, edges.PERMISSIONS)   # the plan-time readers, beside the kinds


def policy(config: Config, region: str | None = None, writes: bool = False) -> dict:
    """The policy document for `plan` (read only), or with `writes` for `plan`, `apply` and `destroy`.

    region: the Region the commands talk to (--region, else the config's; None: any).
    """
    return document(grants(config, region or config.region, writes))


def grants(config: Config, region: str | None, writes: bool) -> list[Grant]:
    """Task definitions and services first (plan reads them first), then each kind's reads and writes."""
    described, definitions = taskdefs.reads(config)
    asked = described + services.counted(config)
    return [Grant("Read", taskdefs.PERMISSIONS.read_if if definitions else ()),
            Grant("ReadServices", services.PERMISSIONS.read_if if asked else (), services.arns(asked, region)),
            *edge_grants(config, region),
            *kinds.grants(resolved_model.of(config), region, writes)]


def edge_grants(config: Config, region: str | None) -> list[Grant]:
    """The services' target groups and load balancers, when an alarm or a dashboard shows them."""
    if not edges.needed(config):
        return []
    asked = [(cluster.name, service.name) for cluster in config.clusters for service in cluster.services]
    return [Grant("ReadServices", ("ecs:DescribeServices",), services.arns(asked, region)),
            Grant("ReadTargetGroups", ("elasticloadbalancing:DescribeTargetGroups",))]


def declared() -> list[Permissions]:
    """Every step's declared permissions, in the order a plan calls them."""
    return [*READERS, *(kind.PERMISSIONS for kind in kinds.KINDS)]


def markdown() -> str:
    """The README's table of what `plan`, `apply` and `destroy` may call, generated from the declarations."""
    rows = ["| for | plan reads, always | plan reads, when | apply writes, when | apply and destroy delete, always | when |",
            "|---|---|---|---|---|---|"]
    for wanted in declared():
        cells = (wanted.read, wanted.read_if, wanted.make, wanted.delete)
        rows.append(f"| {wanted.what} | " + " | ".join(_names(cell) for cell in cells) + f" | {wanted.when} |")
    return "\n".join(rows) + (f"\n\n{_names(sorted(NEEDS_NO_PERMISSION))} is called too (the target's account, and "
                              "the ARNs of alarms on dashboards): it needs no permission.")


def _names(actions) -> str:
    return ", ".join(f"`{name}`" for name in actions)
