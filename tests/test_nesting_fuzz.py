"""Every recursive parser has a depth bound below Python's: fuzzed input as deep as a few thousand levels
only ever ends in the parser's own error, at a place, never in a RecursionError.

Each test lowers the recursion limit to what the bound needs and some room, so a parser that
recursed past its bound would fail here at once, whatever stack the caller already uses.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.alarms import graph
from monitor.alarms import rule as alarm_rule
from monitor.config import yamlfile
from monitor.expressions.parser import parse as parse_expression
from monitor.expressions.syntax import ExpressionError
from monitor.jsonfile import JsonError, TooDeep, loads
from monitor.resolved import composites
from monitor.patterns import PatternError
from monitor.patterns import parse as parse_pattern

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEPTHS = st.integers(min_value=0, max_value=3000)
STACK = 400   # frames above the caller: far below Python's 1000, far above what a bounded parser needs


@contextmanager
def shallow_stack():
    """Python's recursion limit lowered to the frames in use plus STACK."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + STACK)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def nested(openers: list[str], core: str, closers: dict[str, str]) -> str:
    """`core` inside the openers, each closed by its closer in reverse order."""
    return "".join(openers) + core + "".join(closers.get(o, "") for o in reversed(openers))


# --- composite alarm rules ---

RULE_OPENERS = st.lists(st.sampled_from(["(", "NOT ", "NOT (", "( NOT "]), max_size=1500)


@FUZZ
@given(RULE_OPENERS, st.sampled_from(["ALARM(a)", "TRUE", "OK(b) AND ALARM(c)", "AT_LEAST(1, ALARM, (a, b))"]))
def test_a_rule_nested_at_any_depth_is_a_rule_error(openers, core):
    text = nested(openers, core, {"(": ")", "NOT (": ")", "( NOT ": ")"})
    with shallow_stack():
        try:
            alarm_rule.parse(text)
        except alarm_rule.RuleError as error:
            assert 0 <= error.offset <= len(text) and error.message
            depth = sum(o.count("(") + o.count("NOT") for o in openers)
            assert depth > alarm_rule.MAX_NESTING or "nests" not in error.message


def test_a_rule_refused_for_depth_points_at_the_level_too_many():
    text = "(" * 400 + "ALARM(a)" + ")" * 400
    with pytest.raises(alarm_rule.RuleError) as raised:
        alarm_rule.parse(text)
    assert raised.value.offset == alarm_rule.MAX_NESTING and "32 levels" in raised.value.message
    assert alarm_rule.names("NOT " * 1500 + "ALARM(a)") == []   # a rule read from AWS: no names, no error


# --- filter patterns (JSON and space-delimited conditions) ---

@FUZZ
@given(st.integers(min_value=0, max_value=500), st.sampled_from(["{ %s }", "[a, b = 1 || %s]"]),
       st.sampled_from(["$.a = 1", "b = 2"]))
def test_a_filter_pattern_nested_at_any_depth_is_a_pattern_error(depth, shape, core):
    text = shape % ("(" * depth + core + ")" * depth)
    with shallow_stack():
        try:
            parse_pattern(text)
        except PatternError as error:
            assert 1 <= error.column <= len(text) + 1


# --- exporter expressions ---

@FUZZ
@given(st.lists(st.sampled_from(["(", "-", "sum(", "abs(", "max(a, "]), max_size=600))
def test_an_expression_nested_at_any_depth_is_an_expression_error(openers):
    text = nested(openers, "x", {"(": ")", "sum(": ")", "abs(": ")", "max(a, ": ")"})
    with shallow_stack():
        try:
            parse_expression(text)
        except ExpressionError as error:
            assert 1 <= error.column <= len(text) + 1


# --- YAML (the config, the catalogues) ---

def block(depth: int, line: str) -> str:
    """`line` at every indentation level down to `depth`: block style grows as depth squared."""
    return "".join("  " * level + line for level in range(depth)) + "  " * depth + "x\n"


YAML_DEEP = st.one_of(
    st.builds(lambda depth, opener: nested([opener] * depth, "x", {"[": "]", "{a: ": "}"}),
              st.integers(min_value=0, max_value=1200), st.sampled_from(["[", "{a: "])),
    st.builds(block, st.integers(min_value=0, max_value=250), st.sampled_from(["-\n", "a:\n"])))


@settings(FUZZ, max_examples=25)   # pyyaml reads about 1,000 characters ahead: deeper costs no more
@given(YAML_DEEP)
def test_yaml_nested_at_any_depth_is_a_problem_at_its_place(text):
    with shallow_stack():
        _, problems = yamlfile.load("deep.yaml", text)
    deep = [p for p in problems if "levels deep" in p.message]
    assert all(p.mark.line >= 1 and p.mark.column >= 1 for p in deep)
    assert deep or len(problems) <= 1   # shallow enough: a document, or one syntax problem


# --- JSON (task-definitions/ files, log captures, dashboard bodies from AWS) ---

@FUZZ
@given(DEPTHS, st.sampled_from(["[", '{"a": ', '[1, "]", ']))
def test_json_nested_at_any_depth_is_an_error_at_its_place(depth, opener):
    text = nested([opener] * depth, '"x"', {"[": "]", '{"a": ': "}", '[1, "]", ': "]"})
    with shallow_stack():
        try:
            assert loads(text) is not None
        except TooDeep as error:
            assert depth > 100 and (error.line, error.column) == (1, 1 + len(opener) * 100)
        except JsonError:
            pytest.fail("well-formed JSON refused for another reason")


def test_a_bracket_inside_a_string_is_no_nesting():
    assert loads(json.dumps({"message": "[" * 5000})) == {"message": "[" * 5000}


# --- the graph of composite alarms: as long as the config makes it ---

def test_a_chain_of_thousands_of_composites_has_ranks_and_no_cycle():
    edges = {f"c{i}": [f"c{i + 1}"] for i in range(5000)}
    edges["c5000"] = []
    with shallow_stack():
        ranks = composites.ranks(edges)
        assert graph.cycle("c0", lambda name: edges.get(name, ()), lambda name: True) is None
    assert ranks["c0"] == 5000 and ranks["c5000"] == 0


def test_a_long_cycle_is_found():
    edges = {f"c{i}": [f"c{(i + 1) % 3000}"] for i in range(3000)}
    with shallow_stack():
        found = graph.cycle("c0", lambda name: edges[name], lambda name: True)
    assert found[0] == found[-1] == "c0" and len(found) == 3001


def test_a_lattice_of_composites_is_walked_once_per_alarm():
    """Two composites a level, each naming both of the next: 2^40 paths, 80 alarms."""
    edges = {f"{side}{level}": [f"a{level + 1}", f"b{level + 1}"] for level in range(40) for side in "ab"}
    calls = []

    def children(name):
        calls.append(name)
        return edges.get(name, ())
    assert graph.cycle("a0", children, lambda name: True) is None
    assert len(calls) <= 2 * 82
