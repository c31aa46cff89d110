"""One test per documented choice in monitor/patterns/semantics.py (same names, same order)."""

from __future__ import annotations

import json

import pytest

from monitor.patterns import PatternError, parse, semantics


def matches(pattern: str, event) -> bool:
    """Match a pattern against an event (dicts are sent as one-line JSON)."""
    return parse(pattern).matches(event if isinstance(event, str) else json.dumps(event))


def rejected(pattern: str) -> bool:
    """True if parse() refuses the pattern."""
    try:
        parse(pattern)
    except PatternError:
        return True
    return False


@pytest.mark.parametrize("text", ["", "   ", '""', '" "', '  " "  '])
def test_match_all_texts(text: str) -> None:
    assert parse(text).kind == "all"
    assert parse(text).matches("NO-SPACE")
    assert parse('"  "').kind == "terms" and not parse('"  "').matches("one space")


def test_max_nesting() -> None:
    depth = semantics.MAX_NESTING
    assert matches("{ " + "(" * depth + "$.a = 1" + ")" * depth + " }", {"a": 1})
    assert rejected("{ " + "(" * (depth + 1) + "$.a = 1" + ")" * (depth + 1) + " }")


def test_plain_term() -> None:
    assert matches("ERROR_1", "x ERROR_1 y") and parse("ERROR_1").warnings == ()
    assert [w.fix for w in parse("ERROR:").warnings] == ['"ERROR:"']


@pytest.mark.parametrize("pattern, event, match", [
    ("java.lang.OutOfMemoryError", "Exception java.lang.OutOfMemoryError: heap", True),
    ("java.lang.OutOfMemoryError", "java lang OutOfMemoryError", False),
    ("java.lang.OutOfMemoryError", "JAVA.LANG.OUTOFMEMORYERROR", False),
    ("Malware scan timed out for notification.id", "Malware scan timed out for notification.id=7", True),
    ("ERROR: [db] user@host a/b=c it's (x) {y} *z ?q", "ERROR: [db] user@host a/b=c it's (x) {y} *z ?q", True),
    ("ERROR: [db]", "ERROR [db]", False),
    ("café", "un café", True),
])
def test_unquoted_term(pattern: str, event: str, match: bool) -> None:
    assert matches(pattern, event) is match
    assert parse(pattern).warnings


@pytest.mark.parametrize("pattern, event, match", [
    ("ORDER-ITEM-1", "ORDER-ITEM-1 shipped", False),
    ("ORDER-ITEM-1", "ORDER 7 shipped", True),
    ("ORDER-ITEM-1", "ORDER 1 shipped", False),
    ("?a-b ?c", "c", True),
    ("?a-b ?c", "b c", False),
])
def test_hyphen_starts_exclusion(pattern: str, event: str, match: bool) -> None:
    assert semantics.HYPHEN_STARTS_EXCLUSION is True
    assert matches(pattern, event) is match
    assert matches(pattern, event) is matches(pattern.replace("-", " -"), event)


def test_spaced_exclusion() -> None:
    for event in ["[ERROR] A fatal exception", "Exiting with ERRORCODE: -1"]:
        assert matches('"ERROR" - "Exiting"', event) == matches("ERROR -Exiting", event)
    assert not matches('"ERROR" - "Exiting"', "Exiting with ERRORCODE: -1")


def test_regex_mixed_with_terms() -> None:
    assert semantics.REGEX_MIXED_WITH_TERMS is False
    assert rejected("ERROR %time.?out%")


def test_regex_flags() -> None:
    assert matches(r"%\d%", "7") and not matches(r"%\d%", "\u0667")  # ARABIC-INDIC DIGIT SEVEN
    assert matches(r"%^\w+$%", "a_Z9") and not matches(r"%^\w+$%", "é")


def test_regex_end_anchor() -> None:
    assert matches("%done$%", "job done") and not matches("%done$%", "job done\n")
    assert matches("%[$]%", "cost $5")  # inside a class, $ is a literal


def test_regex_spaced_quantifier() -> None:
    assert matches("%^a{2, 3}$%", "aaa") and not matches("%^a{2, 3}$%", "a")


@pytest.mark.parametrize("number, event", [("+1000", 1000), ("-5", -5), ("55.5", 55.5), ("1e-3", 0.001),
                                           ("10E3", 10000), (".5", 0.5)])
