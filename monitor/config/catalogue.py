"""The catalogues: declarative filter definitions (filters/) and alarm presets (alarms/) that configs
`use:` by name, each found beside the config first, then built in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath

import monitor
from monitor.config import presets, rules, structure, yamlfile
from monitor.config.model import Filter
from monitor.problems import Problem, Source

REQUIRED = ("name", "pattern", "metric")


@dataclass(frozen=True)
class Definition:
    """A catalogue entry and the file it came from."""

    filter: Filter
    source: Source

    @property
    def name(self) -> str:
        return self.filter.name


def builtin_directory(folder: str = "filters") -> FilePath:
    """Inside an installed wheel the catalogue ships in the package; in a checkout it is at the root."""
    packaged = FilePath(monitor.__file__).parent / "_catalogue" / folder
    return packaged if packaged.is_dir() else FilePath(monitor.__file__).parents[1] / folder


def directories(config_path: str | FilePath, folder: str = "filters") -> list[FilePath]:
    """A `filters/` (or `alarms/`) folder beside the config comes first, then the built-in one."""
    local = FilePath(config_path).resolve().parent / folder
    found = [local] if local.is_dir() else []
    builtin = builtin_directory(folder).resolve()
    return found + ([builtin] if builtin not in found else [])


def load(folders: list[FilePath], read=None) -> tuple[dict, list[Problem]]:
    """Every definition in the folders, each checked; an earlier folder wins a name, and says so.

    read: FILE -> (definition with a `name` and a `source`, or None; problems); filter definitions by default.
    """
    catalogue: dict = {}
    problems: list[Problem] = []
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")):
            definition, found = (read or _load_one)(file)
            problems += found
            if definition and definition.name in catalogue:
                problems.append(_shadows(catalogue[definition.name], definition))
            elif definition:
                catalogue[definition.name] = definition
    return catalogue, problems


def _shadows(local, builtin) -> Problem:
    """A local file that replaces a built-in definition may do so by accident: say which one."""
    message = f"'{local.name}' replaces the built-in definition {builtin.source.name}; rename it to keep both"
    return presets.SHADOWS.problem(("name",), message, source=local.source)


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
    problems += [problem for number, alarm in enumerate(item.alarms)
                 for problem in presets.definition_problems(alarm, ("alarms", number), source, on_filter=True)]
    return (Definition(item, source) if complete else None), problems


def _definition_problems(item: Filter, source: Source, stem: str) -> list[Problem]:
    problems = [presets.CATALOGUE_KEY.problem((), f"required key '{key}' is missing", source=source)
                for key in REQUIRED if getattr(item, key) is None]
    if item.use is not None:
        problems.append(presets.CATALOGUE_USE.problem(("use",), "a catalogue definition cannot 'use' another", source=source))
    if item.name is not None and item.name != stem:
        problems.append(presets.FILE_NAME.problem(("name",), f"name '{item.name}' must match the file name '{stem}'",
                                source=source))
    return problems
