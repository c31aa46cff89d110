"""Layer two: check the config's shape with pydantic, and word its errors for people."""

from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from monitor.config.model import PLANNED_KEYS
from monitor.problems import ERROR, Check, Path, Problem, Source

NOT_MAPPING = Check("CFG-010", ERROR, "the file is not a mapping of keys")
UNKNOWN_KEY = Check("CFG-011", ERROR, "an unknown key (never silently ignored)")
MISSING_KEY = Check("CFG-012", ERROR, "a required key is missing")
BAD_VALUE = Check("CFG-013", ERROR, "a value of the wrong type, or not one of those allowed")
CHECKS = (NOT_MAPPING, UNKNOWN_KEY, MISSING_KEY, BAD_VALUE)


def check(model: type[BaseModel], source: Source, data: object = None) -> tuple[BaseModel | None, list[Problem]]:
    """Build `model` from the source's data (or `data`, part of it), or explain every reason it cannot be built."""
    data = source.data if data is None else data
    if not isinstance(data, dict):
        found = type(data).__name__ if data is not None else "an empty file"
        return None, [NOT_MAPPING.problem((), f"expected a mapping of keys at the top, got {found}", source=source)]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, [_problem(model, item, source) for item in error.errors()]


def _problem(model: type[BaseModel], item: dict, source: Source) -> Problem:
    path: Path = tuple(item["loc"])
    if item["type"] == "extra_forbidden":
        return UNKNOWN_KEY.problem(path, _unknown_key(model, path), source=source, at_key=True)
    if item["type"] == "missing":
        return MISSING_KEY.problem(path[:-1], f"required key '{path[-1]}' is missing", source=source)
    message = item["msg"][0].lower() + item["msg"][1:]
    return BAD_VALUE.problem(path, f"{message}; got {item['input']!r}", source=source)


def _unknown_key(model: type[BaseModel], path: Path) -> str:
    key = str(path[-1])
    if key in PLANNED_KEYS:
        return f"'{key}' is not supported yet: it comes with a later release of ecs-monitor"
    allowed = sorted(_fields_at(model, path[:-1]))
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}'; {hint}allowed: {', '.join(allowed)}"


def _fields_at(model: type[BaseModel], path: Path) -> set[str]:
    """The keys the model allows at `path`, found by walking the type annotations."""
    current: object = model
    for part in path:
        if isinstance(part, str) and _is_model(current):
            current = current.model_fields[part].annotation
        current = _inner_model(current) or current
    return set(current.model_fields) if _is_model(current) else set()


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The model inside `list[X]` or `X | None`, if there is one."""
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
