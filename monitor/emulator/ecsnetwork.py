"""ECS services in awsvpc mode without security groups, taken as AWS takes them.

AwsVpcConfiguration requires only `subnets`; of `securityGroups` it says: "If you don't specify a
security group, the default security group for the VPC is used" (ECS API reference,
AwsVpcConfiguration, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html;
the same words, and `required: [subnets]`, in botocore's ecs model). moto (5.2) reads
`c["securityGroups"]` unconditionally in Service._validate_network, so CreateService without it
answered HTTP 500 (KeyError). Here such a configuration is checked as moto checks one with security
groups (its subnets must exist; there is no group to check) and kept as it was given. Installed by
monitor/emulator/server.py; it wraps moto's internals (pinned >=5.2.5,<5.3 in pyproject.toml).

(RunTask in awsvpc mode fails in moto 5.2 whatever the security groups, on its own network
interface's missing `private_dns_name`: nothing here uses it, and it is not patched.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

Wrapped = Callable[..., Any]


def install() -> None:
    """Wrap Service._validate_network; server.install_fidelity_patches runs this once per process.

    moto.ecs is imported here, not above: it imports moto.ec2, whose import makes a boto3 Session, which
    reads AWS_PROFILE; server.start forgets the user's profile first (a profile this machine does not
    have would end the command before the emulator serves)."""
    from moto.ecs.models import Service
    Service._validate_network = _validated(Service._validate_network)


def _validated(validate: Wrapped) -> Wrapped:
    @functools.wraps(validate)
    def checked(self: Any, configuration: dict) -> dict:   # self: moto.ecs.models.Service
        vpc = configuration.get("awsvpcConfiguration") if isinstance(configuration, dict) else None
        if not isinstance(vpc, dict) or "securityGroups" in vpc:
            return validate(self, configuration)
        validate(self, {**configuration, "awsvpcConfiguration": {**vpc, "securityGroups": []}})   # the subnets
        return configuration
    return checked
