"""Metric identity: each container's filter metrics in a namespace of its own, and back.

A metric filter's dimensions can only come from fields of the log event (CloudWatch Logs
User Guide, "Publishing dimensions with metrics"), so a static ServiceName dimension is
impossible. The container is therefore written into the namespace:
`<namespace>/<cluster>/<service>/<container>`, e.g. `Custom/ECS/honban/awesome-app/nginx`,
and the metric keeps the name the filter gives it (`Http5xx`). Adding a container to a
service renames nothing. The exporter reads the namespace back into `ecs_cluster`,
`ecs_service` and `container` labels; `/` cannot occur in an ECS name, so that is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.names.ownership import ECS_NAME, SEPARATOR


@dataclass(frozen=True)
class Identity:
    """The container a metric belongs to."""

    cluster: str
    service: str
    container: str


def namespace(base: str, identity: Identity) -> str:
    """The container's own namespace under the config's `namespace`."""
    return SEPARATOR.join((base, identity.cluster, identity.service, identity.container))


def identity(base: str, name: str) -> Identity | None:
    """The container a namespace under `base` belongs to; None for any other namespace."""
    if not name.startswith(base + SEPARATOR):
        return None
    parts = name[len(base) + 1:].split(SEPARATOR)
    if len(parts) != 3 or not all(ECS_NAME.fullmatch(part) for part in parts):
        return None
    return Identity(*parts)
