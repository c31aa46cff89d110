"""IAM actions declared as data beside the code that calls them, and the policy documents made of them.

Each AWS surface (a kind in monitor/kinds, a plan-time reader in monitor/resolved, the exporter's
reads) declares the actions it calls as a `Permissions` value, as cloud-custodian's resources and
actions declare `permissions`; monitor/sync/iam.py and monitor/exporter/iam.py build the policies
for a config from them. Pure: no AWS call.

An action is `<IAM service prefix>:<API operation>` (Service Authorization Reference,
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html);
the prefix is botocore's service name except for the Resource Groups Tagging API, whose prefix is `tag`
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import botocore.exceptions as bx
import botocore.session

VERSION = "2012-10-17"
READ_VERBS = ("Describe", "Get", "List", "Test")   # every other verb (Put, Create, Delete, Tag, Update, ...) writes
PREFIXES = {"resourcegroupstaggingapi": "tag", "elbv2": "elasticloadbalancing"}   # botocore name -> IAM prefix, where they differ
# "No permissions are required to perform this operation. If an administrator attaches a policy to your
# identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this
# operation" (STS API reference, https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html):
# called (the target's account, monitor/sync/where.py; alarm ARNs on dashboards, monitor/resolved/account.py), never granted.
NEEDS_NO_PERMISSION = frozenset({"sts:GetCallerIdentity"})


@dataclass(frozen=True)
class Permissions:
    """The IAM actions one AWS surface calls, by when it calls them.

    read: on every plan (and apply, destroy); read_if: only when the config calls for it (`when`);
    make: to create and update what the config makes (`when`); delete: to delete resources of
    ours, which prune and destroy do whatever the config still holds. `what` and `when` say it in
    words, for the README's table (monitor/sync/iam.py); a module beside the declaration says
    `when` in code (a kind's `makes(config)`).
    """

    what: str
    read: tuple[str, ...] = ()
    read_if: tuple[str, ...] = ()
    make: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()
    when: str = ""

    @property
    def actions(self) -> tuple[str, ...]:
        return self.read + self.read_if + self.make + self.delete


@dataclass(frozen=True)
class Grant:
    """Actions allowed on resources ("*", or ARNs), under a statement id."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)


def action(service: str, operation: str) -> str:
    """`logs:DescribeLogGroups` from botocore's service name and operation name."""
    return f"{PREFIXES.get(service, service)}:{operation}"


def is_read(name: str) -> bool:
    """Whether an action only reads, by its verb: Describe, Get, List, Test."""
    return name.split(":", 1)[1].startswith(READ_VERBS)


def document(grants: Iterable[Grant]) -> dict:
    """An IAM policy document, JSON-ready: grants of one Sid are merged into one statement (actions and
    resources each sorted, `*` alone when any grant of it is on `*`); grants without actions or resources are
    left out."""
    merged: dict[str, tuple[set[str], set[str]]] = {}
    for grant in grants:
        if grant.actions and grant.resources:
            actions, resources = merged.setdefault(grant.sid, (set(), set()))
            actions |= set(grant.actions)
            resources |= set(grant.resources)
    return {"Version": VERSION, "Statement": [_allow(sid, actions, resources)
                                              for sid, (actions, resources) in merged.items()]}


def _allow(sid: str, actions: set[str], resources: set[str]) -> dict:
    scope: str | list[str] = "*" if "*" in resources else sorted(resources)
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": scope}


def arn(service: str, region: str | None, resource: str) -> str:
    """An ARN of this account's `resource` in `region` (any Region: `*`), any account (`*`), in the
    Region's partition (aws, aws-cn, aws-us-gov; botocore's endpoint data)."""
    return f"arn:{partition(region)}:{service}:{region or '*'}:*:{resource}"


@cache
def partition(region: str | None) -> str:
    """The partition of a Region; `aws` for none or one botocore does not know."""
    if not region:
        return "aws"
    try:
        return botocore.session.get_session().get_partition_for_region(region)
    except bx.UnknownRegionError:
        return "aws"
