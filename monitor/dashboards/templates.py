"""The dashboards/ catalogue: YAML templates, each checked where it is written. Pure but for reading files.

A template is a list of items. A group (`each` + `widgets`) repeats its widgets for every
cluster, service or container in scope, each instance starting on a new row; a widget (`type`)
is one widget, repeated inline by its own `each`. Text may hold `${cluster}`, `${service}`,
`${container}` and `${dashboard}` where the scope knows them (Python's string.Template: `$$` is a
dollar). Sizes are grid units of the 24-column dashboard grid (Dashboard Body Structure and Syntax,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath
from string import Template as Text

from monitor import quotas
from monitor.config import catalogue as filters_catalogue
from monitor.config import structure, yamlfile
from monitor.config.model import Item, Model
from monitor.config.presets import FILE_NAME
from monitor.problems import ERROR, Check, Path, Problem, Source

FOLDER = "dashboards"
DEFAULT = "service"
LEVELS = ("dashboard", "cluster", "service", "container")   # each scope knows the names of those before it
NEEDS = {"cpu": "container", "memory": "container", "filters": "container",   # the scope a widget type needs
         **{kind: "service" for kind in ("tasks", "utilization", "network", "storage", "target_group", "queue")}}
TEXT_KEYS = ("title", "markdown", "query")
WIDGET_KEYS = ("type", "title", "markdown", "query", "metrics", "stat", "period")
NO_WIDGETS = Check("DSH-010", ERROR, "a template or group without widgets")
SCOPE = Check("DSH-011", ERROR, "a widget or group in a scope it cannot be in")
SHAPE = Check("DSH-012", ERROR, "a widget or group without the keys its kind needs, or with another kind's")
SIZE = Check("DSH-013", ERROR, "a widget's width or height outside the grid", source=quotas.DASHBOARD_BODY_DOC)
PERIOD = Check("DSH-014", ERROR, "a period that is not a multiple of 60 seconds", source=quotas.DASHBOARD_BODY_DOC)
ROW = Check("DSH-015", ERROR, "a metric row that is not [namespace, metric, name, value, ...]",
            source=quotas.DASHBOARD_BODY_DOC)
PLACEHOLDER = Check("DSH-016", ERROR, "a placeholder not known in its scope, or a stray '$'")
CHECKS = (NO_WIDGETS, SCOPE, SHAPE, SIZE, PERIOD, ROW, PLACEHOLDER)
Found = tuple[Check, Path, str]
COLUMNS, MAX_HEIGHT = 24, 1000


class Template(Model):
    name: str
    description: str | None = None
    widgets: list[Item]


@dataclass(frozen=True)
class Definition:
    """A template and the file it came from."""

    template: Template
    source: Source
    ok: bool = True   # False: the file has errors, reported at their lines; nothing is made from it


def directories(config_path: str | FilePath) -> list[FilePath]:
    """A `dashboards/` folder beside the config first, then the built-in one (as for filters/)."""
    return filters_catalogue.directories(config_path, FOLDER)


def load(folders: list[FilePath]) -> tuple[dict[str, Definition], list[Problem]]:
    """Every template in the folders, each checked; an earlier folder wins a name."""
    found: dict[str, Definition] = {}
    problems: list[Problem] = []
    for folder in folders:
        for file in sorted(folder.glob("*.yaml")):
            source, errors = yamlfile.load(file)
            item, errors = (None, errors) if errors else structure.check(Template, source)
            problems += errors
            if item is None:
                continue
            errors = [check.problem(path, message, source=source) for check, path, message in check_file(item, file.stem)]
            problems += errors
            found.setdefault(item.name, Definition(item, source, ok=not errors))
    return found, problems


def check_file(template: Template, stem: str) -> list[Found]:
    found = [] if template.name == stem else [(FILE_NAME, ("name",), f"name '{template.name}' must match the file name '{stem}'")]
    return found + check(template.widgets, ("widgets",))


def check(items: list[Item], path: Path, level: str = "dashboard") -> list[Found]:
    """Every problem of a list of items: shape, scope, sizes and placeholders, each at its key."""
    if not items:
        return [(NO_WIDGETS, path, "a template needs at least one widget")]
    return [problem for n, item in enumerate(items) for problem in _item(item, path + (n,), level)]


def _item(item: Item, path: Path, level: str) -> list[Found]:
    inner = item.each or level
    if item.each and LEVELS.index(item.each) <= LEVELS.index(level):
        return [(SCOPE, path + ("each",), f"each: {item.each} inside a {level} scope; allowed here: "
                                   f"{', '.join(LEVELS[LEVELS.index(level) + 1:]) or 'none'}")]
    if item.widgets is not None:
        return _group(item, path, inner)
    return _widget(item, path, inner)


def _group(item: Item, path: Path, level: str) -> list[Found]:
    stray = [key for key in WIDGET_KEYS if getattr(item, key) is not None]
    if stray:
        return [(SHAPE, path + (stray[0],), f"'{stray[0]}' belongs to a widget; a group has only 'each' and 'widgets'")]
    if item.each is None:
        return [(SHAPE, path, "a group of 'widgets' needs 'each': cluster, service or container")]
    return check(item.widgets, path + ("widgets",), level)


def _widget(item: Item, path: Path, level: str) -> list[Found]:
    if item.type is None:
        return [(SHAPE, path, "required key 'type' is missing (or give 'each' and 'widgets' for a group)")]
    found = _sizes(item, path) + _needs(item, path, level) + _placeholders(item, path, level)
    if item.type == "text" and not item.markdown:
        found.append((SHAPE, path, "a text widget needs 'markdown'"))
    if item.type == "metric":
        found += _rows(item, path)
    return found


def _sizes(item: Item, path: Path) -> list[Found]:
    found = []
    if not 1 <= item.width <= COLUMNS:
        found.append((SIZE, path + ("width",), f"width {item.width}: 1-{COLUMNS} grid columns"))
    if not 1 <= item.height <= MAX_HEIGHT:
        found.append((SIZE, path + ("height",), f"height {item.height}: 1-{MAX_HEIGHT} grid units"))
    if item.period is not None and (item.period <= 0 or item.period % 60):
        found.append((PERIOD, path + ("period",), f"period {item.period}: a multiple of 60 seconds"))
    return found


def _needs(item: Item, path: Path, level: str) -> list[Found]:
    need = NEEDS.get(item.type)
    if need and LEVELS.index(level) < LEVELS.index(need):
        return [(SCOPE, path + ("type",), f"a {item.type} widget is per {need}: give it (or a group around it) "
                                   f"'each: {need}'")]
    return []


def _rows(item: Item, path: Path) -> list[Found]:
    if not item.metrics:
        return [(SHAPE, path, "a metric widget needs 'metrics': rows of [namespace, metric, dimension, value, ...]")]
    return [(ROW, path + ("metrics", n), "a metric row is [namespace, metric] and then dimension name/value pairs")
            for n, row in enumerate(item.metrics) if len(row) < 2 or len(row) % 2]


def _placeholders(item: Item, path: Path, level: str) -> list[Found]:
    texts = [((key,), getattr(item, key)) for key in TEXT_KEYS if getattr(item, key)]
    texts += [(("metrics", r, c), cell) for r, row in enumerate(item.metrics or []) for c, cell in enumerate(row)]
    return [(PLACEHOLDER, path + key, message) for key, text in texts if (message := placeholder_problem(text, level))]


def placeholder_problem(text: str, level: str) -> str | None:
    """Why `text` cannot be filled in a `level` scope, or None."""
    template = Text(text)
    if not template.is_valid():
        return "a '$' starts a placeholder such as ${service}; write '$$' for a dollar sign"
    known = {"dashboard", *LEVELS[1:LEVELS.index(level) + 1]}
    unknown = [name for name in template.get_identifiers() if name not in known]
    if unknown:
        return f"placeholder ${{{unknown[0]}}} is not known in a {level} scope; known: " + \
            ", ".join(f"${{{name}}}" for name in sorted(known))
    return None


def fill(text: str, names: dict[str, str]) -> str:
    """The text with its placeholders filled; check() has made sure every one is known."""
    return Text(text).substitute(names)
