"""Container limits and Fargate task sizes, as pure tables: AWS's documented table, each source of a
limit, and each sizing problem. The moto round trip is in test_taskdefs.py (section 6)."""

from __future__ import annotations

import re

import pytest

from monitor.taskdefs import sizing
from monitor.taskdefs.sizing import Limit

# AWS's table as the RegisterTaskDefinition API reference words it (parameter `memory`),
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html, the same table as
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
AWS_TABLE = """
512 (0.5 GB), 1024 (1 GB), 2048 (2 GB) - Available cpu values: 256 (.25 vCPU)
1024 (1 GB), 2048 (2 GB), 3072 (3 GB), 4096 (4 GB) - Available cpu values: 512 (.5 vCPU)
2048 (2 GB), 3072 (3 GB), 4096 (4 GB), 5120 (5 GB), 6144 (6 GB), 7168 (7 GB), 8192 (8 GB) - Available cpu values: 1024 (1 vCPU)
Between 4096 (4 GB) and 16384 (16 GB) in increments of 1024 (1 GB) - Available cpu values: 2048 (2 vCPU)
Between 8192 (8 GB) and 30720 (30 GB) in increments of 1024 (1 GB) - Available cpu values: 4096 (4 vCPU)
Between 16 GB and 60 GB in 4 GB increments - Available cpu values: 8192 (8 vCPU)
Between 32GB and 120 GB in 8 GB increments - Available cpu values: 16384 (16 vCPU)
"""


def documented() -> dict[int, set[int]]:
    """cpu -> memory (MiB), read from AWS's wording, not from the module under test."""
    table = {}
    for row in AWS_TABLE.strip().splitlines():
        memory, cpu = row.split(" - Available cpu values: ")
        if memory.startswith("Between"):
            first, last, step = (int(g) * 1024 for g in re.findall(r"(\d+) ?GB", memory))
            table[int(cpu.split()[0])] = set(range(first, last + 1, step))
        else:
            table[int(cpu.split()[0])] = {int(m) for m in re.findall(r"(\d+) \(", memory)}
    return table


def fargate(cpu: int | str | None, memory: int | str | None, *containers: dict, **extra) -> dict:
    """A Fargate task definition as DescribeTaskDefinition returns it: task sizes as strings."""
    task = {"family": "awesome-app", "revision": 12, "requiresCompatibilities": ["FARGATE"],
            "compatibilities": ["EC2", "FARGATE"], "networkMode": "awsvpc",
            "containerDefinitions": [{"cpu": 0, "essential": True, **c} for c in containers or ({"name": "app"},)]}
    task.update({k: str(v) for k, v in (("cpu", cpu), ("memory", memory)) if v is not None})
    return {**task, **extra}


def ec2(*containers: dict, **extra) -> dict:
    return {**fargate(None, None, *containers), "requiresCompatibilities": ["EC2"], "compatibilities": ["EC2"], **extra}


# --- the Fargate table -----------------------------------------------------------------------

def test_the_table_has_awss_cpu_values():
    assert set(sizing.FARGATE_SIZES) == set(documented())


def test_every_pair_on_a_512_mib_grid_is_allowed_exactly_when_aws_documents_it():
    doc = documented()
    for cpu in (128, 256, 512, 1024, 2048, 3072, 4096, 8192, 16384, 32768):
        for memory in range(512, 130 * 1024, 512):
            expected = memory in doc.get(cpu, set())
            assert (memory in sizing.fargate_memory(cpu)) is expected, (cpu, memory)
            refused = [p for p in sizing.problems(fargate(cpu, memory)) if p.is_error]
            assert (refused == []) is expected, (cpu, memory, refused)


@pytest.mark.parametrize("cpu, memory, said", [
    (256, 4096, "with 256 CPU units Fargate allows 512, 1024, 2048 MiB"),
    (2048, 2048, "with 2048 CPU units Fargate allows 4096-16384 in steps of 1024 MiB"),
    (8192, 18432, "with 8192 CPU units Fargate allows 16384-61440 in steps of 4096 MiB"),
    (3072, 8192, "task cpu 3072 is not a Fargate size; Fargate offers 256, 512, 1024, 2048, 4096, 8192, 16384"),
    (None, 1024, "a Fargate task needs a task-level cpu and memory"),
])
def test_a_size_fargate_does_not_offer_says_what_it_allows(cpu, memory, said):
    [problem] = sizing.problems(fargate(cpu, memory))
    assert (problem.severity, problem.path) == ("error", ())
    assert problem.message.startswith("task definition 'awesome-app:12': ") and said in problem.message


def test_fargate_is_read_from_compatibilities_too_and_ec2_sizes_are_free():
    validated = fargate(256, 4096, requiresCompatibilities=None)
    assert [p.severity for p in sizing.problems(validated)] == ["error"]
    assert sizing.problems(ec2({"name": "app", "memory": 300}, cpu="384", memory="3000")) == []


# --- limits: each source -----------------------------------------------------------------------

