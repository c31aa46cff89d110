"""Table tests for the derived-metric expression language: syntax, errors, evaluation, naming."""

from __future__ import annotations

import pytest

from monitor.config import yamlfile
from monitor.expressions import (
    COLLAPSED,
    Binary,
    Call,
    ExpressionError,
    Name,
    Negate,
    Number,
    Options,
    derived_problems,
    evaluate,
    evaluate_vector,
    expression_issues,
    name_issues,
    parse,
    unparse,
)
from monitor.problems import render

a, b, c = Name("a"), Name("b"), Name("c")


@pytest.mark.parametrize("text, tree", [
    ("SlowRequests / Requests", Binary("/", Name("SlowRequests"), Name("Requests"))),
    ("a - b - c", Binary("-", Binary("-", a, b), c)),
    ("a - (b - c)", Binary("-", a, Binary("-", b, c))),
    ("a + b * c", Binary("+", a, Binary("*", b, c))),
    ("(a + b) * c", Binary("*", Binary("+", a, b), c)),
    ("a / b / c", Binary("/", Binary("/", a, b), c)),
    ("-a * b", Binary("*", Negate(a), b)),
    ("--a", Negate(Negate(a))),
    ("a--b", Binary("-", a, Negate(b))),
    ("-2", Negate(Number(2.0))),
    (".5 + 1e-3 + 1E+2 + 10.", Binary("+", Binary("+", Binary("+", Number(0.5), Number(0.001)), Number(100.0)),
                                      Number(10.0))),
    ("sum(a)", Call("sum", (a,))),
    ("max( a , b , 0 )", Call("max", (a, b, Number(0.0)))),
    ("rate(sum(a)) * 60", Binary("*", Call("rate", (Call("sum", (a,)),)), Number(60.0))),
    ("sum / rate", Binary("/", Name("sum"), Name("rate"))),
    ('"app.errors-5xx" / Requests', Binary("/", Name("app.errors-5xx"), Name("Requests"))),
    ("\tabs(a)\n", Call("abs", (a,))),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, printed", [
    ("a-(b-c)", "a - (b - c)"),
    ("(a-b)-c", "a - b - c"),
    ("(a*b)+(c/2)", "a * b + c / 2.0"),
    ("-(a+b)", "-(a + b)"),
    ("-(sum(a))", "-sum(a)"),
    ("max(a,(b))", "max(a, b)"),
    ('"x-y" * "z"', '"x-y" * z'),
    ("1e16", "1e+16"),
])
def test_unparse(text, printed):
    assert unparse(parse(text)) == printed


@pytest.mark.parametrize("text, column, message", [
    ("SlowRequests / / Requests", 16, "expected a number, a metric name, a function, '(' or '-', found '/'"),
    ("", 1, "found the end of the expression"),
    ("a +", 4, "found the end of the expression"),
    ("a b", 3, "expected an operator, found 'b'"),
    ("a )", 3, "expected an operator, found ')'"),
    ("(a + b", 7, "expected ')', found the end of the expression"),
    ("sum(a b)", 7, "expected ')', found 'b'"),
    ("sum(a,)", 7, "found ')'"),
    ("a % b", 3, "unexpected character '%'"),
    ("a + +b", 5, "found '+'"),
    ('a / "b', 5, "unterminated quoted metric name"),
    ('a / ""', 5, "a quoted metric name is empty"),
    ("1e999", 1, "number 1e999 is too large"),
    ("2a", 2, "expected an operator, found 'a'"),
    ('"a"(b)', 4, "expected an operator, found '('"),
    ("a / summ(b)", 5, "unknown function 'summ'; did you mean 'sum'?"),
    ("avg(a)", 1, "unknown function 'avg'; known: sum, max, min, rate, abs"),
    ("a + rate(b, c)", 5, "rate() takes exactly 1 argument, got 2"),
    ("sum()", 1, "sum() takes at least 1 argument, got 0"),
    ("abs()", 1, "abs() takes exactly 1 argument, got 0"),
    ("(" * 70 + "a" + ")" * 70, 129, "an expression has at most 128 tokens"),
])
def test_parse_errors_name_the_column(text, column, message):
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert raised.value.column == column
    assert message in raised.value.message


KNOWN = ["SlowRequests", "Requests", "ContainerCpuUtilized", "RunningTaskCount"]


