"""Names of the resources we create, and the one rule that says whether a resource is ours.

A name is `<prefix>/<cluster>/<service>/<container>/<filter>`, e.g.
`monitor/honban/awesome-app/nginx/http-5xx`, or `<prefix>/<cluster>/(performance)/<metric>`
for the compiled Container Insights filters of a cluster.

The separator `/` cannot occur in a prefix or in an ECS name: cluster, service and container
names are 1-255 of `[A-Za-z0-9_-]` (ECS API reference, CreateCluster/CreateService/
ContainerDefinition `name`), so splitting a name at its first slashes gives exactly one owner,
whatever dashes the names hold. Metric filter names may hold any character but `:` and `*`
(CloudWatch Logs API reference, PutMetricFilter `filterName`, pattern `[^:*]*`), so the last
part, the filter's own name, may contain anything else, `/` included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = "/"
PERFORMANCE = "(performance)"   # not an ECS name: marks a filter of the whole cluster
ECS_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")   # clusters, services, containers (ECS API reference)
PERFORMANCE_TAIL = re.compile(r"[A-Za-z]+(/[2-9]|/[1-9][0-9]+)?")   # a performance field, then part 2, 3, ...


# A resource whose name cannot say whose it is (a log group) says it with tags.
MARKER_TAG = {"managed-by": "ecs-monitor"}
PREFIX_TAG = "ecs-monitor:prefix"
CLUSTER_TAG = "ecs-monitor:cluster"
OUR_TAGS = (*MARKER_TAG, PREFIX_TAG, CLUSTER_TAG)


@dataclass(frozen=True)
class Owner:
    """Whom a generated name belongs to: the config's prefix and a cluster, service and container."""

    prefix: str
    cluster: str
    service: str | None = None
    container: str | None = None


def filter_name(prefix: str, cluster: str, service: str, container: str, name: str) -> str:
    """An app-log filter, unique per container on a shared log group."""
    return SEPARATOR.join((prefix, cluster, service, container, name))


def performance_filter_name(prefix: str, cluster: str, metric: str, part: int) -> str:
    """A compiled performance filter; `part` counts from 1 and shows only when the pattern is split."""
    suffix = f"{SEPARATOR}{part}" if part > 1 else ""
    return SEPARATOR.join((prefix, cluster, PERFORMANCE, metric)) + suffix


def owner(name: str) -> Owner | None:
    """The owner of a name in exactly a shape we generate, or None: any other name is not ours.

    `<prefix>/<cluster>/<service>/<container>/<filter>` with ECS names in the first four
    parts, or `<prefix>/<cluster>/(performance)/<field>[/<part>]`. A hand-made
    `monitor/web/errors` names our cluster but nothing we make, and stays someone else's.
    """
    parts = name.split(SEPARATOR, 4)
    if len(parts) < 4 or not all(ECS_NAME.fullmatch(part) for part in parts[:2]):
        return None
    if parts[2] == PERFORMANCE:
        return Owner(parts[0], parts[1]) if PERFORMANCE_TAIL.fullmatch(SEPARATOR.join(parts[3:])) else None
    if len(parts) == 5 and ECS_NAME.fullmatch(parts[2]) and ECS_NAME.fullmatch(parts[3]) and parts[4]:
        return Owner(*parts[:4])
    return None


def compiled_family(name: str) -> str | None:
    """What the parts of one compiled performance filter share: its name without `/<part>`.

    The compile splits a (cluster, field) filter into parts only when a pattern would pass
    1024 characters, so the parts come and go with the config; a part it no longer makes
    would count its containers a second time, and must go with the rest of the change.
    """
    parts = name.split(SEPARATOR)
    if len(parts) >= 4 and parts[2] == PERFORMANCE:
        return SEPARATOR.join(parts[:4])
    return None


def tagged(prefix: str, tags: dict[str, str]) -> bool:
    """Whether tags say ecs-monitor made the resource under this prefix: our marker and our prefix tag.

    The rule for kinds AWS tags (alarms, metric and composite): a name in our shape is not
    enough, since anyone can give an alarm that name in the console.
    """
    return tags.get("managed-by") == MARKER_TAG["managed-by"] and tags.get(PREFIX_TAG) == prefix


def lacking(prefix: str, tags: dict[str, str]) -> str:
    """Which of our tags an alarm in our name shape lacks, as a message says it: the rule above, spelt out."""
    ours = {**MARKER_TAG, PREFIX_TAG: prefix}
    missing = [f"{key}={value}" for key, value in ours.items() if tags.get(key) != value]
    if len(missing) == len(ours):
        return f"carries none of our tags ({', '.join(missing)})"
    has = [f"{key}={value}" for key, value in ours.items() if tags.get(key) == value]
    other = [f"{key}={tags[key]}" for key in ours if key in tags and tags[key] != ours[key]]
    instead = f" (it has {', '.join(other)})" if other else ""
    return f"carries {', '.join(has)} but lacks {', '.join(missing)}{instead}"


def owns(prefix: str, clusters: frozenset[str] | set[str], name: str, per_container: bool = False) -> bool:
    """The ownership rule, the only one: our prefix *and* a cluster of this config.

    Used for every kind and on every log group, by plan, prune and destroy alike. A name
    with our prefix that names another cluster belongs to another config (or to nobody we
    know), and is never changed or deleted. `per_container` is for kinds made only per
    container (alarms): the cluster-wide
    `(performance)` shape is then not one we make, so not ours.
    """
    found = owner(name)
    return (found is not None and found.prefix == prefix and found.cluster in clusters
            and not (per_container and found.container is None))
