"""The read-only IAM policy the exporter needs, with exactly the actions it calls. Pure.

- cloudwatch:GetMetricData: every refresh. It takes no resource-level permission, so `*`
  (Service Authorization Reference, "Actions defined by Amazon CloudWatch":
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
- ecs:DescribeServices: at start and reload, for services whose `task_definition` the config
  leaves out; scoped to those services' ARNs (resource type `service`,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
- ecs:DescribeTaskDefinition: at start and reload, for the containers' limits; it takes no
  resource-level permission, so `*`.
- With `service_metrics`, ecs:DescribeServices also for services with no `target_group_arn` (their
  target group), and elasticloadbalancing:DescribeTargetGroups for the target groups' load balancers,
  which takes no resource-level permission ("Actions defined by Elastic Load Balancing V2").
- sts:AssumeRole on each `role_arn` (the config's and the clusters'), to read other accounts.
"""

from __future__ import annotations

from monitor.config.model import Config

VERSION = "2012-10-17"


def policy(config: Config, region: str | None = None) -> dict:
    """An IAM policy document (JSON-ready) for the exporter of `config`."""
    where = region or config.region or "*"
    statements = [_allow("ReadMetrics", ["cloudwatch:GetMetricData"], "*")]
    edges = config.exporter is None or config.exporter.service_metrics
    unnamed = [f"arn:aws:ecs:{where}:*:service/{cluster.name}/{service.name}" for cluster in config.clusters
               for service in cluster.services if (service.containers and not service.task_definition)
               or (edges and not service.target_group_arn)]
    if unnamed:
        statements.append(_allow("FindTaskDefinitions", ["ecs:DescribeServices"], sorted(unnamed)))
    if edges and any(not s.load_balancer_arn for cluster in config.clusters for s in cluster.services):
        statements.append(_allow("FindLoadBalancers", ["elasticloadbalancing:DescribeTargetGroups"], "*"))
    roles = sorted({arn for arn in [config.exporter.role_arn if config.exporter else None]
                    + [cluster.role_arn for cluster in config.clusters] if arn})
    if roles:
        statements.append(_allow("ReadOtherAccounts", ["sts:AssumeRole"], roles))
    if any(service.containers for cluster in config.clusters for service in cluster.services):
        statements.append(_allow("ReadContainerLimits", ["ecs:DescribeTaskDefinition"], "*"))
    return {"Version": VERSION, "Statement": statements}


def _allow(sid: str, actions: list[str], resources: str | list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
