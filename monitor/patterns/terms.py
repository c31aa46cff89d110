"""Unstructured term patterns [S1]: case-sensitive substrings, "exact phrases", ?any and -excluded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from monitor.patterns.cursor import Cursor
from monitor.patterns.errors import PatternError
from monitor.patterns.operands import quote, read_quoted
from monitor.patterns.semantics import SPACED_EXCLUSION, UNQUOTED_TERM

WORD = re.compile(r"\S+")
TERM_CHAR = re.compile(r"[A-Za-z0-9_]")

Matcher = Callable[[str], bool]


@dataclass(frozen=True)
class Terms:
    """The three kinds of term in an unstructured pattern."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    excluded: tuple[str, ...]


def parse_terms(text: str, start: int, end: int) -> Matcher:
    """Compile text[start:end] into a substring test."""
    return compile_terms(read_terms(Cursor(text, start, end)))


def read_terms(cursor: Cursor) -> Terms:
    """Sort every term of the pattern by its prefix: none, '?' or '-'."""
    found: dict[str, list[str]] = {"": [], "?": [], "-": []}
    cursor.skip_space()
    while not cursor.done():
        prefix = read_prefix(cursor)
        found[prefix].append(read_term(cursor))
        cursor.skip_space()
    return Terms(tuple(found[""]), tuple(found["?"]), tuple(found["-"]))


def read_prefix(cursor: Cursor) -> str:
    """'?' or '-' glued to a term; '- term' (spaced) is an exclusion too [S3a]."""
    prefix = cursor.peek()
    if prefix not in ("?", "-"):
        return ""
    cursor.pos += 1
    if cursor.done() or cursor.peek().isspace():
        if prefix == "?" or not SPACED_EXCLUSION:
            raise cursor.error(f"expected a term right after '{prefix}'", "a term")
        cursor.skip_space()
        if cursor.done():
            raise cursor.error("expected a term after '-'", "a term")
    return prefix


def read_term(cursor: Cursor) -> str:
    """A "quoted phrase", or a word of letters, digits and '_' (semantics.UNQUOTED_TERM)."""
    if cursor.at('"'):
        phrase = read_quoted(cursor)
        if not cursor.done() and not cursor.peek().isspace():
            raise cursor.error(f"expected a space after the closing quote, found {cursor.found()}", "a space")
        return phrase
    start = cursor.pos
    word = cursor.read(WORD).group()
    if not UNQUOTED_TERM.fullmatch(word):
        raise unquoted_error(word, start)
    return word


def unquoted_error(word: str, start: int) -> PatternError:
    """Say how to write a term AWS would not read literally [S1][S20]."""
    offset = next(i for i, char in enumerate(word) if not TERM_CHAR.match(char))
    if "%" in word:
        return PatternError("a %regex% must be the whole pattern, or a value inside a JSON or "
                            "space-delimited pattern", start + word.index("%") + 1)
    return PatternError(f"{word[offset]!r} in an unquoted term: quote terms that contain characters "
                        f"other than letters, digits and '_': {quote(word)}", start + offset + 1, "a quoted term")


def compile_terms(terms: Terms) -> Matcher:
    """?terms are an OR, ignored entirely when plain or -terms are present [S1]."""
    if terms.required or terms.excluded:
        tests = [f"{term!r} in message" for term in terms.required]
        tests += [f"{term!r} not in message" for term in terms.excluded]
        return _substring_test(" and ".join(tests))
    if terms.optional:
        return _substring_test(" or ".join(f"{term!r} in message" for term in terms.optional))
    return lambda message: True


def _substring_test(condition: str) -> Matcher:
    """One lambda of inlined `in` checks: a single Python call per event, however many terms.

    The terms enter the source only through repr(), so any text is a safe string literal.
    """
    return eval(f"lambda message: {condition}", {"__builtins__": {}})  # noqa: S307
