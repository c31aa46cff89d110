"""The CLI end to end: real commands against a real emulator process, read back with boto3.

One emulator (moto's ThreadedMotoServer) serves the whole module. moto keeps one state per
process, so every test works in a Region of its own and the example's fixed names never meet.
The main flow runs `python -m monitor` as a subprocess, exactly as a user or a script would;
the rest call `monitor.cli.main` in-process for speed.
"""

from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import yaml

from monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.yaml"
TASK_DEFINITIONS = ROOT / "task-definitions"
CATALOGUE = ROOT / "filters"
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
# Regions nobody else in the suite uses: eu-west-1 is test_emulator's, us-east-1 the default,
# ap-northeast-1 the example's own (an in-process --local would seed it). One per test, never reused.
RESERVED = {"eu-west-1", "us-east-1", "ap-northeast-1"}
REGIONS = iter(sorted(set(boto3.Session().get_available_regions("logs"))
                      & set(boto3.Session().get_available_regions("ecs")) - RESERVED))
EXAMPLE_CLUSTER = "honban"
APP_GROUPS = ("/ecs/honban/awesome-app", "/ecs/honban/awesome-app-nginx", "/ecs/honban/worker")
PERFORMANCE_GROUP = "/aws/ecs/containerinsights/honban/performance"
SLOW = "monitor/honban/awesome-app/awesome-app/slow-requests"
SLOW_PATTERN = "'{ $.status >= 100 && $.duration > 1000 }'"
FATAL = "monitor/honban/worker/worker/fatal-signal"
FOREIGN_OWNED = "monitor/honban/legacy/app/disk-full"   # our prefix, cluster and shape; not in the config
FOREIGN = ("team-alerts", "monitoring-cost", "monitor/other-cluster/web/app/errors")   # never ours
COUNT = {"metricName": "Legacy", "metricNamespace": "Team/Other", "metricValue": "1"}


# --- the emulator and one fresh Region per test ---


@dataclass
class Account:
    """One Region of the emulator, seen through plain boto3 as any AWS client would see it."""

    url: str
    region: str

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.url, region_name=self.region, **FAKE)

    def seed(self, config: Path) -> None:
        """The clusters, app log groups and task definitions the config names, as a real account
        would have them (the task definitions from the repository's task-definitions/)."""
        doc = yaml.safe_load(config.read_text())
        ecs, logs = self.client("ecs"), self.client("logs")
        for cluster in doc["clusters"]:
            ecs.create_cluster(clusterName=cluster["name"])
        for family in {s["task_definition"] for c in doc["clusters"] for s in c["services"] if "task_definition" in s}:
            ecs.register_task_definition(**json.loads((TASK_DEFINITIONS / f"{family}.json").read_text()))
        for group in sorted({c["log_group"] for _, _, c in _containers(doc) if c.get("log_group")}):
            logs.create_log_group(logGroupName=group)

    def filters(self, group: str) -> dict[str, dict]:
        """Every metric filter on a log group, by name, read through the paginator."""
        pages = self.client("logs").get_paginator("describe_metric_filters").paginate(logGroupName=group)
        return {item["filterName"]: item for page in pages for item in page["metricFilters"]}

    def all_filters(self) -> dict[str, dict]:
        """Every metric filter in the Region, by `group:name`."""
        pages = self.client("logs").get_paginator("describe_metric_filters").paginate()
        return {f"{i['logGroupName']}:{i['filterName']}": i for page in pages for i in page["metricFilters"]}

    def groups(self) -> set[str]:
        pages = self.client("logs").get_paginator("describe_log_groups").paginate()
        return {group["logGroupName"] for page in pages for group in page["logGroups"]}

    def insights(self, cluster: str) -> str | None:
        found = self.client("ecs").describe_clusters(clusters=[cluster], include=["SETTINGS"])["clusters"]
        return {s["name"]: s["value"] for s in found[0].get("settings", [])}.get("containerInsights")

    def put_foreign(self, group: str, name: str, pattern: str = "DISK FULL") -> None:
        """A filter someone else made, straight through the API."""
        self.client("logs").put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern,
                                              metricTransformations=[COUNT])