@pytest.mark.parametrize("container, task, expected", [
    ({"memory": 1024, "memoryReservation": 512}, (1024, 2048),
     Limit(1024, "MiB", "hard", "1024 MiB hard limit (awesome-app:12)")),
    ({"memoryReservation": 512}, (1024, 2048), Limit(512, "MiB", "soft", "512 MiB soft limit (awesome-app:12)")),
    ({}, (1024, 2048), Limit(2048, "MiB", "task", "2048 MiB task limit (awesome-app:12)")),
], ids=["hard", "soft", "task"])
def test_memory_limit_sources(container, task, expected):
    assert sizing.limits(fargate(*task, {"name": "app", **container}), "app").memory == expected


@pytest.mark.parametrize("cpu, expected", [
    (256, Limit(256, "CPU units", "share", "256 CPU units share, not a cap (awesome-app:12)")),
    (0, Limit(1024, "CPU units", "task", "1024 CPU units task limit (awesome-app:12)")),
], ids=["share", "task"])
def test_cpu_limit_sources(cpu, expected):
    assert sizing.limits(fargate(1024, 2048, {"name": "app", "cpu": cpu}), "app").cpu == expected


def test_an_ec2_container_without_cpu_in_a_task_without_cpu_has_no_cpu_limit():
    found = sizing.limits(ec2({"name": "app", "memoryReservation": 128}, family="batch", revision=None), "app")
    assert found == sizing.Limits(cpu=None, memory=Limit(128, "MiB", "soft", "128 MiB soft limit (batch)"))


def test_a_container_the_task_definition_lacks_is_a_key_error():
    with pytest.raises(KeyError, match="task definition 'awesome-app:12' has no container 'web'"):
        sizing.limits(fargate(256, 512), "web")


# --- problems --------------------------------------------------------------------------------

APP, NGINX = {"name": "app"}, {"name": "nginx"}
ROUTER = {"name": "log_router", "memoryReservation": 50, "firelensConfiguration": {"type": "fluentbit"}}


@pytest.mark.parametrize("task, said", [
    (fargate(512, 1024, {**APP, "cpu": 384}, {**NGINX, "cpu": 256}),
     "the containers' cpu add up to 640 CPU units, more than the task's 512"),
    (fargate(512, 1024, {**APP, "memory": 2048}), "container 'app' memory is 2048 MiB, more than the task's 1024 MiB"),
    (fargate(512, 1024, {**APP, "memoryReservation": 1536}),
     "container 'app' memoryReservation is 1536 MiB, more than the task's 1024 MiB"),
    (fargate(512, 1024, {**APP, "memory": 256, "memoryReservation": 512}),
     "container 'app' reserves 512 MiB (memoryReservation), more than its hard limit of 256 MiB"),
    (fargate(512, 1024, {**APP, "memoryReservation": 768}, {**NGINX, "memory": 512}),
     "the containers reserve 1280 MiB in all (app 768, nginx 512), more than the task's 1024 MiB"),
], ids=["cpu-sum", "hard-over-task", "soft-over-task", "soft-over-hard", "reserved-sum"])
def test_what_aws_refuses_is_an_error(task, said):
    [problem] = sizing.problems(task)
    assert problem.severity == "error" and said in problem.message


@pytest.mark.parametrize("task, main, said", [
    (fargate(512, 1024, {**APP, "memory": 900, "memoryReservation": 512}, {**NGINX, "memory": 512,
                                                                            "memoryReservation": 128}), None,
     "hard limits add up to 1412 MiB (app 900, nginx 512), more than the task's 1024 MiB"),
    (fargate(512, 1024, APP, {**NGINX, "memoryReservation": 128}), None,
     "container 'app' has neither memory nor memoryReservation, so its limit is the task's 1024 MiB, which it "
     "shares with 'nginx'"),
    (fargate(512, 1024, {**APP, "memory": 512, "memoryReservation": 512}), None,
     "container 'app' has a soft limit of 512 MiB (memoryReservation) and no headroom above it when every "
     "container is busy: its hard limit is 512 MiB"),
    (fargate(512, 1024, {**APP, "memoryReservation": 768}, {**NGINX, "memory": 256}), ["app"],
     "container 'app' has a soft limit of 768 MiB (memoryReservation) and no headroom above it when every "
     "container is busy: what the task's 1024 MiB leave after the other containers' reservations is 768 MiB"),
], ids=["hard-sum", "main-without-limit", "soft-equals-hard", "task-fully-reserved"])
def test_design_points_are_warnings(task, main, said):
    [problem] = sizing.problems(task, main)
    assert problem.severity == "warning" and said in problem.message


@pytest.mark.parametrize("task, main", [
    (fargate(256, 512), None),                                             # one container: the task is its own
    (fargate(512, 1024, {**APP, "memoryReservation": 512}, {**NGINX, "memory": 256}), None),   # room to spare
    (fargate(512, 1024, {**APP, "memoryReservation": 512}, NGINX), ["app"]),  # a sidecar without limit is not main
    (fargate(512, 1024, {**APP, "memoryReservation": 512}, {**NGINX, "essential": False}), None),
    (fargate(512, 1024, {**APP, "memoryReservation": 512}, {**ROUTER, "memoryReservation": None}), None),
])
def test_sound_sizes_have_no_problems(task, main):
    assert sizing.problems(task, main) == []


def test_a_refused_task_definition_shows_only_what_aws_refuses():
    task = fargate(256, 4096, APP, {**NGINX, "memoryReservation": 128})
    assert [p.severity for p in sizing.problems(task)] == ["error"]
