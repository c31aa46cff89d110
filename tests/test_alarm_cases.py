"""`monitor test` runs alarm `tests:` beside the filter cases, with one `N passed, N failed` line."""

from __future__ import annotations

import json

import yaml

from monitor.cli import main

ALARM = {"name": "errors-high", "metric": "Errors", "stat": "Sum", "comparison": ">", "threshold": 10,
         "evaluation_periods": 5, "datapoints_to_alarm": 3}


def config(*tests: dict, treat: str = "missing") -> str:
    item = {"name": "app", "log_group": "/ecs/honban/app",
            "filters": [{"name": "errors", "pattern": "ERROR", "metric": "Errors",
                         "tests": [{"log": "ERROR boom"}]}],
            "alarms": [{**ALARM, "treat_missing_data": treat, "tests": list(tests)}]}
    return yaml.safe_dump({"version": 1, "clusters": [{"name": "honban", "services": [
        {"name": "app", "containers": [item]}]}]}, sort_keys=False)


def own(document: dict) -> list[dict]:
    """The config's alarm cases, without the catalogues' (presets, filter definitions' alarms)."""
    return [c for c in document["cases"] if c.get("alarm", "").startswith("honban/")]


def test_alarm_cases_pass_beside_the_filter_cases(write_config, capsys):
    path = write_config(config({"series": [1, 0, 12, 15, 30, None, 40], "expect": "ALARM"},
                               {"series": [1, 2, None], "expect": ["ALARM", "ALARM", "ALARM"]},
                               {"series": [None, None, None, None, None], "expect": "ALARM"}, treat="breaching"))
    assert main(["test", "-c", str(path), "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [c["passed"] for c in own(document)] == [True, True, True]
    assert any("filter" in c for c in document["cases"]) and document["failed"] == 0


def test_passed_alarm_cases_are_listed_with_their_states_in_text(write_config, capsys):
    path = write_config(config({"series": [1, 0, 12, 15, 30], "expect": "ALARM"},
                               {"series": [1, 2], "expect": ["OK", "OK"]}))
    assert main(["test", "-c", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"ok   {path}:") and lines[0].endswith(
        "honban/app/app/alarm errors-high, case 1: series: [1, 0, 12, 15, 30] -> ALARM")
    assert lines[1].endswith("case 2: series: [1, 2] -> OK, OK")
    assert len(lines) == 3 and lines[2].endswith(" passed, 0 failed")


def test_a_failing_alarm_case_says_where_and_why(write_config, capsys):
    path = write_config(config({"series": [1, 0, 2, 3, 4], "expect": "ALARM"}))
    assert main(["test", "-c", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {path}:" in out and "honban/app/app/alarm errors-high, case 1" in out
    assert "series: [1, 0, 2, 3, 4]" in out and "expected ALARM, got OK" in out
    assert out.strip().splitlines()[-1].endswith(" passed, 1 failed")


def test_a_per_period_expectation_must_have_one_state_a_period(write_config, capsys):
    path = write_config(config({"series": [1, 2], "expect": ["OK"]}))
    assert main(["test", "-c", str(path), "--output", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    [case] = own(document)
    assert case["failures"] == ["expect has 1 states for 2 periods"] and case["series"] == [1, 2]


def test_a_percentile_alarm_that_ignores_low_samples_holds_its_state_in_its_tests(write_config, capsys):
    """EvaluateLowSampleCountPercentile `ignore`: a p99 over 5 samples does not change the state."""
    text = config({"series": [50], "sample_counts": [5], "expect": "INSUFFICIENT_DATA"},
                  {"series": [50], "sample_counts": [5000], "expect": "ALARM"})
    text = text.replace("stat: Sum", "stat: p99\n        evaluate_low_sample_count_percentiles: ignore")
    text = text.replace("evaluation_periods: 5", "evaluation_periods: 1").replace("datapoints_to_alarm: 3",
                                                                                  "datapoints_to_alarm: 1")
    path = write_config(text)
    assert main(["test", "-c", str(path), "--output", "json"]) == 0, capsys.readouterr()
    assert [c["passed"] for c in own(json.loads(capsys.readouterr().out))] == [True, True]
