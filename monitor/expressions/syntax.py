"""The expression tree, its errors, and its one printed form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.problems import ERROR, Check

PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_TOKENS = 128   # far beyond a real derived metric; keeps parsing and evaluation off Python's recursion limit
MAX_NESTING = 32   # parentheses, calls and unary minus open at once; the parser and the tree's walks recurse per level

SYNTAX = Check("EXP-010", ERROR, "a derived metric's expression that does not parse")
CHECKS = (SYNTAX,)


@dataclass(frozen=True)
class Issue:
    """A problem with a derived metric: `column` is 1-based inside the `expr` text (None: the whole value)."""

    message: str
    column: int | None = None
    check: Check = SYNTAX

    @property
    def severity(self) -> str:
        return self.check.severity


class ExpressionError(ValueError):
    """An expression that cannot be parsed; `column` is 1-based inside the expression text."""

    def __init__(self, message: str, column: int):
        super().__init__(message, column)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"

    def issue(self) -> Issue:
        """The error as a value, for a validator that collects every problem."""
        return Issue(self.message, self.column)


@dataclass(frozen=True)
class Function:
    """A built-in function: how many arguments it takes (`most` None: any number)."""

    name: str
    least: int
    most: int | None
    summary: str


FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("sum", 1, None, "sum(x): across label sets; sum(a, b, ...): across arguments"),
    Function("max", 1, None, "max(x): across label sets; max(a, b, ...): across arguments"),
    Function("min", 1, None, "min(x): across label sets; min(a, b, ...): across arguments"),
    Function("rate", 1, 1, "rate(x): x per second of the window"),
    Function("abs", 1, 1, "abs(x): absolute value"),
)}

# Binding strength of the binary operators; unary minus binds tighter than all of them.
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
UNARY = 3


@dataclass(frozen=True)
class Number:
    """A literal, never negative (a leading '-' is a Negate)."""

    value: float
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """A metric the config produces, by its CloudWatch metric name."""

    name: str
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Negate:
    operand: Expr
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Binary:
    operator: str   # one of + - * /
    left: Expr
    right: Expr
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Expr, ...]
    column: int = field(default=0, compare=False, repr=False)


Expr = Number | Name | Negate | Binary | Call


def unparse(expr: Expr) -> str:
    """The canonical text of a tree, with only the parentheses it needs; parse(unparse(e)) == e."""
    if isinstance(expr, Number):
        return repr(float(expr.value))
    if isinstance(expr, Name):
        return expr.name if PLAIN_NAME.fullmatch(expr.name) else f'"{expr.name}"'
    if isinstance(expr, Negate):
        return "-" + _wrapped(expr.operand, UNARY)
    if isinstance(expr, Call):
        return f"{expr.function}({', '.join(unparse(a) for a in expr.arguments)})"
    strength = PRECEDENCE[expr.operator]
    # Operators group left to right, so a right operand of equal strength needs parentheses.
    return f"{_wrapped(expr.left, strength)} {expr.operator} {_wrapped(expr.right, strength + 1)}"


def _wrapped(expr: Expr, strength: int) -> str:
    text = unparse(expr)
    return f"({text})" if isinstance(expr, Binary) and PRECEDENCE[expr.operator] < strength else text


def names(expr: Expr) -> list[Name]:
    """Every metric reference in the tree, left to right."""
    if isinstance(expr, Name):
        return [expr]
    return [found for child in children(expr) for found in names(child)]


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct subexpressions of a node."""
    if isinstance(expr, Negate):
        return (expr.operand,)
    if isinstance(expr, Binary):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.arguments
    return ()
