"""A service's own widgets: its tasks, utilization, network, ephemeral storage, target group and queue. Pure.

Sources, each a metric CloudWatch publishes per service:
- AWS/ECS CPUUtilization and MemoryUtilization per ClusterName and ServiceName, in percent of what
  the tasks reserve ("Amazon ECS CloudWatch metrics", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
- ECS/ContainerInsights RunningTaskCount, DesiredTaskCount, NetworkRxBytes and NetworkTxBytes (bytes
  a second), EphemeralStorageUtilized and EphemeralStorageReserved (gigabytes), per ClusterName and
  ServiceName, on a cluster with Container Insights ("Amazon ECS Container Insights metrics",
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
- AWS/ApplicationELB RequestCount, HTTPCode_Target_5XX_Count (Sum), TargetResponseTime (seconds),
  HealthyHostCount and UnHealthyHostCount per TargetGroup and LoadBalancer, for a service behind a
  load balancer, and AWS/SQS ApproximateAgeOfOldestMessage (seconds) and ApproximateNumberOfMessagesVisible
  per QueueName for a service with a `queue:` (monitor/config/edges.py says which).
A widget whose metrics the service does not have says why, or is left out where having none is normal
(no load balancer, no queue).
"""

from __future__ import annotations

from collections.abc import Iterator

from monitor.config import edges
from monitor.config.model import Config, Item
from monitor.config.walk import Place

TYPES = ("tasks", "utilization", "network", "storage", "target_group", "queue")
INSIGHTS, ECS = "ECS/ContainerInsights", "AWS/ECS"
NEEDS_INSIGHTS = ("tasks", "network", "storage")
Widget = dict


def widgets(config: Config, region: str, item: Item, places: list[Place], period: int, size: dict) -> Iterator[Widget]:
    """The widgets of one service-scoped item (the first place's service)."""
    place = places[0]
    if item.type in NEEDS_INSIGHTS and place.cluster.container_insights not in ("enabled", "enhanced"):
        yield _text(size, f"**{place.service.name}: no {item.type} metrics.** They come from Container Insights: "
                          f"set cluster {place.cluster.name}'s `container_insights` to enabled or enhanced.")
        return
    for title, rows, stat, lines in _graphs(config, item.type, place):
        properties = {"title": item.title or title, "view": "timeSeries", "stacked": False, "region": region,
                      "metrics": rows, "stat": item.stat or stat, "period": period}
        if lines:
            properties["annotations"] = {"horizontal": lines}
        yield {"type": "metric", **size, "properties": properties}


def _graphs(config: Config, kind: str, place: Place) -> list[tuple[str, list, str, list]]:
    """(title, rows, stat, horizontal lines) of each graph the item makes."""
    service = (("ClusterName", place.cluster.name), ("ServiceName", place.service.name))
    name = place.service.name
    if kind == "tasks":
        return [(f"{name} tasks: running vs desired", [_row(INSIGHTS, "RunningTaskCount", service),
                                                       _row(INSIGHTS, "DesiredTaskCount", service)], "Average", [])]
    if kind == "utilization":
        return [(f"{name} CPU and memory (% of reserved)", [_row(ECS, "CPUUtilization", service),
                                                          _row(ECS, "MemoryUtilization", service)], "Average",
                 [{"label": "100% of reserved", "value": 100}])]
    if kind == "network":
        return [(f"{name} network (bytes/s)", [_row(INSIGHTS, "NetworkRxBytes", service),
                                               _row(INSIGHTS, "NetworkTxBytes", service)], "Average", [])]
    if kind == "storage":
        return [(f"{name} ephemeral storage (GB)", [_row(INSIGHTS, "EphemeralStorageUtilized", service),
                                                    _row(INSIGHTS, "EphemeralStorageReserved", service)],
                 "Average", [])]
    return _target_group(config, place) if kind == "target_group" else _queue(config, place)


def _target_group(config: Config, place: Place) -> list[tuple[str, list, str, list]]:
    if not edges.known(config, place.cluster.name, place.service).target_group:
        return []
    group = tuple(edges.dimensions(config, place.cluster.name, place.service, edges.ALB).items())
    name = place.service.name
    alb = edges.ALB
    return [(f"{name} requests and target 5xx (per period)", [_row(alb, "RequestCount", group),
                                                              _row(alb, "HTTPCode_Target_5XX_Count", group)], "Sum", []),
            (f"{name} response time (s)", [_row(alb, "TargetResponseTime", group, stat=p, label=p)
                                           for p in ("p50", "p90", "p99")], "p90", []),
            (f"{name} healthy and unhealthy tasks", [_row(alb, "HealthyHostCount", group),
                                                     _row(alb, "UnHealthyHostCount", group)], "Maximum", [])]


def _queue(config: Config, place: Place) -> list[tuple[str, list, str, list]]:
    if not place.service.queue:
        return []
    queue = tuple(edges.dimensions(config, place.cluster.name, place.service, edges.SQS).items())
    return [(f"{place.service.name} queue: oldest message (s) and depth",
             [_row(edges.SQS, "ApproximateAgeOfOldestMessage", queue, stat="Maximum"),
              _row(edges.SQS, "ApproximateNumberOfMessagesVisible", queue, stat="Average", yAxis="right")],
             "Maximum", [])]


def _row(namespace: str, metric: str, dimensions: tuple[tuple[str, str], ...], **options: str) -> list:
    return [namespace, metric, *(part for pair in dimensions for part in pair), *([options] if options else [])]


def _text(size: dict, markdown: str) -> Widget:
    return {"type": "text", **size, "properties": {"markdown": markdown}}
