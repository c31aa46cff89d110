"""A threshold past what the container can use: one judgement for validate, plan and review (issue 16).

The container's ceiling is its hard limit, else the task's size, which on Fargate bounds all its containers
together; below it a soft-limited container is sure only of what the task leaves it. Past the ceiling a
threshold is never (or always) true: an error everywhere. Past only what the task leaves it: a warning, since AWS
accepts it and it can fire. Task definitions are read beside the config (validate, review), from --task-definitions
(review), or from ECS at plan time (moto).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import boto3
import pytest
import yaml
from moto import mock_aws

from monitor.alarms import ranges
from monitor.aws.clients import Clients, Target
from monitor.cli import main
from monitor.commands import review
from monitor.emulator.server import install_fidelity_patches
from monitor.resolved import load
from monitor.sync.flow import make_plan, validate
from monitor.taskdefs import reach, sizing

REGION = "us-east-1"
OPS = f"arn:aws:sns:{REGION}:123456789012:ops"
SIDECAR = {"name": "sidecar", "image": "busybox", "essential": False, "memory": 256}


def task(app: dict, sidecar: dict = SIDECAR, cpu: str | None = "1024", memory: str | None = "2048") -> dict:
    """The tester's task: `app` as given, a sidecar with a 256 MiB hard limit, a 1 vCPU / 2 GiB Fargate task."""
    sizes = {key: value for key, value in (("cpu", cpu), ("memory", memory)) if value}
    return {"family": "web", "requiresCompatibilities": ["FARGATE"] if sizes else [], "networkMode": "awsvpc",
            **sizes, "containerDefinitions": [{"name": "app", "image": "app", "essential": True, **app}, sidecar]}


SOFT, HARD = task({"memoryReservation": 512}), task({"memory": 900})
CPU_SHARED = task({"memoryReservation": 512}, {**SIDECAR, "cpu": 128})


def alarm(threshold, metric: str = "MemoryUtilized", comparison: str = ">", **more) -> dict:
    return {"name": "high", "metric": metric, "comparison": comparison, "threshold": threshold,
            "evaluation_periods": 5, "datapoints_to_alarm": 5, "actions": [OPS], **more}


def config_text(*alarms: dict, insights: str = "enabled") -> str:
    return yaml.safe_dump({"version": 1, "region": REGION, "clusters": [{
        "name": "honban", "container_insights": insights, "services": [{
            "name": "web", "task_definition": "web", "containers": [{
                "name": "app", "log_group": "/ecs/honban/web", "performance_metrics": ["CpuUtilized", "MemoryUtilized"],
                "alarms": list(alarms)}]}]}]}, sort_keys=False)


def beside(write_config, definition: dict, *alarms: dict, **options) -> str:
    """A config with its task definition in task-definitions/ beside it, as validate and review read it."""
    path = write_config(config_text(*alarms, **options))
    (path.parent / "task-definitions").mkdir(exist_ok=True)
    (path.parent / "task-definitions" / "web.json").write_text(json.dumps(definition))
    return str(path)


def judged(loaded) -> list[tuple[str, str]]:
    return [(p.code, p.severity) for p in loaded.problems if p.code in ("ALM-042", "ALM-043")]


# --- what a container can reach, from its task definition ---------------------------------------------------------

@pytest.mark.parametrize("definition, field, most, sure", [
    (SOFT, "memory", (sizing.TASK, 2048), (sizing.LEFT, 1792)),         # soft limit: the task, and what it leaves it
    (HARD, "memory", (sizing.HARD, 900), None),                         # hard limit: killed past it
    (CPU_SHARED, "cpu", (sizing.TASK, 1024), (sizing.LEFT, 896)),       # cpu is a share: the task's cpu is the cap
    (SOFT, "cpu", (sizing.TASK, 1024), None),                           # no other container holds cpu
    (task({"memoryReservation": 512}, cpu=None, memory=None), "memory", None, None),   # EC2, no task size: unknown
    (task({"memory": 900}, cpu=None, memory=None), "memory", (sizing.HARD, 900), None),
    (SOFT, "storage", (sizing.TASK, 20), None),                         # Fargate's default ephemeral storage
], ids=["soft", "hard", "cpu-shared", "cpu-alone", "ec2-soft", "ec2-hard", "storage"])
def test_what_a_container_can_reach(definition, field, most, sure):
    found = reach.reach(definition, "app", field)
    if most is None:
        assert found is None
        return
    assert (found.field, found.most.kind, found.most.value) == (field, *most)
    assert (None if found.sure is None else (found.sure.kind, found.sure.value)) == sure


