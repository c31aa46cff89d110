"""A dashboard entry and its template, expanded into a CloudWatch dashboard body. Pure.

The body follows "Dashboard Body Structure and Syntax"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
metric widgets carry `metrics` rows `[namespace, name, dimension, value, ..., {options}]`, a
`region`, a `stat` and a `period`, and `annotations.horizontal` lines at a `value`; log widgets a
Logs Insights `query` starting with `SOURCE '<group>'` lines; alarm widgets the alarms' ARNs.
CPU and memory come from the metric an alarm on them would watch (alarm_metrics.container_metric):
ECS/ContainerInsights' own on an enhanced cluster, else the performance filter's. Annotations
mark the container's limits (read from its task definition at plan time) and the thresholds of
the alarms that watch a plotted metric.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from monitor.config import facts as live
from monitor.config.facts import Facts
from monitor.config.model import Config, Dashboard, Item
from monitor.config.walk import Place, containers
from monitor.dashboards import owner, per_service, templates
from monitor.dashboards.layout import NEWROW, layout
from monitor.kinds import alarm as alarm_kind
from monitor.kinds import composite_alarm as composite_alarm_kind
from monitor.kinds import dashboard_service
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved.model import Model
from monitor.resolved.publishing import metric_namespace

LIMITED = {"cpu": ("CpuUtilized", "cpu", "CPU units"), "memory": ("MemoryUtilized", "memory", "MiB")}
TITLES = {"cpu": "${container} CPU (CPU units)", "memory": "${container} memory (MiB)",
          "filters": "${container} log metrics", "alarms": "Alarms", "logs": "Latest errors",
          "metric": "Metrics", "text": None}
ALARM_WIDTH = 4   # an alarm annotation's own widget, beside its metric's graph
DEFAULT_QUERY = "fields @timestamp, @logStream, @message | sort @timestamp desc | limit 20"
Widget = dict


@dataclass(frozen=True)
class Context:
    """What every widget of one dashboard needs: the config, its facts and the dashboard entry."""

    config: Config
    facts: Facts
    dashboard: Dashboard
    alarms: tuple[tuple[tuple, str, str | None], ...]   # (origin path, name, Region) of every alarm and composite


def clusters(config: Config, dashboard: Dashboard) -> list[str]:
    """The clusters a dashboard shows: those it names, else every cluster of the config."""
    return list(dashboard.clusters) if dashboard.clusters is not None else [c.name for c in config.clusters]


def body(model: Model, dashboard: Dashboard, only: tuple[str, str] | None = None,
         alarms: tuple | None = None) -> dict:
    """The dashboard body: the owner's header, then the template's widgets, laid out on the grid.

    only: (cluster, service) for one of a `per: service` entry's dashboards; alarms: the (origin,
    name, Region) of every alarm, when the caller made them already (one dashboard a service).
    """
    config, found = model.config, live.of(model.config)
    context = Context(config, found, dashboard, alarm_origins(model) if alarms is None else alarms)
    shown = [only[0]] if only else clusters(config, dashboard)
    name = per_service.name(config.prefix, dashboard.name, only)
    record = owner.Owner(config.prefix, found.region, tuple(shown), name)
    places = [p for p in model.places if p.cluster.name in shown
              and (only is None or p.service.name == only[1])]
    names = {"dashboard": dashboard.name}
    tokens = [owner.header(record, dashboard.template or templates.DEFAULT), NEWROW]
    tokens += list(_items(context, dashboard.widgets or [], places, names))
    return {"start": dashboard.start, "widgets": layout(tokens)}


def alarm_origins(model: Model) -> tuple[tuple[tuple, str, str | None], ...]:
    """(origin path, name, Region) of every alarm and composite the config makes, in the config's order."""
    made = alarm_kind.desired(model) + composite_alarm_kind.desired(model)
    return tuple((r.origin, r.spec["AlarmName"], r.region) for r in sorted(made, key=lambda r: r.origin))


def _items(context: Context, items: list[Item], places: list[Place], names: dict) -> Iterator[Widget | str]:
    for item in items:
        parts = _split(places, item.each, names) if item.each else [(names, places)]
        for scope_names, scoped in parts:
            if item.widgets is not None:
                yield NEWROW
                yield from _items(context, item.widgets, scoped, scope_names)
            else:
                yield from _widget(context, item, scoped, scope_names)


