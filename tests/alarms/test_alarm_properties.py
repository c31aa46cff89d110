"""Properties the documented rules imply for any series, not only the tables' five-point rows."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.alarms import MetricAlarm, State, evaluate

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")
VALUES = st.sampled_from([0.0, 5.0, 10.0, 15.0, 20.0])


@st.composite
def alarms(draw, treatment: str | None = None) -> MetricAlarm:
    """Any valid definition over `> 10` style thresholds."""
    n = draw(st.integers(1, 6))
    return MetricAlarm(draw(st.sampled_from([">", ">=", "<", "<="])), 10, n,
                 datapoints_to_alarm=draw(st.integers(1, n)),
                 treat_missing_data=treatment or draw(st.sampled_from(TREATMENTS)),
                 evaluation_range=n + draw(st.integers(0, 4)))


@FAST
@given(alarms("missing"), st.lists(VALUES, max_size=30))
def test_without_gaps_every_treatment_agrees(alarm: MetricAlarm, series: list[float]) -> None:
    """Once N real points exist "the value you set for how to treat missing data is not needed" [A3]."""
    results = {t: evaluate(series, MetricAlarm(**{**vars(alarm), "treat_missing_data": t})) for t in TREATMENTS}
    settled = alarm.evaluation_periods - 1
    assert len({tuple(states[settled:]) for states in results.values()}) == 1


@FAST
@given(alarms("missing"), st.lists(st.one_of(st.none(), VALUES), max_size=30))
def test_breaching_alarms_whenever_not_breaching_does(alarm: MetricAlarm, series) -> None:
    """Filling gaps as breaching can only add breaches: ALARM under notBreaching is ALARM under breaching."""
    low = evaluate(series, MetricAlarm(**{**vars(alarm), "treat_missing_data": "notBreaching"}))
    high = evaluate(series, MetricAlarm(**{**vars(alarm), "treat_missing_data": "breaching"}))
    assert all(h == State.ALARM for l, h in zip(low, high) if l == State.ALARM)
    assert State.INSUFFICIENT_DATA not in low + high


@FAST
@given(alarms(), st.lists(st.one_of(st.none(), VALUES), max_size=30))
def test_one_state_per_period(alarm: MetricAlarm, series) -> None:
    states = evaluate(series, alarm)
    assert len(states) == len(series) and set(states) <= set(State)
