"""Recommended alarms: the presets (alarms/) and the filter definitions' alarms, opted into with `use:`.

Every one passes its own tests, applies to moto and converges ("apply, then plan is empty"), and
triggers no missing-data advice; bad references and bad catalogue files fail with file:line:col.
"""

from __future__ import annotations

import json

import yaml
from conftest import ROOT
from test_alarm_kind import described
from test_roundtrip import CLUSTER, aws, cluster, configure, container, converge, document  # noqa: F401

from monitor.cli import main
from monitor.config import catalogue, presets
from monitor.problems import render
from monitor.resolved import load

FILTERS, _ = catalogue.load([catalogue.builtin_directory()])
PRESETS, _ = catalogue.load([catalogue.builtin_directory(presets.FOLDER)], presets.read_one)
CARRIERS = sorted(name for name, definition in FILTERS.items() if definition.filter.alarms)


def minimal(write_config) -> str:
    return str(write_config(yaml.safe_dump({"version": 1, "clusters": [{"name": CLUSTER}]})))


def test_the_catalogues_carry_the_recommended_alarms():
    assert sorted(PRESETS) == ["alb-5xx", "alb-latency", "alb-unhealthy-hosts", "cpu-high", "ephemeral-storage-high",
                               "memory-high",
                               "sqs-backlog", "sqs-message-age", "tasks-below-desired", "tasks-down"]
    assert {"http-5xx-json", "http-5xx-nginx-combined", "log-error-json", "fatal-signal", "out-of-memory"} \
        <= set(CARRIERS)


def test_every_catalogue_alarm_passes_its_own_tests(write_config, capsys):
    assert main(["test", "-c", minimal(write_config), "--output", "json"]) == 0
    cases = [c for c in json.loads(capsys.readouterr().out)["cases"] if "alarm" in c]
    labels = {c["alarm"] for c in cases}
    assert {f"preset {name}" for name in PRESETS} <= labels
    assert {f"catalogue {name}:{alarm.name}" for name in CARRIERS for alarm in FILTERS[name].filter.alarms} <= labels
    assert cases and all(c["passed"] for c in cases)


def everything() -> dict:
    """One container with every preset, and one container per filter definition with its alarms."""
    app = {**container(filters=[], metrics=["CpuUtilized", "MemoryUtilized"]),
           "alarms": [{"use": name} for name in sorted(PRESETS)]}
    needs = {"http-5xx-json": [{"use": "http-requests-json"}]}   # its `rate` divides by the Requests metric
    carriers = [{"name": f"c-{name}", "log_group": "/ecs/honban/web", "filters": [{"use": name}, *needs.get(name, [])],
                 "alarms": [{"use": f"{name}:{alarm.name}"} for alarm in FILTERS[name].filter.alarms]}
                for name in CARRIERS]
    found = cluster([app, *carriers], insights="enabled", task_definition="web-td")
    found["services"][0] |= EDGES   # the load balancer and queue presets watch the service's edges
    return found


