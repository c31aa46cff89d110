"""The read-only IAM policy the exporter needs, with exactly the actions it calls. Pure.

- cloudwatch:GetMetricData: every refresh. It takes no resource-level permission, so `*`
  (Service Authorization Reference, "Actions defined by Amazon CloudWatch":
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
- ecs:DescribeServices: at start and reload, for services whose `task_definition` the config
  leaves out; scoped to those services' ARNs (resource type `service`,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
- ecs:DescribeTaskDefinition: at start and reload, for the containers' limits; it takes no
  resource-level permission, so `*`.
"""

from __future__ import annotations

from monitor.config.model import Config

VERSION = "2012-10-17"


def policy(config: Config, region: str | None = None) -> dict:
    """An IAM policy document (JSON-ready) for the exporter of `config`."""
    where = region or config.region or "*"
    statements = [_allow("ReadMetrics", ["cloudwatch:GetMetricData"], "*")]
    unnamed = [f"arn:aws:ecs:{where}:*:service/{cluster.name}/{service.name}" for cluster in config.clusters
               for service in cluster.services if service.containers and not service.task_definition]
    if unnamed:
        statements.append(_allow("FindTaskDefinitions", ["ecs:DescribeServices"], sorted(unnamed)))
    if any(service.containers for cluster in config.clusters for service in cluster.services):
        statements.append(_allow("ReadContainerLimits", ["ecs:DescribeTaskDefinition"], "*"))
    return {"Version": VERSION, "Statement": statements}


def _allow(sid: str, actions: list[str], resources: str | list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
