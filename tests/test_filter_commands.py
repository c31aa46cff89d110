"""`monitor test`, `test-filter` and `replay`: offline commands over the pattern engine."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from monitor.cli import main
from monitor.offline.replay import Event, read_events, replay

from conftest import ROOT

APP = "/ecs/honban/awesome-app"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_case_of_the_example_and_the_catalogue_passes(capsys, example_config):
    code, out, _ = run(capsys, "test", "-c", str(example_config))
    assert code == 0
    passed, failed = out.strip().splitlines()[-1].split(", ")
    assert int(passed.split()[0]) >= 100 and failed == "0 failed"


FAILING = """\
version: 1
clusters:
  - name: honban
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/honban/web
            filters:
              - name: slow
                pattern: '{ $.latency > 100 }'
                metric: Slow
                value: $.latency
                tests:
                  - log: '{"latency": 150}'
                    value: 150
                  - log: '{"latency": 150}'
                    value: 1
                  - log: '{"latency": 50}'
"""


def test_a_failing_case_names_the_filter_the_case_and_both_sides(capsys, write_config):
    path = write_config(FAILING)
    code, out, _ = run(capsys, "test", "-c", str(path))
    assert code == 1
    assert f"FAIL {path}:17:21: honban/web/app/slow, case 2" in out
    assert "expected value 1, got 150" in out
    assert f"FAIL {path}:19:21: honban/web/app/slow, case 3" in out
    assert "expected a match, got no match" in out
    assert out.strip().splitlines()[-1].endswith(", 2 failed")


def test_test_output_json_counts_every_case(capsys, write_config):
    code, out, _ = run(capsys, "test", "-c", str(write_config(FAILING)), "--output", "json")
    document = json.loads(out)
    ours = [case for case in document["cases"] if case.get("filter") == "honban/web/app/slow"]
    assert code == 1
    assert [case["passed"] for case in ours] == [True, False, False]
    assert document["failed"] == 2


EVENTS = ['{"latency": 50, "route": "/a"}', "not json", '{"latency": 1500, "route": "/b"}']


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events.log"
    path.write_text("\n".join(EVENTS) + "\n")
    return path


def test_test_filter_json_prints_one_object_per_event_in_order(capsys, events_file):
    code, out, _ = run(capsys, "test-filter", "{ $.latency > 100 }", str(events_file), "--output", "json",
                       "--value", "$.latency", "--dimension", "Route=$.route")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(l["line"], l["match"], l["value"], l["dimensions"]) for l in lines] == [
        (1, False, None, {}), (2, False, None, {}), (3, True, 1500.0, {"Route": "/b"})]


def test_test_filter_reads_stdin_when_no_file_is_given(events_file):
    process = subprocess.run([sys.executable, "-m", "monitor", "test-filter", "{ $.latency > 10 }",
                              "--output", "json"], input="\n".join(EVENTS), capture_output=True,
                             text=True, cwd=ROOT)
    assert process.returncode == 0
    assert [json.loads(line)["match"] for line in process.stdout.splitlines()] == [True, False, True]


def test_test_filter_text_lists_matches_with_their_value(capsys, events_file):
    code, out, _ = run(capsys, "test-filter", "{ $.latency > 10 }", str(events_file), "--value", "$.latency")
    assert code == 0
    assert out.splitlines() == [f"1: value=50  {EVENTS[0]}", f"3: value=1500  {EVENTS[2]}"]


@pytest.mark.parametrize("pattern, column", [("{ $.latency > }", 15), ('{ $.a = "x }', 9), ("[a, b", 6)])
def test_an_invalid_pattern_exits_1_with_its_column(capsys, events_file, pattern, column):
    code, out, err = run(capsys, "test-filter", pattern, str(events_file))
    assert code == 1 and out == ""
    assert f"column {column}:" in err
    assert err.splitlines()[-1] == " " * (4 + column - 1) + "^"
    assert "Traceback" not in err


def test_a_value_the_pattern_cannot_extract_is_refused(capsys, events_file):
    code, _, err = run(capsys, "test-filter", "ERROR", str(events_file), "--dimension", "Route=$.route")
    assert code == 1 and "error:" in err


def test_filter_log_events_json_keeps_timestamps(tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [{"timestamp": 60_000, "message": "a"},
                                           {"timestamp": 125_000, "message": "b"}], "searchedLogStreams": []}))
    assert list(read_events(path)) == [Event("a", 60_000), Event("b", 125_000)]


def test_aws_logs_tail_lines_and_plain_lines(tmp_path):
    path = tmp_path / "tail.log"
    path.write_text("2024-05-01T03:00:05.123000+00:00 web/app/0df6 ERROR boom\n"
                    "2024-05-01T03:01:00 short format line\n"
                    '{"plain": "json line"}\n')
    assert list(read_events(path)) == [Event("ERROR boom", 1714532405123),
                                       Event("short format line", 1714532460000),
                                       Event('{"plain": "json line"}')]


def spec(pattern: str, value: str = "1", default: float | None = None, dimensions: dict | None = None) -> dict:
    metric = {"metricName": "M", "metricNamespace": "N", "metricValue": value}
    if default is not None:
        metric["defaultValue"] = default
    if dimensions:
        metric["dimensions"] = dimensions
    return {"logGroupName": "/g", "filterName": "f", "filterPattern": pattern, "metricTransformations": [metric]}


def test_replay_sums_per_minute_and_fills_the_default_where_nothing_matched():
    events = [Event('{"ms": 10}', 60_000), Event('{"ms": 30}', 119_999), Event("idle", 120_000)]
    [series], count = replay([spec("{ $.ms > 0 }", "$.ms", default=0)], events)
    assert count == 3
    assert {m: (b.count, b.total) for m, buckets in series.minutes.items() for b in buckets.values()} == {
        60_000: (2, 40.0), 120_000: (0, 0.0)}


def test_replay_counts_each_dimension_combination_as_a_metric():
    events = [Event('{"m": "GET"}', 0), Event('{"m": "POST"}', 0), Event('{"m": "GET"}', 0)]
    [series], _ = replay([spec("{ $.m = * }", dimensions={"Method": "$.m"})], events)
    assert series.metrics == {(("Method", "GET"),), (("Method", "POST"),)}


def test_replay_command_on_the_bundled_sample(capsys, example_config):
    sample = ROOT / "examples" / "logs" / "filter-log-events.json"
    code, out, _ = run(capsys, "replay", "-c", str(example_config), "--log-group", APP, str(sample),
                       "--output", "json")
    document = json.loads(out)
    by_metric = {f["metric"]: f for f in document["filters"]}
    assert code == 0 and document["events"] == 57
    assert sum(m["count"] for m in by_metric["Http5xx"]["minutes"]) == 2
    assert {f["logGroup"] for f in document["filters"]} == {APP}


def test_a_missing_log_file_is_one_line(capsys, example_config, tmp_path):
    missing = str(tmp_path / "nope.log")
    for argv in (["replay", "-c", str(example_config), missing], ["test-filter", "ERROR", missing]):
        code, _, err = run(capsys, *argv)
        assert (code, err) == (1, f"error: cannot read {missing}: No such file or directory\n")


def test_a_malformed_filter_log_events_document_says_what_is_wrong(capsys, example_config, tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [{"message": 5}]}))
    code, _, err = run(capsys, "replay", "-c", str(example_config), str(path))
    assert (code, err) == (1, f"error: {path}: each entry of 'events' must be an object with a 'message' text\n")


@pytest.mark.parametrize("dimensions, message", [
    (["="], "--dimension takes NAME=SELECTOR, got '='"),
    (["A=$.a", "B=$.a", "C=$.a", "D=$.a"], "4 dimensions; AWS allows at most 3 on a metric filter")])
def test_dimensions_follow_aws_rules_in_test_filter(capsys, events_file, dimensions, message):
    flags = [arg for dimension in dimensions for arg in ("--dimension", dimension)]
    code, _, err = run(capsys, "test-filter", "{ $.latency > 1 }", str(events_file), *flags)
    assert (code, err) == (1, f"error: {message}\n")


@pytest.mark.parametrize("argv", [
    ["-ERROR", "{file}", "--output", "json"],
    ["--output=json", "-ERROR", "{file}"],
    ["--value", "-1", "-ERROR", "{file}", "--output", "json"],
    ["--output", "json", "--", "-ERROR", "{file}"]])
def test_a_pattern_may_start_with_a_dash(capsys, tmp_path, argv):
    """`-ERROR` is an exclusion-only pattern [S19], not an option."""
    path = tmp_path / "events.log"
    path.write_text("ERROR x\nok\n")
    code, out, _ = run(capsys, "test-filter", *[arg.format(file=path) for arg in argv])
    assert code == 0
    assert [json.loads(line)["match"] for line in out.splitlines()] == [False, True]


def test_a_truncated_filter_log_events_document_names_where_the_json_breaks(capsys, example_config, tmp_path):
    whole = json.dumps({"events": [{"timestamp": 60_000, "message": "ERROR a"}] * 3}, indent=4)
    path = tmp_path / "events.json"
    path.write_text(whole[:len(whole) // 2])   # the capture was cut mid-way
    code, out, err = run(capsys, "replay", "-c", str(example_config), str(path))
    assert code == 1 and out == ""
    assert err.startswith(f"error: {path}:") and "JSON document breaks here" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_json_lines_are_still_read_as_lines(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text('{"status": 500}\n{"status": 200}\n')
    assert list(read_events(path)) == [Event('{"status": 500}'), Event('{"status": 200}')]


def test_replay_on_a_log_group_no_filter_is_on_names_the_real_ones(capsys, example_config, tmp_path):
    path = tmp_path / "app.log"
    path.write_text("ERROR x\n")
    code, out, err = run(capsys, "replay", "-c", str(example_config), "--log-group", "/typo", str(path))
    assert code == 1 and out == ""
    assert "/typo" in err and APP in err and "/ecs/honban/worker" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("argv", [["ERROR", "--value"], ["ERROR", "--dimension"]])
def test_test_filter_option_without_its_value_is_a_usage_error(capsys, argv):
    with pytest.raises(SystemExit) as stopped:
        main(["test-filter", *argv])
    assert stopped.value.code == 2
    assert "expected one argument" in capsys.readouterr().err


def test_test_filter_takes_an_abbreviated_option_as_argparse_does(capsys, tmp_path):
    events = tmp_path / "events.log"
    events.write_text('{"n": 7}\n')
    code, out, _ = run(capsys, "test-filter", "{ $.n > 1 }", str(events), "--val", "$.n", "--out", "json")
    assert code == 0 and json.loads(out)["value"] == 7.0


def test_test_filter_does_not_offer_local(capsys):
    """The embedded emulator has no TestMetricFilter, so `--aws --local` could never work."""
    with pytest.raises(SystemExit) as stopped:
        main(["test-filter", "ERROR", "--aws", "--local"])
    assert stopped.value.code == 2
