"""`monitor exporter` as a real process: ready after the first refresh, SIGHUP and file changes
reload, a bad reload keeps the old config serving, SIGTERM stops it cleanly; and its other modes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from monitor.cli import main

CONFIG = """
version: 1
region: {region}
clusters:
  - name: prod
    services:
      - name: web
        task_definition: web
        containers:
{containers}
exporter:
  interval: 1
  delay: 0
  service_metrics: false   # the filters' queries alone, counted below
"""
CONTAINER = """          - name: {name}
            log_group: /ecs/prod/{name}
            filters: [{{name: requests, pattern: '{{ $.status = * }}', metric: Requests, unit: Count}}]
"""


def config(names: list[str], region: str = "ca-central-1") -> str:
    return CONFIG.format(region=region, containers="".join(CONTAINER.format(name=n) for n in names))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def wait_for(check, what: str, seconds: float = 30):
    """Poll until `check()` is truthy; the bound only keeps a broken exporter from hanging the suite."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def sample(url: str, prefix: str) -> float | None:
    status, text = get(url + "/metrics")
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(lines[0].split()[-1]) if status == 200 and lines else None


def queries(url: str) -> float | None:
    return sample(url, "ecs_monitor_queries ")


@pytest.fixture
def daemon(emulator, tmp_path):
    path = tmp_path / "monitor.yaml"
    path.write_text(config(["app"]))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "exporter", "-c", str(path), "--endpoint-url",
                                emulator.url, "--listen", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(url + "/ready")[0] == 200, "ready")
        yield process, path, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_ready_after_the_first_refresh_and_sigterm_stops_cleanly(daemon):
    process, _, url = daemon
    assert get(url + "/healthz") == (200, "ok\n")
    assert "ecs_monitor_up 1.0" in get(url + "/metrics")[1]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert "Traceback" not in process.communicate()[1]


def test_sighup_reloads_and_a_bad_config_keeps_the_old_one(daemon):
    process, path, url = daemon
    assert queries(url) == 1.0
    path.write_text(config(["app", "sidecar"]))
    process.send_signal(signal.SIGHUP)
    wait_for(lambda: queries(url) == 2.0, "the reload")
    path.write_text("version: 1\nexporter:\n  listen: nowhere\n")
    process.send_signal(signal.SIGHUP)
    wait_for(lambda: sample(url, 'ecs_monitor_config_reloads_total{result="error"}') == 1.0, "the failed reload")
    assert queries(url) == 2.0 and sample(url, "ecs_monitor_up ") == 1.0
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    log = process.communicate()[1]
    assert "not reloaded, the old one keeps serving" in log and "exporter.listen" in log


def test_a_changed_file_is_reloaded_without_a_signal(daemon):
    _, path, url = daemon
    path.write_text(config(["app", "sidecar", "third"]))
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    wait_for(lambda: queries(url) == 3.0, "the reload")


def printed_policy(path, capsys) -> dict:
    assert main(["exporter", "-c", str(path), "--print-iam-policy"]) == 0
    return json.loads(capsys.readouterr().out)


def test_print_iam_policy_lists_exactly_the_actions_used(example_config, capsys):
    """Every service of the example names its task_definition; the worker names no target group, so it
    is described for one (service_metrics), and a target group found would be asked its load balancer."""
    policy = printed_policy(example_config, capsys)
    actions = sorted({action for statement in policy["Statement"] for action in statement["Action"]})
    assert actions == ["cloudwatch:GetMetricData", "ecs:DescribeServices", "ecs:DescribeTaskDefinition",
                       "elasticloadbalancing:DescribeTargetGroups"]
    [describe] = [s for s in policy["Statement"] if s["Action"] == ["ecs:DescribeServices"]]
    assert describe["Resource"] == ["arn:aws:ecs:ap-northeast-1:*:service/honban/worker"]
    assert all(statement["Effect"] == "Allow" for statement in policy["Statement"])


def test_a_service_without_task_definition_adds_describe_services_on_its_arn(write_config, capsys):
    path = write_config("""
version: 1
region: eu-west-1
clusters:
  - name: prod
    services:
      - name: web
        containers: [{name: app, log_group: /ecs/prod/app}]
      - name: api
        task_definition: api
        containers: [{name: app, log_group: /ecs/prod/api}]
""")
    statements = printed_policy(path, capsys)["Statement"]
    [describe] = [s for s in statements if s["Action"] == ["ecs:DescribeServices"]]
    # web for its task definition; both for their target groups (the exporter's service_metrics)
    assert describe["Resource"] == ["arn:aws:ecs:eu-west-1:*:service/prod/api", "arn:aws:ecs:eu-west-1:*:service/prod/web"]


def test_plan_prints_queries_calls_and_dollars(example_config, capsys):
    assert main(["exporter", "-c", str(example_config), "--plan", "--output", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    # filters, and Container Insights, AWS/ECS utilization (2 services x 2) and the web service's target group (5)
    assert (found["queries"], found["calls"]) == (44, 2)
    assert found["usd_per_month"] == pytest.approx(44 * 43_800 / 1000 * 0.01)


def test_shards_split_the_plan(example_config, capsys):
    counts = []
    for index in (1, 2):
        assert main(["exporter", "-c", str(example_config), "--plan", "--output", "json", "--shard", f"{index}/2"]) == 0
        counts.append(json.loads(capsys.readouterr().out)["queries"])
    assert sum(counts) == 44


@pytest.mark.parametrize("argv", [["--shard", "3/2"], ["--listen", "nowhere"]])
def test_usage_errors_exit_2(example_config, argv, capsys):
    assert main(["exporter", "-c", str(example_config), "--plan", *argv]) == 2
    assert "error:" in capsys.readouterr().err
