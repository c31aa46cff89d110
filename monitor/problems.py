"""Problems found in a config, and where they sit in the file; the checks that find them, by code.

Every problem is made by a `Check`, as cfn-lint's rules are (src/cfnlint/rules/__init__.py,
CloudFormationLintRule: id, shortdesc, source_url, severity): its stable code, its severity and
the public page of the AWS rule behind it. Codes of validate and plan are `AREA-NNN` (CFG, FLT,
ALM, CMP, DSH, TSK, EXP, PLN, AWS); review's are `AREA-TOPIC-NNN` (monitor/review/findings.py).
A code is never reused or renumbered.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A YAML node's position: 1-based line and column; `start`/`end` index its text in the file."""

    line: int
    column: int
    start: int = 0
    end: int = 0


@dataclass
class Source:
    """A loaded YAML file: its name, text and data, and the position of every node."""

    name: str
    data: object = None
    text: str = ""
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def locate(self, path: Path, offset: int | None = None, at_key: bool = False) -> Mark:
        """The mark of `path` (or its nearest ancestor in the file); `offset` moves into a scalar."""
        marks = self.keys if at_key and path in self.keys else self.values
        while path and path not in marks:
            path = path[:-1]
        mark = marks.get(path, Mark(1, 1))
        if offset is None or path not in marks:
            return mark
        return self._position(self._align(mark, str(_lookup(self.data, path)), offset))

    def _align(self, mark: Mark, value: str, offset: int) -> int:
        """The file index of a scalar's `offset`-th character (1-based), whatever its quoting.

        The scalar's value is matched character by character against its raw text, skipping
        what YAML removed (quotes, escapes, indentation), so escaped and folded scalars work too.
        """
        raw = self.text[mark.start:mark.end]
        index = 0
        for char in value[:offset]:
            found = raw.find(char, index)
            index = found + 1 if found >= 0 else index
        past_end = max(offset - len(value), 0)   # "expected '}'" points just after the value
        return mark.start + max(index - 1, 0) + past_end

    def _position(self, index: int) -> Mark:
        before = self.text[:index]
        return Mark(before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _lookup(data: object, path: Path) -> object:
    for part in path:
        data = data[part]
    return data


ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)   # worst first
CODE = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z][A-Z0-9]*)*-\d{3}")


@dataclass(frozen=True)
class Check:
    """A check's fixed parts: its code, severity, a title for tables and docs, and where AWS says so.

    `severity` is "error" (stops validate and apply), "warning" (AWS accepts it, but the monitoring
    suffers) or "info" (worth knowing). `source` is the public page of the AWS rule behind the check,
    if one is. `ignorable` says whether `ignore: [CODE]` may silence it: by default warnings and
    infos only, since an error stops an invalid config from reaching AWS; an error that is only our
    advice (AWS would accept it) may say `ignorable=True`.
    """

    code: str
    severity: str
    title: str
    source: str | None = field(default=None, kw_only=True)
    ignorable: bool | None = field(default=None, kw_only=True)

    def __post_init__(self):
        if self.severity not in SEVERITIES or not CODE.fullmatch(self.code):
            raise ValueError(f"check {self.code!r}: a code like CFG-001 and a severity of {', '.join(SEVERITIES)}")

    @property
    def silenceable(self) -> bool:
        return self.ignorable if self.ignorable is not None else self.severity != ERROR

    def problem(self, path: Path, message: str, **place) -> Problem:
        """A problem of this check at `path`; `place` takes Problem's source, offset, at_key, mark, related."""
        return Problem(path, message, self, **place)


@dataclass(frozen=True)
class Problem:
    """One thing found in a config or by a plan: where in the config, what, and which check found it.

    A plan's problems have a path but no source until the renderer places them in the config file.
    """

    path: Path
    message: str
    check: Check
    source: Source | None = None
    offset: int | None = None   # 1-based column inside a scalar, for pattern errors
    at_key: bool = False        # point at the key (unknown keys), not at the value
    mark: Mark | None = None    # an explicit position, when the path alone cannot say
    related: tuple[Path, ...] = ()   # other places in the same file the problem is about

    def __post_init__(self):
        if not isinstance(self.check, Check):
            raise TypeError(f"a problem is made by a Check, not {self.check!r}")

    @property
    def severity(self) -> str:
        return self.check.severity

    @property
    def code(self) -> str:
        return self.check.code

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def position(self) -> Mark | None:
        """Where in its file the problem is, if it has a file."""
        if self.source is None:
            return None
        return self.mark or self.source.locate(self.path, self.offset, self.at_key)


def dotted(path: Path) -> str:
    """`("clusters", 0, "name")` -> `clusters[0].name`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def render(problem: Problem) -> str:
    """The one place a problem becomes `FILE:LINE:COL: error: CODE path: message` (`error: CODE message` unplaced)."""
    if problem.source is None:
        where = f" {dotted(problem.path)}:" if problem.path else ""
        return f"{problem.severity}: {problem.code}{where} {problem.message}"
    mark = problem.position()
    where = f"{problem.source.name}:{mark.line}:{mark.column}"
    return (f"{where}: {problem.severity}: {problem.code} {dotted(problem.path)}: {problem.message}"
            f"{_see_also(problem)}")


def _see_also(problem: Problem) -> str:
    """Both places of a clash, each as FILE:LINE:COL, so an editor can jump to either."""
    marks = [problem.source.locate(path) for path in problem.related]
    return "".join(f" (see {problem.source.name}:{m.line}:{m.column}, {dotted(path)})"
                   for path, m in zip(problem.related, marks))


def placed(problem: Problem, source: Source | None) -> Problem:
    """The problem with its file, when it points into the config and has none yet."""
    if problem.source is not None or source is None or not problem.path:
        return problem
    return replace(problem, source=source)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def placed_all(problems: Iterable[Problem], source: Source | None) -> list[Problem]:
    """Each problem with the file it points into (helpers find problems; their caller knows the file)."""
    return [replace(p, source=source) if p.source is None else p for p in problems]


def silence(problems: Iterable[Problem], ignore: Collection[str]) -> list[Problem]:
    """The problems whose code `ignore` does not name; a check that may not be silenced always stays."""
    return [p for p in problems if p.code not in ignore or not p.check.silenceable]


def demoted(problem: Problem, severity: str) -> Problem:
    """The problem as another severity (destroy reports what stops a plan as a warning), code kept."""
    return replace(problem, check=replace(problem.check, severity=severity))
