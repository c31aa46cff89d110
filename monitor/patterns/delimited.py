"""Space-delimited patterns `[ip, user, ..., status_code = 4*, bytes > 1000]` [S1][S3][S5]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from monitor.patterns import logic, semantics
from monitor.patterns.cursor import Cursor
from monitor.patterns.errors import PatternWarning
from monitor.patterns.operands import (
    COMPARE,
    ORDERING,
    Operand,
    is_any,
    read_operand,
    read_operator,
    text_test,
    to_number,
    wildcard_core,
)
from monitor.patterns.semantics import CONDITION_NAMES_OWN_FIELD, DELIMITED_TEXT_EQUALITY, EVENT_FIELD, MAX_ELLIPSES

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NAME_AHEAD = re.compile(r"[(\s]*([A-Za-z_][A-Za-z0-9_]*)")
ELLIPSIS = "..."


@dataclass(frozen=True)
class Extracted:
    """A matched event's fields as TestMetricFilter reports them, and every value by position."""

    fields: dict[str, str]
    values: list[str]


@dataclass(frozen=True)
class Condition:
    """`op value` on the field's text."""

    op: str
    operand: Operand


@dataclass(frozen=True)
class Field:
    """A pattern field: named or not, with an optional condition (a logic expression)."""

    name: str | None
    condition: Any = None


class DelimitedMatcher:
    """A compiled space-delimited pattern: field layout plus per-field tests."""

    wildcards_at: tuple[int, ...] = ()

    def __init__(self, specs: list):
        split = specs.index(ELLIPSIS) if ELLIPSIS in specs else len(specs)
        self.head: list[Field] = specs[:split]
        self.tail: list[Field] = specs[split + 1:]
        self.width = len(self.head) + len(self.tail)
        self.ellipsis = split < len(specs) or not specs  # `[]` extracts everything [S5]
        self.names = tuple(f.name for f in self.head + self.tail if f.name)
        conditions = [f.condition for f in self.head + self.tail if f.condition is not None]
        self.regex_at = tuple(c.operand.start for n in conditions for c in logic.atoms(n) if c.operand.kind == "regex")
        self.checks = _checks(self.head, self.tail)
        self.needles = required_text(conditions)
        self.warnings = spaced_value_warnings(self.head + self.tail, self.ellipsis)

    def match(self, message: str) -> bool:
        """True if the event has the right number of fields and every condition holds."""
        return self.matched_values(message) is not None

    def extract(self, message: str) -> tuple[bool, Extracted | None]:
        """The match and TestMetricFilter's extractedValues ($name, and $N by position) [S5]."""
        values = self.matched_values(message)
        return (False, None) if values is None else (True, Extracted(self.fields(values), values))

    def matched_values(self, message: str) -> list[str] | None:
        """The event's field values if it matches, else None."""
        for needle in self.needles:
            if needle not in message:
                return None
        values = self.layout(message)
        if values is None:
            return None
        for index, test in self.checks:
            if not test(values[index]):
                return None
        return values

    def layout(self, message: str) -> list[str] | None:
        """The event's field values, if their count fits the pattern (semantics.EXACT_FIELD_COUNT)."""
        values, width = split_fields(message), self.width
        if self.ellipsis or len(values) == width:
            return values if len(values) >= width else None
        if semantics.EXACT_FIELD_COUNT or len(values) < width:
            return None
        return absorb_rest(message, width)

    def fields(self, values: list[str]) -> dict[str, str]:
        """Named fields as $name; unnamed and ellipsis-covered ones as $position (1-based)."""
        names = [f.name for f in self.head] + [None] * (len(values) - self.width) + [f.name for f in self.tail]
        return {f"${name or position}": value
                for position, (name, value) in enumerate(zip(names, values), start=1)}


def split_fields(message: str) -> list[str]:
    """The event's field values (semantics.EVENT_FIELD); plain lines take str.split's fast path."""
    if "[" not in message and '"' not in message:
        return message.split()
    return [bracketed or quoted or plain for bracketed, quoted, plain in EVENT_FIELD.findall(message)]


def absorb_rest(message: str, width: int) -> list[str]:
    """The last field takes the raw rest of the line (EXACT_FIELD_COUNT = False)."""
    found = list(EVENT_FIELD.finditer(message))
    values = [next(group for group in m.groups() if group is not None) for m in found[:width - 1]]
    return values + [message[found[width - 1].start():].rstrip()]


def required_text(conditions: list) -> tuple[str, ...]:
    """Text every match contains: field values are substrings of the line, so `= text` cores are."""
    found = []
    for condition in (atom for node in conditions for atom in logic.required_atoms(node)):
        operand = condition.operand
        if condition.op == "=" and operand.kind == "text" and not is_any(operand.text):
            found.append(wildcard_core(operand.text))
    return tuple(needle for needle in dict.fromkeys(found) if needle)


def spaced_value_warnings(fields: list[Field], ellipsis: bool) -> tuple[PatternWarning, ...]:
    """Only the last field takes the rest of the line; any other is one event field (EVENT_FIELD)."""
    absorbing = fields[-1] if fields and not ellipsis and not semantics.EXACT_FIELD_COUNT else None
    return tuple(_spaced_warning(field.name, atom.operand, absorbing is not None) for field in fields
                 if field is not absorbing and field.condition is not None
                 for atom in logic.atoms(field.condition) if _has_space(atom.operand))


def _has_space(operand: Operand) -> bool:
    """A text or regex value with a literal space, which one whitespace-delimited word never holds."""
    text = operand.regex.pattern if operand.kind == "regex" else operand.text
    return operand.kind != "number" and any(char.isspace() for char in text)


