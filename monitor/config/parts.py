"""The parts of a config a problem sets aside, so that the next layer checks the rest. Pure.

A problem holds the smallest part of the config its path is in: an entry (a cluster, service,
container, filter, alarm, dashboard or derived metric), or outside every entry a setting (`prefix`,
`log_groups.retention_days`, `exporter.listen`), which then takes its default. `without` gives the
file's data with parts left out, and the `Origin` that takes each path of what is left back to its
place in the file: an entry left out shifts the index of those after it, never where they are reported.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

from monitor.problems import Path, Problem, Source

CONTAINER = ("clusters", int, "services", int, "containers", int)
ENTRIES = (CONTAINER + ("filters", int), CONTAINER + ("alarms", int), CONTAINER, CONTAINER[:4], CONTAINER[:2],
           ("dashboards", int), ("exporter", "derived", int))   # deepest first
EVERYTHING: Path = ()


def part(path: Path, data: object) -> Path:
    """The smallest part of the config that holds `path`: its entry, else its setting."""
    for shape in ENTRIES:
        head = path[:len(shape)]
        if len(head) == len(shape) and all(_fits(key, want) for key, want in zip(head, shape)):
            return head
    head = _existing(path, data)
    while head and isinstance(head[-1], int):   # an item of a setting's list: the setting
        head = head[:-1]
    return head


def _fits(key: str | int, want: str | type) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) if want is int else key == want


def _existing(path: Path, data: object) -> Path:
    """The longest start of `path` that is in the data (a missing key's problem sits at its parent)."""
    for number, key in enumerate(path):
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return path[:number]
    return path


def inside(path: Path, parts: Collection[Path]) -> bool:
    """Whether `path` is one of `parts` or within one."""
    return any(path[:len(held)] == held for held in parts)


@dataclass(frozen=True)
class Origin:
    """Where the items of each list left shortened came from: list path (as in the file) -> kept indices."""

    kept: dict[Path, tuple[int, ...]] = field(default_factory=dict)

    def original(self, path: Path) -> Path:
        """`path` in the data left as it is in the file."""
        found: Path = ()
        for key in path:
            indices = self.kept.get(found)
            found += (indices[key] if isinstance(key, int) and indices is not None else key,)
        return found

    def placed(self, problem: Problem, source: Source) -> Problem:
        """The problem at its place in the file, when it points into it (problems of other files stay)."""
        if (problem.source is not None and problem.source is not source) or not (self.kept and problem.path):
            return problem
        return replace(problem, path=self.original(problem.path),
                       related=tuple(self.original(path) for path in problem.related))


def without(data: object, parts: Iterable[Path]) -> tuple[object, Origin]:
    """The data with `parts` left out (a setting goes back to its default), and where what is left came from."""
    parts = frozenset(parts)
    kept: dict[Path, tuple[int, ...]] = {}

    def prune(node: object, at: Path) -> object:
        if not any(len(held) > len(at) and held[:len(at)] == at for held in parts):
            return node
        if isinstance(node, dict):
            return {key: prune(value, at + (key,)) for key, value in node.items() if at + (key,) not in parts}
        if isinstance(node, list):
            kept[at] = tuple(number for number in range(len(node)) if at + (number,) not in parts)
            return [prune(node[number], at + (number,)) for number in kept[at]]
        return node
    return (None if EVERYTHING in parts else prune(data, ())), Origin(kept)
