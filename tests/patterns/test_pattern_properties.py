"""Properties: parse() only ever raises PatternError; evaluate() never raises on any event."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.patterns import Pattern, PatternError, parse
from monitor.patterns.jsonpattern import load

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = ['{', '}', '[', ']', '(', ')', '$.', '$', '.', 'a', 'b1', '[0]', '[*]', '.*', "['x.y']", ' ', '=', '!=',
          '>', '<=', '&&', '||', '%', '%a.c%', '"', '"q s"', '*', 'ab*', '1', '-2.5e3', '+', 'IS', 'NULL', 'TRUE',
          'NOT', 'EXISTS', ',', '...', '?', '-', 'ERROR', '\\', 'é', '\t', 'x' * 30]
PATTERN_LIKE = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def outcome(text: str) -> str:
    """Parse, allowing only the documented exception."""
    try:
        return parse(text).kind
    except PatternError as error:
        assert error.column >= 1 and error.message
        return "error"


@FAST
@given(st.text(max_size=120))
def test_any_text_parses_or_raises_pattern_error(text: str) -> None:
    outcome(text)


@FAST
@given(PATTERN_LIKE)
def test_pattern_like_text_parses_or_raises_pattern_error(text: str) -> None:
    outcome(text)


@FAST
@given(st.sampled_from(["{", "[", "%"]), PATTERN_LIKE, st.sampled_from(["}", "]", "%"]))
def test_bracketed_text_parses_or_raises_pattern_error(opening: str, body: str, closing: str) -> None:
    outcome(opening + body + closing)


VALID = ["", "ERROR", "?ERROR ?WARN", "ERROR -DEBUG", '"[ERROR]" Exception', r"%^\d+ ERR[A-Z]+$%",
         '{ $.Type = "Container" && $.MemoryUtilized > 100 }', "{ $.a[*].b = %x.y% || $.c NOT EXISTS }",
         "{ $.* = 1e3 && ($.d IS NULL || $.e != *z) }", "{ $.['k.v'] = \"*\" }", "{ $.n[0][1] <= -2.5 }",
         "[ip, user, ..., status = 4* || status = 5*, bytes > 1000]", "[]", "[..., size]",
         "[a, b = %^x%, c != \"y z\",]", "[w1=ERROR, w2]"]
REFERENCES = {"json": ("$.MemoryUtilized", {"D": "$.Type"}), "delimited": ("$2", {"D": "$1"})}

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20)
EVENTS = st.one_of(
    st.text(max_size=200),
    JSON_VALUES.map(json.dumps),
    st.dictionaries(st.sampled_from(["Type", "MemoryUtilized", "a", "c", "d", "n", "k.v"]), JSON_VALUES,
                    max_size=5).map(json.dumps),
    st.sampled_from(["[" * 100_000, '{"a":' * 50_000, '{"a": 1e99999}', '{"a": ' + "9" * 5000 + "}",
                     '{"a": NaN}', "é ü 日本 \x00 \ud800", " ".join(["x"] * 10_000), "1" * 5000]),
)


@FAST
@given(st.sampled_from(VALID), EVENTS)
def test_evaluate_never_raises(text: str, event: str) -> None:
    pattern = parse(text)
    value, dimensions = REFERENCES.get(pattern.kind, ("1", None))
    result = pattern.evaluate(event, value, dimensions)
    assert result.match is pattern.matches(event)
    assert result.match or (result.value, result.dimensions, result.fields) == (None, {}, {})


def slow_match(pattern: Pattern, event: str) -> bool:
    """A JSON match without the substring pre-check."""
    doc = load(event)
    return doc is not None and pattern._matcher.test(doc)


@FAST
@given(st.sampled_from([t for t in VALID if t.startswith("{")]),
       st.dictionaries(st.sampled_from(["Type", "MemoryUtilized", "a", "c", "d", "n", "k.v"]),
                       JSON_VALUES | st.sampled_from(["Container", "xyz", "z"]), max_size=6),
       st.booleans())
def test_the_json_pre_check_never_changes_the_answer(text: str, document: dict, ascii_only: bool) -> None:
    pattern, event = parse(text), json.dumps(document, ensure_ascii=ascii_only)
    assert pattern.matches(event) is slow_match(pattern, event)
