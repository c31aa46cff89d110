"""JSON read with bounds: its nesting before parsing (Python's json recurses once per level) and a file's size.

`json.loads` ends in a RecursionError somewhere past a thousand levels; a task definition nests
about six. Here nesting past MAX_DEPTH is refused before json runs, at the line and column of the
bracket that goes too deep, and a file over its size bound is refused before it is read in full
(monitor/bounded.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from monitor import bounded

MAX_DEPTH = 100   # far beyond any task definition, log capture or dashboard body
# Strings are skipped whole, so a bracket inside one is no nesting; escapes are skipped with them.
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JsonError(ValueError):
    """JSON that cannot be read, and where: `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message, line, column)
        self.message, self.line, self.column = message, line, column

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


class TooDeep(JsonError):
    """JSON nested past MAX_DEPTH: refused before json.loads runs."""


def loads(text: str) -> object:
    """json.loads, with nesting past MAX_DEPTH and every syntax error as JsonError at its place."""
    check_depth(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonError(error.msg, error.lineno, error.colno) from None


def read(path: str | Path, limit: int, what: str) -> object:
    """The JSON document in a file of at most `limit` bytes (bounded.TooLarge past it).

    Raises JsonError as loads does; OSError and UnicodeDecodeError propagate.
    """
    return loads(bounded.read_text(path, limit, what))


def check_depth(text: str) -> None:
    """JsonError at the first bracket MAX_DEPTH levels deep; a text with few brackets is not scanned."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep(f"nested more than {MAX_DEPTH} levels deep", *_position(text, token.start()))
        elif char in "]}":
            depth -= 1


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of text[index]."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
