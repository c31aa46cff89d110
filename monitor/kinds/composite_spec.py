"""What a composite alarm is, as data, and how a container's alarms hang together. Pure.

A composite alarm's rule names the container's other alarms by their short names
(monitor/kinds/composite_rule.py); it is made in the Region of the alarms it names, since a rule can
only name alarms of its own Region, and after them: its `rank` is 1 + the highest rank of the
composite alarms it names (0 when it names only metric alarms), so creates go in rising rank and
deletes in falling rank (monitor/state/plan.py). The spec is PutCompositeAlarm's parameters (Tags as
a mapping); DescribeAlarms' CompositeAlarms items are projected onto the same keys, with the
actions [] and ActionsEnabled true when absent, as for metric alarms.
"""

from __future__ import annotations

from monitor.config.model import Alarm, Config, once_per_config
from monitor.config.walk import Place, containers
from monitor.kinds import alarm_spec, graph
from monitor.kinds import composite_rule as alarm_rule
from monitor.kinds.alarm_spec import ACTION_KEYS, Metric
from monitor.kinds.composite_rule import AlarmRule, RuleError

KIND = "composite_alarm"
MANAGED = ("AlarmName", "AlarmRule", "AlarmDescription", "ActionsEnabled", *ACTION_KEYS.values())


def siblings(place: Place) -> dict[str, Alarm]:
    """The container's alarms by name, the first of a repeated name (validation reports the rest)."""
    found: dict[str, Alarm] = {}
    for alarm in place.container.alarms:
        found.setdefault(alarm.name, alarm)
    return found


@once_per_config
def full_names(config: Config) -> dict[str, tuple[Place, Alarm]]:
    """Every alarm of the config by its full name (`<prefix>/<cluster>/<service>/<container>/<alarm>`)."""
    found: dict[str, tuple[Place, Alarm]] = {}
    for place in containers(config):
        for name, alarm in siblings(place).items():
            found.setdefault(alarm_spec.alarm_name(config, place, alarm), (place, alarm))
    return found


def foreign(parsed: AlarmRule, named: dict[str, Alarm]) -> list[str]:
    """The names a rule gives in quotes that are no short name of the container: sent as written."""
    return [reference.name for reference in parsed.references if reference.quoted and reference.name not in named]


def rule(alarm: Alarm) -> AlarmRule | RuleError:
    try:
        return alarm_rule.parse(alarm.alarm_rule or "")
    except RuleError as error:
        return error


def children(alarm: Alarm, named: dict[str, Alarm]) -> list[str]:
    """The container's alarms a composite's rule names (names it does not know are left out)."""
    parsed = rule(alarm)
    return [] if isinstance(parsed, RuleError) else [name for name in parsed.names if name in named]


def cycle(name: str, named: dict[str, Alarm]) -> list[str] | None:
    """A path of composite alarms from `name` back to itself, e.g. [a, b, a], or None."""
    if not named[name].composite:
        return None
    return graph.cycle(name, lambda child: children(named[child], named), lambda child: named[child].composite)


def regions(config: Config, place: Place, name: str, named: dict[str, Alarm],
            seen: frozenset[str] = frozenset()) -> set[str | None]:
    """The Regions the named alarm lives in as far as can be told: a metric alarm's metric's Region,
    a math alarm's metrics' Regions (None, the config's own, when it has no metric), a composite's
    the union of what it names (None when it names none). Empty when nothing can be told.
    Alarms in `seen` are left out of a composite's."""
    def value(alarm_name: str, below: list[set[str | None]]) -> set[str | None]:
        alarm = named[alarm_name]
        return set().union(*below) or {None} if alarm.composite else _own_regions(config, place, alarm)
    return graph.fold(name, lambda child: children(named[child], named) if named[child].composite else (),
                      value, outside=seen)


def _own_regions(config: Config, place: Place, alarm: Alarm) -> set[str | None]:
    """A metric or math alarm's Regions, from its metrics."""
    if alarm.metrics is not None:
        metrics = alarm_spec.math_metrics(config, place, alarm).values()
        return {metric.region for metric in metrics if isinstance(metric, Metric)} or {None}
    metric = alarm_spec.resolve(config, place, alarm) if alarm.metric is not None else None
    return {metric.region} if isinstance(metric, Metric) else set()


def ranks(edges: dict[str, list[str]]) -> dict[str, int]:
    """Each composite's rank among `edges` (name -> the composites it names): 0 naming none, else
    1 + the highest rank it names. A cycle (refused offline; possible in AWS) is cut where it closes."""
    found: dict[str, int] = {}
    below = lambda name: [child for child in edges.get(name, ()) if child in edges]  # noqa: E731
    for name in edges:
        graph.fold(name, below, lambda _, ranked: 1 + max(ranked) if ranked else 0, memo=found)
    return found


def make(config: Config, place: Place, alarm: Alarm, tags: dict[str, str],
         ranked: dict[str, int] | None = None) -> tuple[dict, str | None, int] | None:
    """The spec, Region and rank of a composite alarm, or None when validation has a reason to refuse it;
    `ranked` is config_ranks(config), computed once by the caller that makes many."""
    named = siblings(place)
    parsed = rule(alarm)
    if named[alarm.name] is not alarm or isinstance(parsed, RuleError):
        return None
    outside = set(foreign(parsed, named))
    own = alarm_spec.alarm_name(config, place, alarm)
    if any((name not in named and name not in outside) or name in (alarm.name, own) for name in parsed.names):
        return None
    if cycle(alarm.name, named) is not None:
        return None
    where = regions(config, place, alarm.name, named)
    if len(where) != 1:
        return None
    full = {name: alarm_spec.alarm_name(config, place, named[name]) for name in parsed.names if name in named}
    spec = {"AlarmName": own, "AlarmRule": alarm_rule.rewrite(parsed, full.get),
            "ActionsEnabled": alarm.actions_enabled,
            **{key: list(getattr(alarm, field)) for field, key in ACTION_KEYS.items()},
            "Tags": dict(sorted(tags.items()))}
    if alarm.description:
        spec["AlarmDescription"] = alarm.description
    return spec, next(iter(where)), (config_ranks(config) if ranked is None else ranked)[own]


def config_ranks(config: Config) -> dict[str, int]:
    """Each composite alarm's rank by full name, over the whole config: a rule may name another
    container's composite alarm by its quoted full name, which must then be made first."""
    everything = full_names(config)
    edges: dict[str, list[str]] = {}
    for full, (place, alarm) in everything.items():
        if not alarm.composite:
            continue
        named = siblings(place)
        parsed = rule(alarm)
        if isinstance(parsed, RuleError):
            edges[full] = []
            continue
        inside = [alarm_spec.alarm_name(config, place, named[name]) for name in children(alarm, named)]
        outside = [name for name in foreign(parsed, named) if name in everything]
        edges[full] = [name for name in inside + outside if everything[name][1].composite]
    return ranks(edges)


def to_spec(item: dict, tags: dict[str, str]) -> dict:
    """A DescribeAlarms CompositeAlarms item projected onto the keys we manage."""
    spec = {key: item[key] for key in MANAGED if key in item}
    spec["ActionsEnabled"] = item.get("ActionsEnabled", True)
    for key in ACTION_KEYS.values():
        spec[key] = list(item.get(key, []))
    spec["Tags"] = dict(sorted(tags.items()))
    return spec
