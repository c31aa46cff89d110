"""A service's edges: the target group of its load balancer, and its queue, as CloudWatch names them. Pure.

AWS/ApplicationELB publishes a target group's metrics per `TargetGroup` and `LoadBalancer`, each
the last part of its ARN: `targetgroup/<name>/<id>` and `app/<name>/<id>` ("CloudWatch metrics for
your Application Load Balancer", Metric dimensions,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
AWS/SQS publishes per `QueueName` ("Available CloudWatch metrics for Amazon SQS",
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).

The config may name them (`target_group_arn`, `load_balancer_arn`, `queue` on a service); else
plan time reads the target group from DescribeServices and its load balancer from
DescribeTargetGroups (monitor/resolved/edges.py) into the config's facts. Offline, what neither
says is a placeholder, as the other plan-time facts are (monitor/config/facts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.config import facts
from monitor.config.model import Config, Service

ALB, SQS = "AWS/ApplicationELB", "AWS/SQS"
# arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id> (Elastic Load Balancing
# resource types, Service Authorization Reference) and ...:loadbalancer/app/<name>/<id>.
TARGET_GROUP = re.compile(r"arn:[\w-]+:elasticloadbalancing:[\w-]+:\d{12}:(targetgroup/[\w-]{1,32}/[0-9a-f]+)")
LOAD_BALANCER = re.compile(r"arn:[\w-]+:elasticloadbalancing:[\w-]+:\d{12}:loadbalancer/(app/[\w-]{1,32}/[0-9a-f]+)")
# A queue name: 1-80 of A-Z a-z 0-9 - _, `.fifo` at the end of a FIFO queue's (CreateQueue QueueName);
# a URL https://sqs.<region>.amazonaws.com/<account>/<name>; an ARN arn:<partition>:sqs:<region>:<account>:<name>.
QUEUE_NAME = re.compile(r"[\w-]{1,75}(\.fifo)?|[\w-]{1,80}")
QUEUE_URL = re.compile(r"https?://[^/]+/\d{12}/([^/]+)")
QUEUE_ARN = re.compile(r"arn:[\w-]+:sqs:[\w-]+:\d{12}:([^:]+)")
PLACEHOLDER_ID = "0123456789abcdef"
# A dimension value plan time read and AWS does not have (a service with no target group, one behind no
# load balancer). Never a real value (CloudWatch Dimension Value: 1-1024 characters), so no alarm is
# made with it: monitor/kinds/alarm_spec.py `make` makes none, and PLN-013 (monitor/resolved/edges.py)
# says which edge is unknown.
UNKNOWN = ""
Key = tuple[str, str]   # (cluster, service)


@dataclass(frozen=True)
class Edge:
    """The dimension values of a service's edges; None where it has none (or none is known)."""

    target_group: str | None = None   # targetgroup/<name>/<id>
    load_balancer: str | None = None  # app/<name>/<id>
    queue: str | None = None          # the queue's name


def target_group(arn: str) -> str | None:
    """`targetgroup/<name>/<id>` of a target group ARN; None for anything else."""
    match = TARGET_GROUP.fullmatch(arn)
    return match.group(1) if match else None


def load_balancer(arn: str) -> str | None:
    """`app/<name>/<id>` of an Application Load Balancer's ARN; None for anything else."""
    match = LOAD_BALANCER.fullmatch(arn)
    return match.group(1) if match else None


def queue_name(given: str) -> str | None:
    """The queue's name from its name, URL or ARN; None when it is none of them."""
    for pattern in (QUEUE_URL, QUEUE_ARN):
        if match := pattern.fullmatch(given):
            given = match.group(1)
            break
    return given if QUEUE_NAME.fullmatch(given) else None


def written(service: Service) -> Edge:
    """What the config itself says of a service's edges."""
    return Edge(target_group(service.target_group_arn or "") or None,
                load_balancer(service.load_balancer_arn or "") or None,
                queue_name(service.queue) if service.queue else None)


def known(config: Config, cluster: str, service: Service) -> Edge:
    """The edges read at plan time, else those the config writes; None where neither knows."""
    read = facts.known(config).edges.get((cluster, service.name))
    own = written(service)
    if read is None:
        return own
    return Edge(read.target_group or own.target_group, read.load_balancer or own.load_balancer, own.queue)


def of(config: Config, cluster: str, service: Service) -> Edge:
    """As `known`, with placeholders offline for what only plan time can read (the target group and its
    load balancer); a queue only the config names."""
    found = known(config, cluster, service)
    if facts.known(config).edges_read:
        return found
    return Edge(found.target_group or f"targetgroup/{service.name[:32]}/{PLACEHOLDER_ID}",
                found.load_balancer or f"app/{service.name[:32]}/{PLACEHOLDER_ID}", found.queue)


def dimensions(config: Config, cluster: str, service: Service, namespace: str | None) -> dict[str, str] | None:
    """A service's dimensions in AWS/ApplicationELB (TargetGroup, LoadBalancer) or AWS/SQS (QueueName);
    None for another namespace. A value not known is UNKNOWN."""
    edge = of(config, cluster, service)
    if namespace == ALB:
        return {"TargetGroup": edge.target_group or UNKNOWN, "LoadBalancer": edge.load_balancer or UNKNOWN}
    if namespace == SQS:
        return {"QueueName": edge.queue or UNKNOWN}
    return None


def unknown(dimensions: tuple[tuple[str, str], ...]) -> bool:
    """Whether a metric's dimensions hold a value no one could tell (UNKNOWN)."""
    return any(value == UNKNOWN for _, value in dimensions)
