"""The one error a bad alarm definition or series raises, naming the field at fault."""

from __future__ import annotations


class AlarmError(ValueError):
    """A definition AWS would refuse (or that we cannot evaluate faithfully), or a bad series."""

    def __init__(self, field: str, message: str):
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.field, self.message))
