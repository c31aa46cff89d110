"""Split an expression into tokens, each with its 1-based column."""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.expressions.syntax import MAX_TOKENS, ExpressionError

# A number as Python prints a float (1.5, 1e-07, 1e+16) or as people write it (.5, 10).
NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
QUOTED = re.compile(r'"([^"]*)"')   # a metric name with other characters, e.g. "app.errors-5xx"
SPACE = re.compile(r"\s+")
SYMBOLS = "+-*/(),"


@dataclass(frozen=True)
class Token:
    kind: str      # "number", "name", "quoted", "symbol" or "end"
    text: str      # the symbol, name or number as written; a quoted name without its quotes
    column: int

    def describe(self) -> str:
        """How a message names the token."""
        if self.kind == "end":
            return "the end of the expression"
        return f'"{self.text}"' if self.kind == "quoted" else f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an "end" token; raises ExpressionError at a bad character."""
    tokens, pos = [], 0
    while (pos := _skip_space(text, pos)) < len(text):
        token, pos = _token(text, pos)
        tokens.append(token)
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"an expression has at most {MAX_TOKENS} tokens", token.column)
    return tokens + [Token("end", "", len(text) + 1)]


def _skip_space(text: str, pos: int) -> int:
    found = SPACE.match(text, pos)
    return found.end() if found else pos


def _token(text: str, pos: int) -> tuple[Token, int]:
    char = text[pos]
    if char in SYMBOLS:
        return Token("symbol", char, pos + 1), pos + 1
    for kind, regex in (("number", NUMBER), ("name", NAME), ("quoted", QUOTED)):
        if found := regex.match(text, pos):
            return Token(kind, found.group(found.lastindex or 0), pos + 1), found.end()
    if char == '"':
        raise ExpressionError("unterminated quoted metric name: a closing '\"' is missing", pos + 1)
    raise ExpressionError(f"unexpected character '{char}'", pos + 1)
