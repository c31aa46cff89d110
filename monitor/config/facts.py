"""What only AWS knows, read once at plan time and carried with the config to the pure steps.

Offline (validate) there are no facts: `of(config)` then gives placeholders, enough to build
and check what a config generates, never sent anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from monitor.config.model import Config
from monitor.taskdefs.sizing import Limits

OFFLINE_ACCOUNT = "000000000000"
OFFLINE_REGION = "us-east-1"
Names = tuple[str, str, str]   # cluster, service, container


@dataclass(frozen=True)
class Facts:
    """The home Region, the account (only when something needs an ARN) and each container's limits."""

    region: str | None = None
    account: str | None = None
    partition: str = "aws"
    limits: dict[Names, Limits] = field(default_factory=dict)
    edges: dict[tuple[str, str], object] = field(default_factory=dict)   # (cluster, service) -> edges.Edge
    edges_read: bool = False   # plan time read the services' edges: no placeholder stands for one


def of(config: Config) -> Facts:
    """The config's facts; offline, placeholders for the Region and the account."""
    found = config.facts if isinstance(config.facts, Facts) else Facts()
    return replace(found, region=found.region or config.region or OFFLINE_REGION,
                   account=found.account or OFFLINE_ACCOUNT)


def known(config: Config) -> Facts:
    """The facts read so far, without placeholders."""
    return config.facts if isinstance(config.facts, Facts) else Facts()


def with_facts(config: Config, **changes: object) -> Config:
    """The config carrying its facts with `changes` made."""
    return config.with_facts(replace(known(config), **changes))
