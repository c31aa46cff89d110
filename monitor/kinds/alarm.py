"""CloudWatch metric alarms: each container's `alarms:` on a metric or on metric math, named and
owned like its filters.

A name is `<prefix>/<cluster>/<service>/<container>/<alarm>` (monitor/names/ownership.py), so
ownership is read from the name, as for metric filters. Tags (ours and the config's) go with
PutMetricAlarm on create; PutMetricAlarm ignores Tags on update ("If you are using this
operation to update an existing alarm, any tags you specify in this parameter are ignored",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), so later tag
changes are made with TagResource and UntagResource, and a change of tags alone makes no
PutMetricAlarm call. PutMetricAlarm replaces the whole alarm, so every managed key is sent.

An alarm sees only the metrics of its own Region, so one on a filter metric of a container whose
log group is in another Region (`log_region`) is made there, as the filter is; its id is then
`<region>:<name>`. Reading covers every Region the config's log groups are in and its `regions:`.
This kind reads composite alarms too, from the same DescribeAlarms pages (monitor/kinds/composite_alarm.py).
"""

from __future__ import annotations

from monitor import quotas
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config.model import Config, once_per_config
from monitor.config.walk import containers
from monitor.kinds import alarm_spec, composite_spec, log_group
from monitor.kinds import composite_rule as alarm_rule
from monitor.names import ownership
from monitor.names.ownership import PREFIX_TAG
from monitor.problems import WARNING, Check, Problem
from monitor.state.plan import Change
from monitor.state.resources import Actual, Resource, regional

KIND = alarm_spec.KIND
PAGE = quotas.DESCRIBE_ALARMS_PAGE
BATCH = {"delete": quotas.DELETE_ALARMS}   # DeleteAlarms takes 100 names a call
TAGS_PAGE = quotas.TAGGED_RESOURCES_PAGE
TYPES = ["MetricAlarm", "CompositeAlarm"]   # without AlarmTypes DescribeAlarms returns metric alarms only
DELETE_LATE = True   # after composite alarms' updates: one may stop naming an alarm this plan deletes
# PutMetricAlarm with Tags needs cloudwatch:TagResource too ("To use this field to set tags for an alarm
# when you create it, you must be signed on with both the cloudwatch:PutMetricAlarm and
# cloudwatch:TagResource permissions", PutMetricAlarm API reference). tag:GetResources reads the tags of
# composite alarms as well, on the same pages.
PERMISSIONS = iam.Permissions("metric alarms", read=("cloudwatch:DescribeAlarms", "tag:GetResources"),
                              make=("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"),
                              delete=("cloudwatch:DeleteAlarms",), when="a container has a metric or metric-math alarm")

OTHER_KIND = Check("PLN-005", WARNING, "an alarm named like ours of a kind ecs-monitor does not make (left alone)")
CHECKS = (OTHER_KIND,)


@once_per_config
def desired(config: Config) -> list[Resource]:
    """One alarm per metric or metric-math entry that can be made; validation reports the rest."""
    found = []
    for place in containers(config):
        for number, alarm in enumerate(place.container.alarms):
            if alarm.composite:
                continue
            made = alarm_spec.make(config, place, alarm, log_group.tags(config, place.cluster.name))
            if made is None:
                continue
            spec, region = made
            found.append(Resource(KIND, regional(region, spec["AlarmName"]), spec, region=region,
                                  origin=place.path + ("alarms", number)))
    return found


def makes(config: Config) -> bool:
    """Whether the config has a metric or metric-math alarm (one with an `N%` threshold is made once it resolves)."""
    return any(not item.composite for p in containers(config) for item in p.container.alarms)


def regions(clients: Clients, config: Config) -> list[str | None]:
    """Where alarms of ours can be: the config's Region, every `log_region`, and its `regions:`."""
    return log_group.regions(config) + log_group.swept(clients, config)


