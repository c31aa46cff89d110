"""A composite alarm's AlarmRule: parsed, checked, and its alarm names rewritten. Pure.

The syntax is PutCompositeAlarm's (AlarmRule, CloudWatch API reference,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
`ALARM(name)`, `OK(name)` and `INSUFFICIENT_DATA(name)` are true when the named alarm is in that
state, `TRUE` and `FALSE` are constants, `AND`, `OR` and `NOT` combine them, and parentheses group.
A name "can be surrounded with double-quotes ("), but do not have to be". The page writes every
function and operator in capitals, and so must a rule here. The rule has "as many as 100
"children" alarms" and "as many as 500 elements. Elements are child alarms, TRUE or FALSE
statements, and parentheses": a pair of grouping parentheses counts here as one element.

In the config a rule names the container's own alarms by their short names; the rule sent to AWS
names each by its full name, quoted: `ALARM(errors-high)` becomes
`ALARM("monitor/honban/web/app/errors-high")`. Everything else is sent as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FUNCTIONS = ("ALARM", "OK", "INSUFFICIENT_DATA")
CONSTANTS = ("TRUE", "FALSE")
OPERATORS = ("AND", "OR")
KEYWORDS = FUNCTIONS + CONSTANTS + OPERATORS + ("NOT",)
WORD = re.compile(r"[A-Za-z_]+")
EXPECTED = "ALARM(name), OK(name), INSUFFICIENT_DATA(name), TRUE, FALSE, NOT or '('"


class RuleError(ValueError):
    """What is wrong with a rule, and where: `offset` is the 0-based index in its text."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Reference:
    """One alarm a rule names: its name, and the span of the function's argument (quotes included)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Rule:
    text: str
    references: tuple[Reference, ...]
    elements: int   # child alarms, TRUE and FALSE, and pairs of grouping parentheses

    @property
    def names(self) -> list[str]:
        """The alarms named, each once, in the order they first appear."""
        return list(dict.fromkeys(reference.name for reference in self.references))


def parse(text: str) -> Rule:
    """The rule, or RuleError at the first thing AWS would refuse."""
    parser = _Parser(text)
    parser.expression()
    parser.skip()
    if parser.pos < len(text):
        raise RuleError(parser.pos, f"unexpected '{text[parser.pos:parser.pos + 20].split()[0]}' after a complete "
                                    "condition: join conditions with AND or OR")
    return Rule(text, tuple(parser.references), parser.elements)


def names(text: str) -> list[str]:
    """The alarms a rule read from AWS names; [] when it does not parse (it then ranks first)."""
    try:
        return parse(text).names
    except RuleError:
        return []


def rewrite(rule: Rule, full: Callable[[str], str]) -> str:
    """The rule with each name replaced by `"<full(name)>"`, the rest as written."""
    text = rule.text
    for reference in sorted(rule.references, key=lambda r: r.start, reverse=True):
        text = f'{text[:reference.start]}"{full(reference.name)}"{text[reference.end:]}'
    return text


class _Parser:
    """Recursive descent: expression := unary ((AND | OR) unary)*; unary := NOT unary | primary."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.references: list[Reference] = []
        self.elements = 0

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _word(self) -> re.Match | None:
        self.skip()
        return WORD.match(self.text, self.pos)

    def expression(self) -> None:
        self.unary()
        while (word := self._word()) and word.group() in OPERATORS:
            self.pos = word.end()
            self.unary()
        word = self._word()
        if word and word.group().upper() in OPERATORS:
            raise RuleError(self.pos, f"'{word.group()}': write {word.group().upper()} in capitals")

    def unary(self) -> None:
        word = self._word()
        if word and word.group() == "NOT":
            self.pos = word.end()
            self.unary()
        else:
            self.primary()

    def primary(self) -> None:
        self.skip()
        if self.pos >= len(self.text):
            raise RuleError(self.pos, f"the rule ends where {EXPECTED} is expected")
        if self.text[self.pos] == "(":
            self.pos += 1
            self.elements += 1
            self.expression()
            self._close("the '(' opened before")
            return
        word = self._word()
        if word is None:
            raise RuleError(self.pos, f"unexpected '{self.text[self.pos]}': expected {EXPECTED}")
        if word.group() in CONSTANTS:
            self.pos = word.end()
            self.elements += 1
        elif word.group() in FUNCTIONS:
            self.pos = word.end()
            self.skip()
            if self.text[self.pos:self.pos + 1] != "(":
                raise RuleError(self.pos, f"{word.group()} takes an alarm name in parentheses: {word.group()}(name)")
            self.pos += 1
            self._argument()
        elif word.group().upper() in KEYWORDS:
            raise RuleError(self.pos, f"'{word.group()}': write {word.group().upper()} in capitals")
        else:
            raise RuleError(self.pos, f"unexpected '{word.group()}': expected {EXPECTED}")

    def _argument(self) -> None:
        """`"name"` or a bare name up to the `)`; a bare name holds no parenthesis or quote."""
        self.skip()
        start = self.pos
        if self.text[start:start + 1] == '"':
            end = self.text.find('"', start + 1)
            if end < 0:
                raise RuleError(start, "this quote is never closed")
            name, self.pos = self.text[start + 1:end], end + 1
        else:
            end = self.text.find(")", start)
            if end < 0:
                raise RuleError(start, "the alarm name is never closed with ')'")
            name = self.text[start:end].rstrip()
            if "(" in name or '"' in name:
                raise RuleError(start, f"'{name}': a name with '(' or '\"' in it cannot be written here")
            self.pos = start + len(name)
        if not name.strip():
            raise RuleError(start, "an alarm name is missing")
        self.references.append(Reference(name, start, self.pos))
        self.elements += 1
        self._close("the alarm name")

    def _close(self, what: str) -> None:
        self.skip()
        if self.text[self.pos:self.pos + 1] != ")":
            raise RuleError(self.pos, f"expected ')' to close {what}")
        self.pos += 1
