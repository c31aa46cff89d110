"""`monitor test`: run every `tests:` case of the config's filters and the catalogue's."""

from __future__ import annotations

import math
from dataclasses import dataclass

from monitor.config.model import Filter, FilterCase
from monitor.config.rules import MAX_DIMENSIONS
from monitor.config.walk import containers
from monitor.patterns import Pattern, PatternError, Result, parse
from monitor.problems import Path, Source
from monitor.resolved import Loaded


@dataclass(frozen=True)
class Suite:
    """A filter with cases, and where it is written."""

    label: str
    filter: Filter
    source: Source
    path: Path


@dataclass(frozen=True)
class CaseResult:
    suite: Suite
    number: int
    case: FilterCase
    actual: Result | None
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return case_position(self.suite.source, self.suite.path, self.number)

    @property
    def label(self) -> str:
        return self.suite.label

    @property
    def shown(self) -> str:
        return f"log: {self.case.log}"


def case_position(source: Source, owner: Path, number: int) -> str:
    """`FILE:LINE:COL` of the `number`th `tests:` case of the filter or alarm at `owner`."""
    mark = source.locate(owner + ("tests", number))
    return f"{source.name}:{mark.line}:{mark.column}"


def suites(loaded: Loaded) -> list[Suite]:
    """The config's filters that carry cases, then every catalogue definition."""
    found = []
    for place in containers(loaded.config):
        for number, item in enumerate(place.container.filters):
            if item.tests:
                label = f"{place.cluster.name}/{place.service.name}/{place.container.name}/{item.name}"
                found.append(Suite(label, item, loaded.source, place.path + ("filters", number)))
    for name, definition in sorted(loaded.catalogue.items()):
        found.append(Suite(f"catalogue {name}", definition.filter, definition.source, ()))
    return found


def run(suite: Suite) -> list[CaseResult]:
    try:
        pattern = parse(suite.filter.pattern or "")
    except PatternError as error:
        return [CaseResult(suite, n, case, None, (f"pattern does not parse: {error}",))
                for n, case in enumerate(suite.filter.tests)]
    value, dimensions = suite.filter.value or "1", suite.filter.dimensions or {}
    return [_judge(suite, n, case, pattern.evaluate(case.log, value, dimensions))
            for n, case in enumerate(suite.filter.tests)]


def _judge(suite: Suite, number: int, case: FilterCase, actual: Result) -> CaseResult:
    failures = []
    if actual.match != case.match:
        failures.append(f"expected {'a match' if case.match else 'no match'}, got "
                        f"{'a match' if actual.match else 'no match'}")
    elif case.match and case.value is not None and not _same(case.value, actual.value):
        failures.append(f"expected value {case.value:g}, got {_text(actual.value)}")
    if case.match and case.dimensions is not None and case.dimensions != actual.dimensions:
        failures.append(f"expected dimensions {case.dimensions}, got {actual.dimensions}")
    return CaseResult(suite, number, case, actual, tuple(failures))


def _same(expected: float, actual: float | None) -> bool:
    return actual is not None and math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)


def _text(value: float | None) -> str:
    return "nothing (the value field is missing or not a number)" if value is None else f"{value:g}"


def compile_for_test(text: str, value: str, dimensions: list[str]) -> Pattern:
    """The parsed pattern for `test-filter`; a ValueError says, with a caret, what is wrong."""
    try:
        pattern = parse(text)
    except PatternError as error:
        raise ValueError(f"invalid pattern: {error}\n    {text}\n    {' ' * (error.column - 1)}^") from None
    bad = [item for item in dimensions if not all(part.strip() for part in item.partition("=")[::2])]
    if bad:
        raise ValueError(f"--dimension takes NAME=SELECTOR, got {bad[0]!r}")
    if len(dimensions) > MAX_DIMENSIONS:
        raise ValueError(f"{len(dimensions)} dimensions; AWS allows at most {MAX_DIMENSIONS} on a metric filter")
    for ref in [value] + [item.split("=", 1)[1] for item in dimensions]:
        if message := pattern.check_reference(ref):
            raise ValueError(f"{ref}: {message}")
    return pattern
