"""Metric values and dimension values: what a metric filter publishes for a matched event.

A reference is `1` or another number, `$.selector` (JSON patterns), `$field` or `$N`
(space-delimited patterns) [S6][S14][S14a][S22].
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.patterns.cursor import Cursor
from monitor.patterns.delimited import FIELD_NAME, Extracted
from monitor.patterns.errors import PatternError
from monitor.patterns.operands import number_text, to_number
from monitor.patterns.selectors import MISSING, Selector, parse_selector
from monitor.patterns.semantics import (
    DIMENSION_NEEDS_VALUE,
    JSON_REFERENCE_MUST_BE_IN_PATTERN,
    NUMBER,
    NUMERIC_TEXT_IS_A_METRIC_VALUE,
    POSITION_NAMES_ANY_FIELD,
)

FIELD = re.compile(r"\$" + FIELD_NAME.pattern)
POSITION = re.compile(r"\$([1-9][0-9]*)")
USAGE = "expected a number, $.selector (JSON patterns), or $field or $N (space-delimited patterns)"


@dataclass(frozen=True)
class Reference:
    """A parsed metric or dimension value."""

    text: str
    kind: str  # "number" | "json" | "field" | "position" | "invalid"
    number: float | None = None
    selector: Selector | None = None
    position: int = 0
    problem: str | None = None


@lru_cache(maxsize=1024)
def read_reference(text: str) -> Reference:
    """Classify a reference once; problems that do not depend on the pattern are kept."""
    if NUMBER.fullmatch(text):
        number = float(text)
        problem = None if math.isfinite(number) else f"{text} is too large for a metric value"
        return Reference(text, "number", number=number, problem=problem)
    if text.startswith("$."):
        return _json_reference(text)
    if FIELD.fullmatch(text):
        return Reference(text, "field")
    if POSITION.fullmatch(text):
        return Reference(text, "position", position=int(text[1:]))
    return Reference(text, "invalid", problem=f"{USAGE}, found {text!r}")


def _json_reference(text: str) -> Reference:
    """`$.a.b`, parsed with the pattern's own selector grammar."""
    cursor = Cursor(text)
    try:
        selector = parse_selector(cursor)
        if not cursor.done():
            raise cursor.error(f"unexpected {cursor.found()}")
    except PatternError as exc:
        return Reference(text, "invalid", problem=f"{text} is not a valid selector: {exc}")
    problem = f"{text} selects several values: a wildcard cannot be a metric or dimension value"
    return Reference(text, "json", selector=selector, problem=problem if selector.wildcard else None)


def check(kind: str, matcher: Any, text: str) -> str | None:
    """None if the reference can be used with this pattern, else what is allowed."""
    ref = read_reference(text)
    if ref.problem or ref.kind == "number":
        return ref.problem
    if ref.kind == "json":
        return _check_selector(kind, matcher, ref)
    if kind != "delimited":
        return f"{text} needs a space-delimited pattern ([ ... ])"
    if ref.kind == "field":
        return _check_field(matcher, text)
    return _check_position(matcher, ref)


def _check_selector(kind: str, matcher: Any, ref: Reference) -> str | None:
    """$.x needs a JSON pattern (semantics.JSON_REFERENCE_MUST_BE_IN_PATTERN)."""
    if kind != "json":
        return f"{ref.text} needs a JSON pattern ({{ ... }})"
    if JSON_REFERENCE_MUST_BE_IN_PATTERN and ref.selector.text not in matcher.selectors:
        return f"{ref.text} is not used in the pattern; add `{ref.selector.text} = *` to it"
    return None


def _check_field(matcher: Any, text: str) -> str | None:
    """$name must be a named field of the pattern."""
    if text[1:] in matcher.names:
        return None
    if not matcher.names:
        return f"{text} is not a field of this pattern, which names no fields; use $1, $2, ..."
    listed = ", ".join(f"${name}" for name in matcher.names)
    return f"{text} is not a field of this pattern; fields: {listed}"


def _check_position(matcher: Any, ref: Reference) -> str | None:
    """$N is the N-th event field, named or not (semantics.POSITION_NAMES_ANY_FIELD)."""
    named = matcher.head[ref.position - 1].name if ref.position <= len(matcher.head) else None
    if named and not POSITION_NAMES_ANY_FIELD:
        return f"{ref.text} is the named field ${named}; use ${named}"
    width = len(matcher.head) + len(matcher.tail)
    if matcher.ellipsis or ref.position <= width:
        return None
    return f"{ref.text} is beyond this pattern's {width} fields"


def metric_value(ref: Reference, context: Any) -> float | None:
    """The number to publish, or None when the field is absent or not numeric."""
    if ref.kind == "number":
        return ref.number
    raw = lookup(ref, context)
    if type(raw) is str and NUMERIC_TEXT_IS_A_METRIC_VALUE:
        raw = to_number(raw)
    if type(raw) is not int and type(raw) is not float:
        return None
    try:
        number = float(raw)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def dimension_value(ref: Reference, context: Any) -> str | None:
    """The dimension's text, or None to leave the dimension out (semantics.DIMENSION_NEEDS_VALUE)."""
    raw = lookup(ref, context)
    if type(raw) is str:
        return raw if raw or not DIMENSION_NEEDS_VALUE else None
    if type(raw) is int or type(raw) is float:
        return number_text(raw)
    return None


def lookup(ref: Reference, context: Any) -> Any:
    """The raw value a reference points at in a matched event, or None."""
    if ref.kind == "json":
        value = ref.selector.get(context) if type(context) is dict else MISSING
        return None if value is MISSING else value
    if not isinstance(context, Extracted):
        return None
    if ref.kind == "field":
        return context.fields.get(ref.text)
    return context.values[ref.position - 1] if ref.position <= len(context.values) else None
