"""Load a config in layers: YAML, structure, fields, references, catalogues; collect every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath

from monitor.config import (
    alarm_uses,
    catalogue,
    defaults,
    edge_checks,
    presets,
    references,
    structure,
    yamlfile,
)
from monitor.config.model import Config
from monitor.dashboards import checks as dashboard_checks
from monitor.dashboards import templates
from monitor.problems import Problem, Source, errors


@dataclass
class Loaded:
    """A config with `use:` resolved, or the problems that stop it from being one."""

    source: Source
    config: Config | None = None
    catalogue: dict[str, catalogue.Definition] = field(default_factory=dict)
    presets: dict[str, presets.Preset] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dashboard_problems: list[Problem] = field(default_factory=list)   # those of `problems` only dashboards have

    @property
    def ok(self) -> bool:
        return self.config is not None and not errors(self.problems)

    @property
    def invalid_files(self) -> list[str]:
        """The files with errors, the config first: a broken catalogue file is not the config's fault."""
        names = {p.source.name if p.source else self.source.name for p in errors(self.problems)}
        return sorted(names, key=lambda name: (name != self.source.name, name))


def load(path: str | FilePath) -> Loaded:
    """Each layer runs only when the one before it found no error, and reports all it finds.

    Dashboards come last and nothing else depends on them: their problems, kept apart in
    `dashboard_problems` as well, stop no other check (sync.flow.validate runs the rest without them).
    """
    source, problems = yamlfile.load(path)
    if problems:
        return Loaded(source, problems=problems)
    model, problems = structure.check(Config, source)
    if model is None:
        return Loaded(source, problems=problems)
    found, problems = catalogue.load(catalogue.directories(path))
    alarms, more = catalogue.load(catalogue.directories(path, presets.FOLDER), presets.read_one)
    boards, most = templates.load(templates.directories(path))
    boarding = most + dashboard_checks.check(model, source, boards)
    problems += more + references.check(model, source, found) + boarding
    filtered = references.resolve(model, found)
    problems += alarm_uses.check(model, filtered, source, alarms)
    config = dashboard_checks.resolve(defaults.resolve(alarm_uses.resolve(filtered, alarms)), boards)
    problems += edge_checks.check(config, source)
    return Loaded(source, config, found, alarms, problems, boarding)