@pytest.fixture
def aws(emulator) -> Account:
    region = next(REGIONS, None)
    assert region, "no unused Region left: give the new tests distinct names instead"
    return Account(emulator.url, region)


@pytest.fixture
def example(tmp_path, aws) -> Path:
    """config.example.yaml in a folder of its own, its clusters and log groups in the account."""
    path = tmp_path / "monitor.yaml"
    shutil.copy(EXAMPLE, path)
    aws.seed(path)
    return path


# --- the expected state, worked out from the YAML alone (not through monitor's own code) ---


def _containers(doc: dict):
    for cluster in doc.get("clusters", []):
        for service in cluster.get("services", []):
            for container in service.get("containers", []):
                yield cluster, service, container


def expected_filters(config: Path) -> dict[str, dict[str, dict]]:
    """Log group -> filter name -> the filter's merged definition (`use:` over the catalogue).

    Names are `<prefix>/<cluster>/<service>/<container>/<filter>`, and a filter publishes into
    its container's own namespace `<namespace>/<cluster>/<service>/<container>` (README).
    """
    doc = yaml.safe_load(config.read_text())
    catalogue = {path.stem: yaml.safe_load(path.read_text()) for path in CATALOGUE.glob("*.yaml")}
    prefix = doc.get("prefix", "monitor")
    found: dict[str, dict[str, dict]] = {}
    for cluster, service, container in _containers(doc):
        for item in container.get("filters", []):
            merged = {**catalogue[item["use"]], **item} if "use" in item else dict(item)
            owner = f"{cluster['name']}/{service['name']}/{container['name']}"
            name = f"{prefix}/{owner}/{merged['name']}"
            namespace = doc.get("namespace", "Custom/ECS")
            merged.setdefault("namespace", namespace if merged.get("shared") else f"{namespace}/{owner}")
            found.setdefault(container["log_group"], {})[name] = merged
    return found


def assert_matches(live: dict, wanted: dict, namespace: str) -> None:
    """One metric filter as AWS returns it against its definition in the config."""
    assert live["filterPattern"] == wanted["pattern"]
    [metric] = live["metricTransformations"]
    assert metric["metricName"] == wanted["metric"]
    assert metric["metricNamespace"] == wanted.get("namespace", namespace)
    assert metric["metricValue"] == str(wanted.get("value", 1))
    assert metric.get("unit") == wanted.get("unit")
    default = wanted.get("default")
    assert metric.get("defaultValue") == (None if default is None else float(default))
    assert (metric.get("dimensions") or {}) == (wanted.get("dimensions") or {})


# --- running the CLI ---


def subprocess_env(credentials: bool = True, **extra: str) -> dict[str, str]:
    """The parent's environment without any AWS settings, then fake ones: never the real account."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    if credentials:
        env.update({key.upper(): value for key, value in FAKE.items()})
    env.update(extra)
    return env


def run(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m monitor ARGV` with stdin not a terminal, as in CI."""
    return subprocess.run([sys.executable, "-m", "monitor", *argv], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env or subprocess_env(), cwd=cwd, timeout=timeout)


