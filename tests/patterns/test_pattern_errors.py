"""Invalid patterns: each error names the column of the problem and what was expected."""

from __future__ import annotations

import pickle

import pytest

from monitor.patterns import PatternError, parse

# (pattern, column, a fragment of the message, PatternError.expected)
ERRORS = [
    # JSON [S1][S2][S21]
    ("{ $.a = 1", 10, "must end with '}'", "'}'"),
    ('{ status = "401" }', 3, "starting with '$.'", "'$.'"),
    ("{}", 2, "starting with '$.'", "'$.'"),
    ("{ $a = 1 }", 4, "expected '.' after '$'", "'.'"),
    ("{ $. = 1 }", 5, "expected a property name", "a property name"),
    ("{ $.a[x] = 1 }", 6, "expected an array index", "'[0]', '[*]' or \"['key']\""),
    ("{ $.a }", 7, "expected an operator", "an operator"),
    ("{ $.a == 1 }", 8, "expected a value after '='", "a value"),
    ("{ $.a > abc }", 9, "expected a number after '>'", "a number"),
    ("{ $.a = a@b }", 10, 'double quotes: "a@b"', None),
    ("{ $.a = +x }", 9, "'+' is allowed only as the sign", None),
    ('{ $.a = "abc }', 9, "the quote that opens here is never closed", "'\"'"),
    ("{ $.a = %abc }", 9, "the '%' that opens here is never closed", "'%'"),
    ("{ ($.a = 1 }", 12, "expected ')' to close the '(' at column 3", "')'"),
    ("{ $.a = 1 && }", 14, "starting with '$.'", "'$.'"),
    ("{ $.a = 1 & $.b = 2 }", 11, "expected '&&', '||' or '}'", "'&&', '||' or '}'"),
    ("{ $.a = 1 AND $.b = 2 }", 11, "expected '&&', '||' or '}'", "'&&', '||' or '}'"),
    ("{ $.a = 1 } x }", 13, "unexpected text after the closing '}'", None),
    ("{ $.a[*].b[*] = 1 }", 11, "at most 1 wildcard", None),
    ("{ $.*.* = 1 }", 6, "at most 1 wildcard", None),
    ("{ $.a IS NOT NULL }", 10, "IS NOT is not supported", None),
    ("{ $.a EXISTS }", 7, "EXISTS is not supported", None),
    ("{ $.a is null }", 7, "upper case", "IS"),
    ("{ $.a IS MAYBE }", 10, "expected NULL, TRUE or FALSE", "NULL, TRUE or FALSE"),
    ("{ $.a NOT THERE }", 11, "expected EXISTS after NOT", "EXISTS"),
    ("{ " + "(" * 40 + "$.a=1" + ")" * 40 + " }", 36, "nested deeper than 32", None),
    # Regex [S4]
    ("%%", 2, "empty regex", "a regex"),
    ("%something!%", 11, "'!' is not supported in a regex", None),
    ("%ab(c)%", 4, "'(' is not supported in a regex", None),
    ("{ $.a = %ab(c)% }", 12, "'(' is not supported in a regex", None),
    ("[a = %x)%]", 8, "')' is not supported in a regex", None),
    ("%café%", 5, "multi-byte character", None),
    (r"%a\qb%", 3, "unsupported escape", None),
    (r"%a\x4%", 5, "two hexadecimal digits", "two hex digits"),
    ("%a[b%", 3, "unterminated character set", None),
    ("%*a%", 2, "nothing to repeat", None),
    # Terms [S1][S20]
    ("ERROR-", 7, "expected a term after '-'", "a term"),
    ("a--b", 3, "expected a term after '-'", "a term"),
    ('abc"def', 4, 'escaping the quote: "abc\\"def"', "a quoted term"),
    ("ERROR %foo%", 7, "a %regex% must be the whole pattern", None),
    ("%foo", 1, "a %regex% must be the whole pattern", None),
    ("?", 2, "expected a term right after '?'", "a term"),
    ("ERROR -", 8, "expected a term after '-'", "a term"),
    ('"unterminated', 1, "the quote that opens here is never closed", "'\"'"),
    ('"abc"def', 6, "expected a space after the closing quote", "a space"),
    # Space-delimited [S1][S3]
    ("[a, b", 6, "must end with ']'", "']'"),
    ("[w1=ERROR || W1=WARNING, w2]", 14, "names 'W1' but belongs to field 'w1'", "'w1'"),
    ("[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]", 62,
     "names 'bytes' but belongs to field 'status_code'", "'status_code'"),
    ("[a, ..., b, ..., c]", 13, "'...' at most 1 time", None),
    ("[a, a]", 5, "named twice", None),
    ("[a b]", 4, "expected an operator", "an operator"),
    ("[a = ]", 6, "expected a value", "a value"),
    ("[a = 1 b]", 8, "expected ',' or ']'", "',' or ']'"),
    ("[a = x/y, b]", 7, 'double quotes: "x/y"', None),
    ("[1a]", 2, "expected a field name", "a field name"),
    ("[a] [b]", 5, "unexpected text after the closing ']'", None),
    ("[a = (1]", 6, "expected a value after '='", "a value"),
    ("[a = 1 && (b = 2)]", 12, "names 'b' but belongs to field 'a'", "'a'"),
    # The whole pattern: AWS's quotas [S1][S2][S4][S10]
    ("x" * 1025, 1025, "at most 1024 characters", None),
    ("{ $.a = %r1% && $.b = %r2% && $.c = %r3% }", 37, "3 regular expressions; AWS allows at most 2", None),
    ("[a = %x%, b = %y%, c = %z%]", 24, "3 regular expressions; AWS allows at most 2", None),
    ("{ $.a[*] = 1 || $.b.* = 2 || $.c[*] = 3 || $.d[*] = 4 }", 44, "4 wildcard selectors; AWS allows at most 3",
     None),
]


@pytest.mark.parametrize("text, column, fragment, expected", ERRORS, ids=[e[0][:40] for e in ERRORS])
def test_error_names_column_and_expectation(text: str, column: int, fragment: str, expected: str | None) -> None:
    with pytest.raises(PatternError) as caught:
        parse(text)
    error = caught.value
    assert (error.column, error.expected) == (column, expected)
    assert fragment in error.message
    assert str(error) == f"column {column}: {error.message}"


def test_columns_count_leading_blanks() -> None:
    with pytest.raises(PatternError) as caught:
        parse("   { $.a = 1 &  }")
    assert caught.value.column == 14


def test_pattern_error_is_a_value_error_and_survives_pickling() -> None:
    error = PatternError("expected ')'", 7, "')'")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ValueError)
    assert (copy.message, copy.column, copy.expected, str(copy)) == ("expected ')'", 7, "')'", "column 7: expected ')'")


@pytest.mark.parametrize("text, kind", [
    ("x" * 1024, "terms"),
    ("{ $.a = %r1% || $.b = %r2% }", "json"),
    ("[a = %x%, b = %y%, c]", "delimited"),
    ("{ $.a[*] = 1 || $.b.* = 2 || $.c[*] = 3 }", "json"),
])
def test_a_pattern_at_aws_limits_is_accepted(text: str, kind: str) -> None:
    assert parse(text).kind == kind
