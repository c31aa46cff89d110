"""A dashboard entry and its template, expanded into a CloudWatch dashboard body. Pure.

The body follows "Dashboard Body Structure and Syntax"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
metric widgets carry `metrics` rows `[namespace, name, dimension, value, ..., {options}]`, a
`region`, a `stat` and a `period`, and `annotations.horizontal` lines at a `value`; log widgets a
Logs Insights `query` starting with `SOURCE '<group>'` lines; alarm widgets the alarms' ARNs.
CPU and memory come from the metric an alarm on them would watch (alarm_spec.container_metric):
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
from monitor.dashboards import owner, templates
from monitor.dashboards.layout import NEWROW, layout
from monitor.kinds import alarm as alarm_kind, alarm_spec
from monitor.kinds.filter_spec import metric_namespace

LIMITED = {"cpu": ("CpuUtilized", "cpu", "CPU units"), "memory": ("MemoryUtilized", "memory", "MiB")}
TITLES = {"cpu": "${container} CPU (CPU units)", "memory": "${container} memory (MiB)",
          "filters": "${container} log metrics", "alarms": "Alarms", "logs": "Latest errors",
          "metric": "Metrics", "text": None}
DEFAULT_QUERY = "fields @timestamp, @logStream, @message | sort @timestamp desc | limit 20"
Widget = dict


@dataclass(frozen=True)
class Context:
    """What every widget of one dashboard needs: the config, its facts and the dashboard entry."""

    config: Config
    facts: Facts
    dashboard: Dashboard
    alarms: tuple[tuple[tuple, str], ...]   # (origin path, name) of every alarm the config makes


def clusters(config: Config, dashboard: Dashboard) -> list[str]:
    """The clusters a dashboard shows: those it names, else every cluster of the config."""
    return list(dashboard.clusters) if dashboard.clusters is not None else [c.name for c in config.clusters]


def body(config: Config, dashboard: Dashboard) -> dict:
    """The dashboard body: the owner's header, then the template's widgets, laid out on the grid."""
    found = live.of(config)
    context = Context(config, found, dashboard,
                      tuple((r.origin, r.id) for r in alarm_kind.desired(config)))
    shown = clusters(config, dashboard)
    record = owner.Owner(config.prefix, found.region, tuple(shown))
    places = [p for p in containers(config) if p.cluster.name in shown]
    names = {"dashboard": dashboard.name}
    tokens = [owner.header(record, dashboard.template or templates.DEFAULT), NEWROW]
    tokens += list(_items(context, dashboard.widgets or [], places, names))
    return {"start": dashboard.start, "widgets": layout(tokens)}


def _items(context: Context, items: list[Item], places: list[Place], names: dict) -> Iterator[Widget | str]:
    for item in items:
        parts = _split(places, item.each, names) if item.each else [(names, places)]
        for scope_names, scoped in parts:
            if item.widgets is not None:
                yield NEWROW
                yield from _items(context, item.widgets, scoped, scope_names)
            elif (widget := _widget(context, item, scoped, scope_names)) is not None:
                yield widget


def _split(places: list[Place], each: str, names: dict) -> list[tuple[dict, list[Place]]]:
    """The places grouped by cluster, service or container, in the config's order."""
    depth = templates.LEVELS.index(each)
    groups: dict[tuple, list[Place]] = {}
    for place in places:
        key = (place.cluster.name, place.service.name, place.container.name)[:depth]
        groups.setdefault(key, []).append(place)
    return [({**names, **dict(zip(templates.LEVELS[1:], key))}, group) for key, group in groups.items()]


def _widget(context: Context, item: Item, places: list[Place], names: dict) -> Widget | None:
    title = templates.fill(item.title or TITLES[item.type] or "", names)
    size = {"width": item.width, "height": item.height}
    if item.type == "text":
        return {"type": "text", **size, "properties": {"markdown": templates.fill(item.markdown, names)}}
    if item.type == "alarms":
        arns = [_arn(context.facts, name) for origin, name in context.alarms
                if any(origin[:len(p.path)] == p.path for p in places)]
        return {"type": "alarm", **size, "properties": {"title": title, "alarms": arns,
                                                        "sortBy": "stateUpdatedTimestamp"}} if arns else None
    if item.type == "logs":
        return _logs(context, item, places, title, size)
    rows = _rows(context, item, places, names)
    if not rows:
        return _missing(item, places[0], size) if item.type in LIMITED else None
    return _metric(context, item, places, rows, title, size)


def _arn(facts: Facts, name: str) -> str:
    """An alarm's ARN (CloudWatch, "Resource types defined by Amazon CloudWatch")."""
    return f"arn:{facts.partition}:cloudwatch:{facts.region}:{facts.account}:alarm:{name}"


def _logs(context: Context, item: Item, places: list[Place], title: str, size: dict) -> Widget | None:
    """Logs Insights over the home Region's log groups in scope; groups elsewhere need a widget there."""
    groups = sorted({p.container.log_group for p in places if p.container.log_group and not p.container.log_region})
    if not groups:
        return None
    sources = " | ".join(f"SOURCE '{group}'" for group in groups)
    query = templates.fill(item.query or DEFAULT_QUERY, {"dashboard": context.dashboard.name, **_names(places)})
    return {"type": "log", **size, "properties": {"title": title, "region": context.facts.region,
                                                  "query": f"{sources} | {query}", "view": "table"}}


def _names(places: list[Place]) -> dict:
    first = places[0]
    return {"cluster": first.cluster.name, "service": first.service.name, "container": first.container.name}


def _rows(context: Context, item: Item, places: list[Place], names: dict) -> list[list]:
    if item.type in LIMITED:
        metric = alarm_spec.container_metric(context.config, places[0], LIMITED[item.type][0])
        return [_row(metric)] if metric else []
    if item.type == "filters":
        rows = [row for place in places for row in _filter_rows(context.config, place, item.period or context.dashboard.period)]
        return [[{**row[0], "id": f"search{n}"}] if isinstance(row[0], dict) else row for n, row in enumerate(rows)]
    return [[templates.fill(cell, names) for cell in row] for row in item.metrics or []]


def _row(metric: alarm_spec.Metric) -> list:
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
    lines = _limits(context, item, places) + _thresholds(context, places, rows)
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
    return [{"label": limit.source, "value": limit.value}] if limit else []


def _thresholds(context: Context, places: list[Place], rows: list[list]) -> list[dict]:
    """The thresholds of the alarms in scope that watch one of the plotted metrics."""
    plotted = {_identity(row) for row in rows}
    lines = []
    for place in places:
        for alarm in (a for a in place.container.alarms if a.metric is not None):   # math and composites: no line
            metric = alarm_spec.resolve(context.config, place, alarm)
            if isinstance(metric, alarm_spec.Metric) and not isinstance(alarm.threshold, str) \
                    and _identity(_row(metric)) in plotted:
                lines.append({"label": f"alarm {alarm.name}", "value": alarm.threshold})
    return lines


def _identity(row: list) -> tuple:
    """A metric row as (namespace, name, dimensions as a set): AWS promises no dimension order."""
    cells = [cell for cell in row if isinstance(cell, str)]
    if len(cells) < 2:
        return ()
    return (cells[0], cells[1], frozenset(zip(cells[2::2], cells[3::2])))


def needs_account(config: Config) -> bool:
    """Whether a dashboard shows alarms, whose ARNs name the account: only then is it read."""
    return any(widget["type"] == "alarm" for entry in config.dashboards if entry.widgets is not None
               for widget in body(config, entry)["widgets"])
