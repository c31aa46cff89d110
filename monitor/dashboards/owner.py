"""Whose a dashboard is: a record in its header widget, written on put and read back on GetDashboard.

A dashboard name cannot hold `/` (PutDashboard: "valid characters are A-Z, a-z, 0-9, "-", and
"_"", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html), and
cluster names hold `-` and `_`, so `<prefix>-<name>` cannot say which cluster owns it. The
header's last line says it: our prefix, the home Region (dashboards are global, clusters are
not), the clusters the dashboard shows and the dashboard's own name. The name is what tells our
dashboard from a copy of it: the console's "Save as" copies the body, header and all, under a new
name, and a copy is the user's own, never ours to change or delete. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.names.ownership import ECS_NAME

SEPARATOR = "-"
RECORD = re.compile(r"`ecs-monitor owner: prefix=(\S+) region=(\S+) clusters=(\S+?)(?: name=(\S+))?`\s*\Z")
NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")   # PutDashboard DashboardName
HEADER_HEIGHT = 2


@dataclass(frozen=True)
class Owner:
    prefix: str
    region: str
    clusters: tuple[str, ...]
    name: str | None = None   # the dashboard's own name; None in a record written before it was kept


def dashboard_name(prefix: str, name: str) -> str:
    """`<prefix>-<name>`: ListDashboards narrows to our prefix; the record says whose it is."""
    return f"{prefix}{SEPARATOR}{name}"


def header(owner: Owner, template: str) -> dict:
    """The text widget every generated dashboard starts with: a warning for people, a record for us."""
    markdown = (f"## Managed by ecs-monitor\n"
                f"Generated from the `{template}` template by `monitor apply`. Changes made here in the console are "
                f"overwritten by the next apply: change the config instead.\n\n"
                f"`ecs-monitor owner: prefix={owner.prefix} region={owner.region} clusters={','.join(owner.clusters)}"
                f"{f' name={owner.name}' if owner.name else ''}`")
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
    return Owner(match.group(1), match.group(2), clusters, match.group(4)) \
        if all(map(ECS_NAME.fullmatch, clusters)) else None


def shaped(prefix: str, name: str) -> bool:
    """Whether `name` is one a config of this prefix makes: `<prefix>-<entry name>`."""
    head = dashboard_name(prefix, "")
    return name.startswith(head) and bool(NAME.fullmatch(name[len(head):])) and bool(NAME.fullmatch(name))


def owns(prefix: str, region: str | None, clusters: frozenset[str] | set[str], found: Owner | None,
         name: str) -> bool:
    """The ownership rule for dashboards: our shape of name, a record of our prefix and Region, only
    clusters of this config (`clusters`: its own and its retired ones), and the record's name this
    dashboard's own.

    A dashboard that also shows a cluster this config does not name belongs to another config
    (or to nobody we know), and one whose record names another dashboard is a copy of it (the
    console's "Save as"): never changed or deleted.
    """
    return (found is not None and shaped(prefix, name) and found.name == name
            and found.prefix == prefix and found.region == region
            and bool(found.clusters) and set(found.clusters) <= set(clusters))


def whose(found: Owner | None, name: str, prefix: str, region: str | None,
          clusters: frozenset[str] | set[str]) -> str | None:
    """Why a dashboard with a record is not ours, for the message that leaves it alone; None without one.

    `clusters` are this config's, its own and retired. Only when some of the record's clusters are this
    config's can the others be ones that left it (retired_clusters); when none is, listing them there
    would hand another config's resources to this one's --prune: that dashboard is the other config's.
    """
    if found is None:
        return None
    if found.name is not None and found.name != name:
        return f"its header records dashboard {found.name}, so it is a copy someone made of that one"
    recorded = f"prefix {found.prefix}, Region {found.region}, clusters {', '.join(found.clusters)}"
    others = [cluster for cluster in found.clusters if cluster not in clusters]
    if found.prefix != prefix or found.region != region or len(others) == len(found.clusters):
        return (f"its header records another config's ({recorded}), none of them this config's: that config owns "
                "it; rename this dashboard (its entry's `name:`)")
    listed = ", ".join(others)
    them = "it" if len(others) == 1 else "them"
    return (f"its header records {recorded}, and {listed} {'is' if len(others) == 1 else 'are'} not this "
            f"config's: if {listed} left this config, list {them} under retired_clusters; if another config "
            f"manages {listed}, rename this dashboard (its entry's `name:`)")
