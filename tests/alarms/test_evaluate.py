"""Per-period states for the cases AWS's user guide describes in prose, worked by hand from the page.

Sources: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
#alarm-evaluation [A1], #alarms-evaluating-missing-data [A3],
#CloudWatch-alarms-avoiding-premature-transition [A4], #percentiles-with-low-samples [A5], and
EvaluateLowSampleCountPercentile in the PutMetricAlarm API reference [A6]. Threshold 10 and `>`
unless a case says otherwise; 20 breaches, 0 does not, None is a missing datapoint.
"""

from __future__ import annotations

import pytest

from monitor.alarms import MetricAlarm, State, evaluate

OK, ALARM, INSUFFICIENT = State.OK, State.ALARM, State.INSUFFICIENT_DATA
X, O, _ = 20, 0, None


def states(series, n, m=None, **options) -> list[State]:
    """Evaluate against `> 10`, N of them, M to alarm."""
    return evaluate(series, MetricAlarm(">", 10, n, datapoints_to_alarm=m, **options))


# --- Evaluating an alarm [A1] ----------------------------------------------------------------

def test_the_figure() -> None:
    """Threshold 3, 3 of 3: ALARM when periods 3-5 breach, OK at 6, still OK after a lone breach at 9."""
    series = [1, 1, 4, 4, 4, 1, 1, 1, 4, 1]
    assert evaluate(series, MetricAlarm(">", 3, 3)) == [OK, OK, OK, OK, ALARM, OK, OK, OK, OK, OK]


@pytest.mark.parametrize("series, n, m, expected", [
    ([1, 0, 12, 15, 30, None, 40], 5, 3, [OK, OK, OK, OK, ALARM, ALARM, ALARM]),
    ([X, O, X, X, X], 5, 4, [INSUFFICIENT, OK, OK, OK, ALARM]),
    ([X, O, X, O, X], 5, 4, [INSUFFICIENT, OK, OK, OK, OK]),
    ([X, X, O, O, O, X, X], 3, 2, [INSUFFICIENT, ALARM, ALARM, OK, OK, OK, ALARM]),
    ([O, X, O, X, X, O], 3, 2, [OK, OK, OK, ALARM, ALARM, ALARM]),
    ([X, X, X, X, O, O, O], 3, 3, [INSUFFICIENT, INSUFFICIENT, ALARM, ALARM, OK, OK, OK]),
], ids=["issue example", "4 of 5", "3 breaching of 5", "2 of 3 recovers", "2 of 3 not consecutive", "3 of 3"])
def test_m_of_n(series, n, m, expected) -> None:
    """"The breaching data points don't have to be consecutive" but must be within the last N [A1]."""
    assert states(series, n, m) == expected


@pytest.mark.parametrize("comparison, value, breaches", [
    (">", 10, False), (">", 10.5, True), (">=", 10, True), (">=", 9.9, False),
    ("<", 10, False), ("<", 9, True), ("<=", 10, True), ("<=", 10.1, False),
    ("GreaterThanThreshold", 10, False), ("GreaterThanOrEqualToThreshold", 10, True),
    ("LessThanThreshold", -1, True), ("LessThanOrEqualToThreshold", 10, True),
])
def test_comparisons(comparison: str, value: float, breaches: bool) -> None:
    assert evaluate([value], MetricAlarm(comparison, 10, 1)) == [ALARM if breaches else OK]


def test_aws_names_for_the_whole_definition() -> None:
    """A DescribeAlarms item evaluates as it is (PutMetricAlarm's names)."""
    described = {"ComparisonOperator": "GreaterThanThreshold", "Threshold": 10.0, "EvaluationPeriods": 5,
                 "DatapointsToAlarm": 3, "TreatMissingData": "missing", "Namespace": "ECS/ContainerInsights"}
    series = [1, 0, 12, 15, 30, None, 40]
    assert evaluate(series, described) == states(series, 5, 3)


# --- The evaluation range [A3] ---------------------------------------------------------------

@pytest.mark.parametrize("treatment", ["missing", "ignore", "breaching", "notBreaching"])
@pytest.mark.parametrize("pattern, expected", [
    ([X, X, _, X, _], ALARM),
    ([O, _, X, X, _], OK),
    ([_, O, O, _, X], OK),
])
def test_enough_real_points_ignore_the_treatment(pattern, expected, treatment: str) -> None:
    """With N real points in the range the most recent N real ones decide; the treatment "is ignored"."""
    assert states(pattern, 3, treat_missing_data=treatment, evaluation_range=5)[-1] == expected


@pytest.mark.parametrize("treatment, expected", [
    ("missing", [INSUFFICIENT, INSUFFICIENT, ALARM, ALARM, ALARM, ALARM, ALARM, INSUFFICIENT]),
    ("breaching", [ALARM, ALARM, ALARM, ALARM, ALARM, ALARM, ALARM, ALARM]),
    ("notBreaching", [OK, OK, ALARM, ALARM, ALARM, OK, OK, OK]),
    ("ignore", [INSUFFICIENT, INSUFFICIENT, ALARM, ALARM, ALARM, ALARM, ALARM, ALARM]),
])
def test_the_metric_stops(treatment: str, expected) -> None:
    """Alarms "re-evaluate the last set of data points for a period of time after the metric has stopped"."""
    assert states([X, X, X, _, _, _, _, _], 3, treat_missing_data=treatment, evaluation_range=5) == expected


