"""Load a config in layers: YAML, structure, fields, references, catalogues; collect every problem.

A problem stops the checks of its own part of the config only (monitor/config/parts.py): each layer
checks what the layers before it left sound, the file without the parts that hold an error and
without what leans on them (monitor/config/depends.py). A YAML error stops everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath

from monitor.config import (
    alarm_uses,
    catalogue,
    defaults,
    depends,
    edge_checks,
    parts,
    presets,
    references,
    structure,
    yamlfile,
)
from monitor.config.model import Config
from monitor.config.parts import Origin
from monitor.dashboards import checks as dashboard_checks
from monitor.dashboards import templates
from monitor.problems import Path, Problem, Source, errors


@dataclass(frozen=True)
class Catalogues:
    """The definitions a config may `use:`, each found beside the config first, then built in."""

    filters: dict[str, catalogue.Definition]
    presets: dict[str, presets.Preset]
    boards: dict[str, templates.Definition]
    problems: list[Problem]

    @classmethod
    def load(cls, path: str | FilePath) -> Catalogues:
        found, problems = catalogue.load(catalogue.directories(path))
        alarms, more = catalogue.load(catalogue.directories(path, presets.FOLDER), presets.read_one)
        boards, most = templates.load(templates.directories(path))
        return cls(found, alarms, boards, problems + more + most)

    def uses(self, problems: list[Problem]) -> depends.Catalogues:
        """What `use:` may name, and the filter definitions whose files `problems` show broken."""
        broken = [p.source for p in errors(problems) if p.source is not None]
        return depends.Catalogues(self.filters, self.presets, frozenset(
            name for name, definition in self.filters.items() if any(definition.source is it for it in broken)))


@dataclass
class Built:
    """The config built from the file without some of its parts: as written, with filters' `use:`
    resolved, and whole (every `use:` resolved, defaults and dashboard templates filled in)."""

    written: Config
    filtered: Config
    config: Config
    origin: Origin


@dataclass
class Loaded:
    """A config with `use:` resolved, or the problems that stop it from being one.

    `config` leaves out the parts of the file a structural error is in (`dropped`, paths as in the
    file) and what leans on them; `origin` takes the paths of what is left back to the file.
    """

    source: Source
    config: Config | None = None
    catalogue: dict[str, catalogue.Definition] = field(default_factory=dict)
    presets: dict[str, presets.Preset] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    catalogues: Catalogues | None = None
    dropped: frozenset[Path] = frozenset()
    origin: Origin = field(default_factory=Origin)

    @property
    def ok(self) -> bool:
        return self.config is not None and not errors(self.problems)

    @property
    def invalid_files(self) -> list[str]:
        """The files with errors, the config first: a broken catalogue file is not the config's fault."""
        names = {p.source.name if p.source else self.source.name for p in errors(self.problems)}
        return sorted(names, key=lambda name: (name != self.source.name, name))

    def sound(self) -> Loaded:
        """The config without every part that holds an error, nor what leans on them: what the
        next layer can check. Itself when nothing is wrong; no config when nothing is left."""
        if self.config is None or not errors(self.problems):
            return self
        held = {parts.part(p.path, self.source.data) for p in errors(self.problems) if p.source is self.source}
        dropped = depends.closure(self.source.data, self.dropped | held, self.catalogues.uses(self.problems))
        if dropped == self.dropped:
            return self
        built, _ = _build(self.source, self.catalogues, dropped)
        if built is None:   # nothing is left to check
            return Loaded(self.source, dropped=dropped)
        return Loaded(self.source, built.config, self.catalogue, self.presets, [], self.catalogues, dropped,
                      built.origin)

    def placed(self, problem: Problem) -> Problem:
        """A problem found in `config` at its place in the file."""
        return self.origin.placed(problem, self.source)


def load(path: str | FilePath) -> Loaded:
    """The checks of each layer run on what the layers before left sound, and report all they find."""
    source, problems = yamlfile.load(path)
    if problems:
        return Loaded(source, problems=problems)
    catalogues = Catalogues.load(path)
    built, problems = _build(source, catalogues, frozenset())
    dropped: frozenset[Path] = frozenset()
    if problems:   # a structural error sets aside its entry (and what leans on it); the rest is checked
        held = {parts.part(p.path, source.data) for p in problems}
        dropped = depends.closure(source.data, held, catalogues.uses(catalogues.problems))
        built, _ = _build(source, catalogues, dropped)
    if built is None:
        return Loaded(source, problems=problems)
    found = (references.check(built.written, source, catalogues.filters)
             + dashboard_checks.check(built.written, source, catalogues.boards)
             + alarm_uses.check(built.written, built.filtered, source, catalogues.presets)
             + edge_checks.check(built.config, source))
    problems += catalogues.problems + [built.origin.placed(p, source) for p in found]
    return Loaded(source, built.config, catalogues.filters, catalogues.presets, problems, catalogues, dropped,
                  built.origin)


def _build(source: Source, catalogues: Catalogues, dropped: frozenset[Path]) -> tuple[Built | None, list[Problem]]:
    """The config of the file without `dropped`, or the structural problems that stop it (placed in the file)."""
    data, origin = parts.without(source.data, dropped)
    if data is None and source.data is not None:   # everything set aside
        return None, []
    written, problems = structure.check(Config, source, data)
    if written is None:
        return None, [origin.placed(p, source) for p in problems]
    filtered = references.resolve(written, catalogues.filters)
    resolved = defaults.resolve(alarm_uses.resolve(filtered, catalogues.presets))
    return Built(written, filtered, dashboard_checks.resolve(resolved, catalogues.boards), origin), []