@pytest.mark.parametrize("comparison, statistic, value, expected", [
    (">", "Average", 2100, ranges.NEVER),      # past the task's 2048: never
    (">=", "Average", 2048, ranges.UNSURE),    # the task's whole memory: only with the sidecar at 0
    (">", "Average", 1900, ranges.UNSURE),     # past the 1792 the task leaves it
    (">", "Average", 1792, ranges.UNSURE),
    (">", "Average", 1700, None),
    ("<", "Average", 2100, ranges.ALWAYS),     # below the ceiling is every datapoint
    ("<", "Average", 1900, ranges.UNSURE),     # in ALARM unless the sidecar leaves room
    ("<", "Average", 1000, None),
    (">", "Maximum", 2100, ranges.NEVER),
    (">", "p99", 2100, ranges.NEVER),
    (">", "Sum", 5000, None),                  # a Sum adds every task's datapoints: any size
    (">", "SampleCount", 5000, None),
])
def test_the_judgement_of_a_threshold_against_the_ceiling(comparison, statistic, value, expected):
    assert ranges.past(comparison, statistic, value, most=2048, sure=1792) == expected


# --- validate: the task definition beside the config ---------------------------------------------------------------

def test_the_testers_reproduction_is_refused_by_validate(write_config):
    """memory-high at 185% of a soft-limited container: 3315.2 MiB, past the 2048 MiB the whole task has."""
    loaded = validate(beside(write_config, SOFT, {"use": "memory-high", "threshold": "185%", "actions": [OPS]}))
    [problem] = [p for p in loaded.problems if p.severity == "error"]
    assert (problem.code, problem.path[-1]) == ("ALM-042", "threshold") and not loaded.ok
    assert problem.message == (
        "threshold 185%: 185% of 1792 MiB the task leaves it (task 2048 MiB less sidecar 256) (web) is 3315.2 MiB, "
        "but the container's memory cannot pass 2048 MiB task limit (web) (the task-level size is the limit of the "
        "whole task, shared by all its containers), so 'Average > 185%' is never true: no datapoint can breach; "
        "give a share below 100%")


@pytest.mark.parametrize("definition, given, expected", [
    # N% of what the task leaves a soft-limited container (1792 MiB): within the task a warning, past it an error
    (SOFT, alarm("110%"), [("ALM-043", "warning")]),     # 1971.2 MiB: only while the sidecar uses less than 256
    (SOFT, alarm("120%"), [("ALM-042", "error")]),       # 2150.4 MiB > 2048
    (SOFT, alarm("90%"), []),
    (SOFT, alarm("120%", comparison="<"), [("ALM-042", "error")]),   # always true
    (SOFT, alarm("105%", comparison="<"), [("ALM-043", "warning")]),
    (SOFT, alarm("185%", stat="Sum"), []),               # a Sum can pass any one task's memory
    # a number on the container's own MemoryUtilized (MiB)
    (HARD, alarm(1000), [("ALM-042", "error")]),         # the tester's: 1000 MiB past a 900 MiB hard limit
    (HARD, alarm(900, comparison=">="), []),             # at the limit: reachable
    (HARD, alarm(1000, comparison="<="), [("ALM-042", "error")]),
    (SOFT, alarm(2000), [("ALM-043", "warning")]),
    (SOFT, alarm(2100), [("ALM-042", "error")]),
    (SOFT, alarm(1500), []),
    # CPU: the task's 1024 units are the ceiling, 896 what the sidecar's cpu share leaves the app
    (CPU_SHARED, alarm("120%", "CpuUtilized"), [("ALM-042", "error")]),   # 1075.2 > 1024
    (CPU_SHARED, alarm("110%", "CpuUtilized"), [("ALM-043", "warning")]),  # 985.6
    (CPU_SHARED, alarm(1100, "CpuUtilized"), [("ALM-042", "error")]),
    (CPU_SHARED, alarm(950, "CpuUtilized"), [("ALM-043", "warning")]),
    (CPU_SHARED, alarm(800, "CpuUtilized"), []),
    (SOFT, alarm(1100, "CpuUtilized", comparison="<"), [("ALM-042", "error")]),
], ids=lambda value: None)
def test_validate_judges_cpu_and_memory_thresholds_against_the_task_definition(write_config, definition, given,
                                                                              expected):
    loaded = validate(beside(write_config, definition, given))
    assert judged(loaded) == expected
    assert loaded.ok == (not any(severity == "error" for _, severity in expected))


