"""Properties of the expression language: printing round-trips, evaluation never raises, and a
division by zero never yields a sample."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    ExpressionError,
    Name,
    Negate,
    Number,
    Options,
    evaluate,
    evaluate_vector,
    names,
    parse,
    unparse,
)
from monitor.expressions.syntax import MAX_TOKENS, children
from monitor.expressions.tokens import tokenize

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

METRICS = ["a", "b", "Requests", "app.errors-5xx", "sum"]   # "sum" as a metric, not a call
ANY_NAME = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True),
                     st.text(st.characters(blacklist_characters='"'), min_size=1, max_size=12).filter(str.strip))
NUMBERS = st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(abs)


def trees(metric_names: st.SearchStrategy[str]) -> st.SearchStrategy:
    """Every shape of tree the parser can produce, small enough for the token limit."""
    leaves = st.one_of(NUMBERS.map(Number), metric_names.map(Name))

    def extend(inner: st.SearchStrategy) -> st.SearchStrategy:
        calls = st.sampled_from(sorted(FUNCTIONS)).flatmap(lambda name: st.lists(
            inner, min_size=FUNCTIONS[name].least, max_size=FUNCTIONS[name].most or 3).map(
            lambda arguments: Call(name, tuple(arguments))))
        return st.one_of(inner.map(Negate), calls,
                         st.builds(Binary, st.sampled_from("+-*/"), inner, inner))
    return st.recursive(leaves, extend, max_leaves=12).filter(lambda tree: len(tokenize(unparse(tree))) <= MAX_TOKENS)


VALUES = st.one_of(st.none(), st.floats(), st.integers(), st.integers(-3, 3))
SUBSTITUTE = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
OPTIONS = st.builds(Options, SUBSTITUTE, SUBSTITUTE, st.floats(min_value=1e-3, max_value=1e6))
METRIC_TREES = trees(st.sampled_from(METRICS))
LABEL_SETS = [(("container", "one"),), (("container", "two"),), ()]


@FAST
@given(trees(ANY_NAME))
def test_printing_round_trips(tree):
    assert parse(unparse(tree)) == tree


@FAST
@given(st.text(max_size=60) | st.lists(st.sampled_from(["a", " ", "(", ")", ",", "-", "/", "*", "sum", "1.5e3",
                                                        '"x y"', '"', "rate", ".", "%"]), max_size=25).map("".join))
def test_any_text_parses_or_raises_expression_error(text):
    try:
        parse(text)
    except ExpressionError as error:
        assert 1 <= error.column <= len(text) + 1 and error.message


@FAST
@given(METRIC_TREES, st.dictionaries(st.sampled_from(METRICS), VALUES), OPTIONS)
def test_evaluate_never_raises_and_is_never_nan(tree, values, options):
    result = evaluate(tree, values, options)
    assert result is None or (isinstance(result, float) and math.isfinite(result))


@FAST
@given(METRIC_TREES, st.dictionaries(st.sampled_from(METRICS),
                                                         st.dictionaries(st.sampled_from(LABEL_SETS), VALUES)),
       OPTIONS)
def test_evaluate_vector_never_raises_and_keeps_only_finite_samples(tree, series, options):
    results = evaluate_vector(tree, series, LABEL_SETS, options)
    assert set(results) <= set(LABEL_SETS)
    assert all(isinstance(value, float) and math.isfinite(value) for value in results.values())


@FAST
@given(METRIC_TREES, METRIC_TREES,
       st.dictionaries(st.sampled_from(METRICS), VALUES), st.floats(allow_nan=False, allow_infinity=False) | st.none())
def test_division_by_zero_never_yields_a_sample(left, right, values, on_missing):
    options = Options(on_missing=on_missing)
    assert evaluate(Binary("/", left, Number(0.0)), values, options) is None
    assert evaluate(Binary("/", left, Binary("-", right, right)), values, options) is None


@FAST
@given(METRIC_TREES, st.dictionaries(st.sampled_from(METRICS), VALUES))
def test_a_chosen_value_replaces_division_by_zero(left, values):
    options = Options(on_zero_division=0.0)
    result = evaluate(Binary("/", left, Number(0.0)), values, options)
    assert result == (None if evaluate(left, values, options) is None else 0.0)


def aggregates(tree) -> bool:
    return isinstance(tree, Call) and tree.function in ("sum", "max", "min") and len(tree.arguments) == 1 \
        or any(aggregates(child) for child in children(tree))


@FAST
@given(METRIC_TREES.filter(lambda tree: names(tree) and not aggregates(tree)),
       st.dictionaries(st.sampled_from(METRICS), st.dictionaries(st.sampled_from(LABEL_SETS), VALUES)), OPTIONS)
def test_without_aggregation_each_label_set_is_evaluated_on_its_own(tree, series, options):
    results = evaluate_vector(tree, series, LABEL_SETS, options)
    for label_set in LABEL_SETS:
        alone = {name: values.get(label_set) for name, values in series.items()}
        assert results.get(label_set) == evaluate(tree, alone, options)