EDGES = {"target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
         "load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/front/fedcba9876543210",
         "queue": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"}


def test_every_preset_and_filter_alarm_round_trips_with_no_advice(aws, configure):
    aws.ecs.register_task_definition(family="web-td", requiresCompatibilities=["FARGATE"], cpu="1024", memory="2048",
                                     networkMode="awsvpc", containerDefinitions=[
                                         {"name": "app", "image": "app", "memory": 1024, "cpu": 256}])
    loaded = configure(document(everything()))
    assert [render(p) for p in loaded.problems if "treat_missing_data" in p.path or "alarms" in p.path] == []
    converge(loaded)
    name = f"monitor/{CLUSTER}/web/app/"
    assert described(name + "memory-high")["Threshold"] == 819.2       # 80% of the 1024 MiB hard limit
    assert described(name + "cpu-high")["Threshold"] == 819.2          # 80% of the task's 1024 units, all its own
    assert described(name + "ephemeral-storage-high")["Threshold"] == 18.0   # 90% of Fargate's 20 GiB
    tasks = described(name + "tasks-down")
    assert (tasks["Namespace"], tasks["Statistic"], tasks["TreatMissingData"], tasks["Threshold"]) == \
        ("ECS/ContainerInsights", "Minimum", "breaching", 1.0)
    high = described(f"monitor/{CLUSTER}/web/c-http-5xx-json/http-5xx-json-high")
    assert (high["MetricName"], high["Statistic"], high["TreatMissingData"]) == ("Http5xx", "Sum", "notBreaching")
    assert (high["Period"], high["EvaluationPeriods"], high["DatapointsToAlarm"]) == (60, 5, 3)
    rate = described(f"monitor/{CLUSTER}/web/c-http-5xx-json/http-5xx-json-rate")
    assert [q.get("Expression") or q["MetricStat"]["Metric"]["MetricName"] for q in rate["Metrics"]] == \
        ["Http5xx", "Requests", "100 * errors / requests"]
    short = described(name + "tasks-below-desired")
    assert [q["Id"] for q in short["Metrics"] if q.get("ReturnData")] == ["shortfall"]


def test_an_entry_overrides_any_key_of_what_it_uses(write_config):
    item = {**container(filters=[{"use": "log-error-json", "name": "errors"}], metrics=["MemoryUtilized"]),
            "alarms": [{"use": "memory-high", "name": "mem", "threshold": "90%", "treat_missing_data": "breaching",
                        "actions": ["arn:aws:sns:us-east-1:123456789012:ops"]},
                       {"use": "errors:high", "threshold": 50}]}
    loaded = load(write_config(document(cluster([item], task_definition="web-td"))))
    assert loaded.ok, loaded.problems
    mem, errors = loaded.config.clusters[0].services[0].containers[0].alarms
    assert (mem.name, mem.metric, mem.threshold, mem.treat_missing_data, mem.evaluation_periods) == \
        ("mem", "MemoryUtilized", "90%", "breaching", 5)
    assert mem.actions == ["arn:aws:sns:us-east-1:123456789012:ops"]
    assert (errors.name, errors.metric, errors.threshold, errors.stat, errors.datapoints_to_alarm) == \
        ("errors-high", "LogErrors", 50, "Sum", 3)


def test_a_preset_beside_the_config_comes_first_and_says_what_it_replaces(write_config, tmp_path):
    (tmp_path / "alarms").mkdir()
    (tmp_path / "alarms" / "tasks-down.yaml").write_text(yaml.safe_dump(
        {"name": "tasks-down", "namespace": "ECS/ContainerInsights", "metric": "RunningTaskCount", "stat": "Minimum",
         "comparison": "<", "threshold": 2, "treat_missing_data": "breaching"}))
    loaded = load(write_config(document(cluster([{**container(), "alarms": [{"use": "tasks-down"}]}]))))
    [warning] = [render(p) for p in loaded.problems]
    assert warning.startswith(f"{tmp_path}/alarms/tasks-down.yaml:")
    assert ": warning: CAT-004 name: 'tasks-down' replaces the built-in definition" in warning
    assert loaded.ok and loaded.config.clusters[0].services[0].containers[0].alarms[0].threshold == 2


def test_bad_catalogue_alarms_are_reported_at_their_line(write_config, tmp_path):
    for folder in ("alarms", "filters"):
        (tmp_path / folder).mkdir()
    (tmp_path / "alarms" / "slow.yaml").write_text(
        "name: slow/p99\nstat: p99\ncomparison: '>'\nthreshold: 1\ntests:\n  - logs: x.json\n    expect: OK\n")
    (tmp_path / "filters" / "boom.yaml").write_text(
        "name: boom\npattern: boom\nmetric: Booms\nalarms:\n  - name: seen\n    metric: Other\n"
        "    comparison: '>'\n    threshold: 0\n")
    loaded = load(write_config(document()))
    found = sorted(render(p).split(str(tmp_path) + "/")[1] for p in loaded.problems)
    assert found == [
        "alarms/slow.yaml:1:1: error: CAT-001 (top level): required key 'metric' is missing",
        "alarms/slow.yaml:1:7: error: ALM-001 name: alarm name 'slow/p99' contains '/'; it becomes the last part of "
        "<prefix>/<cluster>/<service>/<container>/<alarm>, so '/' and ':' cannot be in it",
        "alarms/slow.yaml:1:7: error: CAT-003 name: name 'slow/p99' must match the file name 'slow'",
        "alarms/slow.yaml:6:5: error: CAT-006 tests[0]: a catalogue alarm's tests give a `series:`; log samples belong "
        "to a config's alarms",
        "filters/boom.yaml:6:13: error: CAT-005 alarms[0].metric: a filter's alarm watches the filter's own metric; "
        "remove 'metric'"]
    assert not loaded.ok


def test_the_reference_lists_what_this_container_can_use(write_config):
    item = {**container(filters=[{"use": "fatal-signal", "name": "crashes"}]), "alarms": [{"use": "fatal-signal:seen"}]}
    loaded = load(write_config(document(cluster([item]))))
    [problem] = loaded.problems
    assert problem.path[-1] == "use"
    assert ("known here: alb-5xx, alb-latency, alb-unhealthy-hosts, cpu-high, ephemeral-storage-high, memory-high, sqs-backlog, "
            "sqs-message-age, tasks-below-desired, tasks-down, crashes:seen") in problem.message