def test_a_number_past_a_hard_limit_names_the_field_the_value_the_limit_and_its_source(write_config):
    loaded = validate(beside(write_config, HARD, alarm(1000)))
    [problem] = loaded.problems
    assert problem.path == ("clusters", 0, "services", 0, "containers", 0, "alarms", 0, "threshold")
    assert problem.message == (
        "threshold 1000: 1000 MiB of memory, but the container's memory cannot pass 900 MiB hard limit (web) (the "
        "container is killed past its hard limit), so 'Average > 1000' is never true: no datapoint can breach; "
        "give a threshold below 900 MiB")
    assert loaded.source.text.splitlines()[problem_line(loaded, problem) - 1].strip().startswith("threshold: 1000")


def problem_line(loaded, problem) -> int:
    from monitor.problems import placed
    return placed(problem, loaded.source).position().line


@pytest.mark.parametrize("given, insights, expected", [
    (alarm(1000), "enhanced", [("ALM-042", "error")]),   # the native ContainerMemoryUtilized of an enhanced cluster
    (alarm(1000, "ContainerMemoryUtilized", namespace="ECS/ContainerInsights",
           dimensions={"ClusterName": "honban", "ServiceName": "web", "ContainerName": "app"}), "enhanced",
     [("ALM-042", "error")]),
    (alarm(1000, "ContainerMemoryUtilized", namespace="ECS/ContainerInsights",   # another container's figure
           dimensions={"ClusterName": "honban", "ServiceName": "web", "ContainerName": "sidecar"}), "enhanced", []),
])
def test_the_containers_own_figure_is_judged_however_it_is_named(write_config, given, insights, expected):
    assert judged(validate(beside(write_config, HARD, given, insights=insights))) == expected


def test_without_the_task_definition_validate_cannot_judge_and_says_nothing(write_config):
    assert judged(validate(str(write_config(config_text(alarm(1000), alarm("185%")))))) == []


@pytest.mark.parametrize("example", ["config.example.yaml"])
def test_the_readme_example_and_the_demo_config_are_unaffected(example):
    from pathlib import Path
    loaded = validate(str(Path(__file__).resolve().parents[1] / example))   # its task-definitions/ beside it
    assert loaded.ok and judged(loaded) == []


# --- plan: the task definition read from ECS -------------------------------------------------------------------------

@pytest.fixture
def ecs():
    with mock_aws():
        install_fidelity_patches()
        made = SimpleNamespace(ecs=boto3.client("ecs", region_name=REGION), logs=boto3.client("logs", region_name=REGION))
        made.ecs.create_cluster(clusterName="honban")
        made.logs.create_log_group(logGroupName="/ecs/honban/web")
        yield made


def planned(write_config, ecs, definition: dict, *alarms: dict):
    ecs.ecs.register_task_definition(**definition)
    loaded = validate(str(write_config(config_text(*alarms))))   # nothing beside it: only the plan can judge
    assert loaded.ok, loaded.problems
    return make_plan(loaded, Clients(Target(REGION), _session=boto3.Session(region_name=REGION)))


def test_the_plan_refuses_a_share_past_the_tasks_memory(write_config, ecs):
    made = planned(write_config, ecs, SOFT, {"use": "memory-high", "threshold": "185%", "actions": [OPS]})
    [error] = made.errors
    assert error.code == "ALM-042" and "cannot pass 2048 MiB task limit (web:1)" in error.message


def test_the_plan_refuses_a_number_past_a_hard_limit(write_config, ecs):
    [error] = planned(write_config, ecs, HARD, alarm(1000)).errors
    assert error.code == "ALM-042" and "900 MiB hard limit (web:1)" in error.message


def test_the_plan_warns_of_a_share_past_what_the_task_leaves_and_makes_the_alarm(write_config, ecs):
    made = planned(write_config, ecs, SOFT, alarm("110%"))
    assert made.errors == []
    [warning] = [f for f in made.findings if f.code == "ALM-043"]
    assert "goes above 1792 MiB the task leaves it" in warning.message
    [put] = [c for c in made.changes if c.kind == "alarm"]
    assert put.after["Threshold"] == pytest.approx(1.1 * 1792)


# --- review: the same judgement, the task definition beside the config or given ---------------------------------------

def reviewed(path: str, *files: str) -> list[tuple[str, str]]:
    report = review.offline(load(path), list(files))
    return [(f.code, f.severity) for f in report.findings if f.code.startswith("ALARM-THRESHOLD")]


def test_review_reads_the_task_definition_beside_the_config(write_config):
    path = beside(write_config, SOFT, {"use": "memory-high", "threshold": "185%", "actions": [OPS]})
    report = review.offline(load(path))
    [finding] = [f for f in report.findings if f.code.startswith("ALARM-THRESHOLD")]
    assert (finding.code, finding.severity) == ("ALARM-THRESHOLD-002", "error")
    assert "cannot pass 2048 MiB task limit (web)" in finding.message and "could not be read" not in finding.message
    assert report.design_checked and report.notes == ()


