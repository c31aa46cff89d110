"""AWS's two tables of datapoint patterns x missing-data treatment -> alarm state, row by row.

Source: "How alarm state is evaluated when data is missing",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data
(archived Markdown: https://github.com/awsdocs/amazon-cloudwatch-user-guide/blob/
b35549706cab03cdcd0a8df9956a2381c0315642/doc_source/AlarmThatSendsEmail.md).

Both tables: Evaluation Periods 3, evaluation range 5, most recent datapoint on the right; `0` is not
breaching, `X` breaching, `-` missing. Datapoints to MetricAlarm is 3 in the first table, 2 in the second.
The expected states are copied from the page, column by column (MISSING, IGNORE, BREACHING,
NOT BREACHING); RETAIN stands for the page's "Retain current state".
"""

from __future__ import annotations

import pytest

from monitor.alarms import MetricAlarm, State, decide, evaluate

OK, ALARM, INSUFFICIENT = State.OK, State.ALARM, State.INSUFFICIENT_DATA
RETAIN = "retain current state"
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")
VALUES = {"0": 0.0, "X": 20.0, "-": None}

# pattern, MISSING, IGNORE, BREACHING, NOT BREACHING  (Datapoints to MetricAlarm 3 of 3)
THREE_OF_THREE = [
    ("0 - X - X", OK, OK, OK, OK),
    ("0 - - - -", OK, OK, OK, OK),
    ("- - - - -", INSUFFICIENT, RETAIN, ALARM, OK),
    ("0 X X - X", ALARM, ALARM, ALARM, ALARM),
    ("- - X - -", ALARM, RETAIN, ALARM, OK),
]

# pattern, MISSING, IGNORE, BREACHING, NOT BREACHING  (Datapoints to MetricAlarm 2 of 3)
TWO_OF_THREE = [
    ("0 - X - X", ALARM, ALARM, ALARM, ALARM),
    ("0 0 X 0 X", ALARM, ALARM, ALARM, ALARM),
    ("0 - X - -", OK, OK, ALARM, OK),
    ("- - - - 0", OK, OK, ALARM, OK),
    ("- - - X -", ALARM, RETAIN, ALARM, OK),
]

CASES = [(pattern, 3, treatment, expected)
         for pattern, *states in THREE_OF_THREE for treatment, expected in zip(TREATMENTS, states)]
CASES += [(pattern, 2, treatment, expected)
          for pattern, *states in TWO_OF_THREE for treatment, expected in zip(TREATMENTS, states)]


def window(pattern: str) -> list[float | None]:
    """`0 - X` -> [0.0, None, 20.0] against a threshold of 10."""
    return [VALUES[mark] for mark in pattern.split()]


def alarm(m: int, treatment: str) -> MetricAlarm:
    """The page's alarm: 3 evaluation periods, a range of 5."""
    return MetricAlarm(">", 10, 3, datapoints_to_alarm=m, treat_missing_data=treatment, evaluation_range=5)


@pytest.mark.parametrize("pattern, m, treatment, expected", CASES, ids=[f"{c[0]}|{c[1]}of3|{c[2]}" for c in CASES])
@pytest.mark.parametrize("current", list(State))
def test_row(pattern: str, m: int, treatment: str, expected, current: State) -> None:
    want = current if expected == RETAIN else expected
    assert decide(window(pattern), alarm(m, treatment), current) == want


@pytest.mark.parametrize("pattern, m, treatment, expected", [c for c in CASES if c[3] != RETAIN])
def test_row_as_a_series(pattern: str, m: int, treatment: str, expected: State) -> None:
    """The same rows as the last state of a five-period series (nothing before it)."""
    assert evaluate(window(pattern), alarm(m, treatment))[-1] == expected


def test_second_row_goes_to_alarm_next_time() -> None:
    """"The next time this alarm is evaluated, if the data is still missing it will go to ALARM"."""
    states = evaluate([0, None, None, None, None, None], alarm(3, "breaching"))
    assert states[-2:] == [OK, ALARM]


def test_third_row_ignore_retains_the_state_before_the_missing_points() -> None:
    """"If missing data points are ignored, the alarm retains the current state it had before"."""
    series = [20, 20, 20] + [None] * 6
    states = evaluate(series, alarm(3, "ignore"))
    assert states[2] == ALARM and states[-1] == ALARM
    assert evaluate([0, 0, 0] + [None] * 6, alarm(3, "ignore"))[-1] == OK
