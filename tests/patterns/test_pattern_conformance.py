"""AWS's documented examples (tests/patterns/pattern_cases.py), each checked against the engine."""

from __future__ import annotations

import pytest

from monitor.patterns import parse
from pattern_cases import CASES, Case


def case_id(case: Case) -> str:
    """A readable id: source, pattern and the start of the event."""
    return f"{case.source} {case.pattern[:40]} | {case.event[:30]}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_documented_example(case: Case) -> None:
    pattern = parse(case.pattern)
    result = pattern.evaluate(case.event, case.value, case.dimensions)
    assert pattern.matches(case.event) is case.match
    assert result.match is case.match
    if case.fields is not None:
        assert result.fields == case.fields
    if case.published is not None:
        assert result.value == case.published
    if case.published_dimensions is not None:
        assert result.dimensions == case.published_dimensions
    if not case.match:
        assert (result.value, result.dimensions, result.fields) == (None, {}, {})


def test_the_table_covers_every_source_and_kind() -> None:
    sources = {case.source for case in CASES}
    kinds = {parse(case.pattern).kind for case in CASES}
    assert len(CASES) >= 150
    assert {"[S1]", "[S2]", "[S3]", "[S3a]", "[S4]", "[S5]", "[S6]", "[S7]", "[S14]", "[S14a]",
            "[S15]", "[S16]", "[S17]", "[S18]", "[S19]"} <= sources
    assert kinds == {"all", "terms", "regex", "json", "delimited"}


def test_disputed_cases_say_what_the_doc_claims() -> None:
    assert all(case.note for case in CASES if case.disputed)
