"""CloudWatch metric alarms: each container's `alarms:` on a metric or on metric math, named and
owned like its filters.

A name is `<prefix>/<cluster>/<service>/<container>/<alarm>` (monitor/names/ownership.py); an
alarm is ours only with that name *and* our `managed-by` and prefix tags, since alarms take tags
and anyone can type such a name in the console (filters, which take none, are ours by name).
Tags (ours and the config's) go with PutMetricAlarm on create; PutMetricAlarm ignores Tags on
update ("If you are using this operation to update an existing alarm, any tags you specify in
this parameter are ignored",
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
from monitor.alarms import rule as alarm_rule
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.kinds import alarm_spec, composite_spec, log_group
from monitor.names import ownership
from monitor.names.ownership import PREFIX_TAG
from monitor.problems import WARNING, Check, Problem
from monitor.resolved import composites
from monitor.resolved.model import Model
from monitor.state.plan import Change
from monitor.state.resources import Actual, Resource, Stray, regional

KIND = alarm_spec.KIND
PAGE = quotas.DESCRIBE_ALARMS_PAGE
BATCH = {"delete": quotas.DELETE_ALARMS}   # DeleteAlarms takes 100 names a call
TAGS_PAGE = quotas.TAGGED_RESOURCES_PAGE
TAKEN = (", so it is not ours, and the plan cannot create this alarm while the name is taken: rename the alarm in the "
         "config, or rename or delete that one")
LOOKED_UP = 50   # ARNs a GetResources call (ResourceARNList) asks about: within any page size it may apply
DELETE_LATE = True   # after composite alarms' updates: one may stop naming an alarm this plan deletes
# PutMetricAlarm with Tags needs cloudwatch:TagResource too ("To use this field to set tags for an alarm
# when you create it, you must be signed on with both the cloudwatch:PutMetricAlarm and
# cloudwatch:TagResource permissions", PutMetricAlarm API reference). tag:GetResources reads the tags of
# composite alarms as well, on the same pages.
PERMISSIONS = iam.Permissions("metric alarms", read=("cloudwatch:DescribeAlarms", "tag:GetResources"),
                              make=("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"),
                              delete=("cloudwatch:DeleteAlarms",), when="a container has a metric or metric-math alarm")

OTHER_KIND = Check("PLN-005", WARNING, "an alarm named like ours of a kind ecs-monitor does not make (left alone)")
UNOWNED = Check("PLN-015", WARNING, "an alarm in our name shape without our tags: not ours, never changed or deleted")
CHECKS = (OTHER_KIND, UNOWNED)


def desired(model: Model) -> list[Resource]:
    """Rendered once per model (dashboards ask for them too, for their alarm widgets)."""
    return model.config.once((KIND, "desired"), lambda: _desired(model))


def _desired(model: Model) -> list[Resource]:
    """One alarm per metric or metric-math entry that can be made; validation reports the rest."""
    found = []
    for entry in model.metric_alarms():
        made = alarm_spec.make(entry, log_group.tags(model.config, entry.place.cluster.name))
        if made is not None:
            spec, region = made
            found.append(Resource(KIND, regional(region, spec["AlarmName"]), spec, region=region, origin=entry.path))
    return found


def makes(model: Model) -> bool:
    """Whether the config has a metric or metric-math alarm (one with an `N%` threshold is made once it resolves)."""
    return bool(model.metric_alarms())


def regions(clients: Clients, model: Model) -> list[str | None]:
    """Where alarms of ours can be: the config's Region, every `log_region`, and its `regions:`."""
    return log_group.regions(model) + log_group.swept(clients, model)


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """Our alarms, metric and composite, in every Region in scope, and every composite alarm there.

    Ours means our name shape, a cluster of this config or a retired one (ownership.owns), *and*
    our `managed-by` and prefix tags (ownership.tagged): an alarm in our shape without them was
    made by hand, and is read as not ours, never changed or deleted. One of our prefix and tags
    that names another cluster is a stray, counted in a warning (monitor/kinds/strays.py).
    Metric alarms come 100 a DescribeAlarms page narrowed by `AlarmNamePrefix`; composite alarms,
    every one in the Region, 100 a page without a prefix, since AWS deletes no alarm that a
    composite still names, whoever made it (DeleteAlarms API reference). Tags come 100 alarms a
    call from the Resource Groups Tagging API (GetResources, resource type `cloudwatch:alarm`,
    which covers both types, filtered by our prefix tag), not one ListTagsForResource an alarm.
    """
    config = model.config
    for region in regions(clients, model):
        here = clients.in_region(region)
        metric = [item for item in _described(here, "MetricAlarm", config.prefix + ownership.SEPARATOR)
                  if _shaped(config.prefix, item)]
        composites = _described(here, "CompositeAlarm")
        actual.composites[region] = {item["AlarmName"]: alarm_rule.alarm_names(item.get("AlarmRule", ""))
                                     for item in composites}
        composites = [item for item in composites if _shaped(config.prefix, item)]
        tags = tags_by_arn(here, config.prefix) if metric or composites else {}
        tags |= tags_of(here, _without_our_prefix_tag(config, metric + composites, tags))
        mine = _sorted_out(config, metric + composites, tags, actual, region)
        for item in ours_in_shape([item for item in mine if item in metric], actual):
            actual.add(Resource(KIND, regional(region, item["AlarmName"]),
                                alarm_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                                handle=item["AlarmArn"], region=region))
        _add_composites(actual, [item for item in mine if item in composites], tags, region)


