"""CloudWatch Logs metric filters: each container's app-log filters and the performance filters."""

from __future__ import annotations

from monitor import quotas
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.insights import performance_log_group
from monitor.kinds import filter_checks, filter_spec, log_group
from monitor.kinds.performance import compile_cluster
from monitor.names import ownership
from monitor.problems import ERROR, Check, Problem
from monitor.resolved import publishing
from monitor.state.plan import Change
from monitor.resolved.model import Model
from monitor.state.resources import Actual, Resource, Stray, regional

KIND = filter_spec.KIND
PAGE = quotas.METRIC_FILTERS_PAGE
PERMISSIONS = iam.Permissions("metric filters", read=("logs:DescribeMetricFilters",), make=("logs:PutMetricFilter",),
                              delete=("logs:DeleteMetricFilter",),
                              when="a container has `filters`, or a cluster `performance_metrics`")

LISTED_TWICE = Check("PLN-003", ERROR, "an endpoint that lists one metric filter twice (AWS never does)")
CHECKS = (LISTED_TWICE,)


def desired(model: Model) -> list[Resource]:
    return _app_filters(model) + _performance_filters(model.config)


def makes(model: Model) -> bool:
    """Whether the config may make a filter (a container's log group may come from its task definition)."""
    return bool(model.filters) or bool(_performance_filters(model.config))


def _app_filters(model: Model) -> list[Resource]:
    """Each container's filters on its log group (none where its task definition could not say: resolve reported why)."""
    return [_resource(filter_spec.make_spec(entry.place.container.log_group, entry.name, entry.filter.pattern,
                                            entry.publishes), entry.path, region=entry.place.container.log_region)
            for entry in model.filters if entry.place.container.log_group is not None]


def _performance_filters(config: Config) -> list[Resource]:
    found = []
    for number, cluster in enumerate(config.clusters):
        if not log_group.wants_performance(cluster):
            continue
        for compiled in compile_cluster(cluster):
            name = ownership.performance_filter_name(config.prefix, cluster.name, compiled.metric, compiled.part)
            spec = filter_spec.make_spec(performance_log_group(cluster.name), name, compiled.pattern,
                             publishing.performance_metric(config, compiled.metric))
            found.append(_resource(spec, ("clusters", number)))
    return found


def _resource(spec: dict, origin: tuple, owned: bool = True, region: str | None = None) -> Resource:
    """Its id is `group:name`, behind `<region>:` outside the home Region; its parent is its group."""
    group, compiled = spec["logGroupName"], ownership.compiled_family(spec["filterName"])
    return Resource(KIND, regional(region, f"{group}:{spec['filterName']}"), spec, owned=owned, group=group,
                    origin=origin, parent=(log_group.KIND, regional(region, group)), region=region,
                    family=compiled and regional(region, f"{group}:{compiled}"))


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """Each Region's filters, 50 a page: everything on the config's groups, and ours anywhere.

    What sits on our log groups counts toward their quotas whoever owns it; ours left on a
    group the config no longer names is found for --prune. Ours means ownership.owns(), over the
    config's clusters and its retired ones; one of our prefix naming another cluster is a stray.
    The log groups we made for a retired cluster are found from the filters listed here.
    `filterNamePrefix` cannot narrow the listing: AWS honours it only together with
    `logGroupName` (DescribeMetricFilters API reference). The Regions are the config's own,
    every `log_region` it names, and its `regions:`, where ours may be left behind.
    """
    config = model.config
    for region in log_group.regions(model) + log_group.swept(clients, model):
        groups = set(log_group.scope(model, region))
        paginator = clients.in_region(region).logs.get_paginator("describe_metric_filters")
        listed = [item for page in paginator.paginate(PaginationConfig={"PageSize": PAGE})
                  for item in page["metricFilters"]]
        for item in listed:
            owned = ownership.owns(config.prefix, config.owned_clusters, item["filterName"])
            if owned or item["logGroupName"] in groups:
                _add_once(actual, _resource(filter_spec.to_spec(item), (), owned, region))
            if not owned and (found := ownership.owner(item["filterName"])) and found.prefix == config.prefix:
                actual.strays.append(Stray(KIND, regional(region, f"{item['logGroupName']}:{item['filterName']}"),
                                           found.cluster))
        log_group.read_retired(clients.in_region(region), config, actual, region, listed)


def _add_once(actual: Actual, resource: Resource) -> None:
    """AWS keeps one filter per name and log group; an endpoint that lists one twice is broken.

    A plain moto server does that after a filter is changed (its PutMetricFilter appends),
    and a plan over such an answer would say "No changes" for a filter left stale.
    """
    if resource.key in actual.resources:
        actual.problems.append(LISTED_TWICE.problem((), f"the endpoint lists metric filter {resource.id} twice; AWS never "
                                           "does (a plain moto server does): use --local or a real account"))
    actual.add(resource)


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    """What stops or qualifies the plan; the checks themselves live in filter_checks."""
    config = model.config
    return (filter_checks.missing_groups(wanted, actual)
            + filter_checks.limits(wanted, actual, prune) + filter_checks.insights_notes(config, actual))


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
