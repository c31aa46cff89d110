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
