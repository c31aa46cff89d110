"""The filters/ catalogue: declarative filter definitions that configs `use:` by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath

import monitor
from monitor.config import rules, structure, yamlfile
from monitor.config.model import Filter
from monitor.problems import Problem, Source

REQUIRED = ("name", "pattern", "metric")


@dataclass(frozen=True)
class Definition:
    """A catalogue entry and the file it came from."""

    filter: Filter
    source: Source


def builtin_directory(name: str = "filters") -> FilePath:
    """Inside an installed wheel a catalogue (filters/, dashboards/) ships in the package; in a checkout it is at the root."""
    packaged = FilePath(monitor.__file__).parent / "_catalogue" / name
    return packaged if packaged.is_dir() else FilePath(monitor.__file__).parents[1] / name


def directories(config_path: str | FilePath, name: str = "filters") -> list[FilePath]:
    """A `filters/` (or `dashboards/`) folder beside the config comes first, then the built-in one."""
    local = FilePath(config_path).resolve().parent / name
    found = [local] if local.is_dir() else []
    builtin = builtin_directory(name).resolve()
    return found + ([builtin] if builtin not in found else [])


def load(folders: list[FilePath]) -> tuple[dict[str, Definition], list[Problem]]:
    """Every definition in the folders, each checked; an earlier folder wins a name, and says so."""
    catalogue: dict[str, Definition] = {}
    problems: list[Problem] = []
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")):
            definition, found = _load_one(file)
            problems += found
            if definition and definition.filter.name in catalogue:
                problems.append(_shadows(catalogue[definition.filter.name], definition))
            elif definition:
                catalogue[definition.filter.name] = definition
    return catalogue, problems


def _shadows(local: Definition, builtin: Definition) -> Problem:
    """A local file that replaces a built-in definition may do so by accident: say which one."""
    message = f"'{local.filter.name}' replaces the built-in definition {builtin.source.name}; rename it to keep both"
    return Problem(("name",), message, "warning", source=local.source)


def _load_one(file: FilePath) -> tuple[Definition | None, list[Problem]]:
    source, problems = yamlfile.load(file)
    if problems:
        return None, problems
    item, problems = structure.check(Filter, source)
    if item is None:
        return None, problems
    problems = _definition_problems(item, source, file.stem)
    complete = all(getattr(item, key) is not None for key in REQUIRED)
    problems += rules.check_filter(item, (), source) if complete else []
    return (Definition(item, source) if complete else None), problems


def _definition_problems(item: Filter, source: Source, stem: str) -> list[Problem]:
    problems = [Problem((), f"required key '{key}' is missing", source=source)
                for key in REQUIRED if getattr(item, key) is None]
    if item.use is not None:
        problems.append(Problem(("use",), "a catalogue definition cannot 'use' another", source=source))
    if item.name is not None and item.name != stem:
        problems.append(Problem(("name",), f"name '{item.name}' must match the file name '{stem}'",
                                source=source))
    return problems