def test_number(number: str, event: float) -> None:
    assert matches(f"{{ $.a = {number} }}", {"a": event})
    assert matches(f"[a = {number}]", str(event))


def test_unquoted_value() -> None:
    assert matches("{ $.src = kms.amazonaws.com }", {"src": "kms.amazonaws.com"})
    assert matches("{ $.t = 10:30 }", {"t": "10:30"})
    assert rejected("{ $.path = /health }")
    assert matches('{ $.path = "/health" }', {"path": "/health"})


def test_quote_escapes() -> None:
    assert matches(r'{ $.a = "say \"hi\"" }', {"a": 'say "hi"'})
    assert matches(r'{ $.a = "C:\temp" }', {"a": "C:\\temp"})
    assert matches(r'"back\\slash"', "a back\\slash here")


def test_wildcard_in_quotes() -> None:
    assert matches('{ $.e = "AccessDenied*" }', {"e": "AccessDeniedException"})
    assert matches('{ $.e = "*" }', {"e": "anything"})
    assert matches('{ $.e = "Ev*ent" }', {"e": "Ev*ent"}) and not matches('{ $.e = "Ev*ent" }', {"e": "Event"})


def test_not_equal_when_missing() -> None:
    assert not matches('{ $.a != "x" }', {"b": 1})
    assert matches('{ $.a != "x" }', {"a": "y"})


@pytest.mark.parametrize("value, any_value", [(None, False), (True, False), ({}, False), ([], False),
                                              (0, True), ("", True)])
def test_comparable_types(value, any_value: bool) -> None:
    assert matches("{ $.a = * }", {"a": value}) is any_value
    assert matches('{ $.a != "zzz" }', {"a": value}) is any_value


def test_number_operand_matches_string() -> None:
    assert semantics.NUMBER_OPERAND_MATCHES_STRING is False
    assert not matches("{ $.TaskDefinitionRevision = 1 }", {"TaskDefinitionRevision": "1"})
    assert not matches("{ $.rev > 0 }", {"rev": "1"})
    assert matches('{ $.TaskDefinitionRevision = "1" }', {"TaskDefinitionRevision": "1"})


def test_text_operand_matches_number() -> None:
    assert matches("{ $.status = 4* }", {"status": 404})
    assert matches('{ $.status = "404" }', {"status": 404})
    assert matches(r"{ $.cpu = %^24\.9% }", {"cpu": 24.9})
    assert not matches('{ $.big = "inf" }', '{"big": 1e400}')


def test_wildcard_selects_children() -> None:
    assert matches("{ $.a[*] = 1 }", {"a": {"k": 1}})
    assert matches("{ $.a.* = 1 }", {"a": [0, 1]})
    assert matches("{ $.a[*] != 1 }", {"a": [1, 2]}) and not matches("{ $.a[*] != 1 }", {"a": [1, 1]})
    assert matches("{ $.a[*] NOT EXISTS }", {"a": []}) and not matches("{ $.a[*] NOT EXISTS }", {"a": [1]})
    assert matches("{ $.a[*].id = 3 }", {"a": [{"id": 2}, {"id": 3}]})


def test_is_matches_text() -> None:
    assert matches("{ $.f IS TRUE }", {"f": True}) and not matches("{ $.f IS TRUE }", {"f": "true"})
    assert not matches("{ $.f IS FALSE }", {"f": 0}) and not matches("{ $.f IS NULL }", {"f": "null"})


@pytest.mark.parametrize("keyword", semantics.UNSUPPORTED_JSON_KEYWORDS)
def test_unsupported_json_keywords(keyword: str) -> None:
    with pytest.raises(PatternError, match="not supported"):
        parse(f"{{ $.a {keyword} NULL }}" if keyword == "IS NOT" else f"{{ $.a {keyword} }}")


@pytest.mark.parametrize("event", ['{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', "[1]", '"x"', "1",
                                   "null", "{not json}", "", '{"a": 1} trailing'])
def test_rejected_json_constants(event: str) -> None:
    assert matches("{ $.a NOT EXISTS }", "{}")
    assert not matches("{ $.b NOT EXISTS }", event)


def test_json_extracts_fields() -> None:
    assert parse("{ $.a = 1 }").evaluate('{"a": 1}').fields == {}


def test_json_reference_must_be_in_pattern() -> None:
    pattern = parse("{ $.a = 1 }")
    assert pattern.check_reference("$.b") is None
    assert pattern.evaluate('{"a": 1, "b": 7}', value="$.b").value == 7.0