def test_a_larger_range_looks_further_back() -> None:
    """The range decides how far back real points are preferred to the treatment."""
    series = [X, X, X, _, _]
    assert states(series, 3, treat_missing_data="notBreaching", evaluation_range=5)[-1] == ALARM
    assert states(series, 3, treat_missing_data="notBreaching", evaluation_range=4)[-1] == OK
    assert states(series, 3, treat_missing_data="notBreaching", evaluation_range=3)[-1] == OK


def test_fills_as_few_as_possible() -> None:
    """Real points are all kept, only N - k points are filled: `0 - - - -` stays OK when breaching."""
    assert states([O, _, _, _, _], 3, treat_missing_data="breaching", evaluation_range=5)[-1] == OK
    assert states([O, _, _, _, _], 3, 2, treat_missing_data="breaching", evaluation_range=5)[-1] == ALARM


# --- Avoiding premature transitions [A4] -----------------------------------------------------

@pytest.mark.parametrize("pattern, m, alarms", [
    ([_, _, _, _, X], 3, False),
    ([_, _, _, X, _], 3, False),
    ([_, _, _, X, O], 3, False),
    ([_, _, X, _, O], 3, False),
    ([_, _, X, _, _], 3, True),
    ([_, _, _, X, _], 2, True),
    ([_, _, _, _, X], 2, False),
    ([_, X, _, X, _], 3, True),
    ([_, _, _, X, X], 3, False),
], ids=["----X", "---X-", "---X0", "--X-0", "--X--", "---X- 2of3", "----X 2of3", "-X-X-", "---XX"])
def test_premature_transitions(pattern, m: int, alarms: bool) -> None:
    """A breach must be at least M periods old, with only breaches or gaps after it, to alarm early."""
    state = states(pattern, 3, m, evaluation_range=5)[-1]
    assert (state == ALARM) is alarms


def test_a_lone_breach_alarms_once_it_is_old_enough() -> None:
    """`- - - - X`, then `- - - X -`, then `- - X - -` [A4]."""
    assert states([_, _, _, _, X, _, _], 3, evaluation_range=5)[-3:] == [INSUFFICIENT, INSUFFICIENT, ALARM]
    assert states([_, _, _, _, X, O], 3, evaluation_range=5)[-1] == OK


# --- Percentiles with low samples [A5][A6] ---------------------------------------------------

@pytest.mark.parametrize("statistic, least", [
    ("p99", 1000), ("p99.9", 10000), ("p90", 100), ("p50", 20), ("p75", 40), ("p25", 40), ("p10", 100),
    ("p1", 1000), ("p0.1", 10000), ("p95", 200),
])
def test_low_sample_threshold(statistic: str, least: int) -> None:
    """Fewer than 10/(1-p) samples for p in [0.5, 1), fewer than 10/p for p in (0, 0.5)."""
    alarm = MetricAlarm(">", 10, 1, statistic=statistic, evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X], alarm, [least - 1]) == [INSUFFICIENT]
    assert evaluate([X], alarm, [least]) == [ALARM]


def test_ignore_holds_the_state_during_low_sample_periods() -> None:
    """"The alarm state does not change during periods with too few data points" [A6]."""
    alarm = MetricAlarm(">", 10, 1, statistic="p99", evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X, X, O, O, O], alarm, [5000, 5000, 10, 5000, 999]) == [ALARM, ALARM, ALARM, OK, OK]
    assert evaluate([O, X, X], alarm, [5000, 3, 1000]) == [OK, OK, ALARM]


def test_evaluate_uses_every_period() -> None:
    """`evaluate` (the default) evaluates "no matter how many data points are available" [A6]."""
    alarm = MetricAlarm(">", 10, 1, statistic="p99")
    assert evaluate([X, O, X], alarm, [1, 1, 1]) == [ALARM, OK, ALARM]
    assert evaluate([X, O, X], alarm) == [ALARM, OK, ALARM]


def test_a_missing_percentile_follows_the_missing_data_rules() -> None:
    """A period without samples has no datapoint: it is missing, not a low sample."""
    alarm = MetricAlarm(">", 10, 1, statistic="p99", evaluate_low_sample_count_percentile="ignore",
                  treat_missing_data="notBreaching", evaluation_range=1)
    assert evaluate([X, None], alarm, [5000, 0]) == [ALARM, OK]


def test_other_statistics_never_hold() -> None:
    """The setting is "used only for alarms based on percentiles" [A6]."""
    alarm = MetricAlarm(">", 10, 1, statistic="Average", evaluate_low_sample_count_percentile="ignore")
    assert evaluate([X, O], alarm, [1, 1]) == [ALARM, OK]