@pytest.mark.parametrize("text, issues", [
    ("SlowRequests / Requests", []),
    ("SlowRequest / Requests", [(1, "unknown metric 'SlowRequest'; did you mean 'SlowRequests'?")]),
    ("Requests / Nope + Nope", [(12, "unknown metric 'Nope'; known: ContainerCpuUtilized, Requests, "
                                     "RunningTaskCount, SlowRequests")]),
    ("sum(RuningTaskCount) + Request", [(5, "did you mean 'RunningTaskCount'?"), (24, "did you mean 'Requests'?")]),
    ("a / / b", [(5, "expected a number")]),
])
def test_expression_issues(text, issues):
    _, found = expression_issues(text, KNOWN)
    assert [(issue.column, issue.severity) for issue in found] == [(column, "error") for column, _ in issues]
    assert all(message in issue.message for issue, (_, message) in zip(found, issues))


def test_expression_issues_without_known_metrics():
    _, [issue] = expression_issues("a", [])
    assert issue.message == "unknown metric 'a'; this config produces no metrics"


@pytest.mark.parametrize("text, values, options, result", [
    ("SlowRequests / Requests", {"SlowRequests": 3, "Requests": 12}, Options(), 0.25),
    ("SlowRequests / Requests", {"SlowRequests": 3, "Requests": 0}, Options(), None),
    ("SlowRequests / Requests", {"SlowRequests": 0, "Requests": 0}, Options(), None),
    ("SlowRequests / Requests", {"SlowRequests": 3, "Requests": 0}, Options(on_zero_division=0), 0.0),
    ("SlowRequests / Requests", {"SlowRequests": None, "Requests": 12}, Options(), None),
    ("SlowRequests / Requests", {"Requests": 12}, Options(), None),
    ("SlowRequests / Requests", {"Requests": 12}, Options(on_missing=0), 0.0),
    ("SlowRequests / Requests", {}, Options(on_missing=0), None),
    ("SlowRequests / Requests", {}, Options(on_missing=0, on_zero_division=-1), -1.0),
    ("SlowRequests / Requests", {"SlowRequests": float("nan"), "Requests": 1}, Options(), None),
    ("SlowRequests / Requests", {"SlowRequests": float("inf"), "Requests": 1}, Options(on_missing=2), 2.0),
    ("a * b", {"a": 1e308, "b": 10}, Options(), None),
    ("a", {"a": 10**400}, Options(on_missing=1), 1.0),
    ("a", {"a": "12"}, Options(), None),
    ("a", {"a": True}, Options(), None),
    ("a + b", {"a": 2, "b": -3}, Options(), -1.0),
    ("a / b", {"a": 1e308, "b": 1e-308}, Options(), None),
    ("a - b * 2 + -c", {"a": 10, "b": 3, "c": 1}, Options(), 3.0),
    ("rate(Requests)", {"Requests": 120}, Options(), 2.0),
    ("rate(Requests)", {"Requests": 120}, Options(window_seconds=300), 0.4),
    ("abs(a - b)", {"a": 1, "b": 3}, Options(), 2.0),
    ("max(a, b, 0)", {"a": -1, "b": -2}, Options(), 0.0),
    ("min(a, b)", {"a": -1, "b": None}, Options(), None),
    ("sum(a, b)", {"a": 1e308, "b": 1e308}, Options(), None),
    ("sum(a)", {"a": 4}, Options(), 4.0),
    ("sum(a)", {}, Options(), None),
    ("1 / 0", {}, Options(), None),
    ("-0 / 0", {}, Options(on_zero_division=7), 7.0),
])
def test_evaluate(text, values, options, result):
    assert evaluate(parse(text), values, options) == result


ONE, TWO, THREE = (("container", "one"),), (("container", "two"),), (("container", "three"),)
SERIES = {"Slow": {ONE: 1, TWO: 3, THREE: None}, "Requests": {ONE: 10, TWO: 0, THREE: 5}}


@pytest.mark.parametrize("text, options, result", [
    ("Slow / Requests", Options(), {ONE: 0.1}),
    ("Slow / Requests", Options(on_zero_division=0), {ONE: 0.1, TWO: 0.0}),
    ("Slow / Requests", Options(on_missing=0), {ONE: 0.1, THREE: 0.0}),
    ("sum(Slow) / sum(Requests)", Options(), {COLLAPSED: 4 / 15}),
    ("max(Requests)", Options(), {COLLAPSED: 10.0}),
    ("min(Slow)", Options(), {COLLAPSED: 1.0}),
    ("min(Slow)", Options(on_missing=0), {COLLAPSED: 0.0}),
    ("Requests / sum(Requests)", Options(), {ONE: 10 / 15, TWO: 0.0, THREE: 5 / 15}),
    ("max(Slow, Requests)", Options(), {ONE: 10.0, TWO: 3.0}),
    ("sum(Slow, 1)", Options(), {ONE: 2.0, TWO: 4.0}),
    ("rate(sum(Requests))", Options(), {COLLAPSED: 0.25}),
    ("sum(Nothing)", Options(), {}),
    ("Nothing", Options(on_missing=1), {ONE: 1.0, TWO: 1.0, THREE: 1.0}),
    ("2 * 3", Options(), {COLLAPSED: 6.0}),
])
def test_evaluate_vector(text, options, result):
    assert evaluate_vector(parse(text), SERIES, options=options) == pytest.approx(result)