def test_exact_field_count(monkeypatch: pytest.MonkeyPatch) -> None:
    event = "ERROR 09/25/2014 12:00:02 Failed to process request"
    assert semantics.EXACT_FIELD_COUNT is False
    result = parse("[w1=ERROR, w2]").evaluate(event)
    assert result.fields == {"$w1": "ERROR", "$w2": "09/25/2014 12:00:02 Failed to process request"}
    assert parse('[w1="*Task timed out*"]').matches("2024-01-01T00:00:00Z abc Task timed out after 3s")
    assert not parse("[w1=ERROR, w2, w3]").matches("ERROR message")
    assert parse("[a, ..., b]").evaluate("1 2 3 4").fields == {"$a": "1", "$2": "2", "$3": "3", "$b": "4"}
    monkeypatch.setattr(semantics, "EXACT_FIELD_COUNT", True)
    assert not parse("[w1=ERROR, w2]").matches(event)


@pytest.mark.parametrize("pattern, columns", [
    ('[(w1="*ERROR*" && w1!="*UNAUTHORIZED*") || w1="*Task timed out*"]', []),
    ('[a, b="x y"]', []),
    ('[a="x y", b]', [4]),
    ('[a=%x y% || a!="p q", b = 1]', [4, 16]),
    ('[..., b="x y"]', [9]),
    ('[a="xy", b=%x\\sy%]', []),
])
def test_spaced_values_warn_unless_the_field_takes_the_rest(pattern: str, columns: list[int]) -> None:
    assert [warning.column for warning in parse(pattern).warnings] == columns


def test_max_ellipses() -> None:
    assert not rejected("[a, ..., b]")
    assert rejected("[..., a, ...]")


def test_condition_names_own_field() -> None:
    assert matches("[w1=ERROR || w1=WARNING, w2]", "WARNING x")
    assert rejected("[w1=ERROR || W1=WARNING, w2]")


@pytest.mark.parametrize("event, fields", [
    ("a  b", ["a", "b"]),
    ("[x y]z", ["x y", "z"]),
    ("[abc def", ["[abc", "def"]),
    ('"" x', ["", "x"]),
    ('  "GET / HTTP/1.1"\t200 ', ["GET / HTTP/1.1", "200"]),
])
def test_event_field(event: str, fields: list[str]) -> None:
    assert parse("[]").evaluate(event).fields == {f"${i}": v for i, v in enumerate(fields, start=1)}


def test_delimited_text_equality() -> None:
    assert matches("[a, b != 0]", "x -")
    assert matches("[a, b = 404]", "x 404.0")
    assert not matches("[a, b > 1]", "x -")
    assert not matches("[a, b = 1]", "x abc")


def test_numeric_text_is_a_metric_value() -> None:
    pattern = parse("{ $.a = * }")
    assert pattern.evaluate('{"a": "12.5"}', value="$.a").value == 12.5
    unpublished = pattern.evaluate('{"a": "abc"}', value="$.a")
    assert unpublished.match and unpublished.value is None
    assert parse("[a, b]").evaluate("x -", value="$b").value is None
    assert pattern.evaluate('{"a": 1e400}', value="$.a").value is None


def test_position_names_any_field() -> None:
    pattern = parse("[ip, id, user, timestamp, request, status_code, size]")
    assert pattern.check_reference("$7") is None
    event = '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287'
    result = pattern.evaluate(event, value="$7")
    assert result.value == 287.0 and "$7" not in result.fields
    assert pattern.check_reference("$8") == "$8 is beyond this pattern's 7 fields"


def test_dimension_needs_value() -> None:
    pattern = parse("{ $.a = * }")
    dimensions = {"B": "$.b", "C": "$.c", "D": "$.d", "E": "$.e", "F": "$.f"}
    event = '{"a": 1, "b": "x", "c": "", "d": null, "e": 404}'
    assert pattern.evaluate(event, dimensions=dimensions).dimensions == {"B": "x", "E": "404"}


def test_dimension_kinds() -> None:
    assert semantics.DIMENSION_KINDS == ("json", "delimited")
    assert parse("[a]").supports_dimensions and parse("{ $.a = 1 }").supports_dimensions
    for text in ["ERROR", "%ERR%", ""]:
        with pytest.raises(ValueError, match="does not support dimensions"):
            parse(text).evaluate("ERROR", dimensions={"Level": "$level"})
