"""`monitor emulator` end to end: one long-lived emulator process, and the CLI as separate processes
against it with --endpoint-url: plan -> apply -> plan (empty) -> change -> apply --prune -> destroy,
with a composite alarm and a container whose log group comes only from its task definition."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import boto3
import pytest

import emulator_process

REGION = "eu-central-1"
CLUSTER = "lifeops"
GROUP = "/ecs/lifeops/api"   # named only by the task definition's awslogs-group
PREFIX = f"monitor/{CLUSTER}/api/app"
CONFIG = f"""\
version: 1
region: {REGION}
clusters:
  - name: {CLUSTER}
    services:
      - name: api
        task_definition: api
        containers:
          - name: app
            filters:
              - {{name: errors, pattern: ERROR, metric: Errors}}
              - {{name: timeouts, pattern: TIMEOUT, metric: Timeouts}}
            alarms:
              - {{name: errors-high, metric: Errors, stat: Sum, period: 60, comparison: ">", threshold: 5,
                 evaluation_periods: 1, treat_missing_data: notBreaching}}
              - {{name: timeouts-high, metric: Timeouts, stat: Sum, period: 60, comparison: ">", threshold: 1,
                 evaluation_periods: 1, treat_missing_data: notBreaching}}
              - {{name: api-broken, alarm_rule: ALARM(errors-high) OR ALARM(timeouts-high)}}
"""
TASK_DEFINITION = {
    "family": "api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
    "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/nginx/nginx:latest", "essential": True,
                              "memory": 256, "logConfiguration": {"logDriver": "awslogs", "options": {
                                  "awslogs-group": GROUP, "awslogs-region": REGION, "awslogs-stream-prefix": "app"}}}]}


@pytest.fixture
def project(tmp_path) -> Path:
    """A config beside task-definitions/api.json, as a repository would hold them."""
    (tmp_path / "task-definitions").mkdir()
    (tmp_path / "task-definitions" / "api.json").write_text(json.dumps(TASK_DEFINITION))
    config = tmp_path / "monitor.yaml"
    config.write_text(textwrap.dedent(CONFIG))
    return config


def monitor(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *argv], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=emulator_process.env(), cwd=cwd, timeout=120)


def alarms(url: str) -> dict[str, dict]:
    cloudwatch = boto3.client("cloudwatch", endpoint_url=url, region_name=REGION, **_fake())
    found = cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    return {a["AlarmName"]: a for key in ("MetricAlarms", "CompositeAlarms") for a in found[key]}


def filters(url: str) -> set[str]:
    logs = boto3.client("logs", endpoint_url=url, region_name=REGION, **_fake())
    return {f["filterName"] for f in logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]}


def _fake() -> dict[str, str]:
    return {key.lower(): value for key, value in emulator_process.FAKE.items()}


def test_the_emulator_keeps_state_across_commands_until_sigterm(project):
    served = emulator_process.start(project, project.parent)
    try:
        remote = ["-c", str(project), "--endpoint-url", served.url]
        assert f"log groups: {GROUP}" in "\n".join(served.lines)   # seeded from the task definition
        assert "task definitions: api" in "\n".join(served.lines)

        first = monitor("plan", *remote, "--detailed-exitcode", cwd=project.parent)
        assert first.returncode == 2, first.stdout + first.stderr
        assert first.stdout.startswith(f"Target: account 123456789012, Region {REGION}, endpoint {served.url}\n")
        assert f"+ create composite_alarm {PREFIX}/api-broken" in first.stdout

        applied = monitor("apply", *remote, "--yes", cwd=project.parent)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert set(alarms(served.url)) == {f"{PREFIX}/errors-high", f"{PREFIX}/timeouts-high", f"{PREFIX}/api-broken"}
        assert filters(served.url) == {f"{PREFIX}/errors", f"{PREFIX}/timeouts"}

        again = monitor("plan", *remote, "--detailed-exitcode", cwd=project.parent)
        assert again.returncode == 0 and "No changes." in again.stdout, again.stdout + again.stderr

        # The change: a threshold moves, and the timeouts filter, alarm and the composite's half go.
        text = project.read_text().replace("threshold: 5", "threshold: 7")
        text = text.replace("              - {name: timeouts, pattern: TIMEOUT, metric: Timeouts}\n", "")
        text = text.split("              - {name: timeouts-high")[0]
        project.write_text(text + "              - {name: api-broken, alarm_rule: ALARM(errors-high)}\n")
        pruned = monitor("apply", *remote, "--yes", "--prune", cwd=project.parent)
        assert pruned.returncode == 0, pruned.stdout + pruned.stderr
        live = alarms(served.url)
        assert set(live) == {f"{PREFIX}/errors-high", f"{PREFIX}/api-broken"}
        assert live[f"{PREFIX}/errors-high"]["Threshold"] == 7.0
        assert live[f"{PREFIX}/api-broken"]["AlarmRule"] == f'ALARM("{PREFIX}/errors-high")'
        assert filters(served.url) == {f"{PREFIX}/errors"}
        assert monitor("plan", *remote, "--detailed-exitcode", cwd=project.parent).returncode == 0

        gone = monitor("destroy", *remote, "--yes", cwd=project.parent)
        assert gone.returncode == 0, gone.stdout + gone.stderr
        assert alarms(served.url) == {} and filters(served.url) == set()
    finally:
        code = served.stop(signal.SIGTERM)
    assert code == 0 and served.lines[-1] == "stopped by SIGTERM"


def test_sigint_stops_it_cleanly_and_a_config_is_optional(tmp_path):
    served = emulator_process.start(None, tmp_path)
    assert "Seeded with nothing:" in served.lines
    assert served.stop(signal.SIGINT) == 0
    assert served.lines[-1] == "stopped by SIGINT"


def test_a_port_in_use_is_one_line(tmp_path):
    served = emulator_process.start(None, tmp_path)
    try:
        port = served.url.rsplit(":", 1)[1]
        taken = monitor("emulator", "--port", port, cwd=tmp_path)
        assert taken.returncode == 1
        assert taken.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}: ") and "Traceback" not in taken.stderr
    finally:
        served.stop()


def test_replay_reads_a_log_group_from_task_definitions_as_validate_does(project, tmp_path, capsys):
    from monitor.cli import main
    events = tmp_path / "app.log"
    events.write_text("ERROR one\nall good\nTIMEOUT two\nERROR three\n")
    assert main(["replay", "-c", str(project), "--log-group", GROUP, str(events)]) == 0
    out = capsys.readouterr().out
    assert f"{PREFIX}/errors -> Custom/ECS/{CLUSTER}/api/app Errors (1 metric)" in out
    assert "4 events replayed through 2 filters" in out


def test_local_creates_the_log_groups_its_task_definitions_name(project):
    """A config that leaves `log_group` to the task definition plans on --local (a process of its own:
    the in-process emulator's state is shared with the rest of the suite)."""
    planned = monitor("plan", "-c", str(project), "--local", "--detailed-exitcode", cwd=project.parent)
    assert planned.returncode == 2, planned.stdout + planned.stderr
    assert "does not exist" not in planned.stdout + planned.stderr
    assert f"+ create metric_filter {GROUP}:{PREFIX}/errors" in planned.stdout
