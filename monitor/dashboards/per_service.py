"""`per: service`: one dashboard for each service a dashboard entry covers. Pure.

A cluster-wide dashboard stops at CloudWatch's limits, 500 widgets and 2,500 metrics a dashboard
("Dashboard Body Structure and Syntax"); one a service stays far below them. Each is named
`<prefix>-<name>-<cluster>-<service>`: ECS cluster and service names hold only A-Z a-z 0-9 - _
(CreateCluster, CreateService), as dashboard names do (PutDashboard DashboardName, at most 255
characters, which validate checks).
"""

from __future__ import annotations

from monitor.config.model import Config, Dashboard
from monitor.dashboards.owner import SEPARATOR, dashboard_name

Instance = tuple[str, str]   # (cluster, service)


def instances(config: Config, dashboard: Dashboard) -> list[Instance | None]:
    """The services a `per: service` entry makes a dashboard for, in the config's order; [None]: one dashboard."""
    if dashboard.per != "service":
        return [None]
    shown = dashboard.clusters if dashboard.clusters is not None else [c.name for c in config.clusters]
    return [(cluster.name, service.name) for cluster in config.clusters if cluster.name in shown
            for service in cluster.services]


def name(prefix: str, entry: str, only: Instance | None) -> str:
    """`<prefix>-<entry>`, or `<prefix>-<entry>-<cluster>-<service>` for one service's."""
    return dashboard_name(prefix, entry if only is None else SEPARATOR.join((entry, *only)))


def names(config: Config) -> set[str]:
    """Every dashboard name the config makes."""
    return {name(config.prefix, entry.name, only) for entry in config.dashboards
            for only in instances(config, entry)}
