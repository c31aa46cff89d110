"""A composite alarm's AlarmRule: parsed, checked, and its alarm names rewritten. Pure.

The syntax is PutCompositeAlarm's (AlarmRule, CloudWatch API reference,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html):
`ALARM(name)`, `OK(name)` and `INSUFFICIENT_DATA(name)` are true when the named alarm is in that
state, `TRUE` and `FALSE` are constants, `AND`, `OR` and `NOT` combine them, and parentheses group.
A name "can be surrounded with double-quotes ("), but do not have to be". The page writes every
function and operator in capitals, and so must a rule here. The rule has "as many as 100
"children" alarms" and "as many as 500 elements. Elements are child alarms, TRUE or FALSE
statements, and parentheses": a pair of grouping parentheses counts here as one element.

`AT_LEAST(M, STATE, (name, name, ...))` is true when at least M of the listed alarms are in STATE:
M a number or a percentage (`50%`), STATE one of ALARM, OK, INSUFFICIENT_DATA or their negations
NOT_ALARM, NOT_OK, NOT_INSUFFICIENT_DATA (CloudWatch User Guide, "Composite alarms", rule
expressions, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-combining.html;
the CDK's AlarmRule.atLeast and AtLeastThreshold.count/percentage build the same expression,
https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_cloudwatch.AtLeastThreshold.html).

In the config a rule names the container's own alarms by their short names; the rule sent to AWS
names each by its full name, quoted: `ALARM(errors-high)` becomes
`ALARM("monitor/honban/web/app/errors-high")`. A quoted name that is not a short name of the
container (another container's alarm by its full name, or an alarm that is not ours) is sent as
written: AWS takes "either alarm names or ARNs" (PutCompositeAlarm AlarmRule). Everything else is
sent as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

FUNCTIONS = ("ALARM", "OK", "INSUFFICIENT_DATA")
CONSTANTS = ("TRUE", "FALSE")
OPERATORS = ("AND", "OR")
AT_LEAST = "AT_LEAST"
STATES = FUNCTIONS + tuple(f"NOT_{state}" for state in FUNCTIONS)   # AT_LEAST's STATE
KEYWORDS = FUNCTIONS + CONSTANTS + OPERATORS + ("NOT", AT_LEAST)
WORD = re.compile(r"[A-Za-z_]+")
COUNT = re.compile(r"(\d+(\.\d+)?)(%?)")
EXPECTED = "ALARM(name), OK(name), INSUFFICIENT_DATA(name), AT_LEAST(M, STATE, (names)), TRUE, FALSE, NOT or '('"
MAX_NESTING = 32
"""Deepest nesting of `(` and `NOT` accepted. Not an AWS limit (AWS counts elements, at most 500):
it keeps this recursive parser far from Python's recursion limit, so a rule only ever raises
RuleError; a rule people can read nests a few levels."""


class RuleError(ValueError):
    """What is wrong with a rule, and where: `offset` is the 0-based index in its text."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Reference:
    """One alarm a rule names: its name, the span of the function's argument (quotes included),
    and whether it was written in quotes."""

    name: str
    start: int
    end: int
    quoted: bool = False


@dataclass(frozen=True)
class AlarmRule:
    text: str
    references: tuple[Reference, ...]
    elements: int   # child alarms, TRUE and FALSE, and pairs of grouping parentheses

    @property
    def names(self) -> list[str]:
        """The alarms named, each once, in the order they first appear."""
        return list(dict.fromkeys(reference.name for reference in self.references))


@lru_cache(maxsize=4096)
def parse(text: str) -> AlarmRule:
    """The rule, or RuleError at the first thing AWS would refuse (an AlarmRule is frozen: shared safely)."""
    parser = _Parser(text)
    parser.expression()
    parser.skip()
    if parser.pos < len(text):
        raise RuleError(parser.pos, f"unexpected '{text[parser.pos:parser.pos + 20].split()[0]}' after a complete "
                                    "condition: join conditions with AND or OR")
    return AlarmRule(text, tuple(parser.references), parser.elements)


def names(text: str) -> list[str]:
    """The alarms a rule read from AWS names; [] when it does not parse (it then ranks first)."""
    try:
        return parse(text).names
    except RuleError:
        return []


def alarm_names(text: str) -> frozenset[str]:
    """The alarms a rule read from AWS names, by name: an ARN (`arn:aws:cloudwatch:<region>:<account>:
    alarm:<name>`, which AlarmRule takes too) is read as the name it ends with. Empty when it does not parse."""
    return frozenset(name.split(":alarm:", 1)[1] if name.startswith("arn:") and ":alarm:" in name else name
                     for name in names(text))


def rewrite(rule: AlarmRule, full: Callable[[str], str | None]) -> str:
    """The rule with each name replaced by `"<full(name)>"`, the rest as written; a name `full`
    gives None for (a quoted full name, say) stays as written."""
    text = rule.text
    for reference in sorted(rule.references, key=lambda r: r.start, reverse=True):
        name = full(reference.name)
        if name is not None:
            text = f'{text[:reference.start]}"{name}"{text[reference.end:]}'
    return text


