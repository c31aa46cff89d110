"""Problems found in a config, and where they sit in the file."""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A YAML node's position: 1-based line and column, and its scalar style."""

    line: int
    column: int
    style: str | None = None


@dataclass
class Source:
    """A loaded YAML file: its name, its data and the position of every node."""

    name: str
    data: object = None
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def locate(self, path: Path, offset: int | None = None, at_key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest ancestor that exists in the file."""
        marks = self.keys if at_key and path in self.keys else self.values
        while path and path not in marks:
            path = path[:-1]
        mark = marks.get(path, Mark(1, 1))
        if offset is None:
            return mark
        quote = 1 if mark.style in ("'", '"') else 0
        return Mark(mark.line, mark.column + quote + offset - 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the config: a path, a message, and how bad it is."""

    path: Path
    message: str
    severity: str = "error"
    source: Source | None = None
    offset: int | None = None   # 1-based column inside a scalar, for pattern errors
    at_key: bool = False        # point at the key (unknown keys), not at the value
    mark: Mark | None = None    # an explicit position, when the path alone cannot say

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def dotted(path: Path) -> str:
    """`("clusters", 0, "name")` -> `clusters[0].name`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def render(problem: Problem) -> str:
    """The one place a problem becomes `FILE:LINE:COL: error: path: message`."""
    if problem.source is None:
        return f"{problem.severity}: {dotted(problem.path)}: {problem.message}"
    mark = problem.mark or problem.source.locate(problem.path, problem.offset, problem.at_key)
    where = f"{problem.source.name}:{mark.line}:{mark.column}"
    return f"{where}: {problem.severity}: {dotted(problem.path)}: {problem.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
