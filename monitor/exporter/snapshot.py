"""A refresh's result as an immutable snapshot: every family built once, ready for any number of scrapes. Pure.

A gauge holds the value of the last complete period of its window; a period with no datapoint
gives no sample (missing is not zero). A count (a filter metric in `Count`, read as Sum) is a
counter: each period of the window not counted before is added once, so `rate()` and
`increase()` work as on any Prometheus counter; the total starts with the first window read.
Samples carry no timestamp: Prometheus stamps them at scrape time, as writing_exporters.md
asks ("Timestamps", https://prometheus.io/docs/instrumenting/writing_exporters/).

Utilization ratios divide the last period's CPU or memory by the container's limit (from its
task definition), so 1 is the limit. `derived:` expressions see, per label set, the window of
every metric they name in CloudWatch's own units (monitor/exporter/derive.py, over the
expression language of monitor/expressions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from monitor.config.model import Derived
from monitor.exporter import derive, naming
from monitor.exporter.batches import Window
from monitor.exporter.queries import Pairs, Query
from monitor.names.identity import Identity
from monitor.taskdefs.sizing import Limits

Points = tuple[tuple[int, float], ...]
CounterState = Mapping[tuple[str, Pairs], tuple[int, float]]   # (family, labels) -> (last period counted, total)
RATIOS = (("CpuUtilized", "cpu", "CPU"), ("MemoryUtilized", "memory", "memory"))


@dataclass(frozen=True)
class Reading:
    """One query, the window it was read over, and the datapoints it got."""

    query: Query
    window: Window
    points: Points


@dataclass(frozen=True)
class DerivedRule:
    """A `derived:` entry, compiled."""

    entry: Derived
    compiled: derive.Compiled


@dataclass(frozen=True)
class Snapshot:
    """What a scrape serves: families built once, and when the data they hold ends."""

    families: tuple[Metric, ...] = ()
    series: int = 0
    data_until: float | None = None   # epoch seconds: the end of the newest complete period read
    counters: CounterState = field(default_factory=dict)


EMPTY = Snapshot()


def build(readings: Sequence[Reading], limits: Mapping[Identity, Limits], rules: Sequence[DerivedRule],
          previous: Snapshot = EMPTY) -> Snapshot:
    """The snapshot of one good refresh; `previous` carries the counters on."""
    samples: dict[str, list[tuple[Pairs, float]]] = defaultdict(list)
    helps: dict[str, tuple[str, bool]] = {}
    counters = _counters(readings, previous.counters)
    for reading in readings:
        query = reading.query
        helps.setdefault(query.family, (query.help, query.counter))
        value = counters.get((query.family, query.labels), (0, None))[1] if query.counter else _last(reading)
        if value is not None:
            samples[query.family].append((query.labels, value * (1 if query.counter else naming.unit(query.unit).scale)))
    windows = _windows(readings)
    _add_limits(samples, helps, windows, limits)
    _add_derived(samples, helps, windows, rules, readings[0].window.period if readings else 60)
    families = tuple(_family(name, helps[name], found) for name, found in sorted(samples.items()))
    ends = [r.window.end for r in readings]
    return Snapshot(families, sum(len(v) for v in samples.values()), max(ends) if ends else None, counters)


def _last(reading: Reading) -> float | None:
    """The datapoint of the window's last period, if there is one."""
    if reading.points and reading.points[-1][0] == reading.window.end - reading.window.period:
        return reading.points[-1][1]
    return None


def _counters(readings: Sequence[Reading], before: CounterState) -> dict:
    """Each count's total, with the periods not counted before added; series no longer read are dropped."""
    totals = {}
    for reading in (r for r in readings if r.query.counter):
        key = (reading.query.family, reading.query.labels)
        last, total = before.get(key, (-1, 0.0))
        new = [(t, v) for t, v in reading.points if t > last]
        if new or key in before:
            totals[key] = (max([last] + [t for t, _ in new]), total + sum(v for _, v in new))
    return totals


def _windows(readings: Sequence[Reading]) -> dict[Pairs, dict[str, list[float | None]]]:
    """Label set -> metric name -> one value per period of its window, oldest first."""
    found: dict[Pairs, dict[str, list[float | None]]] = defaultdict(dict)
    for reading in readings:
        span, points = reading.window, dict(reading.points)
        values = [points.get(t) for t in range(span.start, span.end, span.period)]
        for alias in reading.query.aliases:
            found[reading.query.labels][alias] = values
    return found


def _add_limits(samples, helps, windows, limits: Mapping[Identity, Limits]) -> None:
    """Each container's limits, and its CPU and memory as a ratio of them."""
    for labels, values in windows.items():
        limit = limits.get(_identity(labels))
        if limit is None:
            continue
        for field_, resource, text in RATIOS:
            given = getattr(limit, resource)
            if given is None:
                continue
            unit = naming.unit(naming.CPU_UNITS if resource == "cpu" else naming.MIB)
            limit_name = f"{naming.PREFIX}_container_{resource}_limit_{unit.suffix}"
            helps[limit_name] = (f"The container's {text} limit from its task definition, in {unit.suffix}; "
                                 "limit_kind: hard, soft, share (CPU shares are no cap) or task.", False)
            samples[limit_name].append((labels + (("limit_kind", given.kind),), given.value * unit.scale))
            last = (values.get(field_) or [None])[-1]
            if last is not None:
                ratio = f"{naming.PREFIX}_container_{resource}_utilization_ratio"
                helps[ratio] = (f"The container's {text} used in the last complete period, as a share of its limit "
                                "(1 = the limit).", False)
                samples[ratio].append((labels, last / given.value))


def _identity(labels: Pairs) -> Identity | None:
    given = dict(labels)
    if naming.CONTAINER not in given:
        return None
    return Identity(given[naming.CLUSTER], given[naming.SERVICE], given[naming.CONTAINER])


def _add_derived(samples, helps, windows, rules: Sequence[DerivedRule], period: int) -> None:
    """Each rule on every label set that has all the metrics it names: a container sees its
    service's too, but a rule naming only service metrics is the service's, so that sum(x) counts
    each service once."""
    scopes = list(_scopes(windows))
    series: dict[str, dict[Pairs, float | None]] = defaultdict(dict)
    for labels, known, _ in scopes:
        for name, values in known.items():
            series[name][labels] = values[-1]
    for rule in rules:
        helps[rule.entry.name] = (rule.entry.help or f"Derived: {rule.entry.expr}", False)
        wanted = rule.compiled.names
        label_sets = [labels for labels, known, own in scopes
                      if all(n in known for n in wanted) and any(n in own for n in wanted)]
        options = derive.Options(rule.entry.on_missing, rule.entry.on_zero_division, period)
        samples[rule.entry.name] += derive.evaluate_all(rule.compiled, series, label_sets, options).items()


def _scopes(windows):
    """(labels, name -> window, own names) for each label set, a container's joined with its service's."""
    for labels, own in windows.items():
        service = windows.get(labels[:2], {}) if len(labels) == 3 else {}
        yield labels, {**service, **own}, own


def _family(name: str, about: tuple[str, bool], found: list[tuple[Pairs, float]]) -> Metric:
    """One family, its samples in label order; each label set's label names may differ, so each is given."""
    text, counter = about
    family = CounterMetricFamily(name, text) if counter else GaugeMetricFamily(name, text)
    suffix = "_total" if counter else ""
    for labels, value in sorted(found):
        family.add_sample(family.name + suffix, dict(labels), value)
    return family