def _described(clients: Clients, kind: str, prefix: str | None = None) -> list[dict]:
    """Every alarm of one type (`MetricAlarm`, `CompositeAlarm`), under a name prefix if given."""
    pages = clients.cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmTypes=[kind], **({"AlarmNamePrefix": prefix} if prefix else {}), PaginationConfig={"PageSize": PAGE})
    return [item for page in pages for item in page.get(f"{kind}s", [])]


def _shaped(prefix: str, item: dict) -> bool:
    """Named as we name an alarm: `<prefix>/<cluster>/<service>/<container>/<name>`, any cluster."""
    found = ownership.owner(item["AlarmName"])
    return found is not None and found.prefix == prefix and found.container is not None


def _sorted_out(config: Config, items: list[dict], tags: dict[str, dict[str, str]], actual: Actual,
                region: str | None) -> list[dict]:
    """The items that are ours; strays are counted, alarms without our tags read as someone else's."""
    mine = []
    for item in items:
        name, cluster = item["AlarmName"], ownership.owner(item["AlarmName"]).cluster
        kind = composite_spec.KIND if "AlarmRule" in item else KIND
        ours = ownership.tagged(config.prefix, tags.get(item["AlarmArn"], {}))
        if cluster not in config.owned_clusters:
            if ours:
                actual.strays.append(Stray(kind, regional(region, name), cluster, paging(item)))
        elif ours:
            mine.append(item)
        else:
            actual.add(Resource(kind, regional(region, name), {}, owned=False, prunable=False, region=region,
                                note=ownership.lacking(config.prefix, tags.get(item["AlarmArn"], {})) + TAKEN))
    return mine


def paging(item: dict) -> bool:
    """Whether an alarm can still notify: its actions enabled and at least one action."""
    return item.get("ActionsEnabled", True) and any(item.get(key) for key in alarm_spec.ACTION_KEYS.values())


def unowned(prefix: str, wanted: list[Resource], actual: Actual) -> list[Problem]:
    """Alarms in our name shape without our tags that the config does not want: reported, left alone.
    (One the config wants is the plan's conflict: the name is taken.)"""
    keys = {resource.key for resource in wanted}
    return [UNOWNED.problem((), f"alarm {resource.id} is named like ours but {resource.note.removesuffix(TAKEN)}; "
                                "it is not ours and is never changed or deleted")
            for resource in actual.resources.values()
            if resource.kind in (KIND, composite_spec.KIND) and not resource.owned and resource.key not in keys]


def _add_composites(actual: Actual, items: list[dict], tags: dict[str, dict[str, str]], region: str | None) -> None:
    """Each with its rank among those read here, so that deletes go dependents first."""
    names = {item["AlarmName"] for item in items}
    edges = {item["AlarmName"]: [name for name in alarm_rule.names(item.get("AlarmRule", "")) if name in names]
             for item in items}
    ranks = composites.ranks(edges)
    for item in items:
        actual.add(Resource(composite_spec.KIND, regional(region, item["AlarmName"]),
                            composite_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                            handle=item["AlarmArn"], region=region, rank=ranks[item["AlarmName"]]))


def ours_in_shape(items: list[dict], actual: Actual) -> list[dict]:
    """Alarms named like ours but of a kind we never make (neither a metric or metric-math alarm with a
    threshold, nor an anomaly-detection alarm with ThresholdMetricId over `Metrics`) are someone's hand
    work: reported, never changed or deleted."""
    made = [item for item in items if ("Threshold" in item and "ThresholdMetricId" not in item
                                       and ("MetricName" in item or item.get("Metrics")))
            or ("ThresholdMetricId" in item and item.get("Metrics"))]
    actual.problems += [OTHER_KIND.problem((), f"alarm {item['AlarmName']} is named like ours but is of a kind "
                                               "ecs-monitor does not make; it is left alone: rename it")
                        for item in items if item not in made]
    return made


def _without_our_prefix_tag(config: Config, items: list[dict], tags: dict[str, dict[str, str]]) -> list[str]:
    """ARNs of alarms in our shape on a cluster of this config that the prefix-tag query did not return."""
    return [item["AlarmArn"] for item in items if item["AlarmArn"] not in tags
            and ownership.owner(item["AlarmName"]).cluster in config.owned_clusters]


def tags_of(clients: Clients, arns: list[str]) -> dict[str, dict[str, str]]:
    """ARN -> tags of the given alarms (none: an alarm never tagged), for saying which of ours one lacks.

    GetResources with ResourceARNList (up to 100 ARNs, and no pagination parameters with it); only
    alarms in our name shape without our prefix tag are asked about, so usually none and no call.
    """
    found: dict[str, dict[str, str]] = {arn: {} for arn in arns}
    for start in range(0, len(arns), LOOKED_UP):
        answer = clients.resourcegroupstaggingapi.get_resources(ResourceARNList=arns[start:start + LOOKED_UP])
        found.update({item["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])}
                      for item in answer.get("ResourceTagMappingList", [])})
    return found


def tags_by_arn(clients: Clients, prefix: str) -> dict[str, dict[str, str]]:
    """ARN -> tags of every alarm carrying our prefix tag, 100 a page."""
    paginator = clients.resourcegroupstaggingapi.get_paginator("get_resources")
    pages = paginator.paginate(ResourceTypeFilters=["cloudwatch:alarm"], ResourcesPerPage=TAGS_PAGE,
                               TagFilters=[{"Key": PREFIX_TAG, "Values": [prefix]}])
    return {item["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])}
            for page in pages for item in page.get("ResourceTagMappingList", [])}


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
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
