"""AWS's restricted regex dialect [S4], checked character by character and compiled to Python re.

Allowed: letters, digits, space and `: _ # = @ / ; , -`; operators `^ $ ? [ ] { } | \\ * + .`;
escapes \\d \\D \\s \\S \\w \\W \\xhh and escaped operators. Parentheses, multi-byte characters and any
other symbol are rejected, as AWS rejects `%something!%` [S4].
"""

from __future__ import annotations

import re
import string
import warnings

from monitor.patterns.cursor import Cursor
from monitor.patterns.semantics import REGEX_END_ANCHOR, REGEX_FLAGS

LITERALS = frozenset(string.ascii_letters + string.digits + " :_#=@/;,-")
OPERATORS = frozenset("^$?[]{}|\\*+.")
CLASS_ESCAPES = frozenset("dDsSwW")
HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")
SPACED_QUANTIFIER = re.compile(r"\{ *(\d*) *, *(\d*) *\}")

Piece = tuple[str, int]  # (Python regex text, offset of its origin in the pattern)


def compile_regex(text: str, start: int, end: int) -> re.Pattern:
    """Compile text[start:end], the part between the % signs; errors name pattern columns."""
    cursor = Cursor(text, start, end)
    if cursor.done():
        raise cursor.error("empty regex: put an expression between the % signs", "a regex")
    pieces = translate(cursor)
    source = "".join(piece for piece, _ in pieces)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(source, REGEX_FLAGS)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise cursor.error(f"invalid regex: {_reason(exc)}", pos=_origin(pieces, exc, start)) from None


def translate(cursor: Cursor) -> list[Piece]:
    """Turn the AWS dialect into Python re text, rejecting what AWS rejects."""
    pieces: list[Piece] = []
    inside = -1
    while not cursor.done():
        at = cursor.pos
        piece = _escape(cursor) if cursor.at("\\") else _plain(cursor, inside >= 0)
        inside = _class_state(piece, inside, pieces)
        pieces.append((piece, at))
    return pieces


def _plain(cursor: Cursor, in_class: bool) -> str:
    """One unescaped character (or a spaced quantifier), checked against the allowed set."""
    char = cursor.peek()
    if char == "{" and not in_class:
        spaced = cursor.read(SPACED_QUANTIFIER)
        if spaced:
            return "{%s,%s}" % spaced.groups()
    _check_char(cursor, char)
    cursor.pos += 1
    return REGEX_END_ANCHOR if char == "$" and not in_class else char


def _check_char(cursor: Cursor, char: str) -> None:
    """Reject parentheses, multi-byte characters and unlisted symbols [S4]."""
    if char in LITERALS or char in OPERATORS:
        return
    if char in "()":
        raise cursor.error(f"'{char}' is not supported in a regex: subpatterns cannot be grouped; "
                           rf"match a literal parenthesis with \x{ord(char):02X}")
    if ord(char) > 127:
        raise cursor.error(f"multi-byte character '{char}' is not supported in a regex")
    raise cursor.error(f"{char!r} is not supported in a regex; match it with \\x{ord(char):02X}")


def _escape(cursor: Cursor) -> str:
    """A backslash sequence: a class escape, \\xhh, or an escaped operator or symbol."""
    cursor.pos += 1
    if cursor.done():
        raise cursor.error("'\\' must be followed by d, D, s, S, w, W, xhh or an operator", pos=cursor.pos - 1)
    char = cursor.peek()
    cursor.pos += 1
    if char in CLASS_ESCAPES:
        return "\\" + char
    if char == "x":
        return "\\x" + _hex_pair(cursor)
    if char in OPERATORS or (char in LITERALS and not char.isalnum()):
        return "\\" + char
    raise cursor.error(f"unsupported escape '\\{char}': use \\d \\D \\s \\S \\w \\W \\xhh or an escaped operator",
                       pos=cursor.pos - 2)


def _hex_pair(cursor: Cursor) -> str:
    """The two hex digits of \\xhh."""
    digits = cursor.read(HEX_PAIR)
    if not digits:
        raise cursor.error("expected two hexadecimal digits after '\\x'", "two hex digits")
    return digits.group()


def _class_state(piece: str, inside: int, pieces: list[Piece]) -> int:
    """Pieces seen inside [...] (-1 outside), so `$` and `{` in a class stay literal.

    A `]` right after `[` or `[^` is a literal, as in Python's re.
    """
    if inside < 0:
        return 0 if piece == "[" else -1
    literal = inside == 0 or (inside == 1 and pieces[-1][0] == "^")
    return -1 if piece == "]" and not literal else inside + 1


def _reason(exc: Exception) -> str:
    """Python's message without its own position suffix."""
    message = getattr(exc, "msg", None) or str(exc)
    return message.split(" at position")[0]


def _origin(pieces: list[Piece], exc: Exception, start: int) -> int:
    """Map Python's error position in the translated source back to the pattern text."""
    position = getattr(exc, "pos", None)
    if position is None:
        return start
    offset = 0
    for piece, origin in pieces:
        offset += len(piece)
        if position < offset:
            return origin
    return pieces[-1][1] if pieces else start
