"""Plan time: each service's target group and load balancer, read from ECS and Elastic Load Balancing.

A service behind a load balancer names its target groups in DescribeServices `loadBalancers[]`
(`targetGroupArn`), ten services a call (ECS API reference, DescribeServices); a target group
names its load balancers in DescribeTargetGroups `LoadBalancerArns` (Elastic Load Balancing API
reference; the call is paginated, and takes at most 20 ARNs in our batches). What the config
writes (`target_group_arn`, `load_balancer_arn`) is not asked again. A service with several target
groups is watched on the first, and the plan says so. The result goes into the config's facts,
where monitor/config/edges.py reads it; what an alarm needs and AWS does not have is an error at
the alarm.
"""

from __future__ import annotations

import botocore.exceptions as bx

from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config import edges, facts
from monitor.config.model import Config, Service
from monitor.config.walk import containers
from monitor.problems import ERROR, INFO, Check, Problem
from monitor.resolved.services import DESCRIBE_BATCH, LIVE

TARGET_GROUP_BATCH = 20
SEVERAL = Check("PLN-012", INFO, "a service with several target groups: its alarms and widgets watch the first")
NO_TARGET_GROUP = Check("PLN-013", ERROR, "an alarm on the target group of a service that has none, or none behind "
                        "a load balancer", source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html")
CHECKS = (SEVERAL, NO_TARGET_GROUP)
# DescribeTargetGroups takes no resource-level permission ("Actions defined by Elastic Load Balancing V2",
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html).
PERMISSIONS = iam.Permissions("target groups", read_if=("ecs:DescribeServices", "elasticloadbalancing:DescribeTargetGroups"),
                              when="an alarm on `AWS/ApplicationELB` or a dashboard, for services whose "
                                   "`target_group_arn` or `load_balancer_arn` the config leaves out")
Key = tuple[str, str]


def gather(clients: Clients, config: Config) -> tuple[Config, list[Problem]]:
    """The config with its services' edges in its facts, and the findings of alarms whose edge AWS lacks."""
    notes: list[Problem] = []
    groups = _target_groups(clients, config, notes)
    balancers = _load_balancers(clients, [arn for arn in groups.values() if arn], config)
    found = {}
    for cluster in config.clusters:
        for service in cluster.services:
            own = edges.written(service)
            arn = groups.get((cluster.name, service.name)) or service.target_group_arn
            balancer = own.load_balancer or edges.load_balancer(balancers.get(arn, "") or "")
            found[(cluster.name, service.name)] = edges.Edge(edges.target_group(arn or ""), balancer, own.queue)
    config = facts.with_facts(config, edges=found, edges_read=True)
    return config, notes + _missing(config, found)


def _target_groups(clients: Clients, config: Config, notes: list[Problem]) -> dict[Key, str | None]:
    """(cluster, service) -> the first target group DescribeServices names, for services the config gives none."""
    found: dict[Key, str | None] = {}
    for c, cluster in enumerate(config.clusters):
        asked = [s for s in cluster.services if not s.target_group_arn]
        for start in range(0, len(asked), DESCRIBE_BATCH):
            for service in _describe(clients, cluster.name, asked[start:start + DESCRIBE_BATCH]):
                arns = [b["targetGroupArn"] for b in service.get("loadBalancers", []) if b.get("targetGroupArn")]
                found[(cluster.name, service["serviceName"])] = arns[0] if arns else None
                if len(arns) > 1:
                    s = next(n for n, item in enumerate(cluster.services) if item.name == service["serviceName"])
                    notes.append(SEVERAL.problem(("clusters", c, "services", s, "name"), f"service "
                                                 f"{service['serviceName']} has {len(arns)} target groups; its alarms "
                                                 f"and widgets watch the first, {arns[0]}: give 'target_group_arn' to choose"))
    return found


def _describe(clients: Clients, cluster: str, services: list[Service]) -> list[dict]:
    try:
        answer = clients.ecs.describe_services(cluster=cluster, services=[s.name for s in services])
    except clients.ecs.exceptions.ClusterNotFoundException:
        return []
    return [s for s in answer.get("services", []) if s.get("status") in LIVE]


def _load_balancers(clients: Clients, arns: list[str], config: Config) -> dict[str, str]:
    """Target group ARN -> its first load balancer's ARN, for the groups whose service names no load balancer."""
    written = {s.target_group_arn: s.load_balancer_arn for c in config.clusters for s in c.services
               if s.target_group_arn}
    asked = sorted({arn for arn in arns + list(written) if arn and not written.get(arn)})
    found: dict[str, str] = {}
    paginator = clients.elbv2.get_paginator("describe_target_groups")
    for start in range(0, len(asked), TARGET_GROUP_BATCH):
        try:
            for page in paginator.paginate(TargetGroupArns=asked[start:start + TARGET_GROUP_BATCH]):
                found |= {g["TargetGroupArn"]: g["LoadBalancerArns"][0] for g in page.get("TargetGroups", [])
                          if g.get("LoadBalancerArns")}
        except bx.ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TargetGroupNotFound":
                raise
            found |= _one_by_one(clients, asked[start:start + TARGET_GROUP_BATCH])
    return found


def _one_by_one(clients: Clients, arns: list[str]) -> dict[str, str]:
    """A batch with a deleted target group fails whole: each of its groups asked alone."""
    found = {}
    for arn in arns:
        try:
            groups = clients.elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
        except bx.ClientError:
            continue
        found |= {g["TargetGroupArn"]: g["LoadBalancerArns"][0] for g in groups if g.get("LoadBalancerArns")}
    return found


def _missing(config: Config, found: dict[Key, edges.Edge]) -> list[Problem]:
    """An error at each alarm on a target group metric of a service that has no target group or load balancer."""
    problems = []
    for place in containers(config):
        edge = found.get((place.cluster.name, place.service.name), edges.Edge())
        if edge.target_group and edge.load_balancer:
            continue
        for n, alarm in enumerate(place.container.alarms):
            sources = [alarm] + list(alarm.metrics or [])
            if any(q.namespace == edges.ALB and q.dimensions is None and q.metric for q in sources):
                what = "target group is behind no load balancer" if edge.target_group else "has no target group"
                unknown = "LoadBalancer dimension is" if edge.target_group else "TargetGroup and LoadBalancer dimensions are"
                problems.append(NO_TARGET_GROUP.problem(
                    place.path + ("alarms", n), f"alarm '{alarm.name}' watches the service's target group, and service "
                    f"{place.cluster.name}/{place.service.name} {what} (DescribeServices, DescribeTargetGroups), so its "
                    f"{unknown} unknown and the alarm is not planned: give the service 'target_group_arn' (and "
                    "'load_balancer_arn'), or remove the alarm"))
    return problems


def needed(config: Config) -> bool:
    """Whether anything shows a service's target group: an alarm on AWS/ApplicationELB, or a dashboard."""
    return bool(config.dashboards) or any(
        q.namespace == edges.ALB for place in containers(config) for alarm in place.container.alarms
        for q in [alarm] + list(alarm.metrics or []))



