"""Container image references: which are in a private ECR registry, and which are known sidecars. Pure.

An image reference is `[registry/]repository[:tag][@digest]`; the first part is a registry only
when it has a `.` or a `:` or is `localhost` (Docker's reference grammar; the ECS
ContainerDefinition `image` parameter takes the same forms:
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
A private ECR image is `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]`
(Amazon ECR User Guide, "Private registry concepts":
https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html), `dkr.ecr-fips` for the
FIPS endpoints, `.amazonaws.com.cn` in China, and `<account>.dkr-ecr.<region>.on.aws` for the
dual-stack endpoints (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html).

Sidecars are recognised, in this order, by:
1. `firelensConfiguration`: the container is the task's FireLens log router;
2. its image, one of the well-known agent, proxy and log router images below, wherever it is
   pulled from (Docker Hub, ECR Public, or a mirror in the account's own ECR);
3. `essential: false`: the task goes on without it, which is what a helper is.
A container recognised by 1 or 2 is a sidecar whether or not the config monitors it (`known_sidecar`):
monitoring an X-Ray daemon's logs does not make it the app. By 3 alone, a container the config
monitors is a main one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOG_ROUTER, PROXY, AGENT, HELPER = "log router", "proxy", "agent", "non-essential container"
XRAY, DATADOG = "xray", "datadog"
ECR_HOST = re.compile(r"(?P<account>\d{12})\.(?:dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?"
                      r"|dkr-ecr(?:-fips)?\.(?P<dual>[a-z0-9-]+)\.on\.aws)")


@dataclass(frozen=True)
class Known:
    """A well-known sidecar image: its repository path's end, its role, and the tracing it brings."""

    pattern: re.Pattern
    role: str
    apm: str | None = None


def _ends(path: str) -> re.Pattern:
    return re.compile(rf"(?:^|/){path}$")


KNOWN = (
    Known(_ends("(?:aws-for-fluent-bit|fluent-bit|fluentd)"), LOG_ROUTER),   # amazon/aws-for-fluent-bit, fluent/fluent-bit
    Known(_ends("(?:aws-appmesh-envoy|envoy)"), PROXY),                      # appmesh/aws-appmesh-envoy, envoyproxy/envoy
    Known(_ends("aws-xray-daemon"), AGENT, XRAY),                            # xray/aws-xray-daemon
    Known(_ends("aws-otel-collector"), AGENT, XRAY),                         # AWS Distro for OpenTelemetry collector
    Known(_ends("(?:datadog(?:hq)?/agent|datadog-agent)"), AGENT, DATADOG),  # datadog/agent, gcr.io/datadoghq/agent
    Known(_ends("cloudwatch-agent"), AGENT),                                 # cloudwatch-agent/cloudwatch-agent
    Known(_ends("opentelemetry-collector(?:-contrib|-k8s)?"), AGENT),        # otel/opentelemetry-collector[-contrib]
    Known(_ends("(?:newrelic/)?(?:nri-ecs|infrastructure(?:-bundle)?|newrelic-fluentbit-output)"), AGENT),  # New Relic
)


@dataclass(frozen=True)
class Reference:
    """An image reference taken apart: registry host ("" for Docker Hub), repository, tag, digest."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None


@dataclass(frozen=True)
class EcrImage:
    """An image in a private ECR registry: the registry's account and Region, and the repository."""

    account: str
    region: str
    repository: str

    @property
    def uri(self) -> str:
        return f"{self.account}.dkr.ecr.{self.region}.amazonaws.com/{self.repository}"


def parse(image: str) -> Reference:
    """`registry/repo:tag@digest` taken apart; a reference without a registry is Docker Hub's ("")."""
    rest, _, digest = image.strip().partition("@")
    name, tag = rest, None
    if ":" in rest.rsplit("/", 1)[-1]:
        name, tag = rest.rsplit(":", 1)
    first, _, remainder = name.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        return Reference(first.lower(), remainder, tag or None, digest or None)
    return Reference("", name, tag or None, digest or None)


def ecr(image: str) -> EcrImage | None:
    """The private ECR repository an image is pulled from; None for any other registry (ECR Public too)."""
    reference = parse(image)
    found = ECR_HOST.fullmatch(reference.registry)
    if not found or not reference.repository:
        return None
    return EcrImage(found["account"], found["region"] or found["dual"], reference.repository)


def known(image: str) -> Known | None:
    """The well-known sidecar image this is, matched on the end of its repository path."""
    path = parse(image).repository.lower()
    return next((k for k in KNOWN if k.pattern.search(path)), None)


def sidecar(container: dict) -> str | None:
    """What kind of helper a container definition is (see the module's docstring); None for an app."""
    if container.get("firelensConfiguration"):
        return LOG_ROUTER
    found = known(container.get("image") or "")
    if found:
        return found.role
    return HELPER if container.get("essential") is False else None


def known_sidecar(container: dict) -> str | None:
    """Its role when it is a sidecar by what it is (a FireLens router, a well-known image); else None."""
    if container.get("firelensConfiguration"):
        return LOG_ROUTER
    found = known(container.get("image") or "")
    return found.role if found else None


def tracing(container: dict) -> str | None:
    """The APM a container brings by its image: "xray" (X-Ray daemon, ADOT collector), "datadog", or None."""
    found = known(container.get("image") or "")
    return found.apm if found else None
