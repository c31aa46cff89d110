"""A service's AWS/ECS utilization and its target group's metrics, as exporter queries. Pure.

- AWS/ECS CPUUtilization and MemoryUtilization per ClusterName and ServiceName: the service's tasks'
  CPU and memory in percent of what they reserve, published for every service without Container
  Insights ("Amazon ECS CloudWatch metrics", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
  Served as 0..1 ratios: `ecs_service_cpu_utilization_ratio` (what YACE users graph as
  `aws_ecs_cpuutilization_average`, in percent).
- AWS/ApplicationELB per TargetGroup and LoadBalancer, for a service whose target group is known
  (monitor/config/edges.py): RequestCount and HTTPCode_Target_5XX_Count summed into counters,
  TargetResponseTime (seconds, Average) and the healthy and unhealthy task counts as gauges
  ("CloudWatch metrics for your Application Load Balancer",
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
"""

from __future__ import annotations

from monitor.config import edges
from monitor.config.model import Cluster, Config
from monitor.exporter import naming

ECS = "AWS/ECS"
UTILIZATION = {"CPUUtilization": "CpuUtilization", "MemoryUtilization": "MemoryUtilization"}
# CloudWatch name -> (name without prefix and unit, unit, statistic, counter)
TARGET_GROUP = {"RequestCount": ("Requests", "Count", "Sum", True),
                "HTTPCode_Target_5XX_Count": ("Http5xxResponses", "Count", "Sum", True),
                "TargetResponseTime": ("TargetResponseTime", "Seconds", "Average", False),
                "HealthyHostCount": ("HealthyTargets", "None", "Average", False),
                "UnHealthyHostCount": ("UnhealthyTargets", "None", "Average", False)}


def specs(config: Config, cluster: Cluster) -> list[dict]:
    """Every service's AWS/ECS utilization, and its target group's metrics where its target group is
    known, each as the keys of an exporter Query (monitor/exporter/queries.py) but its source."""
    found = []
    for service in cluster.services:
        labels = ((naming.CLUSTER, cluster.name), (naming.SERVICE, service.name))
        dimensions = (("ClusterName", cluster.name), ("ServiceName", service.name))
        found += [_spec(ECS, metric, dimensions, "Average", naming.metric_name("service", name, "ratio"), "Percent",
                        labels, False, " As a ratio: 1 is all of what the tasks reserve.")
                  for metric, name in UTILIZATION.items()]
        edge = edges.known(config, cluster.name, service)
        if edge.target_group and edge.load_balancer:
            group = (("LoadBalancer", edge.load_balancer), ("TargetGroup", edge.target_group))
            found += [_spec(edges.ALB, metric, group, stat,
                            naming.metric_name("target_group", name, naming.unit(unit).suffix, counter), unit,
                            labels, counter)
                      for metric, (name, unit, stat, counter) in TARGET_GROUP.items()]
    return found


def _spec(namespace: str, metric: str, dimensions: tuple, stat: str, family: str, unit: str, labels: tuple,
          counter: bool, more: str = "") -> dict:
    what = "summed into a running total over complete periods" if counter else "in the last complete period"
    return {"namespace": namespace, "metric": metric, "dimensions": dimensions, "stat": stat, "family": family,
            "unit": unit, "labels": labels, "counter": counter, "aliases": (metric,),
            "help": f"CloudWatch {namespace} {metric} of the service, {stat} {what}.{more}"}
