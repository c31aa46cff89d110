"""The public surface other modules rely on: parse, Pattern, Result, PatternError."""

from __future__ import annotations

import dataclasses
import json

import pytest

from monitor.patterns import Pattern, PatternError, PatternWarning, Result, parse


@pytest.mark.parametrize("text, kind", [
    ("", "all"), ('" "', "all"), ("ERROR", "terms"), ('"[ERROR]"', "terms"), ("-ERROR", "terms"),
    ("%ERR.R%", "regex"), ("  %a%  ", "regex"), ("{ $.a = 1 }", "json"), ("[a, b]", "delimited"),
    ("[]", "delimited"),
])
def test_kind_follows_the_first_non_blank_character(text: str, kind: str) -> None:
    pattern = parse(text)
    assert isinstance(pattern, Pattern)
    assert (pattern.text, pattern.kind) == (text, kind)


@pytest.mark.parametrize("text, regexes, wildcards", [
    ("ERROR", 0, 0), ("%a%", 1, 0), ("{ $.a = %x% && $.b[*] = %y% }", 2, 1),
    ("[a = %x%, b = %y%, c]", 2, 0), ("{ $.* = 1 || $.a[*].b = 2 }", 0, 2),
])
def test_quota_counts_are_exposed(text: str, regexes: int, wildcards: int) -> None:
    pattern = parse(text)
    assert (pattern.regex_count, pattern.wildcard_selectors) == (regexes, wildcards)


def test_warnings_are_frozen_values_with_a_column_and_a_fix() -> None:
    (warning,) = parse("ERROR java.lang.OutOfMemoryError").warnings
    assert warning == PatternWarning(warning.message, 11, '"java.lang.OutOfMemoryError"')
    assert str(warning) == f"column 11: {warning.message}" and warning.fix in warning.message
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.column = 1  # type: ignore[misc]
    assert parse("ERROR").warnings == ()


def test_parse_is_cached() -> None:
    assert parse("{ $.a = 1 }") is parse("{ $.a = 1 }")


def test_result_is_a_frozen_dataclass() -> None:
    result = parse("ERROR").evaluate("ERROR x")
    assert result == Result(True, 1.0, {}, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.match = False  # type: ignore[misc]


def test_no_match_publishes_nothing() -> None:
    result = parse("[a, b = 1]").evaluate("x 2", value="$b", dimensions={"A": "$a"})
    assert result == Result(False, None, {}, {})


@pytest.mark.parametrize("value, published", [("1", 1.0), ("2.5", 2.5), ("-3", -3.0), ("1e3", 1000.0)])
def test_constant_metric_values(value: str, published: float) -> None:
    assert parse("ERROR").evaluate("ERROR", value=value).value == published


@pytest.mark.parametrize("pattern, ref, problem", [
    ("ERROR", "1", None), ("ERROR", "99.9", None),
    ("{ $.a = 1 }", "$.latency", None), ("{ $.a = 1 }", "$.a[0].b", None),
    ("[ip, status]", "$status", None), ("[ip, status]", "$2", None), ("[..., size]", "$9", None),
    ("ERROR", "$.x", "$.x needs a JSON pattern ({ ... })"),
    ("[ip, status]", "$.x", "$.x needs a JSON pattern ({ ... })"),
    ("{ $.a = 1 }", "$size", "$size needs a space-delimited pattern ([ ... ])"),
    ("[ip, status]", "$size", "$size is not a field of this pattern; fields: $ip, $status"),
    ("[]", "$size", "$size is not a field of this pattern, which names no fields; use $1, $2, ..."),
    ("[ip, status]", "$3", "$3 is beyond this pattern's 2 fields"),
    ("{ $.a = 1 }", "$.a[*]", "$.a[*] selects several values: a wildcard cannot be a metric or dimension value"),
    ("ERROR", "abc", "expected a number, $.selector (JSON patterns), or $field or $N "
                     "(space-delimited patterns), found 'abc'"),
    ("ERROR", "1e999", "1e999 is too large for a metric value"),
])
def test_check_reference(pattern: str, ref: str, problem: str | None) -> None:
    assert parse(pattern).check_reference(ref) == problem


def test_check_reference_reports_bad_selectors() -> None:
    problem = parse("{ $.a = 1 }").check_reference("$.a b")
    assert problem.startswith("$.a b is not a valid selector: column 4")


def test_evaluate_refuses_unusable_references() -> None:
    with pytest.raises(ValueError, match="needs a JSON pattern"):
        parse("ERROR").evaluate("ERROR", value="$.x")
    with pytest.raises(ValueError, match="not a field"):
        parse("[a]").evaluate("x", dimensions={"B": "$b"})
    with pytest.raises(ValueError, match="must be a field"):
        parse("[a]").evaluate("x", dimensions={"B": "7"})


def test_field_names() -> None:
    assert parse("[ip, ..., status = 4*, ]").field_names == ("ip", "status")
    assert parse("ERROR").field_names == ()


def test_pattern_error_is_exported() -> None:
    with pytest.raises(PatternError):
        parse("{")


# The JSON pre-check skips json.loads when required text is absent; escapes must never fool it.
@pytest.mark.parametrize("pattern, event", [
    ('{ $.Type = "Container" }', r'{"Type": "Contai\u006eer"}'),
    ('{ $.Type = "Container" }', r'{"T\u0079pe": "Container"}'),
    ('{ $.path = "/a/b" }', r'{"path": "\/a\/b"}'),
    ('{ $.code = "1000" }', '{"code": 1e3}'),
    ('{ $.code = 1000 }', '{"code": 1E3}'),
    ('{ $.code = "1000.0" }', '{"code": 1e3}'),
])
def test_the_json_pre_check_is_sound(pattern: str, event: str) -> None:
    compiled = parse(pattern)
    assert compiled.matches(event) is compiled.evaluate(event).match
    assert compiled.matches(event) is (pattern != '{ $.code = "1000" }')


def test_the_json_pre_check_skips_lines_without_the_text() -> None:
    pattern = parse('{ $.Type = "Container" && $.MemoryUtilized > 100 }')
    assert not pattern.matches(json.dumps({"Type": "Task", "MemoryUtilized": 500}))
    assert pattern.matches(json.dumps({"Type": "Container", "MemoryUtilized": 500}))