def _split(places: list[Place], each: str, names: dict) -> list[tuple[dict, list[Place]]]:
    """The places grouped by cluster, service or container, in the config's order."""
    depth = templates.LEVELS.index(each)
    groups: dict[tuple, list[Place]] = {}
    for place in places:
        key = (place.cluster.name, place.service.name, place.container.name)[:depth]
        groups.setdefault(key, []).append(place)
    return [({**names, **dict(zip(templates.LEVELS[1:], key))}, group) for key, group in groups.items()]


def _widget(context: Context, item: Item, places: list[Place], names: dict) -> Iterator[Widget]:
    """The widgets one template widget makes here: mostly one, a log widget a Region, or none."""
    title = templates.fill(item.title or TITLES.get(item.type) or "", names)
    size = {"width": item.width, "height": item.height}
    if item.type == "text":
        yield {"type": "text", **size, "properties": {"markdown": templates.fill(item.markdown, names)}}
        return
    if item.type == "alarms":
        arns = [_arn(context.facts, name, region) for origin, name, region in context.alarms
                if any(origin[:len(p.path)] == p.path for p in places)]
        if arns:
            yield {"type": "alarm", **size, "properties": {"title": title, "alarms": arns,
                                                           "sortBy": "stateUpdatedTimestamp"}}
        return
    if item.type == "logs":
        yield from _logs(context, item, places, title, size)
        return
    if item.type in dashboard_service.TYPES:
        yield from dashboard_service.widgets(context.config, context.facts.region, item, places,
                                             item.period or context.dashboard.period, size)
        return
    rows = _rows(context, item, places, names)
    if not rows:
        if item.type in LIMITED:
            yield _missing(item, places[0], size)
        return
    yield _metric(context, item, places, rows, title, size)
    yield from _alarm_graphs(context, places, rows, size)


def _arn(facts: Facts, name: str, region: str | None = None) -> str:
    """An alarm's ARN, in the alarm's own Region (CloudWatch, "Resource types defined by Amazon
    CloudWatch": arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName},
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html)."""
    return f"arn:{facts.partition}:cloudwatch:{region or facts.region}:{facts.account}:alarm:{name}"


def _logs(context: Context, item: Item, places: list[Place], title: str, size: dict) -> Iterator[Widget]:
    """Logs Insights over the log groups in scope: a widget a Region, as a log widget queries its own `region`."""
    by_region: dict[str, set[str]] = {}
    for place in places:
        if place.container.log_group:
            region = place.container.log_region or context.facts.region
            by_region.setdefault(region, set()).add(place.container.log_group)
    query = templates.fill(item.query or DEFAULT_QUERY, {"dashboard": context.dashboard.name, **_names(places)})
    for region, groups in sorted(by_region.items(), key=lambda pair: pair[0] != context.facts.region):
        sources = " | ".join(f"SOURCE '{group}'" for group in sorted(groups))
        named = title if region == context.facts.region else f"{title} ({region})"
        yield {"type": "log", **size, "properties": {"title": named, "region": region,
                                                     "query": f"{sources} | {query}", "view": "table"}}


def _names(places: list[Place]) -> dict:
    first = places[0]
    return {"cluster": first.cluster.name, "service": first.service.name, "container": first.container.name}


def _rows(context: Context, item: Item, places: list[Place], names: dict) -> list[list]:
    if item.type in LIMITED:
        metric = alarm_metrics.container_metric(context.config, places[0], LIMITED[item.type][0])
        return [_row(metric)] if metric else []
    if item.type == "filters":
        rows = [row for place in places for row in _filter_rows(context.config, place, item.period or context.dashboard.period)]
        return [[{**row[0], "id": f"search{n}"}] if isinstance(row[0], dict) else row for n, row in enumerate(rows)]
    return [[templates.fill(cell, names) for cell in row] for row in item.metrics or []]


def _row(metric: alarm_metrics.Metric) -> list:
    return [metric.namespace, metric.name, *(part for pair in metric.dimensions for part in pair)]


def _filter_rows(config: Config, place: Place, period: int) -> Iterator[list]:
    """One row a filter metric; one with dimensions is a SEARCH over its dimension values."""
    for item in (f for f in place.container.filters if f.metric):
        namespace = metric_namespace(config, place, item)
        options = {"region": place.container.log_region} if place.container.log_region else {}
        if item.dimensions:
            keys = ",".join([namespace, *sorted(item.dimensions)])
            search = f"SEARCH('{{{keys}}} MetricName=\"{item.metric}\"', 'Sum', {period})"
            yield [{"expression": search, "label": item.metric, **options}]
        else:
            yield [namespace, item.metric, *([options] if options else [])]