class _Parser:
    """Recursive descent: expression := unary ((AND | OR) unary)*; unary := NOT unary | primary."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.references: list[Reference] = []
        self.elements = 0
        self.operator: str | None = None   # the AND or OR just read, while its right operand is parsed
        self.depth = 0   # `(` and `NOT` open around the current position

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
            self.operator = word.group()
            self.unary()
            self.operator = None
        word = self._word()
        if word and word.group().upper() in OPERATORS:
            raise RuleError(self.pos, f"'{word.group()}': write {word.group().upper()} in capitals")

    def unary(self) -> None:
        word = self._word()
        if word and word.group() == "NOT":
            self._nest()
            self.pos = word.end()
            self.unary()
            self.depth -= 1
        else:
            self.primary()

    def _nest(self) -> None:
        """One level deeper (a `(` or a `NOT` at self.pos), refused past MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise RuleError(self.pos, f"the rule nests '(' and NOT more than {MAX_NESTING} levels deep; "
                                      "write it flatter (AT_LEAST, or AND and OR over more alarms)")

    def primary(self) -> None:
        self.skip()
        if self.pos >= len(self.text):
            after = f" after {self.operator}" if self.operator else ""
            raise RuleError(self.pos, f"the rule ends where a condition is expected{after}: {EXPECTED}")
        if self.text[self.pos] == "(":
            self._nest()
            self.pos += 1
            self.elements += 1
            self.expression()
            self._close("the '(' opened before")
            self.depth -= 1
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
            self._close("the alarm name")
        elif word.group() == AT_LEAST:
            self.pos = word.end()
            self._at_least()
        elif word.group() in OPERATORS:
            after = f"after {self.operator}" if self.operator else "here"
            raise RuleError(self.pos, f"'{word.group()}': a condition is expected {after} ({EXPECTED}), "
                                      f"not another operator")
        elif word.group().upper() in KEYWORDS:
            raise RuleError(self.pos, f"'{word.group()}': write {word.group().upper()} in capitals")
        else:
            raise RuleError(self.pos, f"unexpected '{word.group()}': expected {EXPECTED}")

    def _at_least(self) -> None:
        """`(M, STATE, (name, name, ...))`: M a positive number or a percentage, STATE one of STATES."""
        self._expect("(", "AT_LEAST takes (M, STATE, (alarm names)): AT_LEAST(2, ALARM, (a, b))")
        self.skip()
        count = COUNT.match(self.text, self.pos)
        if count is None or float(count.group(1)) <= 0 or (count.group(3) and float(count.group(1)) > 100):
            raise RuleError(self.pos, "AT_LEAST's first argument is how many alarms: a number above 0, or a "
                                      "percentage such as 50%")
        self.pos = count.end()
        self._expect(",", "expected ',' after AT_LEAST's count: AT_LEAST(M, STATE, (alarm names))")
        word = self._word()
        if word is None or word.group() not in STATES:
            raise RuleError(self.pos, f"AT_LEAST's second argument is a state: {', '.join(STATES)}")
        self.pos = word.end()
        self._expect(",", "expected ',' after AT_LEAST's state: AT_LEAST(M, STATE, (alarm names))")
        self._expect("(", "AT_LEAST's alarms go in parentheses: AT_LEAST(M, STATE, (a, b))")
        self._argument(",)")
        while self.text[self.pos:self.pos + 1] == ",":
            self.pos += 1
            self._argument(",)")
        self._close("AT_LEAST's list of alarms")
        self._close("AT_LEAST(")

    def _expect(self, char: str, message: str) -> None:
        self.skip()
        if self.text[self.pos:self.pos + 1] != char:
            raise RuleError(self.pos, message)
        self.pos += 1

    def _argument(self, ends: str = ")") -> None:
        """`"name"` or a bare name up to the first of `ends`; a bare name holds no parenthesis or quote
        (nor, in AT_LEAST's list, a comma)."""
        self.skip()
        start = self.pos
        quoted = self.text[start:start + 1] == '"'
        if quoted:
            end = self.text.find('"', start + 1)
            if end < 0:
                raise RuleError(start, "this quote is never closed")
            name, self.pos = self.text[start + 1:end], end + 1
        else:
            end = min((i for i in (self.text.find(char, start) for char in ends) if i >= 0), default=-1)
            if end < 0:
                raise RuleError(start, "the alarm name is never closed with ')'")
            name = self.text[start:end].rstrip()
            if "(" in name or '"' in name:
                raise RuleError(start, f"'{name}': a name with '(' or '\"' in it cannot be written here")
            self.pos = start + len(name)
        if not name.strip():
            raise RuleError(start, "an alarm name is missing")
        self.references.append(Reference(name, start, self.pos, quoted))
        self.elements += 1
        self.skip()

    def _close(self, what: str) -> None:
        self.skip()
        if self.text[self.pos:self.pos + 1] != ")":
            raise RuleError(self.pos, f"expected ')' to close {what}")
        self.pos += 1
