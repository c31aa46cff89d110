"""Issue 17: the exporter's reach (AWS/ECS utilization, target groups, other accounts), its names,
its alerting rules and the Grafana dashboard that ships with it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import boto3
import pytest
import yaml
from botocore.credentials import RefreshableCredentials
from conftest import ROOT
from moto import mock_aws

from monitor.aws import assume
from monitor.aws.clients import Clients, Target
from monitor.cli import main
from monitor.exporter import alerting, batches, naming, queries
from monitor.exporter.collector import health_families
from monitor.exporter.refresh import Current, Health
from monitor.exporter.rules import _own_names
from monitor.exporter.snapshot import Snapshot

LABELS = {naming.CLUSTER, naming.SERVICE, naming.CONTAINER}
from monitor.sync.flow import validate

ROLE = "arn:aws:iam::210987654321:role/ecs-monitor-reader"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/front/fedcba9876543210"
CONFIG = {"version": 1, "region": "us-east-1", "exporter": {"interval": 60}, "clusters": [
    {"name": "home", "container_insights": "enabled", "services": [
        {"name": "web", "target_group_arn": TG, "load_balancer_arn": LB, "containers": [
            {"name": "app", "log_group": "/ecs/home/web", "performance_metrics": ["CpuUtilized", "MemoryUtilized"],
             "filters": [{"use": "http-requests-json"}, {"use": "http-5xx-json"},
                         {"name": "sent", "pattern": "{ $.bytes = * }", "metric": "BytesSent", "value": "$.bytes",
                          "unit": "Bytes"}]}]}]},
    {"name": "away", "role_arn": ROLE, "services": [{"name": "api", "containers": []}]}]}


@pytest.fixture
def config(write_config):
    loaded = validate(str(write_config(yaml.safe_dump(CONFIG))))
    assert loaded.ok, loaded.problems
    return loaded.config


def served(config) -> set[str]:
    """Every family name the exporter serves for `config`, its own health included."""
    built = {q.family for q in queries.build(config).items}   # a counter's family name ends with _total
    health = Current(Snapshot(data_until=1.0), Health(up=True, last_success=1.0, duration=1.0,
                                                           refreshes={"ok": 1, "error": 1}))
    own = {s.name for family in health_families(health, 2.0) for s in family.samples}
    return built | _own_names() | own


@pytest.mark.parametrize("metric, unit, counter, expected", [
    ("BytesSent", "Bytes", True, "ecs_filter_sent_bytes_total"),
    ("Bytes", "Bytes", False, "ecs_filter_bytes"),
    ("ResponseTimeSeconds", "Seconds", False, "ecs_filter_response_time_seconds")])
def test_a_unit_is_said_once_and_last(metric, unit, counter, expected):
    assert naming.metric_name("filter", metric, naming.unit(unit).suffix, counter) == expected


def test_service_utilization_and_target_group_metrics_are_served(config):
    built = {q.family: q for q in queries.build(config).items}
    cpu = built["ecs_service_cpu_utilization_ratio"]
    assert (cpu.namespace, cpu.metric, cpu.unit, naming.unit(cpu.unit).scale) == ("AWS/ECS", "CPUUtilization", "Percent", 0.01)
    requests = built["ecs_target_group_requests_total"]
    assert requests.counter and requests.stat == "Sum"
    assert dict(requests.dimensions) == {"TargetGroup": "targetgroup/web/0123456789abcdef",
                                         "LoadBalancer": "app/front/fedcba9876543210"}
    assert built["ecs_target_group_target_response_time_seconds"].stat == "Average"
    assert "ecs_container_cpu_utilized_cores" in built and "ecs_filter_sent_bytes" in built
    assert ("ecs_container", "app") in built["ecs_container_cpu_utilized_cores"].labels


def test_a_clusters_role_reads_its_metrics_labelled_with_its_account(config):
    away = [q for q in queries.build(config).items if dict(q.labels).get("ecs_cluster") == "away"]
    assert away and all(q.role == ROLE and dict(q.labels)[naming.ACCOUNT] == "210987654321" for q in away)
    home = [q for q in queries.build(config).items if dict(q.labels).get("ecs_cluster") == "home"]
    assert all(q.role is None and naming.ACCOUNT not in dict(q.labels) for q in home)
    split = batches.batches(queries.build(config).items, config.exporter, 10_000)
    assert {b.role for b in split} == {None, ROLE} and all(len({q.role for q in b.queries}) == 1 for b in split)


def test_the_role_is_assumed_with_refreshing_credentials():
    with mock_aws():
        home = Clients(Target("us-east-1"), _session=boto3.Session(region_name="us-east-1"))
        away = assume.assumed(home, ROLE)
        assert assume.assumed(home, ROLE) is away and assume.assumed(home, None) is home
        assert away.sts.get_caller_identity()["Account"] == "210987654321"
        credentials = away._boto_session()._session.get_credentials()
        assert isinstance(credentials, RefreshableCredentials) and credentials.method == "assume-role"
        assert home.calls["GetCallerIdentity"] == 1   # the counters are shared


def test_a_bad_role_is_an_error_at_its_line(write_config):
    bad = {**CONFIG, "exporter": {"role_arn": "arn:aws:iam::1:user/me"}}
    [problem] = [p for p in validate(str(write_config(yaml.safe_dump(bad)))).problems if p.is_error]
    assert problem.path == ("exporter", "role_arn") and "is not an IAM role ARN" in problem.message


def test_print_rules_is_a_valid_rule_file_over_what_the_exporter_serves(config, write_config, capsys, tmp_path):
    path = write_config(yaml.safe_dump(CONFIG))
    assert main(["exporter", "-c", str(path), "--print-rules"]) == 0
    text = capsys.readouterr().out
    rules = [rule for group in yaml.safe_load(text)["groups"] for rule in group["rules"]]
    assert {"EcsMonitorExporterDown", "EcsMonitorDataStale", "EcsMonitorRefreshErrors", "EcsServiceCpuHigh",
            "EcsContainerMemoryNearLimit"} <= {rule["alert"] for rule in rules}
    assert all({"alert", "expr", "for", "labels", "annotations"} <= set(rule) for rule in rules)
    named = {name for rule in rules for name in re.findall(r"\b(ecs_[a-z0-9_]+)", rule["expr"])} - LABELS
    assert named == alerting.families() and named <= served(config)
    if shutil.which("promtool"):   # Debian's prometheus package; structural checks above when absent
        (tmp_path / "rules.yml").write_text(text)
        checked = subprocess.run(["promtool", "check", "rules", str(tmp_path / "rules.yml")], capture_output=True,
                                 text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_grafana_dashboard_reads_only_metrics_the_exporter_serves(config):
    board = json.loads((ROOT / "examples" / "exporter" / "grafana-dashboard.json").read_text())
    exprs = [target["expr"] for panel in board["panels"] for target in panel["targets"]]
    exprs += [v["query"]["query"] for v in board["templating"]["list"] if isinstance(v.get("query"), dict)]
    named = {name for expr in exprs for name in re.findall(r"\b(ecs_[a-z0-9_]+)", expr)} - LABELS
    assert named and named <= served(config), named - served(config)


def test_the_examples_iam_policy_is_what_print_iam_policy_prints(example_config, capsys):
    assert main(["exporter", "-c", str(example_config), "--print-iam-policy"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((ROOT / "examples" / "exporter" / "iam-policy.json").read_text())
