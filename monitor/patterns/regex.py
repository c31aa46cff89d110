"""AWS's restricted regex dialect [S4], checked character by character and matched by RE2.

Allowed: letters, digits, space and `: _ # = @ / ; , -`; operators `^ $ ? [ ] { } | \\ * + .`;
escapes \\d \\D \\s \\S \\w \\W \\xhh and escaped operators. Parentheses, multi-byte characters and any
other symbol are rejected, as AWS rejects `%something!%` [S4].

Log events are input that others control: a backtracking engine takes seconds on one 200-character
line for `%.*.*.*.*x%`. RE2 matches in time linear in the event's length, whatever the pattern
(https://github.com/google/re2/wiki/WhyRE2). Python's parser still checks the syntax first, so an
error names its column; RE2 then refuses the little it cannot do in linear time (possessive
quantifiers such as `a*+`, and counts above 1000), which AWS's subset never needs [S4].
"""

from __future__ import annotations

import re
import string
import warnings

import re2

from monitor.patterns.cursor import Cursor
from monitor.patterns.errors import PatternError
from monitor.patterns.semantics import REGEX_END_ANCHOR, REGEX_FLAGS

LITERALS = frozenset(string.ascii_letters + string.digits + " :_#=@/;,-")
OPERATORS = frozenset("^$?[]{}|\\*+.")
CLASS_ESCAPES = frozenset("dDsSwW")
HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")
SPACED_QUANTIFIER = re.compile(r"\{ *(\d*) *, *(\d*) *\}")

Piece = tuple[str, int]  # (Python regex text, offset of its origin in the pattern)


class Regex:
    """A compiled `%regex%`: `search(text)` is True where it matches anywhere, else None, as re's is."""

    __slots__ = ("pattern", "_search")

    def __init__(self, pattern: str, compiled: re2._Regexp):
        self.pattern = pattern
        self._search = compiled.search

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"

    def search(self, text: str) -> bool | None:
        """RE2 reads UTF-8; a lone surrogate (JSON's "\\ud800") passes through rather than failing."""
        return True if self._search(text.encode("utf-8", "surrogatepass")) is not None else None


def compile_regex(text: str, start: int, end: int) -> Regex:
    """Compile text[start:end], the part between the % signs; errors name pattern columns."""
    cursor = Cursor(text, start, end)
    if cursor.done():
        raise cursor.error("empty regex: put an expression between the % signs", "a regex")
    pieces = translate(cursor)
    _check_syntax(pieces, cursor, start)
    source = "".join(piece for piece, _ in pieces)
    try:
        return Regex(source, re2.compile(source, _OPTIONS))
    except re2.error as exc:
        raise _re2_error(cursor, exc, start) from None


def _check_syntax(pieces: list[Piece], cursor: Cursor, start: int) -> None:
    """Python's parser, for the column of a syntax error; RE2 only says what, not where."""
    source = "".join(r"\Z" if piece == REGEX_END_ANCHOR else piece for piece, _ in pieces)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(source, REGEX_FLAGS)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise cursor.error(f"invalid regex: {_reason(exc)}", pos=_origin(pieces, exc, start)) from None


def _options() -> re2.Options:
    """Boolean search only: no capture groups, and errors come back as exceptions, not log lines."""
    options = re2.Options()
    options.log_errors = False
    options.never_capture = True
    return options


_OPTIONS = _options()


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
        if spaced:   # "Either m or n can be omitted" [S4]: RE2 reads `{,n}` as text, so m is written
            least, most = spaced.groups()
            return "{%s,%s}" % (least or "0", most)
    _check_char(cursor, char)
    cursor.pos += 1
    if in_class:   # RE2 reads `[[:digit:]]` as a POSIX class; in AWS's dialect `[` in a class is a `[`
        return "\\[" if char == "[" else char
    return REGEX_END_ANCHOR if char == "$" else char


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


RE2_REASONS = {
    "invalid repetition size": "a count above 1000 is not supported",
    "bad repetition operator": "a quantifier cannot follow a quantifier (possessive ones such as *+ are not supported)",
    "pattern too large": "the regex is too large to match in time linear in the event's length",
}


def _re2_error(cursor: Cursor, exc: re2.error, start: int) -> PatternError:
    """RE2's message says what and quotes where (`bad repetition operator: *+`): put the two together."""
    message = exc.args[0] if exc.args else str(exc)
    message = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    what, _, fragment = message.partition(": ")
    reason = next((text for prefix, text in RE2_REASONS.items() if what.startswith(prefix)), what)
    found = cursor.text.find(fragment, start, cursor.end) if fragment else -1
    quoted = f"'{fragment}': " if fragment else ""
    return cursor.error(f"invalid regex: {quoted}{reason}", pos=found if found >= 0 else start)


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
