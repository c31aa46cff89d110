"""Whose a dashboard is: a record in its header widget, written on put and read back on GetDashboard.

A dashboard name cannot hold `/` (PutDashboard: "valid characters are A-Z, a-z, 0-9, "-", and
"_"", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html), and
cluster names hold `-` and `_`, so `<prefix>-<name>` cannot say which cluster owns it. The
header's last line says it: our prefix, the home Region (dashboards are global, clusters are
not) and the clusters the dashboard shows. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.sync.ownership import ECS_NAME

SEPARATOR = "-"
RECORD = re.compile(r"`ecs-monitor owner: prefix=(\S+) region=(\S+) clusters=(\S+)`\s*\Z")
HEADER_HEIGHT = 2


@dataclass(frozen=True)
class Owner:
    prefix: str
    region: str
    clusters: tuple[str, ...]


def dashboard_name(prefix: str, name: str) -> str:
    """`<prefix>-<name>`: ListDashboards narrows to our prefix; the record says whose it is."""
    return f"{prefix}{SEPARATOR}{name}"


def header(owner: Owner, template: str) -> dict:
    """The text widget every generated dashboard starts with: a warning for people, a record for us."""
    markdown = (f"## Managed by ecs-monitor\n"
                f"Generated from the `{template}` template by `monitor apply`. Changes made here in the console are "
                f"overwritten by the next apply: change the config instead.\n\n"
                f"`ecs-monitor owner: prefix={owner.prefix} region={owner.region} clusters={','.join(owner.clusters)}`")
    return {"type": "text", "width": 24, "height": HEADER_HEIGHT, "properties": {"markdown": markdown}}


def read(body: object) -> Owner | None:
    """The owner a dashboard body records in its first widget, or None: then it is not ours."""
    widgets = body.get("widgets") if isinstance(body, dict) else None
    first = widgets[0] if isinstance(widgets, list) and widgets and isinstance(widgets[0], dict) else {}
    markdown = (first.get("properties") or {}).get("markdown") if first.get("type") == "text" else None
    match = RECORD.search(markdown) if isinstance(markdown, str) else None
    if match is None:
        return None
    clusters = tuple(match.group(3).split(","))
    return Owner(match.group(1), match.group(2), clusters) if all(map(ECS_NAME.fullmatch, clusters)) else None


def owns(prefix: str, region: str | None, clusters: frozenset[str] | set[str], found: Owner | None) -> bool:
    """The ownership rule for dashboards: our prefix, our Region, and only clusters of this config.

    A dashboard that also shows a cluster this config does not name belongs to another config
    (or to nobody we know): never changed or deleted.
    """
    return (found is not None and found.prefix == prefix and found.region == region
            and bool(found.clusters) and set(found.clusters) <= set(clusters))