def _missing(item: Item, place: Place, size: dict) -> Widget:
    """Say why a CPU or memory graph is missing rather than leave a hole."""
    field = LIMITED[item.type][0]
    markdown = (f"**{place.container.name}: no {item.type} metric.** Enable Container Insights `enhanced` on "
                f"cluster {place.cluster.name}, or add `{field}` to the container's `performance_metrics`.")
    return {"type": "text", **size, "properties": {"markdown": markdown}}


def _metric(context: Context, item: Item, places: list[Place], rows: list[list], title: str, size: dict) -> Widget:
    stat = item.stat or ("Sum" if item.type == "filters" else "Average")
    properties = {"title": title, "view": "timeSeries", "stacked": False, "region": context.facts.region,
                  "metrics": rows, "stat": stat, "period": item.period or context.dashboard.period}
    lines = _limits(context, item, places)
    if lines:
        properties["annotations"] = {"horizontal": lines}
    return {"type": "metric", **size, "properties": properties}


def _limits(context: Context, item: Item, places: list[Place]) -> list[dict]:
    """The container's CPU or memory limit, from its task definition, in the metric's own unit."""
    if item.type not in LIMITED:
        return []
    place = places[0]
    limits = context.facts.limits.get((place.cluster.name, place.service.name, place.container.name))
    limit = getattr(limits, LIMITED[item.type][1], None) if limits else None
    reserved = limits.reservation if limits and item.type == "memory" else None
    return [{"label": line.source, "value": line.value} for line in (limit, reserved) if line]


def _alarm_graphs(context: Context, places: list[Place], rows: list[list], size: dict) -> Iterator[Widget]:
    """A small widget a plotted metric's alarm, holding only its alarm annotation: CloudWatch draws the
    alarm's metric and its threshold (or its anomaly-detection band) from the alarm, so a changed
    threshold leaves the dashboard alone.
    An alarm annotation takes no `metrics` and no other annotation, and one alarm a widget (see above)."""
    plotted = {_identity(row) for row in rows}
    made = {origin: (name, region) for origin, name, region in context.alarms}
    for place in places:
        for number, alarm in enumerate(place.container.alarms):
            source = _watched(alarm)
            if source is None or place.path + ("alarms", number) not in made:   # math and composites
                continue
            metric = alarm_metrics.resolve(context.config, place, source)
            if isinstance(metric, alarm_metrics.Metric) and _identity(_row(metric)) in plotted:
                name, region = made[place.path + ("alarms", number)]
                yield {"type": "metric", "width": ALARM_WIDTH, "height": size["height"],
                       "properties": {"title": f"alarm {alarm.name}", "region": region or context.facts.region,
                                      "annotations": {"alarms": [_arn(context.facts, name, region)]}}}


def _watched(alarm):
    """What names the plotted metric of an alarm: its own `metric`, or for an anomaly-detection alarm
    the `metrics` entry its band is drawn around (CloudWatch draws the band from the alarm); None else."""
    if alarm.metric is not None:
        return alarm
    if alarm.threshold_metric_id is None:
        return None
    by_id = {query.id: query for query in alarm.metrics or []}
    band = by_id.get(alarm.threshold_metric_id)
    return by_id.get(alarm_metrics.band_of(band.expression) or "") if band is not None else None


def _identity(row: list) -> tuple:
    """A metric row as (namespace, name, dimensions as a set): AWS promises no dimension order."""
    cells = [cell for cell in row if isinstance(cell, str)]
    if len(cells) < 2:
        return ()
    return (cells[0], cells[1], frozenset(zip(cells[2::2], cells[3::2])))


def needs_account(config: Config) -> bool:
    """Whether a dashboard may show alarms, whose ARNs name the account: only then is it read (one
    sts:GetCallerIdentity, so a template with an alarms widget and a config with alarms is enough).
    Asked while the plan resolves the config, before its model is built."""
    return any(p.container.alarms for p in containers(config)) and any(
        _shows_alarms(entry.widgets) for entry in config.dashboards if entry.widgets is not None)


def _shows_alarms(items: list[Item]) -> bool:
    return any(item.type == "alarms" or (item.widgets is not None and _shows_alarms(item.widgets)) for item in items)