@dataclass
class Result:
    """What an in-process run of the CLI printed, and its exit code."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    def lines(self, start: str) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith(start)]


@pytest.fixture
def cli(capsys):
    """`monitor ARGV` in this process: the exit code and what it printed."""
    def call(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return call


def remote(aws: Account, config: Path) -> list[str]:
    return ["-c", str(config), "--endpoint-url", aws.url, "--region", aws.region]


def filter_id(group: str, name: str) -> str:
    return f"{group}:{name}"


def apply_example(cli, aws: Account, config: Path) -> None:
    result = cli("apply", *remote(aws, config), "--yes")
    assert result.code == 0, result.out + result.err


def edit(config: Path, old: str, new: str) -> None:
    text = config.read_text()
    assert text.count(old) == 1, f"{old!r} should occur once in {config}"
    config.write_text(text.replace(old, new))


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


# --- the main flow, as a user types it ---


def test_example_applies_and_then_plans_no_changes(example, aws):
    first = run("plan", *remote(aws, example), "--detailed-exitcode")
    assert first.returncode == 2, first.stdout + first.stderr
    assert "+ create metric_filter" in first.stdout

    applied = run("apply", *remote(aws, example), "--yes")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert_no_traceback(applied.stdout, applied.stderr)

    again = run("plan", *remote(aws, example), "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "No changes" in again.stdout


def test_the_examples_percent_thresholds_are_the_task_definitions_limits(example, aws, cli):
    """memory-high's 80% of what each container can use (cpu-high's 90%, the example's override), worked
    out from the task definition files by hand: the hard limit (`memory`) where there is one, else the
    task's memory less the other containers' hard limits (or reservations), never the container's own
    soft limit (`memoryReservation`)."""
    apply_example(cli, aws, example)
    alarms = {a["AlarmName"]: a for page in aws.client("cloudwatch").get_paginator("describe_alarms").paginate()
              for a in page["MetricAlarms"]}
    for family, service in (("awesome-app", "awesome-app"), ("worker", "worker")):
        definition = json.loads((TASK_DEFINITIONS / f"{family}.json").read_text())
        for container in definition["containerDefinitions"]:
            others = [c for c in definition["containerDefinitions"] if c is not container]
            limit = container.get("memory") or int(definition["memory"]) - sum(
                c.get("memory") or c.get("memoryReservation") or 0 for c in others)
            assert limit != container.get("memoryReservation")
            alarm = alarms[f"monitor/honban/{service}/{container['name']}/memory-high"]
            assert alarm["Threshold"] == pytest.approx(0.8 * limit)
    definition = json.loads((TASK_DEFINITIONS / "awesome-app.json").read_text())
    cpu = alarms["monitor/honban/awesome-app/awesome-app/cpu-high"]
    left = int(definition["cpu"]) - sum(c.get("cpu") or 0 for c in definition["containerDefinitions"][1:])
    assert cpu["Threshold"] == pytest.approx(0.9 * left)   # the example's 90%: the task's CPU less nginx's share


def test_example_read_back_matches_the_config(example, aws, cli):
    apply_example(cli, aws, example)
    for group, wanted in expected_filters(example).items():
        live = aws.filters(group)
        assert set(live) == set(wanted), group
        for name, definition in wanted.items():
            assert_matches(live[name], definition, "Custom/ECS")
    assert aws.insights(EXAMPLE_CLUSTER) == "enabled"


def test_example_performance_metrics_become_owned_filters(example, aws, cli):
    """CpuUtilized and MemoryUtilized of every container, from the Container Insights group."""
    apply_example(cli, aws, example)
    assert PERFORMANCE_GROUP in aws.groups()
    live = aws.filters(PERFORMANCE_GROUP).values()
    assert live and all(item["filterName"].startswith("monitor/honban/(performance)/") for item in live)
    metrics = [m for item in live for m in item["metricTransformations"]]
    assert {m["metricValue"] for m in metrics} == {"$.CpuUtilized", "$.MemoryUtilized"}
    assert {m["metricNamespace"] for m in metrics} == {"Custom/ECS"}
    assert all(m["dimensions"].get("ContainerName") == "$.ContainerName" for m in metrics)
    for item in live:
        assert '$.Type = "Container"' in item["filterPattern"]
        for container in ("awesome-app", "nginx", "worker"):
            assert f'"{container}"' in item["filterPattern"]


# --- the JSON documents ---


CHANGE_KEYS = {"kind", "id", "action", "before", "after"}
KINDS = {"cluster_setting", "metric_filter", "alarm", "composite_alarm", "dashboard", "log_group"}


def assert_plan_document(document: dict) -> None:
    """The `plan --output json` contract: changes and a four-count summary."""
    assert set(document["summary"]) == {"create", "update", "delete", "unchanged"}
    for action in ("create", "update", "delete"):
        assert document["summary"][action] == sum(1 for c in document["changes"] if c["action"] == action)
    for change in document["changes"]:
        assert CHANGE_KEYS <= set(change)
        assert change["kind"] in KINDS
        assert change["action"] in ("create", "update", "delete")
        assert (change["before"] is None) == (change["action"] == "create")
        assert (change["after"] is None) == (change["action"] == "delete")


def test_plan_json_has_the_contract_shape(example, aws, cli):
    result = cli("plan", *remote(aws, example), "--output", "json")
    assert result.code == 0, result.err
    document = result.json
    assert_plan_document(document)
    changes = {(c["kind"], c["id"]): c for c in document["changes"]}
    wanted = expected_filters(example)
    filter_ids = {filter_id(g, n) for g, names in wanted.items() for n in names}
    assert filter_ids <= {i for k, i in changes if k == "metric_filter"}
    errors = changes[("metric_filter", filter_id(APP_GROUPS[2], FATAL))]
    assert errors["action"] == "create" and errors["before"] is None
    assert errors["after"]["filterName"] == FATAL
    assert errors["after"]["filterPattern"] == wanted[APP_GROUPS[2]][FATAL]["pattern"]
    setting = changes[("cluster_setting", EXAMPLE_CLUSTER)]
    assert setting["action"] == "update"
    assert setting["after"] == {"containerInsights": "enabled"}
    assert document["summary"]["unchanged"] == 0


def test_apply_json_is_the_plan_with_a_result_per_change(example, aws, cli):
    planned = cli("plan", *remote(aws, example), "--output", "json").json
    result = cli("apply", *remote(aws, example), "--yes", "--output", "json")
    assert result.code == 0, result.err
    applied = result.json
    assert_plan_document(applied)
    assert applied["summary"] == planned["summary"]
    assert all(change["result"] == "ok" for change in applied["changes"])
    strip = [{k: v for k, v in c.items() if k not in ("result", "message")} for c in applied["changes"]]
    assert strip == planned["changes"]
    after = cli("plan", *remote(aws, example), "--output", "json").json
    assert after["changes"] == []
    assert after["summary"]["unchanged"] == planned["summary"]["create"] + planned["summary"]["update"]


# --- changes after the first apply ---


def test_a_changed_pattern_is_exactly_one_update(example, aws, cli):
    apply_example(cli, aws, example)
    edit(example, SLOW_PATTERN, "'{ $.status >= 100 && $.duration > 2000 }'")
    slow = filter_id(APP_GROUPS[0], SLOW)

    text = cli("plan", *remote(aws, example))
    assert text.code == 0
    assert text.lines("~ ") == [f"~ update metric_filter {slow}"]
    assert text.lines("+ ") == [] and text.lines("- ") == []

    document = cli("plan", *remote(aws, example), "--output", "json").json
    [change] = document["changes"]
    assert (change["kind"], change["id"], change["action"]) == ("metric_filter", slow, "update")
    assert change["before"]["filterPattern"] == "{ $.status >= 100 && $.duration > 1000 }"
    assert change["after"]["filterPattern"] == "{ $.status >= 100 && $.duration > 2000 }"
    assert document["summary"]["update"] == 1

    assert cli("plan", *remote(aws, example), "--detailed-exitcode").code == 2
    apply_example(cli, aws, example)
    assert aws.filters(APP_GROUPS[0])[SLOW]["filterPattern"] == "{ $.status >= 100 && $.duration > 2000 }"
    assert cli("plan", *remote(aws, example), "--detailed-exitcode").code == 0


def test_a_removed_filter_is_deleted_only_with_prune(example, aws, cli):
    # Without the dashboard, whose log-metrics widget would rightly change with the filter.
    example.write_text(example.read_text().split("\ndashboards:")[0] + "\n")
    apply_example(cli, aws, example)
    edit(example, "              - use: fatal-signal ", "              # removed: fatal-signal ")
    fatal = filter_id(APP_GROUPS[2], FATAL)

    kept = cli("plan", *remote(aws, example), "--detailed-exitcode")
    assert kept.code == 0, kept.out
    assert kept.lines("- ") == []
    assert any(fatal in line and "--prune" in line for line in kept.out.splitlines())

    pruned = cli("plan", *remote(aws, example), "--prune", "--detailed-exitcode")
    assert pruned.code == 2
    assert pruned.lines("- ") == [f"- delete metric_filter {fatal}"]
    [change] = cli("plan", *remote(aws, example), "--prune", "--output", "json").json["changes"]
    assert (change["id"], change["action"], change["after"]) == (fatal, "delete", None)

    apply_example(cli, aws, example)   # no --prune: the filter stays
    assert FATAL in aws.filters(APP_GROUPS[2])
    assert cli("apply", *remote(aws, example), "--prune", "--yes").code == 0
    assert FATAL not in aws.filters(APP_GROUPS[2])
    assert cli("plan", *remote(aws, example), "--prune", "--detailed-exitcode").code == 0


# --- ownership: only what carries the prefix, and only with --prune or destroy ---


def test_prune_follows_a_container_to_its_new_log_group(example, aws, cli):
    """Owned filters left on a container's old log group are no longer in the config: --prune deletes them."""
    apply_example(cli, aws, example)
    old, new = APP_GROUPS[2], "/ecs/honban/worker-v2"
    aws.client("logs").create_log_group(logGroupName=new)
    edit(example, f"log_group: {old}\n", f"log_group: {new}\n")
    moved = sorted(name for name in aws.filters(old) if name.startswith("monitor/honban/worker/worker/"))
    assert len(moved) == 4

    document = cli("plan", *remote(aws, example), "--prune", "--output", "json").json
    actions = {(c["id"], c["action"]) for c in document["changes"]}
    assert actions == {(filter_id(group, name), action) for name in moved
                       for group, action in ((old, "delete"), (new, "create"))} | {
        ("monitor-honban-overview", "update")}   # the dashboard's Logs Insights widget follows the group
    assert cli("apply", *remote(aws, example), "--prune", "--yes").code == 0
    assert aws.filters(old) == {}
    assert sorted(aws.filters(new)) == moved


