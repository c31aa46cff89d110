"""Check a derived metric against the config, and place what is wrong at file:line:col."""

from __future__ import annotations

import difflib
from collections.abc import Collection

from monitor.expressions.names import LABEL_NAMES, name_issues
from monitor.expressions.parser import parse
from monitor.expressions.syntax import Expr, ExpressionError, Issue, names
from monitor.problems import ERROR, Check, Path, Problem, Source

MAX_LISTED = 12   # known names listed in a message when no close match exists
UNKNOWN = Check("EXP-011", ERROR, "a derived metric's expression naming a metric the config does not produce")
CHECKS = (UNKNOWN,)


def unknown_names(expr: Expr, known: Collection[str]) -> list[Issue]:
    """One error per metric name that `known` (the names the config produces) lacks, at its
    first column, with the closest known name as a suggestion."""
    first = {}
    for name in names(expr):
        first.setdefault(name.name, name.column)
    return [Issue(f"unknown metric '{name}'; {_hint(name, known)}", column, UNKNOWN)
            for name, column in first.items() if name not in known]


def _hint(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = sorted(known)
    more = f", ... ({len(listed) - MAX_LISTED} more)" if len(listed) > MAX_LISTED else ""
    return f"known: {', '.join(listed[:MAX_LISTED])}{more}" if listed else "this config produces no metrics"


def expression_issues(text: str, known: Collection[str]) -> tuple[Expr | None, list[Issue]]:
    """The tree of `text` (None if it does not parse) and every issue with it: the parse error,
    or else each unknown metric name. Columns are 1-based inside `text`."""
    try:
        expr = parse(text)
    except ExpressionError as error:
        return None, [error.issue()]
    return expr, unknown_names(expr, known)


def derived_problems(name: str, text: str, known: Collection[str], path: Path, source: Source | None,
                     taken: Collection[str] = LABEL_NAMES) -> list[Problem]:
    """Every problem with one derived entry at `path` (its `name` and `expr` keys), as Problems
    that render at file:line:col, the column inside the `expr` scalar where there is one."""
    expr, issues = expression_issues(text, known)
    return ([_problem(issue, path + ("expr",), source) for issue in issues]
            + [_problem(issue, path + ("name",), source) for issue in name_issues(name, expr, taken)])


def _problem(issue: Issue, path: Path, source: Source | None) -> Problem:
    return issue.check.problem(path, issue.message, source=source, offset=issue.column)