def test_evaluate_vector_covers_the_label_sets_asked_for():
    four = (("container", "four"),)
    result = evaluate_vector(parse("Requests"), SERIES, [ONE, four], Options(on_missing=0))
    assert result == {ONE: 10.0, four: 0.0}


@pytest.mark.parametrize("options", [
    {"on_missing": float("nan")}, {"on_zero_division": float("inf")}, {"window_seconds": 0},
    {"window_seconds": -60}, {"window_seconds": float("nan")},
])
def test_options_refuse_values_that_would_leak_nan(options):
    with pytest.raises(ValueError):
        Options(**options)


@pytest.mark.parametrize("name, expr, found", [
    ("awesome_app_slow_request_ratio", "SlowRequests / Requests", []),
    ("awesome_app_cpu_cores", "ContainerCpuUtilized / 1024", []),
    ("awesome_app_requests_per_second", "rate(Requests)", []),
    ("awesome-app", None, [("error", "is not a valid Prometheus metric name")]),
    ("9lives", None, [("error", "is not a valid Prometheus metric name")]),
    ("", None, [("error", "is not a valid Prometheus metric name")]),
    ("__app_ratio", None, [("error", "reserved for Prometheus's internal use")]),
    ("container", None, [("error", "already the name of one of the exporter's labels")]),
    ("ecs_service", None, [("error", "already the name of one of the exporter's labels")]),
    ("app_slow_total", "SlowRequests", [("error", "'_total' is for counters")]),
    ("app:slow_ratio", "SlowRequests / Requests", [("warning", "colons are reserved for recording rules")]),
    ("app_slow", "SlowRequests / Requests", [("warning", "a ratio's name ends in '_ratio'")]),
    ("app_slow", "sum(SlowRequests) / sum(Requests)", [("warning", "a ratio's name ends in '_ratio'")]),
    ("app_slow", "(SlowRequests / Requests) + 0", []),
    ("app_latency_milliseconds", "RequestLatency", [("warning", "'seconds' rather than 'milliseconds'")]),
    ("app_memory_megabytes", None, [("warning", "'bytes' rather than 'megabytes'")]),
    ("app_cpu_percent", None, [("warning", "'ratio' rather than 'percent'")]),
    ("app_requests_count", None, [("warning", "'_count' is a suffix of histogram")]),
    ("app_build_info", None, [("warning", "'_info' is a suffix")]),
])
def test_name_issues(name, expr, found):
    issues = name_issues(name, parse(expr) if expr else None)
    assert [(issue.severity, issue.column) for issue in issues] == [(severity, None) for severity, _ in found]
    assert all(message in issue.message for issue, (_, message) in zip(issues, found))


def test_name_issues_take_the_exporters_own_names():
    [issue] = name_issues("up", taken={"up", "container"})
    assert issue.message == "'up' is already the name of one of the exporter's labels or metrics"


CONFIG = """\
exporter:
  derived:
    - name: app_slow_ratio
      expr: SlowRequests / / Requests
    - name: app_slow
      expr: 'SlowRequests / Reqests'
"""


def test_derived_problems_render_at_the_column_inside_the_scalar():
    source, _ = yamlfile.load("monitor.yaml", CONFIG)
    known = ["SlowRequests", "Requests"]
    problems = [problem for number, entry in enumerate(source.data["exporter"]["derived"])
                for problem in derived_problems(entry["name"], entry["expr"], known,
                                                ("exporter", "derived", number), source)]
    assert [render(problem) for problem in problems] == [
        "monitor.yaml:4:28: error: EXP-010 exporter.derived[0].expr: expected a number, a metric name, a function, "
        "'(' or '-', found '/'",
        "monitor.yaml:6:29: error: EXP-011 exporter.derived[1].expr: unknown metric 'Reqests'; did you mean 'Requests'?",
        "monitor.yaml:5:13: warning: EXP-019 exporter.derived[1].name: 'app_slow': the expression divides one metric "
        "by another; a ratio's name ends in '_ratio' (and its values are 0..1)",
    ]
