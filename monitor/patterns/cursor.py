"""A read position in the pattern text, so every error can name its column."""

from __future__ import annotations

import re

from monitor.patterns.errors import PatternError
from monitor.patterns.semantics import MAX_NESTING

_SPACE = re.compile(r"\s*")


class Cursor:
    """Walks a pattern left to right; positions are offsets into the whole pattern text."""

    __slots__ = ("text", "pos", "end", "depth")

    def __init__(self, text: str, pos: int = 0, end: int | None = None):
        self.text = text
        self.pos = pos
        self.end = len(text) if end is None else end
        self.depth = 0

    def done(self) -> bool:
        """True at the end of the region being parsed."""
        return self.pos >= self.end

    def peek(self, size: int = 1) -> str:
        """The next characters, without moving."""
        return self.text[self.pos:min(self.pos + size, self.end)]

    def skip_space(self) -> None:
        """Whitespace is optional between tokens [S1] ({$.a=1} and { $.a = 1 } are equal)."""
        self.pos = _SPACE.match(self.text, self.pos, self.end).end()

    def at(self, token: str) -> bool:
        """True if the text continues with token."""
        return self.text.startswith(token, self.pos, self.end)

    def take(self, token: str) -> bool:
        """Consume token if it is next."""
        if self.at(token):
            self.pos += len(token)
            return True
        return False

    def read(self, regex: re.Pattern) -> re.Match | None:
        """Consume a match of regex at the current position, if any."""
        found = regex.match(self.text, self.pos, self.end)
        if found:
            self.pos = found.end()
        return found

    def expect(self, token: str, context: str = "") -> None:
        """Consume token or fail saying it was expected."""
        if not self.take(token):
            raise self.error(f"expected '{token}'{context}, found {self.found()}", f"'{token}'")

    def found(self) -> str:
        """What sits at the cursor, for messages."""
        if self.done():
            return "the end of the pattern"
        return f"'{self.text[self.pos]}'"

    def error(self, message: str, expected: str | None = None, pos: int | None = None) -> PatternError:
        """An error at pos (default: the cursor), with a 1-based column."""
        where = self.pos if pos is None else pos
        return PatternError(message, where + 1, expected)

    def nest(self) -> None:
        """Enter a parenthesis; refuse nesting deep enough to exhaust the stack."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"parentheses nested deeper than {MAX_NESTING} levels")

    def unnest(self) -> None:
        """Leave a parenthesis."""
        self.depth -= 1