def read(clients: Clients, config: Config, actual: Actual) -> None:
    """Our alarms, metric and composite, in every Region in scope; ours means ownership.owns().

    Each Region's alarms come 100 a DescribeAlarms page narrowed by `AlarmNamePrefix`, composite
    ones on the same pages (`AlarmTypes`). Their tags come 100 alarms a call from the Resource Groups
    Tagging API (GetResources, resource type `cloudwatch:alarm`, which covers both types, filtered
    by our prefix tag), not one ListTagsForResource an alarm: a plan over N alarms in a Region reads
    ceil(N/100) pages of each there, where a call an alarm would take N. An alarm that lost our
    prefix tag reads as untagged, and the plan puts its tags back.
    """
    clusters = frozenset(cluster.name for cluster in config.clusters)
    for region in regions(clients, config):
        here = clients.in_region(region)
        pages = here.cloudwatch.get_paginator("describe_alarms").paginate(
            AlarmNamePrefix=f"{config.prefix}{ownership.SEPARATOR}", AlarmTypes=TYPES,
            PaginationConfig={"PageSize": PAGE})
        metric, composite = [], []
        for page in pages:
            metric += [item for item in page.get("MetricAlarms", [])
                       if ownership.owns(config.prefix, clusters, item["AlarmName"], per_container=True)]
            composite += [item for item in page.get("CompositeAlarms", [])
                          if ownership.owns(config.prefix, clusters, item["AlarmName"], per_container=True)]
        tags = tags_by_arn(here, config.prefix) if metric or composite else {}
        for item in ours_in_shape(metric, actual):
            actual.add(Resource(KIND, regional(region, item["AlarmName"]),
                                alarm_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                                handle=item["AlarmArn"], region=region))
        _add_composites(actual, composite, tags, region)


def _add_composites(actual: Actual, items: list[dict], tags: dict[str, dict[str, str]], region: str | None) -> None:
    """Each with its rank among those read here, so that deletes go dependents first."""
    names = {item["AlarmName"] for item in items}
    edges = {item["AlarmName"]: [name for name in alarm_rule.names(item.get("AlarmRule", "")) if name in names]
             for item in items}
    ranks = composite_spec.ranks(edges)
    for item in items:
        actual.add(Resource(composite_spec.KIND, regional(region, item["AlarmName"]),
                            composite_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                            handle=item["AlarmArn"], region=region, rank=ranks[item["AlarmName"]]))


def ours_in_shape(items: list[dict], actual: Actual) -> list[dict]:
    """Alarms named like ours but of a kind we never make (anomaly detection, with ThresholdMetricId
    and no Threshold; any other without a metric, metric math and a threshold) are someone's hand
    work: reported, never changed or deleted."""
    made = [item for item in items if "Threshold" in item and "ThresholdMetricId" not in item
            and ("MetricName" in item or item.get("Metrics"))]
    actual.problems += [OTHER_KIND.problem((), f"alarm {item['AlarmName']} is named like ours but is an anomaly-detection "
                                    "alarm or another kind ecs-monitor does not make; it is left alone: rename it")
                        for item in items if item not in made]
    return made


def tags_by_arn(clients: Clients, prefix: str) -> dict[str, dict[str, str]]:
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
    deletes = [change.before["AlarmName"] for change in changes if change.action == "delete"]
    if deletes:
        clients.cloudwatch.delete_alarms(AlarmNames=deletes)
    for change in changes:
        if change.action == "create":
            clients.cloudwatch.put_metric_alarm(**alarm_spec.put_parameters(change.after, with_tags=True))
        elif change.action == "update":
            update(clients, change, clients.cloudwatch.put_metric_alarm)


def update(clients: Clients, change: Change, put) -> None:
    """`put` (PutMetricAlarm, PutCompositeAlarm) only when more than the tags changed; tags through
    TagResource/UntagResource, which both kinds of alarm take."""
    if any(not field.startswith("Tags") for field in change.fields):
        put(**alarm_spec.put_parameters(change.after, with_tags=False))
    before, after = change.before.get("Tags", {}), change.after["Tags"]
    changed = [{"Key": key, "Value": value} for key, value in after.items() if before.get(key) != value]
    removed = sorted(set(before) - set(after))
    if changed:
        clients.cloudwatch.tag_resource(ResourceARN=change.handle, Tags=changed)
    if removed:
        clients.cloudwatch.untag_resource(ResourceARN=change.handle, TagKeys=removed)