def test_foreign_filters_are_left_alone(example, aws, cli):
    apply_example(cli, aws, example)
    worker = APP_GROUPS[2]
    for name in (FOREIGN_OWNED, *FOREIGN):
        aws.put_foreign(worker, name)
    before = aws.filters(worker)

    plan = cli("plan", *remote(aws, example), "--detailed-exitcode")
    assert plan.code == 0, plan.out
    assert not any(name in plan.out for name in FOREIGN)
    assert cli("apply", *remote(aws, example), "--yes").code == 0
    assert aws.filters(worker) == before

    pruned = cli("plan", *remote(aws, example), "--prune", "--output", "json").json
    assert [(c["id"], c["action"]) for c in pruned["changes"]] == [(filter_id(worker, FOREIGN_OWNED), "delete")]
    assert cli("apply", *remote(aws, example), "--prune", "--yes").code == 0
    after = aws.filters(worker)
    assert FOREIGN_OWNED not in after
    assert {name: after[name] for name in FOREIGN} == {name: before[name] for name in FOREIGN}


def test_destroy_deletes_owned_filters_only_and_keeps_the_cluster_setting(example, aws, cli):
    apply_example(cli, aws, example)
    for name in FOREIGN:
        aws.put_foreign(APP_GROUPS[1], name)
    aws.put_foreign(APP_GROUPS[1], FOREIGN_OWNED)
    foreign = {name: aws.filters(APP_GROUPS[1])[name] for name in FOREIGN}

    result = cli("destroy", *remote(aws, example), "--yes", "--output", "json")
    assert result.code == 0, result.err
    assert {c["action"] for c in result.json["changes"]} == {"delete"}
    assert all(c["result"] == "ok" for c in result.json["changes"])
    left = aws.all_filters()
    assert not [key for key in left if key.split(":", 1)[1].startswith("monitor/honban/")]
    assert {item["filterName"]: item for item in left.values()} == foreign
    assert aws.insights(EXAMPLE_CLUSTER) == "enabled"
    assert {*APP_GROUPS, PERFORMANCE_GROUP} <= aws.groups()   # log groups hold data: never deleted
    again = cli("destroy", *remote(aws, example), "--yes")
    assert again.code == 0 and "No changes" in again.out


