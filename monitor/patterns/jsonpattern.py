"""JSON patterns `{ ... }` [S1][S2]: selectors compared with values, joined by && and ||."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from monitor.patterns import logic
from monitor.patterns.cursor import Cursor
from monitor.patterns.operands import (
    COMPARE,
    Operand,
    is_any,
    number_text,
    read_operand,
    read_operator,
    text_test,
    to_number,
    wildcard_core,
)
from monitor.patterns.selectors import MISSING, Selector, parse_selector
from monitor.patterns.semantics import (
    IS_MATCHES_TEXT,
    NOT_EQUAL_WHEN_MISSING,
    NUMBER_OPERAND_MATCHES_STRING,
    REJECTED_JSON_CONSTANTS,
    TEXT_OPERAND_MATCHES_NUMBER,
)

KEYWORD = re.compile(r"[A-Za-z]+")
NUMBER_LIKE = re.compile(r"[0-9.eE+-]*")
JSON_SPACE = " \t\n\r"
STATES = {"NULL": None, "TRUE": True, "FALSE": False}


def _reject_constant(name: str) -> None:
    """json calls this for exactly semantics.REJECTED_JSON_CONSTANTS, which are not JSON."""
    raise ValueError(f"{name} is not JSON ({', '.join(REJECTED_JSON_CONSTANTS)} never are)")


_decode = json.JSONDecoder(parse_constant=_reject_constant).decode


@dataclass(frozen=True)
class Comparison:
    """One `selector op value`, `selector IS state` or `selector NOT EXISTS`."""

    selector: Selector
    op: str
    operand: Operand | None = None


class JsonMatcher:
    """A compiled JSON pattern; matching skips json.loads when required text is absent."""

    def __init__(self, expression: Any):
        comparisons = logic.atoms(expression)
        self.selectors = tuple(dict.fromkeys(c.selector.text for c in comparisons))
        self.regex_at = tuple(c.operand.start for c in comparisons if c.operand and c.operand.kind == "regex")
        self.wildcards_at = tuple(c.selector.start for c in comparisons if c.selector.wildcard)
        self.warnings: tuple = ()
        self.needles = required_text(expression)
        self.test = logic.compile_node(expression, compile_comparison)

    def match(self, message: str) -> bool:
        """True if the event is a JSON object satisfying the expression."""
        for needle in self.needles:
            if needle not in message and "\\" not in message:
                return False
        doc = load(message)
        return doc is not None and self.test(doc)

    def extract(self, message: str) -> tuple[bool, Any]:
        """The match and the parsed event, for metric values and dimensions."""
        doc = load(message)
        return (doc is not None and self.test(doc)), doc


def load(message: str) -> dict | None:
    """The event as a JSON object, or None: other events never match [S1]."""
    if message[:1] != "{" and message.lstrip(JSON_SPACE)[:1] != "{":
        return None
    try:
        doc = _decode(message)
    except (ValueError, RecursionError):
        return None
    return doc if type(doc) is dict else None


def parse_json(text: str, start: int, end: int) -> JsonMatcher:
    """Parse text[start:end], which starts with '{'."""
    cursor = Cursor(text, start, end)
    if not text[start:end].endswith("}"):
        raise cursor.error("unbalanced '{': a pattern that starts with '{' must end with '}'", "'}'", end)
    cursor.expect("{")
    expression = logic.parse_expression(cursor, parse_comparison)
    cursor.skip_space()
    if not cursor.at("}"):
        raise cursor.error(f"expected '&&', '||' or '}}', found {cursor.found()}", "'&&', '||' or '}'")
    cursor.pos += 1
    cursor.skip_space()
    if not cursor.done():
        raise cursor.error("unexpected text after the closing '}'")
    return JsonMatcher(expression)


def parse_comparison(cursor: Cursor) -> Comparison:
    """selector (op value | IS NULL | IS TRUE | IS FALSE | NOT EXISTS) [S1]."""
    selector = parse_selector(cursor)
    cursor.skip_space()
    if KEYWORD.match(cursor.text, cursor.pos, cursor.end):
        return Comparison(selector, read_keyword(cursor))
    op = read_operator(cursor)
    if op is None:
        raise cursor.error(f"expected an operator (=, !=, <, >, <=, >=), IS or NOT EXISTS after {selector.text}, "
                           f"found {cursor.found()}", "an operator")
    return Comparison(selector, op, read_operand(cursor, op, "}"))


def read_keyword(cursor: Cursor) -> str:
    """IS NULL | IS TRUE | IS FALSE | NOT EXISTS; IS NOT and EXISTS are unsupported [S1]."""
    first = _word(cursor)
    if first == "IS":
        return "IS " + _read_state(cursor)
    if first == "NOT":
        return _read_exists(cursor)
    if first == "EXISTS":
        raise cursor.error("EXISTS is not supported by CloudWatch Logs: use `= *` to require a value",
                           pos=cursor.pos - 6)
    raise cursor.error(f"expected an operator (=, !=, <, >, <=, >=), IS or NOT EXISTS, found '{first}'",
                       "an operator", cursor.pos - len(first))


def _read_state(cursor: Cursor) -> str:
    """NULL, TRUE or FALSE after IS."""
    state = _word(cursor)
    if state in STATES:
        return state
    if state == "NOT":
        raise cursor.error("IS NOT is not supported by CloudWatch Logs: use NOT EXISTS, or != with a value",
                           pos=cursor.pos - 3)
    raise cursor.error("expected NULL, TRUE or FALSE after IS", "NULL, TRUE or FALSE", cursor.pos - len(state))


def _read_exists(cursor: Cursor) -> str:
    """EXISTS after NOT."""
    word = _word(cursor)
    if word == "EXISTS":
        return "NOT EXISTS"
    raise cursor.error("expected EXISTS after NOT", "EXISTS", cursor.pos - len(word))


def _word(cursor: Cursor) -> str:
    """The next upper-case keyword; a lower-case one gets a hint rather than a puzzle."""
    cursor.skip_space()
    start = cursor.pos
    found = cursor.read(KEYWORD)
    word = found.group() if found else ""
    if word.upper() in ("IS", "NOT", "EXISTS", *STATES) and word != word.upper():
        raise cursor.error(f"write '{word}' in upper case: {word.upper()}", word.upper(), start)
    return word


def compile_comparison(comparison: Comparison) -> Callable[[dict], bool]:
    """A test of the root object; wildcards match when any selected value does [S2]."""
    selector, op = comparison.selector, comparison.op
    if op == "NOT EXISTS":
        if selector.wildcard:
            return lambda doc: not selector.select(doc)
        get = selector.get
        return lambda doc: get(doc) is MISSING
    test = value_test(op, comparison.operand)
    if selector.wildcard:
        select = selector.select
        return lambda doc: any(map(test, select(doc)))
    get = selector.get
    if op == "!=" and NOT_EQUAL_WHEN_MISSING:
        return lambda doc: (value := get(doc)) is MISSING or test(value)
    return lambda doc: test(get(doc))


def value_test(op: str, operand: Operand | None) -> Callable[[Any], bool]:
    """A test of one selected value (MISSING fails every test)."""
    if op.startswith("IS "):
        state, word = STATES[op[3:]], op[3:].lower()
        if IS_MATCHES_TEXT:
            return lambda value: value is state or value == word
        return lambda value: value is state
    if operand.kind == "number":
        return _number_test(COMPARE[op], operand.number)
    if operand.kind == "regex":
        search = operand.regex.search
        return _text_value_test(lambda text: search(text) is not None, op == "!=")
    return _text_value_test(text_test(operand.text, operand.quoted), op == "!=")


def _number_test(compare: Callable, number: float) -> Callable[[Any], bool]:
    """Numbers compare with JSON numbers only (semantics.NUMBER_OPERAND_MATCHES_STRING)."""
    def test(value: Any) -> bool:
        kind = type(value)
        if kind is int or kind is float:
            return compare(value, number)
        if kind is str and NUMBER_OPERAND_MATCHES_STRING:
            parsed = to_number(value)
            return parsed is not None and compare(parsed, number)
        return False

    return test


def _text_value_test(matches: Callable[[str], bool], negate: bool) -> Callable[[Any], bool]:
    """Strings, and numbers by their text; null, booleans and containers fail = and != [S3]."""
    def test(value: Any) -> bool:
        kind = type(value)
        if kind is str:
            return matches(value) is not negate
        if (kind is int or kind is float) and TEXT_OPERAND_MATCHES_NUMBER:
            text = number_text(value)
            return text is not None and matches(text) is not negate
        return False

    return test


def required_text(expression: Any) -> tuple[str, ...]:
    """Text every matching line must contain unless it has JSON escapes: keys and `=` literals."""
    found: list[str] = []
    for comparison in logic.required_atoms(expression):
        if comparison.op == "NOT EXISTS" or (comparison.op == "!=" and NOT_EQUAL_WHEN_MISSING):
            continue
        found += [f'"{key}"' for key in comparison.selector.keys]
        found += _literal(comparison)
    return tuple(dict.fromkeys(found))


def _literal(comparison: Comparison) -> list[str]:
    """The literal part of `= text` (numbers are skipped: their raw text may differ)."""
    operand = comparison.operand
    if comparison.op != "=" or operand.kind != "text" or is_any(operand.text):
        return []
    core = wildcard_core(operand.text)
    return [core] if core and not NUMBER_LIKE.fullmatch(core) else []
