"""Clients that act as another role (another account's), with credentials refreshed before they expire.

sts:AssumeRole gives credentials for at most the role's session duration (STS API reference,
AssumeRole). botocore's AssumeRoleCredentialFetcher and DeferredRefreshableCredentials are how the
AWS CLI's `role_arn` profiles do it: the first call assumes the role, and each call made within the
refresh window before expiry assumes it again (botocore credentials.py). The STS client uses the
home clients' endpoint and Region, so the emulator serves it as it serves the rest.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

import botocore.session
from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

from monitor.aws import iam
from monitor.aws.clients import Clients

if TYPE_CHECKING:
    import boto3

# sts:AssumeRole on each `role_arn`: the exporter reads other accounts through it (STS API reference, AssumeRole).
PERMISSIONS = iam.Permissions("other accounts", read_if=("sts:AssumeRole",),
                              when="a `role_arn` on the exporter or a cluster")

SESSION_NAME = "ecs-monitor-exporter"   # RoleSessionName: 2-64 of [\w+=,.@-]
ACCOUNT = re.compile(r"arn:[\w-]+:iam::(\d{12}):role/")


def account(role_arn: str) -> str | None:
    """The account a role ARN belongs to."""
    match = ACCOUNT.match(role_arn)
    return match.group(1) if match else None


def assumed(clients: Clients, role_arn: str | None) -> Clients:
    """Clients acting as `role_arn` (the same ones for the same role), sharing the call counters; None: `clients`."""
    if role_arn is None:
        return clients
    key = ("role", role_arn)
    if key not in clients._made:
        clients._made[key] = Clients(clients.target, clients.calls, clients.errors,
                                     _session=_session(clients, role_arn), region_name=clients.region)
    return clients._made[key]


def _session(clients: Clients, role_arn: str) -> boto3.Session:
    base = clients._boto_session()
    fetcher = AssumeRoleCredentialFetcher(
        lambda service, **keys: base.client(service, region_name=clients.region,
                                            endpoint_url=clients.target.endpoint_url, **keys),
        base.get_credentials(), role_arn, extra_args={"RoleSessionName": SESSION_NAME})
    inner = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    inner._credentials = DeferredRefreshableCredentials(refresh_using=fetcher.fetch_credentials, method="assume-role")
    import boto3
    return boto3.Session(botocore_session=inner, region_name=clients.region)
