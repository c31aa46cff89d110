"""The plan-time facts that are not in any task definition: the home Region, and the account when needed."""

from __future__ import annotations

from monitor.aws.clients import Clients
from monitor.config import facts
from monitor.config.model import Config


def gather(clients: Clients, config: Config, arns: bool = True) -> Config:
    """The config with its facts' Region, and, when something shows alarms by ARN (`arns`), the account
    and partition of their ARNs, from one sts:GetCallerIdentity (whose `Arn` is
    arn:<partition>:...; STS API reference, GetCallerIdentity). Nothing else needs the account.
    GetCallerIdentity needs no permission (monitor/aws/iam.py NEEDS_NO_PERMISSION), so no policy grants it."""
    config = facts.with_facts(config, region=clients.region)
    if not arns:
        return config
    identity = clients.sts.get_caller_identity()
    return facts.with_facts(config, account=identity["Account"], partition=identity["Arn"].split(":")[1])
