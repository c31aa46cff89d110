"""Unstructured term patterns [S1]: case-sensitive substrings, "exact phrases", ?any and -excluded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from monitor.patterns.cursor import Cursor
from monitor.patterns.errors import PatternError, PatternWarning
from monitor.patterns.operands import quote, read_quoted
from monitor.patterns.semantics import HYPHEN_STARTS_EXCLUSION, PLAIN_TERM, SPACED_EXCLUSION, UNQUOTED_TERM

WORD = re.compile(r"\S+")
PREFIXES = ("?", "-")

Matcher = Callable[[str], bool]


@dataclass(frozen=True)
class Terms:
    """The three kinds of term in an unstructured pattern, and what to tell the author."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    excluded: tuple[str, ...]
    warnings: tuple[PatternWarning, ...] = ()


def read_terms(text: str, start: int, end: int) -> Terms:
    """Sort every term of text[start:end] by its prefix: none, '?' or '-'."""
    cursor = Cursor(text, start, end)
    found: dict[str, list[str]] = {"": [], "?": [], "-": []}
    warnings: list[PatternWarning] = []
    cursor.skip_space()
    while not cursor.done():
        prefix = read_prefix(cursor)
        for kind, term in read_term(cursor, prefix, warnings):
            found[kind].append(term)
        cursor.skip_space()
    return Terms(tuple(found[""]), tuple(found["?"]), tuple(found["-"]), tuple(warnings))


def read_prefix(cursor: Cursor) -> str:
    """'?' or '-' glued to a term; '- term' (spaced) is an exclusion too [S3a]."""
    prefix = cursor.peek()
    if prefix not in PREFIXES:
        return ""
    cursor.pos += 1
    if cursor.done() or cursor.peek().isspace():
        if prefix == "?" or not SPACED_EXCLUSION:
            raise cursor.error(f"expected a term right after '{prefix}'", "a term")
        cursor.skip_space()
        if cursor.done():
            raise cursor.error("expected a term after '-'", "a term")
    return prefix


def read_term(cursor: Cursor, prefix: str, warnings: list[PatternWarning]) -> list[tuple[str, str]]:
    """A "quoted phrase", or an unquoted word as (prefix, term) pairs (semantics.UNQUOTED_TERM)."""
    if cursor.at('"'):
        phrase = read_quoted(cursor)
        if not cursor.done() and not cursor.peek().isspace():
            raise cursor.error(f"expected a space after the closing quote, found {cursor.found()}", "a space")
        return [(prefix, phrase)]
    start = cursor.pos
    word = cursor.read(WORD).group()
    if not UNQUOTED_TERM.fullmatch(word):
        raise unquoted_error(word, start)
    if not PLAIN_TERM.fullmatch(word):
        warnings.append(unquoted_warning(word, start, prefix))
    return split_word(cursor, word, start, prefix)


def split_word(cursor: Cursor, word: str, start: int, prefix: str) -> list[tuple[str, str]]:
    """`ORDER-ITEM-1` is `ORDER -ITEM -1` (semantics.HYPHEN_STARTS_EXCLUSION)."""
    pieces = word.split("-") if HYPHEN_STARTS_EXCLUSION else [word]
    offset = start
    for piece in pieces:
        if not piece:
            raise cursor.error("expected a term after '-'", "a term", offset)
        offset += len(piece) + 1
    return [(prefix, pieces[0])] + [("-", piece) for piece in pieces[1:]]


def unquoted_error(word: str, start: int) -> PatternError:
    """A '%' or '"' inside an unquoted word: say how to write it [S1]."""
    offset = next(i for i, char in enumerate(word) if char in '%"')
    if word[offset] == "%":
        return PatternError("a %regex% must be the whole pattern, or a value inside a JSON or "
                            "space-delimited pattern", start + offset + 1)
    return PatternError(f"'\"' inside an unquoted term: quote the whole term, escaping the quote: "
                        f"{quote(word)}", start + offset + 1, "a quoted term")


def unquoted_warning(word: str, start: int, prefix: str) -> PatternWarning:
    """AWS accepts the word, but only the quoted spelling has documented matching [S1][S20]."""
    fix = prefix + quote(word)
    if HYPHEN_STARTS_EXCLUSION and "-" in word:
        split = " -".join(word.split("-"))
        return PatternWarning(f"'-' inside the unquoted term {word} starts an exclusion: it means {split}; "
                              f"to find the text itself, quote it: {fix}", start + word.index("-") + 1, fix)
    offset = next(i for i, char in enumerate(word) if not PLAIN_TERM.match(char))
    return PatternWarning(f"{word[offset]!r} in the unquoted term {word}: AWS accepts it but does not document "
                          f"how it matches (read here as the literal text); quote it: {fix}",
                          start + offset + 1, fix)


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
