"""One alarm state per period, by the rules of "How alarm state is evaluated when data is missing".

https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data
[A3]: CloudWatch reads an evaluation range longer than N. With at least N real points in it, the most
recent N real points decide and the missing-data treatment is not used. With fewer, every real point
is kept and the treatment fills the rest (as few fills as possible), except that `missing` and
`ignore` fill nothing: their cases come from the tables of [A3] and the premature rule of [A4].
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from monitor.alarms import semantics
from monitor.alarms.definition import MetricAlarm
from monitor.alarms.errors import AlarmError
from monitor.alarms.state import State

Mark = bool | None
"""A datapoint as the rules see it: True breaching, False not breaching, None missing."""

FILLS = {"breaching": True, "notBreaching": False}
"""The treatments that fill missing points with a value [A2]."""


def evaluate(series: Sequence[float | None], alarm: MetricAlarm | Mapping[str, Any],
             sample_counts: Sequence[float | None] | None = None) -> list[State]:
    """The state after each period, as CloudWatch would set it [A1]-[A5].

    series: one value a period, oldest first, None for a missing datapoint. alarm: a MetricAlarm or a
    mapping for MetricAlarm.from_mapping. sample_counts: each period's SampleCount, needed only when a
    percentile alarm ignores low samples. Returns one State per period. Raises AlarmError (a
    ValueError) for a bad definition (M > N, unknown comparison or treatment, ...) or series.
    """
    alarm = alarm if isinstance(alarm, MetricAlarm) else MetricAlarm.from_mapping(alarm)
    values = _values(series)
    counts = _counts(sample_counts, values, alarm)
    state, states = semantics.INITIAL_STATE, []
    for period in range(len(values)):
        held = _low_sample(alarm, values[period], counts[period])
        if not held:
            state = decide(_range(values, period, alarm.evaluation_range), alarm, state)
        if held and not semantics.LOW_SAMPLE_KEEPS_DATAPOINT:
            values[period] = None
        states.append(state)
    return states


def decide(window: Sequence[float | None], alarm: MetricAlarm, current: State = semantics.INITIAL_STATE) -> State:
    """One evaluation of the range `window` (oldest first, None missing) from state `current` [A3]."""
    marks = [None if value is None else alarm.breaches(value) for value in window]
    real = [mark for mark in marks if mark is not None]
    if len(real) >= alarm.evaluation_periods:
        return _count(real[-alarm.evaluation_periods:], alarm)
    if alarm.treatment in FILLS:
        return _count(real + [FILLS[alarm.treatment]] * (alarm.evaluation_periods - len(real)), alarm)
    return _unfilled(marks, real, alarm, current)


def _count(marks: list[bool], alarm: MetricAlarm) -> State:
    """M of the N evaluated datapoints breaching is ALARM, fewer is OK [A1][A3]."""
    return State.ALARM if marks.count(True) >= alarm.datapoints_to_alarm else State.OK


def _unfilled(marks: list[Mark], real: list[bool], alarm: MetricAlarm, current: State) -> State:
    """`missing` and `ignore` with fewer than N real points: the cases [A3]'s tables and [A4] give."""
    if real.count(True) >= alarm.datapoints_to_alarm:
        return State.ALARM
    if alarm.treatment in semantics.PREMATURE_TREATMENTS and _premature(marks, alarm):
        return State.ALARM
    if False in real:
        return State.OK
    return current if alarm.treatment == "ignore" else semantics.MISSING_UNDECIDED_STATE


def _premature(marks: list[Mark], alarm: MetricAlarm) -> bool:
    """A breach at least M periods old, with nothing but breaches or gaps that could clear it [A4]."""
    scope = marks if semantics.PREMATURE_AGE_IN_RANGE else marks[-alarm.evaluation_periods:]
    if True not in scope:
        return False
    oldest = scope.index(True)
    blockers = scope if semantics.PREMATURE_BLOCKED_BY_ANY_OK_POINT else scope[oldest + 1:]
    return len(scope) - oldest >= alarm.datapoints_to_alarm and False not in blockers


def _range(values: list[float | None], period: int, size: int) -> list[float | None]:
    """The `size` periods ending at `period`; those before the series are semantics.BEFORE_SERIES."""
    start = period + 1 - size
    return [semantics.BEFORE_SERIES] * max(0, -start) + values[max(0, start):period + 1]


def _low_sample(alarm: MetricAlarm, value: float | None, count: float | None) -> bool:
    """True when this period's percentile rests on too few samples and the alarm ignores it [A5][A6]."""
    least = alarm.min_samples
    return least is not None and value is not None and count < least


def _values(series: Sequence[Any]) -> list[float | None]:
    """The series as floats; a non-number, NaN or infinity is an AlarmError (CloudWatch stores none)."""
    if isinstance(series, (str, bytes)) or not isinstance(series, Sequence):
        raise AlarmError("series", "must be a list of numbers or None, oldest first")
    return [_value("series", index, value) for index, value in enumerate(series)]


def _value(field: str, index: int, value: Any) -> float | None:
    """One datapoint: None, or a finite number that is not a bool."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AlarmError(f"{field}[{index}]", f"{value!r} is not a finite number or None")
    return float(value)


def _counts(counts: Sequence[Any] | None, values: list[float | None], alarm: MetricAlarm) -> list[float | None]:
    """One SampleCount a period; required for every datapoint only when low samples can hold the state."""
    if counts is None and alarm.min_samples is not None:
        raise AlarmError("sample_counts", "needed: the percentile alarm ignores low samples")
    if counts is None:
        return [None] * len(values)
    if isinstance(counts, (str, bytes)) or not isinstance(counts, Sequence) or len(counts) != len(values):
        raise AlarmError("sample_counts", f"must be a list as long as the series ({len(values)})")
    checked = [_sample_count(index, count) for index, count in enumerate(counts)]
    for index, (value, count) in enumerate(zip(values, checked)):
        if alarm.min_samples is not None and value is not None and count is None:
            raise AlarmError(f"sample_counts[{index}]", "None, but the period has a datapoint")
    return checked


def _sample_count(index: int, count: Any) -> float | None:
    """A SampleCount: None (no datapoint) or a number of samples, at least 0."""
    value = _value("sample_counts", index, count)
    if value is not None and value < 0:
        raise AlarmError(f"sample_counts[{index}]", f"{count!r} is negative")
    return value