def _spaced_warning(name: str, operand: Operand, can_absorb: bool) -> PatternWarning:
    """Say when such a value can match at all, and how to make it match the line as written."""
    fix = (f"make {name} the last field (it then takes the rest of the line), or compare one word" if can_absorb
           else "compare one word (with '...' no field takes the rest of the line)")
    return PatternWarning(f"field {name} is one word of the event unless the event wraps it in [...] or "
                          f"\"...\", so a value with a space matches only such a field; {fix}",
                          operand.start + 1, fix)


def _checks(head: list[Field], tail: list[Field]) -> list[tuple[int, Callable[[str], bool]]]:
    """(index into the event's values, test) for every field with a condition."""
    indexed = list(enumerate(head)) + [(i - len(tail), f) for i, f in enumerate(tail)]
    return [(index, logic.compile_node(f.condition, condition_test))
            for index, f in indexed if f.condition is not None]


def condition_test(condition: Condition) -> Callable[[str], bool]:
    """A test of one extracted value (always a string [S5])."""
    op, operand = condition.op, condition.operand
    if operand.kind == "number":
        return _number_test(op, operand)
    if operand.kind == "regex":
        search = operand.regex.search
        matches = lambda text: search(text) is not None  # noqa: E731
    else:
        matches = text_test(operand.text, operand.quoted)
    return (lambda text: not matches(text)) if op == "!=" else matches


def _number_test(op: str, operand: Operand) -> Callable[[str], bool]:
    """Ordering needs a number; = and != fall back to text (semantics.DELIMITED_TEXT_EQUALITY)."""
    compare, number = COMPARE[op], operand.number
    if op in ORDERING:
        return lambda text: (value := to_number(text)) is not None and compare(value, number)

    def same(text: str) -> bool | None:
        """Equal as numbers, else as text; None when the two cannot be compared."""
        value = to_number(text)
        if value is not None:
            return value == number
        return text == operand.text if DELIMITED_TEXT_EQUALITY else None

    if op == "=":
        return lambda text: same(text) is True
    return lambda text: same(text) is False


def parse_delimited(text: str, start: int, end: int) -> DelimitedMatcher:
    """Parse text[start:end], which starts with '['."""
    cursor = Cursor(text, start, end)
    if not text[start:end].endswith("]"):
        raise cursor.error("unbalanced '[': a pattern that starts with '[' must end with ']'", "']'", end)
    cursor.expect("[")
    specs = read_specs(cursor)
    cursor.skip_space()
    if not cursor.done():
        raise cursor.error("unexpected text after the closing ']'")
    return DelimitedMatcher(specs)


def read_specs(cursor: Cursor) -> list:
    """Comma-separated fields up to ']'; an empty entry (`[a,]`) is an unnamed field [S5]."""
    cursor.skip_space()
    if cursor.take("]"):
        return []
    specs: list = []
    while True:
        cursor.skip_space()
        at = cursor.pos
        specs.append(read_spec(cursor))
        _check_spec(cursor, specs, at)
        cursor.skip_space()
        if cursor.take("]"):
            return specs
        if not cursor.take(","):
            raise cursor.error(f"expected ',' or ']' after the field, found {cursor.found()}", "',' or ']'")


def read_spec(cursor: Cursor) -> Any:
    """`...`, an empty (unnamed) field, a bare name, or a name with conditions."""
    cursor.skip_space()
    if cursor.take(ELLIPSIS):
        return ELLIPSIS
    if cursor.at(",") or cursor.at("]"):
        return Field(None)
    ahead = NAME_AHEAD.match(cursor.text, cursor.pos, cursor.end)
    if not ahead:
        raise cursor.error(f"expected a field name, '...' or ',', found {cursor.found()}", "a field name")
    name, start = ahead.group(1), cursor.pos
    if cursor.read(FIELD_NAME):
        cursor.skip_space()
        if cursor.at(",") or cursor.at("]"):
            return Field(name)
    cursor.pos = start
    return Field(name, logic.parse_expression(cursor, lambda c: read_condition(c, name)))


def read_condition(cursor: Cursor, field: str) -> Condition:
    """`field op value`: each condition tests its own field [S1]."""
    cursor.skip_space()
    start = cursor.pos
    found = cursor.read(FIELD_NAME)
    if not found:
        raise cursor.error(f"expected the field name '{field}', found {cursor.found()}", f"'{field}'")
    if found.group() != field and CONDITION_NAMES_OWN_FIELD:
        raise cursor.error(f"this condition names '{found.group()}' but belongs to field '{field}': "
                           "a field's conditions can only test that field", f"'{field}'", start)
    op = read_operator(cursor)
    if op is None:
        raise cursor.error(f"expected an operator (=, !=, <, >, <=, >=) after '{field}', found {cursor.found()}",
                           "an operator")
    return Condition(op, read_operand(cursor, op, ",]"))


def _check_spec(cursor: Cursor, specs: list, at: int) -> None:
    """One `...` at most (semantics.MAX_ELLIPSES); field names are unique."""
    if specs.count(ELLIPSIS) > MAX_ELLIPSES:
        raise cursor.error(f"a pattern can use '...' at most {MAX_ELLIPSES} time", pos=at)
    names = [spec.name for spec in specs if spec != ELLIPSIS and spec.name]
    if len(names) != len(set(names)):
        raise cursor.error(f"field '{names[-1]}' is named twice", pos=at)
