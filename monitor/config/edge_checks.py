"""The checks of what issue 17 added to the config: edges, log groups, roles, per-service dashboards. Pure.

Each at its key, with the bad value and what is allowed (monitor/config/edges.py and
monitor/config/log_groups.py give the rules and their sources).
"""

from __future__ import annotations

import re

from monitor.config import edges, log_groups
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.insights import performance_log_group
from monitor.problems import ERROR, Check, Path, Problem, Source

# arn:<partition>:iam::<account>:role/<path/name> (IAM identifiers, "IAM ARNs")
ROLE = re.compile(r"arn:[\w-]+:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
DASHBOARD_NAME = 255   # PutDashboard DashboardName: at most 255 characters

EDGE_ARN = Check("CFG-040", ERROR, "a target group ARN, load balancer ARN or SQS queue not in its form",
                 source="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html")
LOG_GROUP_SETTING = Check("CFG-041", ERROR, "a log group retention that AWS does not offer, or a KMS key that is not an ARN",
                          source="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html")
KEY_REGION = Check("CFG-043", ERROR, "a log group KMS key of another Region than a group it encrypts",
                   source=log_groups.KMS_REGION_DOC)
ROLE_ARN = Check("CFG-042", ERROR, "a `role_arn` that is not an IAM role ARN",
                 source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html")
QUEUE_NEEDED = Check("ALM-060", ERROR, "an alarm on the service's SQS queue where the service names no `queue`")
SERVICE_DASHBOARD_NAME = Check("DSH-030", ERROR, "a per-service dashboard name longer than PutDashboard allows",
                               source="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html")
CHECKS = (EDGE_ARN, LOG_GROUP_SETTING, KEY_REGION, ROLE_ARN, QUEUE_NEEDED, SERVICE_DASHBOARD_NAME)


def check(config: Config, source: Source) -> list[Problem]:
    """Every problem of the edges, log groups, roles and per-service dashboard names."""
    found = [(EDGE_ARN, _services), (LOG_GROUP_SETTING, _log_groups), (KEY_REGION, _key_regions), (ROLE_ARN, _roles),
             (QUEUE_NEEDED, _queues_needed), (SERVICE_DASHBOARD_NAME, _per_service)]
    return [check.problem(path, message, source=source) for check, finder in found for path, message in finder(config)]


def _services(config: Config) -> list[tuple[Path, str]]:
    found = []
    for c, cluster in enumerate(config.clusters):
        for s, service in enumerate(cluster.services):
            at = ("clusters", c, "services", s)
            if service.target_group_arn and edges.target_group(service.target_group_arn) is None:
                found.append((at + ("target_group_arn",), f"'{service.target_group_arn}' is not a target group ARN "
                              "(arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)"))
            if service.load_balancer_arn and edges.load_balancer(service.load_balancer_arn) is None:
                found.append((at + ("load_balancer_arn",), f"'{service.load_balancer_arn}' is not an Application Load "
                              "Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)"))
            if service.queue is not None and edges.queue_name(service.queue) is None:
                found.append((at + ("queue",), f"'{service.queue}' is not an SQS queue name (1-80 of A-Z a-z 0-9 - _, "
                              ".fifo at the end), URL (https://sqs.<region>.amazonaws.com/<account>/<name>) or ARN"))
    return found


def _log_groups(config: Config) -> list[tuple[Path, str]]:
    found = [(("log_groups", key), message) for key, message in log_groups.problems(config.log_groups)] \
        if config.log_groups else []
    for place in containers(config):
        if place.container.log_groups is not None:
            found += [(place.path + ("log_groups", key), message)
                      for key, message in log_groups.problems(place.container.log_groups)]
    return found


def _key_regions(config: Config) -> list[tuple[Path, str]]:
    """A key of the groups ecs-monitor creates (monitor/kinds/log_group.py `desired`), at the `kms_key_id` that
    gives it, for each group in another Region than the key's: the config's Region, or a container's log_region.
    A config without `region` has its Region from the AWS chain at plan time: unknown here, not checked."""
    top = ("log_groups", "kms_key_id")
    used: list[tuple[Path, str | None, str, str | None]] = []   # (where the key is written, key, group, its Region)
    for cluster in config.clusters:   # the performance group, as log_group.wants_performance decides it
        if cluster.container_insights != "enhanced" and cluster.wants_performance_metrics:
            key = log_groups.settings(config).kms_key_id
            used.append((top, key, performance_log_group(cluster.name), config.region))
    for place in containers(config):
        container = place.container
        if container.create_log_group and container.log_group:
            own = container.log_groups is not None and "kms_key_id" in container.log_groups.model_fields_set
            at = place.path + top if own else top
            used.append((at, log_groups.settings(config, container).kms_key_id, container.log_group,
                         container.log_region or config.region))
    found: dict[Path, str] = {}
    for at, key, group, region in used:
        if at not in found and (message := log_groups.other_region(key, group, region)):
            found[at] = message   # the first group a key does not fit, once per place the key is written
    return list(found.items())


def _roles(config: Config) -> list[tuple[Path, str]]:
    given = [(("exporter", "role_arn"), config.exporter.role_arn if config.exporter else None)]
    given += [(("clusters", c, "role_arn"), cluster.role_arn) for c, cluster in enumerate(config.clusters)]
    return [(path, f"'{arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
            for path, arn in given if arn is not None and not ROLE.fullmatch(arn)]


def _queues_needed(config: Config) -> list[tuple[Path, str]]:
    """An alarm on AWS/SQS that names no queue needs the service's `queue:`: nothing else says which."""
    found = []
    for place in containers(config):
        if place.service.queue is not None:
            continue
        for n, alarm in enumerate(place.container.alarms):
            sources = [alarm] + list(alarm.metrics or [])
            if any(q.namespace == edges.SQS and q.dimensions is None and q.metric for q in sources):
                found.append((place.path + ("alarms", n, "use" if alarm.use else "namespace"),
                              f"alarm '{alarm.name}' watches an AWS/SQS metric of the service's queue, and service "
                              f"'{place.service.name}' names none: give the service 'queue: <name, URL or ARN>'"))
    return found


def _per_service(config: Config) -> list[tuple[Path, str]]:
    """`<prefix>-<name>-<cluster>-<service>` within PutDashboard's 255 characters."""
    found = []
    for n, dashboard in enumerate(config.dashboards):
        if dashboard.per != "service":
            continue
        longest = max(((len(f"{config.prefix}-{dashboard.name}-{c.name}-{s.name}"), c.name, s.name)
                       for c in config.clusters for s in c.services), default=None)
        if longest and longest[0] > DASHBOARD_NAME:
            found.append((("dashboards", n, "name"), f"the dashboard of service {longest[1]}/{longest[2]} would be "
                          f"named with {longest[0]} characters; PutDashboard allows at most {DASHBOARD_NAME}: "
                          "shorten the dashboard's name"))
    return found
