"""CloudWatch Logs metric filters: each container's app-log filters and the performance filters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from monitor.aws.clients import Clients
from monitor.config.model import Config, Filter
from monitor.config.walk import containers
from monitor.insights import DIMENSIONS, PERFORMANCE_METRICS, performance_log_group
from monitor.kinds import log_group
from monitor.kinds.performance import compile_cluster
from monitor.patterns import PatternError, parse
from monitor.sync.plan import Change
from monitor.sync.resources import Actual, Resource
from monitor.problems import Problem
from monitor.sync import ownership

KIND = "metric_filter"
MAX_PER_GROUP = 100   # metric filters per log group; "This quota can't be changed" (CloudWatch Logs quotas)
MAX_REGEX_PER_GROUP = 5   # filter patterns with regex per log group (CloudWatch Logs regex syntax page)
PAGE = 50             # DescribeMetricFilters returns at most 50 a page


def desired(config: Config) -> list[Resource]:
    return _app_filters(config) + _performance_filters(config)


def _app_filters(config: Config) -> list[Resource]:
    found = []
    for place in containers(config):
        group = place.container.log_group
        if group is None:   # its task definition could not say; resolve reported why
            continue
        for number, item in enumerate(place.container.filters):
            name = ownership.filter_name(config.prefix, place.cluster.name, place.service.name,
                                     place.container.name, item.name)
            spec = make_spec(group, name, item.pattern, _transformation(config, item))
            found.append(_resource(spec, place.path + ("filters", number)))
    return found


def _transformation(config: Config, item: Filter) -> dict:
    return transformation(item.metric, item.namespace or config.namespace, item.value or "1",
                          item.unit, item.default, item.dimensions or {})


def _performance_filters(config: Config) -> list[Resource]:
    found = []
    for number, cluster in enumerate(config.clusters):
        if not log_group.wants_performance(cluster):
            continue
        for compiled in compile_cluster(cluster):
            name = ownership.performance_filter_name(config.prefix, cluster.name, compiled.metric, compiled.part)
            # Named like the enhanced-mode native metrics (ContainerCpuUtilized, ...).
            metric = transformation(f"Container{compiled.metric}", config.namespace, f"$.{compiled.metric}",
                                    PERFORMANCE_METRICS[compiled.metric], None, DIMENSIONS)
            spec = make_spec(performance_log_group(cluster.name), name, compiled.pattern, metric)
            found.append(_resource(spec, ("clusters", number)))
    return found


def transformation(metric: str, namespace: str, value: str, unit: str | None,
                   default: float | None, dimensions: dict[str, str]) -> dict:
    """The one metricTransformations entry, in the normal form both sides are compared in."""
    result = {"metricName": metric, "metricNamespace": namespace, "metricValue": value}
    if default is not None:
        result["defaultValue"] = float(default)
    if dimensions:
        result["dimensions"] = dict(dimensions)
    if unit and unit != "None":   # AWS stores an omitted unit as None
        result["unit"] = unit
    return result


def make_spec(group: str, name: str, pattern: str, metric: dict) -> dict:
    return {"logGroupName": group, "filterName": name, "filterPattern": pattern,
            "metricTransformations": [metric]}


def to_spec(item: dict) -> dict:
    """A DescribeMetricFilters item projected onto the fields we manage, defaults filled."""
    metric = item["metricTransformations"][0]
    return make_spec(item["logGroupName"], item["filterName"], item.get("filterPattern", ""),
                     transformation(metric["metricName"], metric["metricNamespace"], metric["metricValue"],
                                    metric.get("unit"), metric.get("defaultValue"), metric.get("dimensions") or {}))


def _resource(spec: dict, origin: tuple, owned: bool = True) -> Resource:
    return Resource(KIND, f"{spec['logGroupName']}:{spec['filterName']}", spec, owned=owned,
                    group=spec["logGroupName"], origin=origin, parent=(log_group.KIND, spec["logGroupName"]))


def read(clients: Clients, config: Config, actual: Actual) -> None:
    """The Region's filters, 50 a page: all on the config's groups, and ours left on other groups.

    One listing finds what sits on our log groups (ours, and others' that count toward the
    quota) and ours left behind on groups the config no longer names, for --prune to find.
    `filterNamePrefix` cannot help: AWS honours it only together with `logGroupName`.
    """
    groups = set(log_group.scope(config))
    elsewhere = []
    paginator = clients.logs.get_paginator("describe_metric_filters")
    for page in paginator.paginate(PaginationConfig={"PageSize": PAGE}):
        for item in page["metricFilters"]:
            if item["logGroupName"] in groups:
                actual.add(_resource(to_spec(item), (), ownership.owned(config.prefix, item["filterName"])))
            elif ownership.owned(config.prefix, item["filterName"]):
                elsewhere.append(item)
    _left_behind(clients, config, elsewhere, actual)


def _left_behind(clients: Clients, config: Config, items: list[dict], actual: Actual) -> None:
    """Ours among the prefixed filters on other groups; the Region's cluster names settle overlaps."""
    if not items:
        return
    ours = [cluster.name for cluster in config.clusters]
    pages = clients.ecs.get_paginator("list_clusters").paginate()
    everyone = {arn.rsplit("/", 1)[-1] for page in pages for arn in page["clusterArns"]}
    for item in items:
        if ownership.left_behind(config.prefix, ours, everyone, item["filterName"]):
            actual.add(_resource(to_spec(item), ()))


