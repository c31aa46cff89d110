"""Checks over metric filters: quotas per log group, metric identity, shared log groups.

Pure: they see the config, the desired resources and what was read, never AWS itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from monitor import quotas
from monitor.config.model import Config
from monitor.config.walk import Place
from monitor.kinds import log_group
from monitor.kinds.filter_spec import KIND
from monitor.patterns import PatternError, parse
from monitor.problems import ERROR, INFO, WARNING, Check, Path, Problem
from monitor.resolved.model import Model
from monitor.resolved.publishing import performance_metric
from monitor.state.resources import Actual, Resource

MAX_PER_GROUP = quotas.FILTERS_PER_GROUP
MAX_REGEX_PER_GROUP = quotas.REGEX_PATTERNS_PER_GROUP

NO_GROUP = Check("PLN-006", ERROR, "a filter's log group that does not exist and is not created by this plan",
                 source=quotas.PUT_METRIC_FILTER_DOC)
ENHANCED = Check("PLN-007", INFO, "performance filters beside enhanced Container Insights' own metrics",
                 source=quotas.CONTAINER_INSIGHTS_DOC)
INSIGHTS_OFF = Check("PLN-008", INFO, "performance filters on a cluster with Container Insights disabled in AWS",
                     source=quotas.CONTAINER_INSIGHTS_DOC)
PER_GROUP = Check("FLT-030", ERROR, "more metric filters, or regex patterns, on a log group than AWS allows",
                  source=quotas.LOGS_QUOTAS_DOC)
GENERATED = Check("FLT-031", ERROR, "a generated performance pattern that does not parse (a bug)")
UNIT_CLASH = Check("FLT-032", ERROR, "one metric published with two units", source=quotas.METRIC_TRANSFORMATION_DOC)
COLLISION = Check("FLT-033", ERROR, "one metric published by two filters that are not all `shared: true`")
LONG_NAMESPACE = Check("FLT-034", ERROR, "a container's metric namespace longer than AWS allows",
                       source=quotas.METRIC_TRANSFORMATION_DOC)
SHARED_GROUP = Check("FLT-035", WARNING, "a log group shared by containers, whose filters count each other's events")
TWICE = Check("FLT-036", WARNING, "one pattern on one log group for two containers: each event counted twice")
CHECKS = (NO_GROUP, ENHANCED, INSIGHTS_OFF, PER_GROUP, GENERATED, UNIT_CLASH, COLLISION, LONG_NAMESPACE,
          SHARED_GROUP, TWICE)


def missing_groups(wanted: list[Resource], actual: Actual) -> list[Problem]:
    """A filter needs its log group, unless this plan creates the group first."""
    created = {r.key for r in wanted if r.kind == log_group.KIND}
    reported: set[tuple[str, str]] = set()
    findings = []
    for resource in wanted:
        if resource.kind == KIND and resource.parent in actual.missing and resource.parent not in created | reported:
            reported.add(resource.parent)
            container = resource.origin[:-2]   # origin is <container>.filters[n]
            findings.append(NO_GROUP.problem(container + ("log_group",), f"{_group(resource)} does not exist: "
                                             "create it (or run a task that writes to it) or fix the name"))
    return findings


def _group(resource: Resource) -> str:
    """A filter's log group as a person would name it, with its Region when not the home one."""
    return f"log group '{resource.group}'" + (f" in {resource.region}" if resource.region else "")


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
    """One finding per log group where the counted filters would pass `limit`.

    A group is its parent key, (log_group, [region:]name): one name in two Regions is two groups.
    """
    used: dict[tuple, int] = defaultdict(int)
    for resource in kept:
        used[resource.parent] += counts(resource)
    totals = used.copy()
    for resource in ours:
        totals[resource.parent] += counts(resource)
    findings = []
    for resource in ours:
        used[resource.parent] += counts(resource)
        if counts(resource) and used[resource.parent] == limit + 1:
            findings.append(PER_GROUP.problem(resource.origin + field, f"{_group(resource)} would have "
                                              f"{totals[resource.parent]} {what}; AWS allows at most {limit}"))
    return findings


def _has_regex(resource: Resource) -> bool:
    """Whether a filter counts toward the 5 regex patterns a log group may have [S4]."""
    try:
        return parse(resource.spec["filterPattern"]).regex_count > 0
    except PatternError:   # a pattern AWS took but we cannot read: it counts, to be safe
        return "%" in resource.spec["filterPattern"]


def insights_notes(config: Config, actual: Actual) -> list[Problem]:
    """Performance metrics that would duplicate enhanced mode's, or that no event will feed."""
    notes = []
    for number, cluster in enumerate(config.clusters):
        if not cluster.wants_performance_metrics:
            continue
        live = cluster.container_insights or actual.settings.get(cluster.name)
        if live == "enhanced":
            notes.append(ENHANCED.problem(("clusters", number), f"cluster '{cluster.name}' uses enhanced Container Insights: its native "
                                         "per-container metrics (ECS/ContainerInsights) already exist, so "
                                         + ("no performance filters are made" if cluster.container_insights else
                                            "the performance filters duplicate them; set container_insights: "
                                            "enhanced to drop them")))
        elif live == "disabled":
            notes.append(INSIGHTS_OFF.problem(("clusters", number), f"cluster '{cluster.name}' has Container Insights "
                                              "disabled in AWS: the performance filters will see no events until "
                                              "it is enabled"))
    return notes




