"""The resolved model: the config as one command sees it, every part of it resolved once. Pure: no AWS.

`build(config)` walks the config's containers once, in file order, and resolves each `alarms:`
entry: its full name (monitor/names/ownership.py), the metric it watches or its metric-math
queries' metrics (monitor/resolved/metrics.py), the Regions it lives in, and for a composite alarm
its parsed rule and rank (monitor/resolved/composites.py); and each filter's published metric
(monitor/resolved/publishing.py). The kinds render their resources from it and never walk the
config again; the plan builds it once, from the config the task definitions and AWS resolved
(monitor/sync/flow.py), and `of(config)` keeps it with its config, so that every step of one
command that asks for it gets the same one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.alarms.rule import AlarmRule, RuleError
from monitor.config.model import Alarm, Config, Filter
from monitor.config.walk import Place, containers
from monitor.names import ownership
from monitor.resolved import composites, publishing
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved.metrics import Metric, NoMetric

Region = str | None   # None: the config's home Region


@dataclass(frozen=True)
class AlarmEntry:
    """One `alarms:` entry with everything the kinds render it from.

    metric: a metric alarm's metric, or why it has none (None for metric math and composites);
    queries: a metric-math alarm's metrics by query id (None for an expression); regions: the
    Regions the alarm lives in as far as can be told (empty when nothing can be told); rule, rank
    and siblings: a composite alarm's parsed rule (or why it does not parse), its rank (0 otherwise)
    and the full name of each alarm of its container that its rule names, by short name; makeable:
    False for a composite alarm that validation refuses (monitor/resolved/composites.py `makeable`).
    """

    place: Place
    number: int
    alarm: Alarm
    name: str
    metric: Metric | NoMetric | None = None
    queries: dict[str, Metric | NoMetric | None] = field(default_factory=dict)
    regions: frozenset[Region] = frozenset()
    rule: AlarmRule | RuleError | None = None
    rank: int = 0
    siblings: dict[str, str] = field(default_factory=dict)
    makeable: bool = True

    @property
    def path(self) -> tuple:
        return self.place.path + ("alarms", self.number)


@dataclass(frozen=True)
class FilterEntry:
    """One `filters:` entry with its full name and the metric it publishes (one metricTransformations item)."""

    place: Place
    number: int
    filter: Filter
    name: str
    publishes: dict

    @property
    def path(self) -> tuple:
        return self.place.path + ("filters", self.number)


@dataclass(frozen=True)
class Model:
    """The config (with the facts read at plan time), its containers, its alarms and its filters, in file order."""

    config: Config
    places: tuple[Place, ...]
    alarms: tuple[AlarmEntry, ...]
    filters: tuple[FilterEntry, ...]

    def metric_alarms(self) -> list[AlarmEntry]:
        return [entry for entry in self.alarms if not entry.alarm.composite]

    def composite_alarms(self) -> list[AlarmEntry]:
        return [entry for entry in self.alarms if entry.alarm.composite]


def of(config: Config) -> Model:
    """The config's resolved model, built once and kept with the config (Config.once)."""
    return config.once("model", lambda: build(config))


def build(config: Config) -> Model:
    """Walk the config once: every alarm and filter resolved, composites ranked over the whole config."""
    places = containers(config)
    ranked = composites.config_ranks(config)
    alarms = tuple(_alarm(config, place, composites.siblings(place), ranked) for place in places)
    filters = tuple(FilterEntry(place, number, item, _filter_name(config, place, item),
                                publishing.publishes(config, place, item))
                    for place in places for number, item in enumerate(place.container.filters))
    return Model(config, places, tuple(entry for entries in alarms for entry in entries), filters)


def _alarm(config: Config, place: Place, named: dict[str, Alarm], ranked: dict[str, int]) -> list[AlarmEntry]:
    """The container's alarms resolved; `named` is its alarms by short name (composites.siblings)."""
    found = []
    for number, alarm in enumerate(place.container.alarms):
        name = alarm_metrics.alarm_name(config, place, alarm)
        if alarm.composite:
            found.append(_composite(config, place, named, number, alarm, name, ranked.get(name, 0)))
            continue
        metric = alarm_metrics.resolve(config, place, alarm) if alarm.metrics is None and alarm.metric is not None else None
        queries = alarm_metrics.math_metrics(config, place, alarm) if alarm.metrics is not None else {}
        found.append(AlarmEntry(place, number, alarm, name, metric=metric, queries=queries,
                                regions=frozenset(composites.own_regions(config, place, alarm))))
    return found


def _composite(config: Config, place: Place, named: dict[str, Alarm], number: int, alarm: Alarm, name: str,
               rank: int) -> AlarmEntry:
    where = composites.regions(config, place, alarm.name, named) if named.get(alarm.name) is alarm else set()
    parsed = composites.rule(alarm)
    siblings = {} if isinstance(parsed, RuleError) else {
        short: alarm_metrics.alarm_name(config, place, named[short]) for short in parsed.names if short in named}
    return AlarmEntry(place, number, alarm, name, regions=frozenset(where), rule=parsed, rank=rank,
                      siblings=siblings, makeable=composites.makeable(named, alarm, name, parsed, where))


def _filter_name(config: Config, place: Place, item: Filter) -> str:
    """`<prefix>/<cluster>/<service>/<container>/<filter>`: the ownership rule's shape."""
    return ownership.filter_name(config.prefix, place.cluster.name, place.service.name, place.container.name,
                                 item.name)
