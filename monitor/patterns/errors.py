"""The one error a filter pattern can raise, and the warnings it can carry, each with its column."""

from __future__ import annotations

from dataclasses import dataclass


class PatternError(ValueError):
    """A filter pattern AWS would reject (or that we cannot evaluate faithfully)."""

    def __init__(self, message: str, column: int, expected: str | None = None):
        super().__init__(message, column, expected)
        self.message = message
        self.column = column
        self.expected = expected

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.message, self.column, self.expected))


@dataclass(frozen=True)
class PatternWarning:
    """A pattern AWS accepts but whose matching is undocumented; `fix` is the unambiguous spelling."""

    message: str
    column: int
    fix: str

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"