def generated_patterns(wanted: list[Resource]) -> list[Problem]:
    """Patterns we compile (performance filters) must parse, or AWS would refuse them mid-apply."""
    found = []
    for resource in wanted:
        if resource.kind == KIND and len(resource.origin) == 2:   # a cluster's compiled filter
            try:
                parse(resource.spec["filterPattern"])
            except PatternError as error:
                found.append(GENERATED.problem(resource.origin, f"the generated pattern of {resource.id} is not valid "
                                                      f"({error}); report this as a bug"))
    return found


Publisher = tuple[Path, bool, str | None]   # where, whether it says `shared: true`, its unit


def collisions(model: Model) -> list[Problem]:
    """Two filters publishing one metric (namespace, name, dimension names) merge their data.

    That is an error unless every one of them says `shared: true`; different units on one
    metric are always an error (CloudWatch keeps one unit per data point and mixes them).
    """
    found = []
    for (namespace, metric, _), publishers in _publishers(model).items():
        first = publishers[0]
        for where, shared, unit in publishers[1:]:
            if unit != first[2]:
                found.append(UNIT_CLASH.problem(where, f"metric {namespace} {metric} is published with unit {unit or 'None'} "
                                            f"here and {first[2] or 'None'} by another filter; one metric has one "
                                            "unit", related=(first[0],)))
            elif not (shared and first[1]):
                found.append(COLLISION.problem(where, f"metric {namespace} {metric} is also published by another filter: "
                                            "each container's metrics are its own unless every filter that "
                                            "publishes one says `shared: true`", related=(first[0],)))
    return found


def _publishers(model: Model) -> dict[tuple, list[Publisher]]:
    """Every filter's metric identity; a cluster's performance metrics share theirs by design."""
    found: dict[tuple, list[Publisher]] = defaultdict(list)
    for entry in model.filters:   # its unit as AWS stores it: "None" is no unit
        found[_identity(entry.publishes)].append((entry.path, entry.filter.shared, entry.publishes.get("unit")))
    config = model.config
    for number, cluster in enumerate(config.clusters):
        if not log_group.wants_performance(cluster):
            continue
        for field in sorted({m for s in cluster.services for c in s.containers for m in c.performance_metrics}):
            metric = performance_metric(config, field)
            found[_identity(metric)].append((("clusters", number), True, metric.get("unit")))
    return found


def _identity(metric: dict) -> tuple:
    return (metric["metricNamespace"], metric["metricName"], frozenset(metric.get("dimensions", {})))


def namespaces(model: Model) -> list[Problem]:
    """A container's own namespace joins three ECS names, and can pass what AWS allows.

    metricNamespace is at most 255 characters (botocore logs model, MetricNamespace): a longer
    one would be refused by PutMetricFilter in the middle of an apply.
    """
    return [LONG_NAMESPACE.problem(entry.path, f"its metric namespace '{namespace}' is {len(namespace)} characters; AWS "
                                  f"allows {quotas.METRIC_NAMESPACE}: give the filter a `namespace:` (or shorten the "
                                  "config's)")
            for entry in model.filters
            if len(namespace := entry.publishes["metricNamespace"]) > quotas.METRIC_NAMESPACE]


def shared_groups(model: Model) -> list[Problem]:
    """Containers that share a log group each count the others' events too; say so, once per container."""
    users: dict[tuple, list[Place]] = defaultdict(list)
    for place in model.places:
        if place.container.log_group and place.container.filters:
            users[(place.container.log_region, place.container.log_group)].append(place)
    found = []
    for (_, group), places in users.items():
        for place in places[1:]:
            found.append(SHARED_GROUP.problem(place.path + ("log_group",), f"log group '{group}' is shared with container "
                                 f"'{places[0].container.name}' ({_where(places[0])}); each filter here also "
                                 f"counts the other container's events{_apart(place)}",
                                 related=(places[0].path,)))
        found += _twice(places)
    return found


def _apart(place: Place) -> str:
    """FireLens names the container in each record, which a dimension can split the metric by."""
    if not place.container.firelens_metadata:
        return ""
    return ("; FireLens adds container_name to each record, so tell them apart with "
            "`dimensions: {ContainerName: $.container_name}` (and `default: null`: AWS takes no default "
            "value together with dimensions)")


def _twice(places: list[Place]) -> list[Problem]:
    """The same pattern from two containers on one group: every matching event is counted twice."""
    first: dict[tuple, Path] = {}
    found = []
    for place in places:
        for number, item in enumerate(place.container.filters):
            path, key = place.path + ("filters", number), (item.pattern, item.value or "1")
            if key in first and first[key][:len(place.path)] != place.path:
                found.append(TWICE.problem(path, f"the same pattern sits on log group '{place.container.log_group}' "
                                           "for another container too: every matching event is counted twice. "
                                           "Keep one filter (with `shared: true` to make it one metric), or give "
                                           f"each container its own log group{_apart(place)}",
                                     related=(first[key],)))
            first.setdefault(key, path)
    return found


def _where(place: Place) -> str:
    return f"cluster {place.cluster.name}, service {place.service.name}"
