"""The read-only IAM policy the exporter needs, from the actions its readers declare. Pure.

- cloudwatch:GetMetricData (monitor/exporter/metricdata.py): every refresh, on `*`.
- ecs:DescribeServices (monitor/resolved/services.py): at start and reload, for the services whose
  `task_definition` the config leaves out, on those services' ARNs (monitor/resolved/limits.py); with
  `service_metrics`, also for services with no `target_group_arn` (their target group).
- ecs:DescribeTaskDefinition (monitor/resolved/taskdefs.py): at start and reload, for the containers'
  limits, on `*`.
- elasticloadbalancing:DescribeTargetGroups (monitor/resolved/edges.py): with `service_metrics`, for
  the target groups' load balancers; it takes no resource-level permission ("Actions defined by
  Elastic Load Balancing V2", Service Authorization Reference).
- sts:AssumeRole (monitor/aws/assume.py) on each `role_arn` (the config's and the clusters'), to read
  other accounts.
"""

from __future__ import annotations

from monitor.aws import assume
from monitor.aws.iam import Grant, document
from monitor.config.model import Config
from monitor.exporter import metricdata
from monitor.resolved import limits, services, taskdefs


def policy(config: Config, region: str | None = None) -> dict:
    """An IAM policy document (JSON-ready) for the exporter of `config`; `region` (else the config's, else
    any) scopes the services' ARNs."""
    read = limits.paths(config)
    reach = config.exporter is None or config.exporter.service_metrics
    unnamed = services.described(config, read)
    unnamed += [(cluster.name, service.name) for cluster in config.clusters for service in cluster.services
                if reach and not service.target_group_arn and (cluster.name, service.name) not in unnamed]
    roles = sorted({arn for arn in [config.exporter.role_arn if config.exporter else None]
                    + [cluster.role_arn for cluster in config.clusters] if arn})
    balancers = reach and any(not s.load_balancer_arn for cluster in config.clusters for s in cluster.services)
    return document([
        Grant("ReadMetrics", metricdata.PERMISSIONS.read_if),
        Grant("FindTaskDefinitions", services.PERMISSIONS.read_if if unnamed else (),
              services.arns(unnamed, region or config.region)),
        Grant("FindLoadBalancers", ("elasticloadbalancing:DescribeTargetGroups",) if balancers else ()),
        Grant("ReadOtherAccounts", assume.PERMISSIONS.read_if if roles else (), tuple(roles)),
        Grant("ReadContainerLimits", taskdefs.PERMISSIONS.read_if if read else ()),
    ])
