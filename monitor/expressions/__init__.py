"""The small, safe expression language of derived metrics. No eval: text is tokenized, parsed
into frozen dataclasses, and evaluated by walking the tree.

    >>> evaluate(parse("SlowRequests / Requests"), {"SlowRequests": 3, "Requests": 12})
    0.25

Grammar (whitespace is free between tokens; at most 128 tokens):

    expr     := term (("+" | "-") term)*          left to right
    term     := unary (("*" | "/") unary)*         left to right, binds tighter than + -
    unary    := "-" unary | primary                binds tighter than * /
    primary  := NUMBER | metric | call | "(" expr ")"
    metric   := NAME | '"' any characters but '"' '"'   a CloudWatch metric name the config produces
    call     := NAME "(" [expr ("," expr)*] ")"
    NAME     := [A-Za-z_][A-Za-z0-9_]*
    NUMBER   := 10, 1.5, .5, 1e-3, 1e+16

A NAME followed by "(" is a function call, so a metric may share a function's name.

Functions:
    sum(x) max(x) min(x)  with one argument: across every label set evaluated (all containers),
                          giving one series with no labels; label sets without data are left
                          out, and none at all gives no sample.
    sum(a, b, ...) max(a, b, ...) min(a, b, ...)
                          with two or more: across the arguments, label set by label set; a
                          missing argument gives no sample (as arithmetic does).
    rate(x)               x divided by the window in seconds. For a metric fetched with the Sum
                          statistic over one period, that is the average per-second rate over
                          the period (Sum 120 over a 60 s period -> 2.0); for other statistics
                          it is only a division.
    abs(x)                absolute value.

Missing data: a metric with no value for a label set, a division by zero, and a NaN or infinite
result give no sample, never 0 or NaN. A derived entry may say otherwise with `on_missing: N`
(the value of a metric that has none) and `on_zero_division: N` (the value of x / 0).
"""

from monitor.expressions.checks import derived_problems, expression_issues, unknown_names
from monitor.expressions.evaluate import COLLAPSED, LabelSet, Options, evaluate, evaluate_vector
from monitor.expressions.names import LABEL_NAMES, name_issues
from monitor.expressions.parser import parse
from monitor.expressions.syntax import (
           FUNCTIONS,
           Binary,
           Call,
           Expr,
           ExpressionError,
           Issue,
           Name,
           Negate,
           Number,
           names,
           unparse,
)

__all__ = ["COLLAPSED", "FUNCTIONS", "LABEL_NAMES", "Binary", "Call", "Expr", "ExpressionError", "Issue",
           "LabelSet", "Name", "Negate", "Number", "Options", "derived_problems", "evaluate", "evaluate_vector",
           "expression_issues", "name_issues", "names", "parse", "unknown_names", "unparse"]
