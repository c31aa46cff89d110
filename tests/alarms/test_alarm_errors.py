"""A bad definition or series is one AlarmError (a ValueError) naming the field, the value and what is allowed."""

from __future__ import annotations

import math

import pytest

from monitor.alarms import MetricAlarm, AlarmError, evaluate

GOOD = {"comparison": ">", "threshold": 10, "evaluation_periods": 3}


@pytest.mark.parametrize("change, field, words", [
    ({"datapoints_to_alarm": 4}, "datapoints_to_alarm", "more than evaluation_periods (3)"),
    ({"datapoints_to_alarm": 0}, "datapoints_to_alarm", "at least 1"),
    ({"evaluation_periods": 0}, "evaluation_periods", "at least 1"),
    ({"evaluation_periods": 2.0}, "evaluation_periods", "whole number"),
    ({"evaluation_periods": True}, "evaluation_periods", "whole number"),
    ({"evaluation_range": 2}, "evaluation_range", "at least 3"),
    ({"comparison": "=="}, "comparison", "allowed: >, >=, <, <=, GreaterThanThreshold"),
    ({"comparison": "greaterThanThreshold"}, "comparison", "unknown"),
    ({"comparison": "LessThanLowerOrGreaterThanUpperThreshold"}, "comparison", "anomaly-detection band"),
    ({"treat_missing_data": "notbreaching"}, "treat_missing_data", "allowed: missing, notBreaching"),
    ({"treat_missing_data": None}, "treat_missing_data", "unknown"),
    ({"evaluate_low_sample_count_percentile": "skip"}, "evaluate_low_sample_count_percentile", "evaluate, ignore"),
    ({"threshold": "10"}, "threshold", "finite number"),
    ({"threshold": math.nan}, "threshold", "finite number"),
    ({"threshold": math.inf}, "threshold", "finite number"),
    ({"statistic": "p101"}, "statistic", "above p100"),
    ({"statistic": "p9.9.9"}, "statistic", "not a percentile"),
    ({"statistic": 99}, "statistic", "not a string"),
])
def test_bad_definition(change: dict, field: str, words: str) -> None:
    with pytest.raises(AlarmError) as raised:
        MetricAlarm(**{**GOOD, **change})
    assert raised.value.field == field and words in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_unknown_key_in_a_mapping() -> None:
    with pytest.raises(AlarmError, match="colour: unknown field; allowed: comparison"):
        evaluate([1], {**GOOD, "colour": "red"})


@pytest.mark.parametrize("series, counts, field", [
    ([1, "2"], None, "series[1]"),
    ([1, True], None, "series[1]"),
    ([math.nan], None, "series[0]"),
    ([-math.inf], None, "series[0]"),
    ("123", None, "series"),
    ([1, 2], [1000], "sample_counts"),
    ([1, 2], [1000, -1], "sample_counts[1]"),
    ([1, 2], None, "sample_counts"),
    ([1, 2], [1000, None], "sample_counts[1]"),
])
def test_bad_series(series, counts, field: str) -> None:
    alarm = MetricAlarm(**GOOD, statistic="p99", evaluate_low_sample_count_percentile="ignore")
    with pytest.raises(AlarmError) as raised:
        evaluate(series, alarm, counts)
    assert raised.value.field == field


def test_missing_key_in_a_mapping() -> None:
    with pytest.raises(AlarmError, match="threshold: required"):
        evaluate([1], {"ComparisonOperator": ">", "EvaluationPeriods": 1})


def test_defaults_and_normal_forms() -> None:
    alarm = MetricAlarm("GreaterThanOrEqualToThreshold", 5, 4)
    assert (alarm.comparison, alarm.threshold, alarm.datapoints_to_alarm) == (">=", 5.0, 4)
    assert (alarm.treat_missing_data, alarm.evaluate_low_sample_count_percentile) == ("missing", "evaluate")
    assert evaluate([], alarm) == []


def test_errors_pickle() -> None:
    import pickle
    error = pickle.loads(pickle.dumps(AlarmError("threshold", "bad")))
    assert (error.field, error.message) == ("threshold", "bad")