def check(config: Config, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return missing_groups(wanted, actual) + limits(wanted, actual, prune) + _insights_notes(config, actual)


def missing_groups(wanted: list[Resource], actual: Actual) -> list[Problem]:
    """A filter needs its log group, unless this plan creates the group first."""
    created = {r.id for r in wanted if r.kind == log_group.KIND}
    reported: set[str] = set()
    findings = []
    for resource in wanted:
        group = resource.group
        if resource.kind == KIND and ("log_group", group) in actual.missing and group not in created | reported:
            reported.add(group)
            container = resource.origin[:-2]   # origin is <container>.filters[n]
            findings.append(Problem(container + ("log_group",), f"log group '{group}' does not exist: create it (or run a task "
                                             "that writes to it) or fix the name", "error"))
    return findings


def limits(wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    """AWS's per-log-group quotas over what the group would hold: ours, plus the filters we keep.

    Kept are the ones not ours and, without --prune, our stale ones. A finding points at the
    first of our filters past a limit.
    """
    keys = {r.key for r in wanted}
    kept = [r for r in actual.resources.values()
            if r.kind == KIND and r.key not in keys and not (r.owned and prune)]
    ours = [r for r in wanted if r.kind == KIND]
    return (_limit(ours, kept, MAX_PER_GROUP, lambda r: True, "metric filters", ())
            + _limit(ours, kept, MAX_REGEX_PER_GROUP, _has_regex, "filter patterns with regular expressions",
                     ("pattern",)))


def _limit(ours: list[Resource], kept: list[Resource], limit: int, counts: Callable[[Resource], bool],
           what: str, field: tuple) -> list[Problem]:
    """One finding per log group where the counted filters would pass `limit`."""
    used: dict[str, int] = defaultdict(int)
    for resource in kept:
        used[resource.group] += counts(resource)
    totals = used.copy()
    for resource in ours:
        totals[resource.group] += counts(resource)
    findings = []
    for resource in ours:
        used[resource.group] += counts(resource)
        if counts(resource) and used[resource.group] == limit + 1:
            findings.append(Problem(resource.origin + field, f"log group '{resource.group}' would have {totals[resource.group]} "
                                             f"{what}; AWS allows at most {limit}", "error"))
    return findings


def _has_regex(resource: Resource) -> bool:
    """Whether a filter counts toward the 5 regex patterns a log group may have [S4]."""
    try:
        return parse(resource.spec["filterPattern"]).regex_count > 0
    except PatternError:   # a pattern AWS took but we cannot read: it counts, to be safe
        return "%" in resource.spec["filterPattern"]


def _insights_notes(config: Config, actual: Actual) -> list[Problem]:
    """Performance metrics that would duplicate enhanced mode's, or that no event will feed."""
    notes = []
    for number, cluster in enumerate(config.clusters):
        if not cluster.wants_performance_metrics:
            continue
        live = cluster.container_insights or actual.settings.get(cluster.name)
        if live == "enhanced":
            notes.append(Problem(("clusters", number), f"cluster '{cluster.name}' uses enhanced Container Insights: its native "
                                         "per-container metrics (ECS/ContainerInsights) already exist, so "
                                         + ("no performance filters are made" if cluster.container_insights else
                                            "the performance filters duplicate them; set container_insights: "
                                            "enhanced to drop them"), "note"))
        elif live == "disabled":
            notes.append(Problem(("clusters", number), f"cluster '{cluster.name}' has Container Insights disabled in AWS: the "
                                         "performance filters will see no events until it is enabled", "note"))
    return notes


def apply(clients: Clients, changes: list[Change]) -> None:
    """PutMetricFilter creates or replaces; there is no batch call, so one change at a time."""
    for change in changes:
        if change.action == "delete":
            _delete(clients, change.before)
        else:
            clients.logs.put_metric_filter(**change.after)


def _delete(clients: Clients, spec: dict) -> None:
    """A filter already gone (a retried delete that had reached AWS, or a concurrent run) is deleted."""
    try:
        clients.logs.delete_metric_filter(logGroupName=spec["logGroupName"], filterName=spec["filterName"])
    except clients.logs.exceptions.ResourceNotFoundException:
        pass
