"""The boolean layer JSON and space-delimited conditions share: () before && before || [S1]."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from monitor.patterns.cursor import Cursor

Test = Callable[[Any], bool]


@dataclass(frozen=True)
class Branch:
    """All (`&&`) or any (`||`) of the children must hold."""

    every: bool
    children: tuple


def parse_expression(cursor: Cursor, parse_atom: Callable[[Cursor], Any]) -> Any:
    """or-expression := and-expression ('||' and-expression)*"""
    terms = [parse_conjunction(cursor, parse_atom)]
    while _take(cursor, "||"):
        terms.append(parse_conjunction(cursor, parse_atom))
    return terms[0] if len(terms) == 1 else Branch(False, tuple(terms))


def parse_conjunction(cursor: Cursor, parse_atom: Callable[[Cursor], Any]) -> Any:
    """and-expression := factor ('&&' factor)*"""
    factors = [parse_factor(cursor, parse_atom)]
    while _take(cursor, "&&"):
        factors.append(parse_factor(cursor, parse_atom))
    return factors[0] if len(factors) == 1 else Branch(True, tuple(factors))


def parse_factor(cursor: Cursor, parse_atom: Callable[[Cursor], Any]) -> Any:
    """factor := '(' or-expression ')' | atom"""
    cursor.skip_space()
    opened = cursor.pos
    if not cursor.take("("):
        return parse_atom(cursor)
    cursor.nest()
    node = parse_expression(cursor, parse_atom)
    cursor.skip_space()
    cursor.expect(")", f" to close the '(' at column {opened + 1}")
    cursor.unnest()
    return node


def _take(cursor: Cursor, operator: str) -> bool:
    """Consume a logical operator after optional whitespace."""
    cursor.skip_space()
    return cursor.take(operator)


def compile_node(node: Any, compile_atom: Callable[[Any], Test]) -> Test:
    """Turn a parsed expression into one closure, evaluated with short-circuits."""
    if not isinstance(node, Branch):
        return compile_atom(node)
    tests = [compile_node(child, compile_atom) for child in node.children]
    return _every(tests) if node.every else _some(tests)


def _every(tests: list[Test]) -> Test:
    """All tests hold; the two-test case (the common one) avoids a loop."""
    if len(tests) == 2:
        first, second = tests
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        for test in tests:
            if not test(value):
                return False
        return True

    return every


def _some(tests: list[Test]) -> Test:
    """Any test holds."""
    if len(tests) == 2:
        first, second = tests
        return lambda value: first(value) or second(value)

    def some(value: Any) -> bool:
        for test in tests:
            if test(value):
                return True
        return False

    return some


def atoms(node: Any) -> list:
    """Every atom in the expression, left to right."""
    if isinstance(node, Branch):
        return [atom for child in node.children for atom in atoms(child)]
    return [node]


def required_atoms(node: Any) -> list:
    """Atoms that must all hold for the expression to hold (those joined by && only)."""
    if not isinstance(node, Branch):
        return [node]
    if not node.every:
        return []
    return [atom for child in node.children for atom in required_atoms(child)]
