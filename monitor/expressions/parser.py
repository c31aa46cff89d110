"""A recursive-descent parser from expression text to a tree of frozen dataclasses.

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | NAME | QUOTED | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"
"""

from __future__ import annotations

import difflib
import math

from monitor.expressions.syntax import (FUNCTIONS, MAX_NESTING, Binary, Call, Expr, ExpressionError, Name, Negate,
                                        Number)
from monitor.expressions.tokens import Token, tokenize

OPERAND = "a number, a metric name, a function, '(' or '-'"


def parse(text: str) -> Expr:
    """The tree of `text`; raises ExpressionError (with a 1-based column) for bad syntax,
    an unknown function or a wrong number of arguments. Metric names are not checked here."""
    parser = _Parser(tokenize(text))
    expr = parser.expr()
    if parser.peek().kind != "end":
        raise parser.error("an operator")
    return expr


class _Parser:
    """Reads tokens left to right; every error names the column of the token it stopped at."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0   # parentheses, calls and unary minus open around the current token

    def nest(self, token: Token) -> None:
        """One level deeper at `token`; refused past MAX_NESTING, far from Python's recursion limit."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"the expression nests parentheses, calls and '-' more than {MAX_NESTING} "
                                  "levels deep; write it flatter", token.column)

    def peek(self) -> Token:
        return self.tokens[self.index]

    def next(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, symbol: str) -> bool:
        token = self.peek()
        return token.kind == "symbol" and token.text == symbol

    def error(self, expected: str) -> ExpressionError:
        token = self.peek()
        return ExpressionError(f"expected {expected}, found {token.describe()}", token.column)

    def expect(self, symbol: str) -> None:
        if not self.at(symbol):
            raise self.error(f"'{symbol}'")
        self.next()

    def expr(self) -> Expr:
        return self._binary(("+", "-"), self.term)

    def term(self) -> Expr:
        return self._binary(("*", "/"), self.unary)

    def _binary(self, operators: tuple[str, ...], operand) -> Expr:
        left = operand()
        while self.peek().kind == "symbol" and self.peek().text in operators:
            token = self.next()
            left = Binary(token.text, left, operand(), column=token.column)
        return left

    def unary(self) -> Expr:
        if self.at("-"):
            token = self.next()
            self.nest(token)
            negated = Negate(self.unary(), column=token.column)
            self.depth -= 1
            return negated
        return self.primary()

    def primary(self) -> Expr:
        token = self.peek()
        if self.at("("):
            self.nest(self.next())
            inner = self.expr()
            self.expect(")")
            self.depth -= 1
            return inner
        if token.kind == "number":
            return _number(self.next())
        if token.kind == "quoted":
            return _quoted(self.next())
        if token.kind == "name":
            self.next()
            return self.call(token) if self.at("(") else Name(token.text, column=token.column)
        raise self.error(OPERAND)

    def call(self, name: Token) -> Call:
        self.nest(self.next())
        arguments = [] if self.at(")") else [self.expr()]
        while self.at(","):
            self.next()
            arguments.append(self.expr())
        self.expect(")")
        self.depth -= 1
        return _checked(Call(name.text, tuple(arguments), column=name.column))


def _number(token: Token) -> Number:
    value = float(token.text)
    if math.isinf(value):
        raise ExpressionError(f"number {token.text} is too large", token.column)
    return Number(value, column=token.column)


def _quoted(token: Token) -> Name:
    if not token.text.strip():
        raise ExpressionError("a quoted metric name is empty", token.column)
    return Name(token.text, column=token.column)


def _checked(call: Call) -> Call:
    """The call, if its function exists and takes that many arguments."""
    function = FUNCTIONS.get(call.function)
    if function is None:
        close = difflib.get_close_matches(call.function, FUNCTIONS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ExpressionError(f"unknown function '{call.function}'; {hint}known: {', '.join(FUNCTIONS)}",
                              call.column)
    count = len(call.arguments)
    if count < function.least or (function.most is not None and count > function.most):
        raise ExpressionError(f"{call.function}() takes {_arity(function)}, got {count}", call.column)
    return call


def _arity(function) -> str:
    if function.most is None:
        return f"at least {function.least} argument{'s' if function.least != 1 else ''}"
    return f"exactly {function.least} argument{'s' if function.least != 1 else ''}"
