"""What each entry of a config names and what each makes: an entry that names what a part set aside
made is set aside with it, so that no check reports a problem whose only cause is another one. Pure.

These are the config's cross-references: an alarm names a metric of its container's filters (by
`metric`, in its `metrics:` entries, or through `use:` a preset's or a filter's alarm), a composite
alarm the alarms its rule names, a filter the catalogue definition it uses, a dashboard its clusters,
a derived metric the metrics its expression reads, a full alarm name the prefix. They are read from
the file's data, since a part set aside for a structural error has no model.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from monitor import expressions
from monitor.alarms.rule import RuleError
from monitor.alarms.rule import parse as parse_rule
from monitor.config.catalogue import Definition
from monitor.config.model import Alarm, Config
from monitor.config.parts import inside
from monitor.config.presets import SEPARATOR, Preset
from monitor.names import ownership
from monitor.problems import Path, dotted

Ref = tuple[str, Path | None, str]   # (what, the container it is known in or None for the whole config, name)
WHOLE = None
DEFAULT_PREFIX = Config.model_fields["prefix"].default


@dataclass(frozen=True)
class Catalogues:
    """What `use:` may name: filter definitions and alarm presets; `broken`: definitions whose files have errors."""

    filters: Mapping[str, Definition]
    presets: Mapping[str, Preset]
    broken: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    """One entry as written: where it is, its kind, its data, and for alarms the parts of its full name."""

    path: Path
    kind: str   # cluster, container, filter, alarm, dashboard or derived
    data: dict
    owner: tuple[str, ...] = ()   # prefix, cluster, service, container
    filters: tuple[dict, ...] = ()   # for an alarm, its container's filters

    @property
    def container(self) -> Path:
        return self.path[:6]


def closure(data: object, parts: Collection[Path], catalogues: Catalogues) -> frozenset[Path]:
    """`parts` and every entry that leans on them, however indirectly."""
    held, found = set(parts), list(_entries(data))
    while True:
        lost = _lost(found, held, catalogues)
        leaning = {entry.path for entry in found if not inside(entry.path, held) and _names(entry, catalogues) & lost}
        if not leaning:
            return frozenset(held)
        held |= leaning


def _lost(found: list[Entry], held: set[Path], catalogues: Catalogues) -> set[Ref]:
    """What the held parts made that nothing left makes; the settings held; the broken definitions."""
    lost = {ref for entry in found if inside(entry.path, held) for ref in _makes(entry, catalogues)}
    lost -= {ref for entry in found if not inside(entry.path, held) for ref in _makes(entry, catalogues)}
    lost |= {("setting", WHOLE, dotted(part)) for part in held if part and not isinstance(part[-1], int)}
    return lost | {("definition", WHOLE, name) for name in catalogues.broken}


def _makes(entry: Entry, catalogues: Catalogues) -> set[Ref]:
    """The names other entries can use an entry by."""
    if entry.kind == "cluster":
        return _known({("cluster", WHOLE, _text(entry.data, "name"))})
    if entry.kind == "container":   # its performance metrics, as a derived metric reads them
        fields = entry.data.get("performance_metrics")
        fields = [field for field in fields if isinstance(field, str)] if isinstance(fields, list) else []
        return {("metric", WHOLE, name) for field in fields for name in (field, f"Container{field}")}
    if entry.kind == "filter":
        use = _text(entry.data, "use")
        metric = _text(entry.data, "metric") or (catalogues.filters[use].filter.metric if use in catalogues.filters else None)
        name = _text(entry.data, "name") or use
        return _known({("filter", entry.container, name), ("metric", entry.container, metric), ("metric", WHOLE, metric)})
    if entry.kind == "alarm":
        name = _text(entry.data, "name") or _used_name(_text(entry.data, "use"), catalogues)
        full = ownership.filter_name(*entry.owner, name) if name else None
        return _known({("alarm", entry.container, name), ("alarm", WHOLE, full)})
    return set()


def _names(entry: Entry, catalogues: Catalogues) -> set[Ref]:
    """What an entry uses of others."""
    if entry.kind == "filter":
        return _known({("definition", WHOLE, _text(entry.data, "use"))})
    if entry.kind == "alarm":
        return _alarm_names(entry, catalogues)
    if entry.kind == "dashboard":
        clusters = entry.data.get("clusters")
        return _known({("cluster", WHOLE, name) for name in clusters if isinstance(name, str)}
                      if isinstance(clusters, list) else set())
    if entry.kind == "derived":
        return {("metric", WHOLE, name.name) for name in _expression_names(_text(entry.data, "expr"))}
    return set()


def _alarm_names(entry: Entry, catalogues: Catalogues) -> set[Ref]:
    """Its metrics (those of no `namespace`: the container's) and those of what it uses, the filter whose
    alarm it uses, and the alarms its rule names."""
    used = _used(entry, catalogues)
    metrics = [(_text(query, "metric"), "namespace" in query) for query in [entry.data, *_dicts(entry.data, "metrics")]]
    if used is not None:
        metrics += [(query.metric, query.namespace is not None) for query in [used, *(used.metrics or [])]]
    found = {("metric", entry.container, metric) for metric, elsewhere in metrics if not elsewhere}
    owner, separator, _ = (_text(entry.data, "use") or "").partition(SEPARATOR)
    if separator:
        found.add(("filter", entry.container, owner))
    rule = _text(entry.data, "alarm_rule")
    references = [] if rule is None or isinstance(parsed := _rule(rule), RuleError) else parsed.references
    found |= {("alarm", entry.container, reference.name) for reference in references}
    found |= {("alarm", WHOLE, reference.name) for reference in references if reference.quoted}
    if any(reference.quoted and ownership.SEPARATOR in reference.name for reference in references):
        found.add(("setting", WHOLE, "prefix"))   # a full name starts with the prefix
    return _known(found)


def _used(entry: Entry, catalogues: Catalogues) -> Alarm | None:
    """The catalogue alarm an entry's `use:` names: a preset, or the alarm of the definition that the
    container's filter of that name uses (monitor/config/alarm_uses.py)."""
    use = _text(entry.data, "use") or ""
    if use in catalogues.presets:
        return catalogues.presets[use].alarm
    owner, _, short = use.partition(SEPARATOR)
    uses = [_text(item, "use") for item in entry.filters if (_text(item, "name") or _text(item, "use")) == owner]
    definition = catalogues.filters.get(uses[0]) if uses and uses[0] else None
    return next((alarm for alarm in definition.filter.alarms if alarm.name == short), None) if definition else None


def _rule(text: str):
    try:
        return parse_rule(text)
    except RuleError as error:
        return error


def _expression_names(text: str | None) -> list[expressions.Name]:
    try:
        return expressions.names(expressions.parse(text)) if text is not None else []
    except expressions.ExpressionError:
        return []


def _used_name(use: str | None, catalogues: Catalogues) -> str | None:
    """The name an alarm that gives none takes from what it uses (monitor/config/alarm_uses.py)."""
    if use is None:
        return None
    if use in catalogues.presets:
        return catalogues.presets[use].alarm.name
    owner, _, short = use.partition(SEPARATOR)
    return f"{owner}-{short}" if short else None


def _entries(data: object) -> Iterator[Entry]:
    """Every entry of the file's data, in file order (whatever its types: a part may be ill-formed)."""
    prefix = _text(data, "prefix") or DEFAULT_PREFIX
    for c, cluster in _items(data, "clusters"):
        yield Entry(("clusters", c), "cluster", cluster)
        for s, service in _items(cluster, "services"):
            for k, container in _items(service, "containers"):
                at = ("clusters", c, "services", s, "containers", k)
                yield Entry(at, "container", container)
                owner = (prefix, *(_text(node, "name") or "" for node in (cluster, service, container)))
                yield from (Entry(at + ("filters", n), "filter", item) for n, item in _items(container, "filters"))
                filters = tuple(item for _, item in _items(container, "filters"))
                yield from (Entry(at + ("alarms", n), "alarm", item, owner, filters)
                            for n, item in _items(container, "alarms"))
    yield from (Entry(("dashboards", n), "dashboard", item) for n, item in _items(data, "dashboards"))
    exporter = data.get("exporter") if isinstance(data, dict) else None
    yield from (Entry(("exporter", "derived", n), "derived", item) for n, item in _items(exporter, "derived"))


def _items(node: object, key: str) -> list[tuple[int, dict]]:
    value = node.get(key) if isinstance(node, dict) else None
    return [(n, item) for n, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _dicts(node: dict, key: str) -> list[dict]:
    return [item for _, item in _items(node, key)]


def _text(node: object, key: str) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) else None


def _known(refs: set) -> set[Ref]:
    """The references whose name is known (an ill-formed entry may give none)."""
    return {ref for ref in refs if ref[2] is not None}
