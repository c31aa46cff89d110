"""Alarm tests from a log sample: the container's filters make the series, one value a period, oldest first."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from conftest import ROOT
from monitor.cli import main
from monitor.config.walk import containers
from monitor.offline import alarm_logs
from monitor.sync.flow import validate

SAMPLE = ROOT / "examples" / "logs" / "filter-log-events.json"   # 5 minutes of a Rails app, 2 of them with a 5xx
START = 1714532400000


def configure(write_config, tmp_path, *alarms: dict, filters=None) -> str:
    shutil.copy(SAMPLE, tmp_path / "sample.json")
    filters = filters or [{"use": "http-5xx-json"}, {"use": "http-latency-json"},
                          {"name": "boots", "pattern": "Booting", "metric": "Boots"}]
    item = {"name": "app", "log_group": "/ecs/honban/app", "filters": filters, "alarms": list(alarms)}
    return str(write_config(yaml.safe_dump({"version": 1, "clusters": [{"name": "honban", "services": [
        {"name": "app", "containers": [item]}]}]}, sort_keys=False)))


def made(path: str) -> list[list[float | None]]:
    """The series each alarm's first case makes."""
    loaded = validate(path)
    assert loaded.ok, loaded.problems
    [place] = containers(loaded.config)
    return [alarm_logs.series(loaded, place, alarm, alarm.tests[0].logs) for alarm in place.container.alarms]


def alarm(name: str, metric: str, stat: str = "Sum", period: int = 60, **keys) -> dict:
    return {"name": name, "metric": metric, "stat": stat, "period": period, "comparison": ">", "threshold": 0,
            "treat_missing_data": "notBreaching", "tests": [{"logs": "sample.json", "expect": "OK"}], **keys}


def test_one_value_a_period_the_default_where_events_did_not_match_null_where_nothing_was_published(
        write_config, tmp_path):
    path = configure(write_config, tmp_path, alarm("5xx", "Http5xx"), alarm("boots", "Boots"),
                     alarm("5xx-5min", "Http5xx", period=300), alarm("count", "Http5xx", stat="SampleCount"))
    fives, boots, wide, count = made(path)
    assert fives == [1, 0, 0, 0, 1]            # http-5xx-json has default 0: quiet minutes publish 0
    assert boots == [1, None, None, None, None]   # no default: nothing published without a match
    assert wide == [2]                         # five minutes in one 300 s period, aligned to the epoch
    assert count == [1, 1, 1, 1, 1]            # a minute publishes its matches, or else its default (replay.py)


def test_statistics_over_the_sample_values(write_config, tmp_path):
    path = configure(write_config, tmp_path, alarm("avg", "RequestLatency", stat="Average", period=300),
                     alarm("max", "RequestLatency", stat="Maximum", period=300),
                     alarm("p50", "RequestLatency", stat="p50", period=300))
    latencies = sorted(json.loads(event["message"])["duration"] for event in json.loads(SAMPLE.read_text())["events"]
                       if event["message"].startswith("{") and "duration" in event["message"])
    average, highest, median = made(path)
    assert average == [pytest.approx(sum(latencies) / len(latencies))]
    assert highest == [max(latencies)] and median == [latencies[(len(latencies) + 1) // 2 - 1]]


def test_monitor_test_runs_log_cases_beside_the_others(write_config, tmp_path, capsys):
    high = {"use": "http-5xx-json:high", "threshold": 0, "datapoints_to_alarm": 1,
            "tests": [{"logs": "sample.json", "expect": ["ALARM"] * 5},
                      {"logs": "sample.json", "expect": "OK"}]}
    path = configure(write_config, tmp_path, high)
    assert main(["test", "-c", path]) == 1
    out = capsys.readouterr().out
    assert "honban/app/app/alarm http-5xx-json-high, case 2" in out
    assert "logs: sample.json -> series: [1, 0, 0, 0, 1]" in out and "expected OK, got ALARM" in out
    assert out.splitlines()[-1].endswith(" passed, 1 failed")
    assert main(["test", "-c", path, "--output", "json"]) == 1
    [first, _] = [c for c in json.loads(capsys.readouterr().out)["cases"] if c.get("alarm", "").startswith("honban/")]
    assert (first["logs"], first["series"], first["passed"]) == ("sample.json", [1, 0, 0, 0, 1], True)


def test_a_sample_without_timestamps_fails_its_case_and_says_why(write_config, tmp_path, capsys):
    path = configure(write_config, tmp_path, alarm("5xx", "Http5xx"))
    (tmp_path / "sample.json").write_text('{"status": 502}\n')
    assert main(["test", "-c", path]) == 1
    assert "the log sample gives no series: sample.json: every event needs a timestamp" in capsys.readouterr().out


def test_a_sample_on_a_period_under_a_minute_is_refused_at_its_line(write_config, tmp_path, capsys):
    path = configure(write_config, tmp_path, alarm("5xx", "Http5xx", period=30))
    assert main(["validate", "-c", path]) == 1
    assert ("monitor.yaml:24:17: error: ALM-051 clusters[0].services[0].containers[0].alarms[0].tests[0].logs: "
            "metric filters publish one datapoint a minute") in capsys.readouterr().out


def test_a_missing_sample_is_a_warning_the_config_still_deploys_and_the_case_fails(write_config, tmp_path, capsys):
    """A config copied without its samples still validates (it deploys as it is); only its case fails."""
    path = configure(write_config, tmp_path, alarm("5xx", "Http5xx"))
    (tmp_path / "sample.json").unlink()
    assert main(["validate", "-c", path]) == 0
    assert ("monitor.yaml:24:17: warning: ALM-050 clusters[0].services[0].containers[0].alarms[0].tests[0].logs: "
            "no log sample at") in capsys.readouterr().out
    assert main(["test", "-c", path]) == 1
    assert "the log sample gives no series" in capsys.readouterr().out
