"""Operators and the values on their right, shared by JSON and space-delimited patterns."""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Callable

from monitor.patterns.cursor import Cursor
from monitor.patterns.regex import compile_regex
from monitor.patterns.semantics import NUMBER, QUOTE_ESCAPES, UNQUOTED_VALUE, WILDCARD_IN_QUOTES

OPERATOR = re.compile(r"!=|>=|<=|=|>|<")
COMPARE = {"=": operator.eq, "!=": operator.ne, ">": operator.gt,
           "<": operator.lt, ">=": operator.ge, "<=": operator.le}
ORDERING = frozenset({">", "<", ">=", "<="})
TERMINATORS = frozenset(" \t\r\n)&|")
LARGEST_TEXT_INT = 10 ** 4000


@dataclass(frozen=True)
class Operand:
    """The right-hand side of a comparison: a number, a text (with wildcards) or a regex."""

    kind: str  # "number" | "text" | "regex"
    text: str = ""
    number: float = 0.0
    regex: re.Pattern | None = None
    quoted: bool = False
    start: int = 0  # offset of the value in the pattern text, for quota errors and warnings


def read_operator(cursor: Cursor) -> str | None:
    """One of = != > < >= <= [S1], or None."""
    cursor.skip_space()
    found = cursor.read(OPERATOR)
    return found.group() if found else None


def read_operand(cursor: Cursor, op: str, stops: str) -> Operand:
    """The value after op; an unquoted value must end at whitespace, &&, ||, ')' or a stop."""
    cursor.skip_space()
    start = cursor.pos
    if cursor.at('"'):
        operand = Operand("text", read_quoted(cursor), quoted=True, start=start)
    elif cursor.at("%"):
        operand = Operand("regex", regex=read_regex(cursor), start=start)
    else:
        operand = _read_unquoted(cursor, op, stops)
    if op in ORDERING and operand.kind != "number":
        raise cursor.error(f"expected a number after '{op}'", "a number", start)
    return operand


def _read_unquoted(cursor: Cursor, op: str, stops: str) -> Operand:
    """A bare number or text token; other characters must be quoted [S3]."""
    start = cursor.pos
    token = cursor.read(UNQUOTED_VALUE)
    if not token:
        raise cursor.error(f"expected a value after '{op}', found {cursor.found()}", "a value")
    if not cursor.done() and cursor.peek() not in TERMINATORS and cursor.peek() not in stops:
        whole = re.match(rf"[^\s{re.escape(stops)})]*", cursor.text[start:cursor.end]).group()
        raise cursor.error(f"{cursor.found()} cannot appear in an unquoted value: "
                           f"put the value in double quotes: {quote(whole)}")
    text = token.group()
    if NUMBER.fullmatch(text):
        return Operand("number", text, number=parse_number(text), start=start)
    if "+" in text:
        raise cursor.error("'+' is allowed only as the sign of a number; quote text values",
                           pos=start + text.index("+"))
    return Operand("text", text, start=start)


def quote(text: str) -> str:
    """text as a double-quoted string, the form the error messages suggest."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_quoted(cursor: Cursor) -> str:
    """A double-quoted string; `\\"` and `\\\\` are its only escapes (semantics.QUOTE_ESCAPES)."""
    opened = cursor.pos
    text, end = cursor.text, cursor.end
    pos, out = opened + 1, []
    while pos < end:
        char = text[pos]
        if char == "\\" and pos + 1 < end and text[pos + 1] in QUOTE_ESCAPES:
            out.append(QUOTE_ESCAPES[text[pos + 1]])
            pos += 2
            continue
        if char == '"':
            cursor.pos = pos + 1
            return "".join(out)
        out.append(char)
        pos += 1
    raise cursor.error("unterminated string: the quote that opens here is never closed (expected '\"')",
                       "'\"'", opened)


def read_regex(cursor: Cursor) -> re.Pattern:
    """%regex% as a value [S1]; a regex cannot contain %, so the next % closes it."""
    opened = cursor.pos
    close = cursor.text.find("%", opened + 1, cursor.end)
    if close < 0:
        raise cursor.error("unterminated regex: the '%' that opens here is never closed (expected '%')",
                           "'%'", opened)
    compiled = compile_regex(cursor.text, opened + 1, close)
    cursor.pos = close + 1
    return compiled


def text_test(pattern: str, quoted: bool = False) -> Callable[[str], bool]:
    """Wildcards only at the ends: `*Event`, `Event*`, `*html*`; `Ev*ent` is literal [S3]."""
    if quoted and not WILDCARD_IN_QUOTES:
        return pattern.__eq__
    if is_any(pattern):
        return lambda text: True
    core = wildcard_core(pattern)
    if pattern.startswith("*") and pattern.endswith("*"):
        return lambda text: core in text
    if pattern.startswith("*"):
        return lambda text: text.endswith(core)
    if pattern.endswith("*"):
        return lambda text: text.startswith(core)
    return lambda text: text == core


def is_any(pattern: str) -> bool:
    """A lone `*` (or `"*"`) matches any value [S6]."""
    return bool(pattern) and not pattern.strip("*")


def wildcard_core(pattern: str) -> str:
    """The literal part of a text pattern, without its leading and trailing `*`."""
    start = 1 if pattern.startswith("*") else 0
    stop = len(pattern) - 1 if pattern.endswith("*") and len(pattern) > start else len(pattern)
    return pattern[start:stop]


def parse_number(text: str) -> float:
    """A number token as int when integral (exact comparisons), else float."""
    if "." not in text and "e" not in text and "E" not in text:
        try:
            return int(text)
        except ValueError:  # beyond Python's int-from-text digit limit
            pass
    return float(text)


def to_number(text: str) -> float | None:
    """The number a text spells (`"1534"`), or None."""
    return parse_number(text) if NUMBER.fullmatch(text) else None


def number_text(value: float) -> str | None:
    """A JSON number's text for text comparisons (semantics.TEXT_OPERAND_MATCHES_NUMBER)."""
    if type(value) is int:
        return str(value) if abs(value) < LARGEST_TEXT_INT else None
    return repr(value) if math.isfinite(value) else None