def test_apply_without_yes_and_no_terminal_changes_nothing(example, aws):
    result = run("apply", *remote(aws, example))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--yes" in result.stderr
    assert_no_traceback(result.stdout, result.stderr)
    assert aws.all_filters() == {}
    assert aws.insights(EXAMPLE_CLUSTER) in (None, "disabled")
    assert PERFORMANCE_GROUP not in aws.groups()


def test_destroy_without_yes_and_no_terminal_deletes_nothing(example, aws, cli):
    apply_example(cli, aws, example)
    before = aws.all_filters()
    result = run("destroy", *remote(aws, example))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--yes" in result.stderr
    assert aws.all_filters() == before


# --- other ways to reach an endpoint ---


def test_local_plans_against_a_self_contained_emulator(tmp_path):
    """The embedded emulator registers the task definitions in task-definitions/ beside the config."""
    config = tmp_path / "monitor.yaml"
    shutil.copy(EXAMPLE, config)
    shutil.copytree(TASK_DEFINITIONS, tmp_path / "task-definitions")
    env = subprocess_env(credentials=False)
    result = run("plan", "-c", str(config), "--local", "--detailed-exitcode", env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"+ create metric_filter {filter_id(APP_GROUPS[2], FATAL)}" in result.stdout
    assert "threshold 204.8 MiB = 80% of the 256 MiB hard limit (awesome-app:1)" in result.stdout
    assert_no_traceback(result.stderr)
    document = json.loads(run("plan", "-c", str(config), "--local", "--output", "json", env=env).stdout)
    assert_plan_document(document)
    assert document["summary"]["create"] > 0


def demo_step(output: str, title: str) -> str:
    """The output of the demo step whose title starts with `title`."""
    [step] = [part for part in output.split("\n== Step ")[1:] if part.split(". ", 1)[1].startswith(title)]
    return step


def test_demo_runs_to_the_end(tmp_path):
    """From a folder with no config, without credentials: the packaged example on its own emulator."""
    result = run("demo", env=subprocess_env(credentials=False), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_traceback(result.stdout, result.stderr)
    for command in ("validate", "plan", "apply"):
        assert f"$ monitor {command} " in result.stdout
    assert "Applied: " in result.stdout and " 0 failed" in result.stdout
    last_plan = result.stdout.rsplit("--detailed-exitcode", 1)[1]
    assert "No changes" in last_plan
    assert "alarm http-5xx-high, case 1: series: [0, 2, 9, 12, null, 30] -> ALARM" in result.stdout
    assert "awesome-app:1 (task cpu 1024, memory 2048 MiB)" in demo_step(result.stdout, "The task definitions")
    assert ("threshold 1433.6 MiB = 80% of the 1792 MiB the task leaves it (task 2048 MiB less nginx 256) "
            "(awesome-app:1)") in last_plan
    sent = demo_step(result.stdout, "Send the bundled log samples")
    assert "/ecs/honban/awesome-app: 28 events of awesome-app-incident.log" in sent
    watched = demo_step(result.stdout, "Read back").split("monitor/honban/awesome-app/awesome-app/http-5xx-high")[1]
    series = watched.split("Http5xx Sum per 60s: ")[1].splitlines()[0]
    assert sum(float(point.split()[1]) > 5 for point in series.split(", ")) >= 3, series
    assert watched.startswith(": ALARM") and "Threshold Crossed: 3 out of the last 5 datapoints [" in watched
    served = demo_step(result.stdout, "Serve them to Prometheus")   # the exporter, after the samples were sent
    [ratio] = [line for line in served.splitlines() if line.startswith("slow_requests_ratio{")]
    assert 'ecs_cluster="honban",ecs_container="awesome-app",ecs_service="awesome-app"' in ratio
    assert 0 < float(ratio.rsplit(" ", 1)[1]) <= 1, ratio   # SlowRequests / Requests of the last complete minute
    assert "ecs_monitor_up 1.0" in served
    last_step = result.stdout.rsplit("== Step ", 1)[1]   # the tour ends with the review of the example
    assert last_step.splitlines()[1].startswith("$ monitor review -c ")
    assert re.search(r"warning: ALARM-ACTION-001 \S+: monitor/honban/awesome-app/awesome-app/http-5xx-high: ", last_step)
    assert "Monthly cost of what the config makes" in last_step
    assert "The tour is over" in result.stdout


def test_aws_endpoint_url_is_honoured(example, aws):
    env = subprocess_env(AWS_ENDPOINT_URL=aws.url)
    argv = ["-c", str(example), "--region", aws.region]
    applied = run("apply", *argv, "--yes", env=env)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert FATAL in aws.filters(APP_GROUPS[2])
    planned = run("plan", *argv, "--detailed-exitcode", env=env)
    assert planned.returncode == 0, planned.stdout + planned.stderr


# --- errors a user can act on ---


MISSING_GROUP = """\
version: 1
clusters:
  - name: orphan
    services:
      - name: api
        containers:
          - name: api
            log_group: /ecs/orphan/api
            filters:
              - use: log-error-text
          - name: sidecar
            log_group: /ecs/orphan/no-such-group
            filters:
              - use: log-error-text
"""


def test_a_missing_app_log_group_is_an_error_naming_it(tmp_path, aws, cli):
    config = tmp_path / "monitor.yaml"
    config.write_text(MISSING_GROUP)
    aws.client("ecs").create_cluster(clusterName="orphan")
    aws.client("logs").create_log_group(logGroupName="/ecs/orphan/api")

    plan = cli("plan", *remote(aws, config))
    assert plan.code == 1
    assert "/ecs/orphan/no-such-group" in plan.out + plan.err
    assert_no_traceback(plan.out, plan.err)

    apply = cli("apply", *remote(aws, config), "--yes")
    assert apply.code == 1
    assert "/ecs/orphan/no-such-group" in apply.out + apply.err
    assert aws.all_filters() == {}
    assert "/ecs/orphan/no-such-group" not in aws.groups()   # app log groups are never created

    document = cli("plan", *remote(aws, config), "--output", "json")
    assert document.code == 1
    assert_plan_document(document.json)   # still one JSON document on stdout, for scripts
    assert any("/ecs/orphan/no-such-group" in f["message"] for f in document.json.get("findings", []))


def test_filters_that_are_not_ours_count_toward_the_quota(example, aws, cli):
    """97 filters of someone else's and the config's 4 would be 101 on one group: refused before any write."""
    nginx = APP_GROUPS[1]
    for number in range(97):
        aws.put_foreign(nginx, f"team-{number:03d}")
    before = aws.all_filters()
    plan = cli("plan", *remote(aws, example))
    assert plan.code == 1
    assert any(nginx in line and "100" in line for line in (plan.out + plan.err).splitlines())
    assert_no_traceback(plan.out, plan.err)
    assert cli("apply", *remote(aws, example), "--yes").code == 1
    assert aws.all_filters() == before


def test_a_changed_alarm_threshold_is_exactly_one_update(example, aws, cli):
    """The dashboard draws a threshold from the alarm (an alarm annotation), not as a line of its own:
    a new threshold changes the alarm and leaves the dashboard as it is."""
    apply_example(cli, aws, example)
    edit(example, "threshold: 90%", "threshold: 85%")
    document = cli("plan", *remote(aws, example), "--output", "json").json
    assert [(c["kind"], c["action"]) for c in document["changes"]] == [("alarm", "update")], document["changes"]
    assert document["changes"][0]["id"].endswith("/cpu-high")
