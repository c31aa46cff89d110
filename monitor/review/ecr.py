"""Whether the ECR repositories the containers pull from scan their images. Read only.

Reads, per registry (an account and a Region): GetRegistryScanningConfiguration, then
DescribeRepositories for the repositories the images name, at most 100 names a call
(`repositoryNames`, 1-100 items; ECR API reference:
https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html and
https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRegistryScanningConfiguration.html).
One unknown name fails the whole call (RepositoryNotFoundException): that batch is asked again one
name at a time. GetRegistryScanningConfiguration reads only the caller's own registry, so an image
in another account's registry is reported as not checked.

A repository is scanned when ("Filters to choose which repositories are scanned in Amazon ECR",
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html):
- the registry uses ENHANCED scanning and a SCAN_ON_PUSH or CONTINUOUS_SCAN rule's filter matches
  it; enhanced scanning disables scanning of every repository no filter matches;
- the registry uses BASIC scanning and a SCAN_ON_PUSH rule's filter matches it, or the
  repository's own `imageScanningConfiguration.scanOnPush` is true.
A filter without `*` matches every name containing it; `*` stands for zero or more characters.
This is what Security Hub control ECR.1, "ECR private repositories should have image scanning
configured", checks (https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-1).
Access denied is a finding saying what could not be checked, not an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.aws.clients import Clients
from monitor.aws.errors import DENIED_CODES
from monitor.problems import Path
from monitor.review import images
from monitor.review.findings import INFO, WARNING, Finding, Rule

BATCH = 100   # DescribeRepositories `repositoryNames`: at most 100
ENHANCED, SCANNING = "ENHANCED", ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")

NOT_SCANNED = Rule("ECR-SCAN-001", WARNING, "ECR repository without scan on push or enhanced scanning",
                   "turn on enhanced scanning, or a scan-on-push filter matching the repository, in the "
                   "registry's scanning configuration (PutRegistryScanningConfiguration)", "ECR.1")
OTHER_ACCOUNT = Rule("ECR-SCAN-002", INFO, "ECR repository in another account's registry: scanning not checked",
                     "review the scanning configuration in the account that owns the registry")
DENIED = Rule("ECR-SCAN-003", WARNING, "ECR scanning not checked: access denied",
              "allow ecr:GetRegistryScanningConfiguration and ecr:DescribeRepositories to the role running monitor")
MISSING = Rule("ECR-REPO-001", WARNING, "the ECR repository an image names does not exist",
               "fix the image URI, or create the repository and push the image")
RULES = (NOT_SCANNED, OTHER_ACCOUNT, DENIED, MISSING)


@dataclass(frozen=True)
class Use:
    """A container's image, who uses it (`cluster/service/container`), and the config key it comes from."""

    image: str
    subject: str
    path: Path = ()


Users = dict[str, list[Use]]   # repository name -> the containers using it


def scanning(clients: Clients, uses: Iterable[Use]) -> list[Finding]:
    """A finding for each ECR repository used that is not scanned, or could not be checked.

    Images outside private ECR (Docker Hub, ECR Public, ...) give none. Only AccessDenied is
    caught (as a finding); other AWS errors propagate.
    """
    registries: dict[tuple[str, str], Users] = defaultdict(lambda: defaultdict(list))
    for use in uses:
        found = images.ecr(use.image)
        if found:
            registries[(found.account, found.region)][found.repository].append(use)
    return [f for (account, region), users in registries.items()
            for f in _registry(clients.in_region(region), account, region, users)]


def _registry(clients: Clients, account: str, region: str, users: Users) -> list[Finding]:
    client = clients.ecr
    try:
        registry = client.get_registry_scanning_configuration()
        if registry.get("registryId") not in (None, account):
            return _each(OTHER_ACCOUNT, account, region, users, "is in account {account}'s registry, whose "
                         "scanning configuration only that account can read")
        found, missing = repositories(client, account, sorted(users))
    except client.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") not in DENIED_CODES:
            raise
        return _each(DENIED, account, region, users, f"could not be checked: access denied for {error.operation_name}")
    configuration = registry.get("scanningConfiguration") or {}
    return (_each(MISSING, account, region, {n: users[n] for n in missing}, "does not exist in account {account}")
            + _each(NOT_SCANNED, account, region, {n: users[n] for n, r in found.items() if not scanned(r, configuration)},
                    "scans images neither on push nor with enhanced scanning"
                    + (" (the registry uses enhanced scanning, and no filter matches it)"
                       if configuration.get("scanType") == ENHANCED else "")))


def repositories(client, account: str, names: list[str]) -> tuple[dict[str, dict], list[str]]:
    """DescribeRepositories' `repositories` by name, 100 names a call; and the names that do not exist."""
    found, missing = {}, []
    for start in range(0, len(names), BATCH):
        batch = names[start:start + BATCH]
        try:
            found |= _described(client, account, batch)
        except client.exceptions.RepositoryNotFoundException:   # one unknown name fails the call
            for name in batch:
                try:
                    found |= _described(client, account, [name])
                except client.exceptions.RepositoryNotFoundException:
                    missing.append(name)
    return found, missing


def _described(client, account: str, names: list[str]) -> dict[str, dict]:
    pages = client.get_paginator("describe_repositories").paginate(registryId=account, repositoryNames=names)
    return {r["repositoryName"]: r for page in pages for r in page.get("repositories", [])}


def scanned(repository: dict, configuration: dict) -> bool:
    """Whether images pushed to the repository are scanned (module docstring): pure."""
    name = repository["repositoryName"]
    matched = any(rule.get("scanFrequency") in SCANNING and any(matches(f.get("filter", ""), name)
                                                               for f in rule.get("repositoryFilters") or [])
                  for rule in configuration.get("rules") or [])
    if configuration.get("scanType") == ENHANCED:
        return matched
    return matched or bool((repository.get("imageScanningConfiguration") or {}).get("scanOnPush"))


def matches(pattern: str, name: str) -> bool:
    """ECR's filter wildcards: no `*` matches names containing the filter; `*` is zero or more characters."""
    if "*" not in pattern:
        return bool(pattern) and pattern in name
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), name) is not None


def _each(rule: Rule, account: str, region: str, users: Users, said: str) -> list[Finding]:
    """One finding per repository, about the repository, naming the containers that use it."""
    return [rule.finding(images.EcrImage(account, region, name).uri,
                         f"repository '{name}' {said.format(account=account)}; used by "
                         + ", ".join(sorted({u.subject for u in uses})), path=uses[0].path)
            for name, uses in sorted(users.items())]
