"""The target a plan is made for and applied to: the account, the Region and the endpoint."""

from __future__ import annotations

import os
from dataclasses import dataclass

from monitor.aws.clients import Clients


@dataclass(frozen=True)
class Where:
    """The account ID (None when unknown), the home Region and the endpoint (None: AWS itself)."""

    account: str | None
    region: str | None
    endpoint: str | None = None

    def as_dict(self) -> dict:
        """`{"account": "123456789012", "region": "eu-west-1", "endpoint": null}`, as plan documents carry it."""
        return {"account": self.account, "region": self.region, "endpoint": self.endpoint}

    def words(self) -> str:
        """`account 123456789012, Region eu-west-1` and, when set, `, endpoint http://127.0.0.1:4566`."""
        endpoint = f", endpoint {self.endpoint}" if self.endpoint else ""
        return f"account {self.account or '(unknown)'}, Region {self.region or '(none)'}{endpoint}"

    def differences(self, other: Where) -> list[str]:
        """What differs in account and Region (`account 111 -> 222`); the endpoint may move with a port."""
        pairs = (("account", self.account, other.account), ("Region", self.region, other.region))
        return [f"{name} {was} -> {now}" for name, was, now in pairs if was != now]


def identify(clients: Clients) -> Where:
    """The target the clients talk to, from one sts:GetCallerIdentity, which needs no permission:
    "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity,
    https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).

    Raises the botocore error of a call that fails (no credentials, an endpoint that does not answer).
    """
    account = clients.sts.get_caller_identity()["Account"]
    endpoint = clients.target.endpoint_url or os.environ.get("AWS_ENDPOINT_URL")
    return Where(account, clients.region, endpoint)


def from_dict(data: object) -> Where:
    """The inverse of `Where.as_dict`; raises ValueError for anything else."""
    if not isinstance(data, dict) or not all(isinstance(data.get(k), (str, type(None)))
                                             for k in ("account", "region", "endpoint")):
        raise ValueError("'target' must be {\"account\": ..., \"region\": ..., \"endpoint\": ...}")
    return Where(data.get("account"), data.get("region"), data.get("endpoint"))
