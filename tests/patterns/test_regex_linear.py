"""`%regex%` is matched by RE2 in linear time, and agrees with the dialect's meaning as Python reads it."""

from __future__ import annotations

import re
import time
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.patterns import PatternError, parse
from monitor.patterns.cursor import Cursor
from monitor.patterns.regex import Regex, compile_regex, translate
from monitor.patterns.semantics import REGEX_END_ANCHOR

# Nested wildcards with no way to match: a backtracking engine tries every split of the line
# (3.7 s on 200 characters, over 30 s on 400); RE2 reads the line once.
ADVERSARIAL = ["%.*.*.*.*x%", "%a*a*a*a*a*b%", r"%\w*\w*\w*\w*\x21%"]
LINE = "a" * 300
FAST_ENOUGH = 1.0   # seconds for all of them; backtracking needs minutes


def python_reading(body: str) -> re.Pattern:
    """The dialect as Python's re reads it: the meaning RE2 must keep."""
    pieces = translate(Cursor(body))
    source = "".join(r"\Z" if piece == REGEX_END_ANCHOR else piece for piece, _ in pieces)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "possible nested set": a '[' in a class, as AWS reads it
        return re.compile(source, re.ASCII)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_nested_wildcards_take_linear_time(text):
    pattern = parse(text)
    started = time.perf_counter()
    assert not pattern.matches(LINE * 30)   # 9,000 characters
    assert time.perf_counter() - started < FAST_ENOUGH


@pytest.mark.parametrize("text", ['{ $.m = %.*.*.*.*x% }', '[a, b = %.*.*.*.*x%]', '%.*.*.*.*x%'])
def test_every_kind_of_pattern_uses_the_linear_engine(text):
    pattern = parse(text)
    event = {"json": '{"m": "%s"}' % LINE, "delimited": f"a {LINE}", "regex": LINE}[pattern.kind]
    started = time.perf_counter()
    assert not pattern.matches(event)
    assert time.perf_counter() - started < FAST_ENOUGH


def test_a_compiled_regex_is_re2_backed():
    assert isinstance(compile_regex("%b.%", 1, 3), Regex)


@pytest.mark.parametrize("text, expected", [
    ("%a{,2}b%", True),          # `{,n}` is {0,n} [S4]; RE2 alone would read it as text
    ("%x{,}y%", False),
    ("%[[:digit:]]%", False),     # in AWS's dialect '[' inside a class is a '['; RE2 alone reads POSIX
    ("%[[]%", True),
    ("%c$%", False),              # the very end only, not before a final newline
])
def test_rewritten_forms_keep_their_meaning(text, expected):
    assert parse(text).matches("xaab[\nc\n") is expected


@pytest.mark.parametrize("text, column, words", [
    ("%a*+%", 3, "possessive"),
    ("%ab{1001}%", 4, "above 1000"),
    ("%a{2}{3}%", 6, "multiple repeat"),   # Python's parser places it
])
def test_what_re2_cannot_do_is_an_error_at_its_column(text, column, words):
    with pytest.raises(PatternError) as raised:
        parse(text)
    assert raised.value.column == column and words in raised.value.message


def test_a_lone_surrogate_in_an_event_is_no_error():
    assert parse('{ $.m = %a% }').matches('{"m": "\\ud800a"}')


ALPHABET = ["a", "b", ".", "*", "+", "?", "|", "^", "$", "[", "]", "^", "-", "{", "}", "1", "2", ",", " ",
            "\\d", "\\w", "\\s", "\\S", "\\x61", "\\.", "\\[", ":"]
BODIES = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=12).map("".join)
SUBJECTS = st.text(alphabet="ab1 .[]-:\n\t", max_size=12)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES, st.lists(SUBJECTS, min_size=1, max_size=5))
def test_re2_agrees_with_the_dialect_as_python_reads_it(body, subjects):
    try:
        reference = python_reading(body)
    except (re.error, PatternError):
        return
    try:
        pattern = parse(f"%{body}%")
    except PatternError as error:   # only what RE2 cannot do in linear time
        assert "quantifier" in error.message or "above 1000" in error.message, error.message
        return
    for subject in subjects:
        assert pattern.matches(subject) is (reference.search(subject) is not None), (body, subject)
