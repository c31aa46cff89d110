"""One test per choice in monitor/alarms/semantics.py (same names, same order); switches are flipped."""

from __future__ import annotations

from fractions import Fraction

import pytest

from monitor.alarms import MetricAlarm, AlarmError, State, decide, evaluate, semantics

OK, ALARM, INSUFFICIENT = State.OK, State.ALARM, State.INSUFFICIENT_DATA
X, O, _ = 20, 0, None


def alarm(n: int = 3, m: int | None = None, treatment: str = "missing", **options) -> MetricAlarm:
    """`> 10`, range 5 for N = 3, as in AWS's tables."""
    return MetricAlarm(">", 10, n, datapoints_to_alarm=m, treat_missing_data=treatment, **options)


def test_initial_state() -> None:
    assert evaluate([_], alarm()) == [INSUFFICIENT]
    assert evaluate([_, _], alarm(treatment="ignore")) == [INSUFFICIENT, INSUFFICIENT]


def test_evaluations_per_period() -> None:
    assert len(evaluate([X, _, O, X, X], alarm())) == 5 * semantics.EVALUATIONS_PER_PERIOD


def test_before_series() -> None:
    """The periods before the series are gaps: filled by the treatment, or looked past with history."""
    assert semantics.BEFORE_SERIES is None
    assert evaluate([X], alarm(treatment="notBreaching")) == [OK]
    assert evaluate([X], alarm(treatment="breaching")) == [ALARM]
    assert evaluate([X, X, X, _], alarm(treatment="notBreaching"))[-1] == ALARM


def test_extra_range_periods() -> None:
    assert semantics.EXTRA_RANGE_PERIODS == 2
    assert alarm(3).evaluation_range == 5 and alarm(1).evaluation_range == 3
    assert alarm(3, evaluation_range=9).evaluation_range == 9
    daily = MetricAlarm("<=", 0, 1, treat_missing_data="breaching")
    assert evaluate([O, _, _, _], daily) == [ALARM, ALARM, ALARM, ALARM]
    assert evaluate([X, _, _, _], daily) == [OK, OK, OK, ALARM]


# pattern, M, MISSING, IGNORE, BREACHING, NOT BREACHING, from the 2019 page [A7]
RETAIN = "retain"
ROWS_2019 = [
    ("- - - - X", 3, (INSUFFICIENT, RETAIN, ALARM, OK)),
    ("X - - - -", 3, (ALARM, RETAIN, ALARM, OK)),
    ("- - - - X", 2, (INSUFFICIENT, RETAIN, ALARM, OK)),
]


@pytest.mark.parametrize("pattern, m, expected", ROWS_2019)
@pytest.mark.parametrize("current", list(State))
def test_missing_undecided_state(pattern: str, m: int, expected, current: State) -> None:
    """The rows today's page dropped; MISSING_UNDECIDED_STATE decides the first column of rows 1 and 3."""
    window = [{"X": X, "-": _}[mark] for mark in pattern.split()]
    for treatment, state in zip(["missing", "ignore", "breaching", "notBreaching"], expected):
        assert decide(window, alarm(3, m, treatment), current) == (current if state == RETAIN else state)
    assert semantics.MISSING_UNDECIDED_STATE == INSUFFICIENT


@pytest.mark.parametrize("current", list(State))
def test_premature_treatments(current: State) -> None:
    window = [_, _, X, _, _]
    assert decide(window, alarm(treatment="missing"), current) == ALARM
    assert decide(window, alarm(treatment="ignore"), current) == current
    assert decide(window, alarm(treatment="notBreaching"), current) == OK


def test_premature_age_in_range(monkeypatch) -> None:
    assert decide([X, _, _, _, _], alarm()) == ALARM
    monkeypatch.setattr(semantics, "PREMATURE_AGE_IN_RANGE", False)
    assert decide([X, _, _, _, _], alarm()) == INSUFFICIENT
    assert decide([_, _, X, _, _], alarm()) == ALARM


def test_premature_blocked_by_any_ok_point(monkeypatch) -> None:
    """The 2-of-3 table's `0 - X - -` is OK; the literal prose of [A4] would alarm."""
    assert decide([O, _, X, _, _], alarm(m=2)) == OK
    monkeypatch.setattr(semantics, "PREMATURE_BLOCKED_BY_ANY_OK_POINT", False)
    assert decide([O, _, X, _, _], alarm(m=2)) == ALARM
    assert decide([_, _, X, _, O], alarm(m=2)) == OK


@pytest.mark.parametrize("namespace, expected", [("AWS/DynamoDB", OK), ("AWS/ECS", ALARM), (None, ALARM)])
def test_always_ignore_namespaces(namespace, expected: State) -> None:
    assert evaluate([O, _, _, _, _, _], alarm(treatment="breaching", namespace=namespace))[-1] == expected


def test_low_sample_per_period() -> None:
    """Three periods of 400 samples are three low samples for p99, though they sum to 1200."""
    p99 = alarm(statistic="p99", evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X, X, X], p99, [400, 400, 400]) == [INSUFFICIENT] * 3


def test_low_sample_keeps_datapoint(monkeypatch) -> None:
    p99 = alarm(treatment="notBreaching", statistic="p99", evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X, X, X], p99, [5000, 5, 5000]) == [OK, OK, ALARM]
    monkeypatch.setattr(semantics, "LOW_SAMPLE_KEEPS_DATAPOINT", False)
    assert evaluate([X, X, X], p99, [5000, 5, 5000]) == [OK, OK, OK]


@pytest.mark.parametrize("statistic", ["p0", "p100", "p100.0", "p0.0"])
def test_exact_percentiles(statistic: str) -> None:
    assert Fraction(0) in semantics.EXACT_PERCENTILES and Fraction(1) in semantics.EXACT_PERCENTILES
    extreme = alarm(1, statistic=statistic, evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X, O], extreme, [1, 1]) == [ALARM, OK]


@pytest.mark.parametrize("comparison", sorted(semantics.UNSUPPORTED_COMPARISONS))
def test_unsupported_comparisons(comparison: str) -> None:
    with pytest.raises(AlarmError, match="anomaly-detection"):
        MetricAlarm(comparison, 10, 1)
