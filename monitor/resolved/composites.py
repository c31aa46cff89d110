"""How a config's alarms hang together: which alarms a composite alarm's rule names, the Regions
they live in, cycles, and each composite's rank. Pure: no AWS.

A composite alarm's rule names the container's other alarms by their short names, or any alarm by
its quoted full name (monitor/alarms/rule.py). A rule can only name alarms of its own Region
(PutCompositeAlarm API reference), so a composite is made in the Region of the alarms it names,
and after them: its rank is 1 + the highest rank of the composite alarms it names (0 when it names
only metric alarms), so creates go in rising rank and deletes in falling rank (monitor/state/plan.py).
"""

from __future__ import annotations

from monitor.alarms import graph
from monitor.alarms import rule as alarm_rule
from monitor.alarms.rule import AlarmRule, RuleError
from monitor.config.model import Alarm, Config, once_per_config
from monitor.config.walk import Place, containers
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved.metrics import Metric


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
            found.setdefault(alarm_metrics.alarm_name(config, place, alarm), (place, alarm))
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
        return set().union(*below) or {None} if alarm.composite else own_regions(config, place, alarm)
    return graph.fold(name, lambda child: children(named[child], named) if named[child].composite else (),
                      value, outside=seen)


def own_regions(config: Config, place: Place, alarm: Alarm) -> set[str | None]:
    """A metric or math alarm's Regions, from its metrics."""
    if alarm.metrics is not None:
        metrics = alarm_metrics.math_metrics(config, place, alarm).values()
        return {metric.region for metric in metrics if isinstance(metric, Metric)} or {None}
    metric = alarm_metrics.resolve(config, place, alarm) if alarm.metric is not None else None
    return {metric.region} if isinstance(metric, Metric) else set()


def ranks(edges: dict[str, list[str]]) -> dict[str, int]:
    """Each composite's rank among `edges` (name -> the composites it names): 0 naming none, else
    1 + the highest rank it names. A cycle (refused offline; possible in AWS) is cut where it closes."""
    found: dict[str, int] = {}
    below = lambda name: [child for child in edges.get(name, ()) if child in edges]  # noqa: E731
    for name in edges:
        graph.fold(name, below, lambda _, ranked: 1 + max(ranked) if ranked else 0, memo=found)
    return found


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
        inside = [alarm_metrics.alarm_name(config, place, named[name]) for name in children(alarm, named)]
        outside = [name for name in foreign(parsed, named) if name in everything]
        edges[full] = [name for name in inside + outside if everything[name][1].composite]
    return ranks(edges)


def makeable(named: dict[str, Alarm], alarm: Alarm, name: str, parsed: AlarmRule | RuleError,
             where: set[str | None]) -> bool:
    """Whether a composite alarm can be made (validation says why not): the first alarm of its name in its
    container (`named`, siblings()), a rule that parses and names only its container's other alarms or quoted
    full names, no cycle, and one Region for all it names (a rule names alarms of its own Region only)."""
    if named.get(alarm.name) is not alarm or isinstance(parsed, RuleError):
        return False
    outside = set(foreign(parsed, named))
    if any((child not in named and child not in outside) or child in (alarm.name, name) for child in parsed.names):
        return False
    return cycle(alarm.name, named) is None and len(where) == 1
