"""JSON property selectors [S1][S2]: $.a.b, $.a[0][1], $.['a.b'], $.* and $.a[*]."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from monitor.patterns.cursor import Cursor
from monitor.patterns.limits import MAX_WILDCARDS_PER_SELECTOR
from monitor.patterns.semantics import WILDCARD_SELECTS_CHILDREN

MISSING = object()
"""What a selector yields when the event has nothing at that path."""

NAME = re.compile(r"[A-Za-z0-9_-]+")
INDEX = re.compile(r"\[(\d+)\]")
QUOTED_KEY = re.compile(r"""\['([^']*)'\]|\["([^"]*)"\]""")


@dataclass(frozen=True)
class Wildcard:
    """`.*` (object fields) or `[*]` (array elements); see semantics.WILDCARD_SELECTS_CHILDREN."""

    of_objects: bool


@dataclass(frozen=True)
class Selector:
    """A parsed selector: object keys (str), array indexes (int) and at most one Wildcard."""

    text: str
    steps: tuple
    get: Callable[[dict], Any] = field(compare=False, repr=False)
    select: Callable[[dict], list] = field(compare=False, repr=False)
    start: int = field(default=0, compare=False)  # offset in the pattern text, for quota errors

    @property
    def wildcard(self) -> bool:
        """True if the selector can pick several values."""
        return any(isinstance(step, Wildcard) for step in self.steps)

    @property
    def keys(self) -> list[str]:
        """Object keys the event must contain for the selector to find anything."""
        return [step for step in self.steps if type(step) is str]


def parse_selector(cursor: Cursor) -> Selector:
    """`$.` then names, [N], ['quoted.key'], .* and [*]; `$` is required [S21]."""
    start = cursor.pos
    if not cursor.take("$"):
        raise cursor.error(f"expected a property selector starting with '$.', found {cursor.found()}", "'$.'")
    if not cursor.at("."):
        raise cursor.error(f"expected '.' after '$', found {cursor.found()}", "'.'")
    steps: list = []
    while cursor.at(".") or cursor.at("["):
        at = cursor.pos
        steps.append(_read_step(cursor))
        _check_wildcards(cursor, steps, at)
    return make_selector(cursor.text[start:cursor.pos], tuple(steps), start)


def _read_step(cursor: Cursor) -> Any:
    """One `.name`, `.*`, `.['key']`, `[N]`, `[*]` or `['key']`."""
    if cursor.take("."):
        if cursor.take("*"):
            return Wildcard(True)
        if cursor.at("["):
            return _read_bracket(cursor)
        name = cursor.read(NAME)
        if not name:
            raise cursor.error(f"expected a property name after '.', found {cursor.found()}", "a property name")
        return name.group()
    return _read_bracket(cursor)


def _read_bracket(cursor: Cursor) -> Any:
    """`[N]`, `[*]` or a quoted key for names with dots: `['cluster.name']` [S2]."""
    if cursor.take("[*]"):
        return Wildcard(False)
    index = cursor.read(INDEX)
    if index:
        return int(index.group(1))
    key = cursor.read(QUOTED_KEY)
    if key:
        return key.group(1) if key.group(1) is not None else key.group(2)
    raise cursor.error("expected an array index, '*' or a quoted key inside '[...]'", "'[0]', '[*]' or \"['key']\"")


def _check_wildcards(cursor: Cursor, steps: list, at: int) -> None:
    """At most one wildcard per property selector (limits.MAX_WILDCARDS_PER_SELECTOR)."""
    count = sum(isinstance(step, Wildcard) for step in steps)
    if count > MAX_WILDCARDS_PER_SELECTOR:
        raise cursor.error(f"a property selector can use at most {MAX_WILDCARDS_PER_SELECTOR} wildcard "
                           "selector ('*')", pos=at)


def make_selector(text: str, steps: tuple, start: int = 0) -> Selector:
    """Attach the compiled lookups to a parsed selector."""
    wild = [i for i, step in enumerate(steps) if isinstance(step, Wildcard)]
    if not wild:
        get = compile_get(steps)
        return Selector(text, steps, get, lambda doc: _listed(get(doc)), start)
    split = wild[0]
    return Selector(text, steps, _no_single, compile_select(steps[:split], steps[split], steps[split + 1:]), start)


def compile_get(steps: tuple) -> Callable[[dict], Any]:
    """A lookup from the root object; one- and two-key selectors skip the general loop."""
    if len(steps) == 1 and type(steps[0]) is str:
        key = steps[0]
        return lambda doc: doc.get(key, MISSING)
    if len(steps) == 2 and type(steps[0]) is str and type(steps[1]) is str:
        outer, inner = steps

        def get_nested(doc: dict) -> Any:
            node = doc.get(outer)
            return node.get(inner, MISSING) if type(node) is dict else MISSING

        return get_nested
    return lambda doc: walk(doc, steps)


def walk(node: Any, steps: tuple) -> Any:
    """Follow keys and indexes; a key on a non-object or an index on a non-array is MISSING [S3]."""
    for step in steps:
        if type(step) is str:
            if type(node) is not dict:
                return MISSING
            node = node.get(step, MISSING)
            if node is MISSING:
                return MISSING
        elif type(node) is list and step < len(node):
            node = node[step]
        else:
            return MISSING
    return node


def compile_select(before: tuple, wildcard: Wildcard, after: tuple) -> Callable[[dict], list]:
    """Every value the wildcard reaches (any of them may satisfy a comparison)."""
    def select(doc: dict) -> list:
        found = []
        for child in _children(walk(doc, before), wildcard):
            value = walk(child, after)
            if value is not MISSING:
                found.append(value)
        return found

    return select


def _children(parent: Any, wildcard: Wildcard) -> Any:
    """The children a wildcard selects (semantics.WILDCARD_SELECTS_CHILDREN)."""
    if type(parent) is dict and (WILDCARD_SELECTS_CHILDREN or wildcard.of_objects):
        return parent.values()
    if type(parent) is list and (WILDCARD_SELECTS_CHILDREN or not wildcard.of_objects):
        return parent
    return ()


def _listed(value: Any) -> list:
    """A single lookup as a selection."""
    return [] if value is MISSING else [value]


def _no_single(doc: dict) -> Any:
    """Wildcard selectors have no single value; callers use select()."""
    raise TypeError("a wildcard selector has no single value")
