"""CloudWatch metric alarms: each container's `alarms:`, named and owned like its filters.

A name is `<prefix>/<cluster>/<service>/<container>/<alarm>` (monitor/sync/ownership.py), so
ownership is read from the name, as for metric filters. Tags (ours and the config's) go with
PutMetricAlarm on create; PutMetricAlarm ignores Tags on update ("If you are using this
operation to update an existing alarm, any tags you specify in this parameter are ignored",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), so later tag
changes are made with TagResource and UntagResource, and a change of tags alone makes no
PutMetricAlarm call. PutMetricAlarm replaces the whole alarm, so every managed key is sent.
"""

from __future__ import annotations

from monitor import quotas
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.kinds import alarm_spec, log_group
from monitor.problems import Problem
from monitor.sync import ownership
from monitor.sync.ownership import PREFIX_TAG
from monitor.sync.plan import Change
from monitor.sync.resources import Actual, Resource

KIND = alarm_spec.KIND
PAGE = quotas.DESCRIBE_ALARMS_PAGE
BATCH = {"delete": quotas.DELETE_ALARMS}   # DeleteAlarms takes 100 names a call
TAGS_PAGE = quotas.TAGGED_RESOURCES_PAGE


def desired(config: Config) -> list[Resource]:
    """One alarm per entry whose metric resolves and whose threshold is a number; validation reports the rest."""
    found = []
    for place in containers(config):
        for number, alarm in enumerate(place.container.alarms):
            metric = alarm_spec.resolve(config, place, alarm)
            if isinstance(metric, str) or isinstance(alarm.threshold, str):
                continue
            name = alarm_spec.alarm_name(config, place, alarm)
            spec = alarm_spec.make_spec(name, metric, alarm, log_group.tags(config, place.cluster.name))
            found.append(Resource(KIND, name, spec, origin=place.path + ("alarms", number)))
    return found


def read(clients: Clients, config: Config, actual: Actual) -> None:
    """Our alarms, 100 a DescribeAlarms page narrowed by `AlarmNamePrefix`; ours means ownership.owns().

    Their tags come 100 alarms a call from the Resource Groups Tagging API (GetResources, resource
    type `cloudwatch:alarm`, filtered by our prefix tag), not one ListTagsForResource an alarm: a
    plan over N alarms reads ceil(N/100) pages of each, where a call an alarm would take N. An alarm that lost our
    prefix tag reads as untagged, and the plan puts its tags back.
    """
    clusters = frozenset(cluster.name for cluster in config.clusters)
    paginator = clients.cloudwatch.get_paginator("describe_alarms")
    pages = paginator.paginate(AlarmNamePrefix=f"{config.prefix}{ownership.SEPARATOR}",
                               PaginationConfig={"PageSize": PAGE})
    owned = [item for page in pages for item in page.get("MetricAlarms", [])
             if ownership.owns(config.prefix, clusters, item["AlarmName"], per_container=True)]
    tags = _tags(clients, config.prefix) if owned else {}
    for item in _ours_in_shape(owned, actual):
        actual.add(Resource(KIND, item["AlarmName"], alarm_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                            handle=item["AlarmArn"]))


def _ours_in_shape(items: list[dict], actual: Actual) -> list[dict]:
    """Alarms named like ours but of a kind we never make (metric math, anomaly detection: no
    MetricName or Threshold) are someone's hand work: reported, never changed or deleted."""
    made = [item for item in items if "MetricName" in item and "Threshold" in item]
    actual.problems += [Problem((), f"alarm {item['AlarmName']} is named like ours but is a metric-math or "
                                    "anomaly-detection alarm, which ecs-monitor does not make; it is left "
                                    "alone: rename it", "warning") for item in items if item not in made]
    return made


def _tags(clients: Clients, prefix: str) -> dict[str, dict[str, str]]:
    """ARN -> tags of every alarm carrying our prefix tag, 100 a page."""
    paginator = clients.resourcegroupstaggingapi.get_paginator("get_resources")
    pages = paginator.paginate(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=TAGS_PAGE,
                               TagFilters=[{"Key": PREFIX_TAG, "Values": [prefix]}])
    return {item["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])}
            for page in pages for item in page.get("ResourceTagMappingList", [])}


def check(config: Config, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return []


def apply(clients: Clients, changes: list[Change]) -> None:
    """Deletes come in batches of up to 100 (apply.batches); creates and updates one at a time."""
    deletes = [change.id for change in changes if change.action == "delete"]
    if deletes:
        clients.cloudwatch.delete_alarms(AlarmNames=deletes)
    for change in changes:
        if change.action == "create":
            clients.cloudwatch.put_metric_alarm(**alarm_spec.put_parameters(change.after, with_tags=True))
        elif change.action == "update":
            _update(clients, change)


def _update(clients: Clients, change: Change) -> None:
    """PutMetricAlarm only when more than the tags changed; tags through TagResource/UntagResource."""
    if any(not field.startswith("Tags") for field in change.fields):
        clients.cloudwatch.put_metric_alarm(**alarm_spec.put_parameters(change.after, with_tags=False))
    before, after = change.before.get("Tags", {}), change.after["Tags"]
    changed = [{"Key": key, "Value": value} for key, value in after.items() if before.get(key) != value]
    removed = sorted(set(before) - set(after))
    if changed:
        clients.cloudwatch.tag_resource(ResourceARN=change.handle, Tags=changed)
    if removed:
        clients.cloudwatch.untag_resource(ResourceARN=change.handle, TagKeys=removed)