def test_a_file_given_wins_over_the_one_beside_the_config_of_its_family(write_config, tmp_path):
    path = beside(write_config, SOFT, alarm("110%"))   # beside: of what the task leaves it, a warning
    assert reviewed(path) == [("ALARM-THRESHOLD-003", "warning")]
    (tmp_path / "given.json").write_text(json.dumps(task({"memory": 1024})))   # given: of a hard limit, an error
    assert reviewed(path, str(tmp_path / "given.json")) == [("ALARM-THRESHOLD-002", "error")]


def test_review_task_definitions_reports_the_share_past_the_task(write_config, tmp_path, capsys):
    """The file given with --task-definitions, elsewhere: validate cannot see it, review judges with it."""
    path = write_config(config_text({"use": "memory-high", "threshold": "185%", "actions": [OPS]}))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "web.json").write_text(json.dumps(SOFT))
    code = main(["review", "-c", str(path), "--task-definitions", str(tmp_path / "elsewhere" / "web.json"),
                 "--output", "json", "--fail-on", "error"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    [finding] = [f for f in document["findings"] if f["code"].startswith("ALARM-THRESHOLD")]
    assert (finding["code"], finding["severity"]) == ("ALARM-THRESHOLD-002", "error")
    assert "185% of 1792 MiB the task leaves it" in finding["message"]


def test_review_without_a_task_definition_warns_and_does_not_refuse(write_config):
    """The limit unknown, 185% may be of what the task leaves the container, which it can pass: a warning."""
    path = str(write_config(config_text({"use": "memory-high", "threshold": "185%", "actions": [OPS]})))
    report = review.offline(load(path))
    [finding] = [f for f in report.findings if f.code.startswith("ALARM-THRESHOLD")]
    assert (finding.code, finding.severity) == ("ALARM-THRESHOLD-003", "warning")
    assert "185% of a limit not known here" in finding.message


def test_the_command_line_review_stops_where_validate_does(write_config, capsys):
    path = beside(write_config, SOFT, {"use": "memory-high", "threshold": "185%", "actions": [OPS]})
    assert main(["review", "-c", path]) == 1
    assert "ALM-042" in capsys.readouterr().err


# One judge: every case validate calls an error review calls one, and the same for warnings and for nothing.
REVIEW_OF = {("ALM-042", "error"): {("ALARM-THRESHOLD-001", "error"), ("ALARM-THRESHOLD-002", "error")},
             ("ALM-043", "warning"): {("ALARM-THRESHOLD-003", "warning")}}


@pytest.mark.parametrize("definition, given", [
    (SOFT, alarm("185%")), (SOFT, alarm("110%")), (SOFT, alarm("90%")), (SOFT, alarm("120%", comparison="<")),
    (SOFT, alarm("105%", comparison="<")), (HARD, alarm(1000)), (HARD, alarm("120%")), (HARD, alarm(1000, comparison="<")),
    (SOFT, alarm(2000)), (CPU_SHARED, alarm("120%", "CpuUtilized")), (CPU_SHARED, alarm(950, "CpuUtilized")),
    (SOFT, alarm("185%", stat="Sum")), (HARD, alarm(850)),
])
def test_validate_and_review_judge_alike(write_config, definition, given):
    path = beside(write_config, definition, given)
    said = judged(validate(path))
    found = reviewed(path)
    assert len(said) == len(found) <= 1
    assert all(f in REVIEW_OF[s] for s, f in zip(said, found))


def test_review_deployed_judges_the_live_threshold_against_the_task_definition(write_config, ecs):
    """--deployed: the task definition from ECS, the threshold as deployed (a number put by hand past the limit)."""
    ecs.ecs.register_task_definition(**HARD)
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    name = "monitor/honban/web/app/high"
    cloudwatch.put_metric_alarm(
        AlarmName=name, Namespace="Custom/ECS", MetricName="ContainerMemoryUtilized", Statistic="Average", Period=60,
        EvaluationPeriods=5, DatapointsToAlarm=5, Threshold=1000.0, ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[OPS], Dimensions=[{"Name": "ClusterName", "Value": "honban"},
                                        {"Name": "ServiceName", "Value": "web"}, {"Name": "ContainerName", "Value": "app"}])
    path = write_config(config_text(alarm(850)))
    report = review.live(load(str(path)), Clients(Target(REGION), _session=boto3.Session(region_name=REGION)))
    [finding] = [f for f in report.findings if f.code.startswith("ALARM-THRESHOLD")]
    assert (finding.subject, finding.code, finding.severity) == (name, "ALARM-THRESHOLD-002", "error")
    assert "900 MiB hard limit (web:1)" in finding.message and finding.fix == "give a threshold below 900 MiB"
