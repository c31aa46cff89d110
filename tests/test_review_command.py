"""`monitor review` end to end: each output, the JSON against the shipped schema, --fail-on's exit codes,
task definition files, --deployed against a real emulator process making only read calls, DescribeAlarms
pagination, the seam for live analyses, and the README's code table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.stub import Stubber

from monitor.aws.clients import Clients, Target
from monitor.cli import main
from monitor.commands import review
from monitor.config import load
from monitor.output import review as render
from monitor.review import codes, deployed
from monitor.review.findings import WARNING, Rule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "config.example.yaml")
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
OPS = "arn:aws:sns:{region}:123456789012:ops"
SHARED = """
version: 1
region: us-east-1
clusters:
  - name: honban
    services:
      - name: web
        task_definition: web
        containers:
          - name: app
            log_group: /ecs/web
            performance_metrics: [MemoryUtilized]
            filters:
              - {name: panics, pattern: panic, metric: Panics}
            alarms:
              - {name: memory-high, metric: MemoryUtilized, stat: Maximum, comparison: ">", threshold: 120%,
                 evaluation_periods: 5, datapoints_to_alarm: 3, actions: [arn:aws:sns:us-east-1:123456789012:ops]}
              - {name: panics-any, metric: Panics, stat: Sum, comparison: "<", threshold: 0,
                 treat_missing_data: breaching, actions: [arn:aws:sns:us-east-1:123456789012:ops]}
"""
TASK = {"family": "web", "cpu": "512", "memory": "1024", "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 512, "essential": True,
                                  "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}],
                                  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}}]}


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(render.schema(), format_checker=jsonschema.FormatChecker()).validate(document)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["review", *argv])
    return code, capsys.readouterr().out


EXAMPLE_ALARMS = 12   # config.example.yaml: 11 metric and metric-math alarms, 1 composite


def test_text_shows_the_table_the_findings_at_their_lines_and_the_cost(capsys):
    code, out = run(capsys, "-c", EXAMPLE)
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("Alarm "))
    assert re.findall(r"\S+(?: \S+)*", header)[:4] == ["Alarm", "Container", "Metric", "Source"]
    assert re.search(r"config\.example\.yaml:\d+:\d+: warning: .*alarms\[0\]\.actions: ALARM-ACTION-001 "
                     r"monitor/honban/awesome-app/awesome-app/http-5xx-high", out)
    assert "filter http-5xx-json" in out and "2/2 passed" in out and "Monthly cost of what the config makes" in out


def test_markdown_is_a_table_then_findings_by_severity_then_design_then_cost(capsys):
    code, out = run(capsys, "-c", EXAMPLE, "--output", "markdown")
    assert code == 0
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert table[0].startswith("| Alarm | Container | Metric | Source | Statistic | Period | M of N | Threshold")
    assert table[1] == "|" + "---|" * 12 and len(table) == 2 + EXAMPLE_ALARMS
    assert all(line.count(" | ") == 11 for line in table[2:])
    order = [out.index(s) for s in (f"### Alarms ({EXAMPLE_ALARMS})", f"#### Warnings ({EXAMPLE_ALARMS})", "- **ALARM-ACTION-001**", "### Service design",
                                    "### Monthly cost")]
    assert order == sorted(order)


def test_json_validates_against_the_shipped_schema(capsys):
    code, out = run(capsys, "-c", EXAMPLE, "--output", "json")
    document = json.loads(out)
    validate(document)
    assert code == 0 and document["mode"] == "config" and document["summary"] == {"error": 0, "warning": EXAMPLE_ALARMS, "info": 0}
    assert [f["code"] for f in document["findings"]] == ["ALARM-ACTION-001"] * EXAMPLE_ALARMS   # none has an action
    assert document["alarms"][0]["tests"] == [{"case": 0, "passed": True, "failures": []},
                                              {"case": 1, "passed": True, "failures": []}]
    with pytest.raises(jsonschema.ValidationError):
        validate({**document, "alarms": [{**document["alarms"][0], "surprise": 1}]})


@pytest.mark.parametrize("fail_on, expected", [(None, 0), ("error", 0), ("warning", 1)])
def test_fail_on_sets_the_exit_code(capsys, fail_on, expected):
    assert run(capsys, "-c", EXAMPLE, *(["--fail-on", fail_on] if fail_on else []))[0] == expected


def test_task_definition_files_give_design_findings_and_make_shares_numbers(capsys, write_config, tmp_path):
    config = write_config(SHARED)
    (tmp_path / "web.json").write_text(json.dumps(TASK))
    code, out = run(capsys, "-c", str(config), "--task-definitions", str(tmp_path / "web.json"), "--output", "json",
                    "--fail-on", "error")
    document = json.loads(out)
    validate(document)
    assert code == 1
    memory = document["alarms"][0]
    assert memory["threshold"] == 614.4 and memory["threshold_share"]["note"].startswith("614.4 MiB = 120% of the 512 MiB hard limit")
    assert {f["code"] for f in document["findings"]} == {"ALARM-THRESHOLD-002"}
    assert {f["subject"] for f in document["findings"]} == {"monitor/honban/web/app/memory-high", "monitor/honban/web/app/panics-any"}
    assert "ECS-SECRET-001" in {f["code"] for f in document["design"]["findings"]}


def test_a_share_without_its_task_definition_says_the_limit_is_unknown(write_config):
    report = review.offline(load(write_config(SHARED)))
    memory = report.rows[0]
    assert memory.threshold is None and memory.share.note.startswith("120% of the limit, unknown")
    assert report.design_checked is False and report.notes


def test_a_file_that_is_no_task_definition_is_a_user_error(capsys, tmp_path):
    (tmp_path / "x.json").write_text("[]")
    assert main(["review", "-c", EXAMPLE, "--task-definitions", str(tmp_path / "x.json")]) == 1
    assert "not a task definition" in capsys.readouterr().err


# --- --deployed: a real emulator process, read calls only ----------------------------------------

@pytest.fixture
def account(emulator):
    region = "ca-central-1"
    cloudwatch = boto3.client("cloudwatch", endpoint_url=emulator.url, region_name=region, **FAKE)
    common = {"Statistic": "Sum", "Period": 60, "EvaluationPeriods": 5, "DatapointsToAlarm": 3, "Threshold": 5.0,
              "ComparisonOperator": "GreaterThanThreshold"}
    cloudwatch.put_metric_alarm(AlarmName="monitor/honban/awesome-app/awesome-app/http-5xx-high", MetricName="Http5xx",
                                Namespace="Custom/ECS/honban/awesome-app/awesome-app", TreatMissingData="notBreaching",
                                AlarmActions=[OPS.format(region=region)], **common)
    cloudwatch.put_metric_alarm(AlarmName="team-legacy-errors", MetricName="Errors", Namespace="Team/Legacy",
                                Dimensions=[{"Name": "ServiceName", "Value": "legacy"}], **common)
    yield emulator.url, region
    cloudwatch.delete_alarms(AlarmNames=["monitor/honban/awesome-app/awesome-app/http-5xx-high", "team-legacy-errors"])


def test_deployed_reviews_every_alarm_ours_or_not_with_read_calls_only(account):
    url, region = account
    clients = Clients(Target(region, endpoint_url=url))
    report = review.live(load(EXAMPLE), clients)
    rows = {row.name: row for row in report.rows}
    assert rows["team-legacy-errors"].container == "unowned (ServiceName=legacy)"
    assert rows["monitor/honban/awesome-app/awesome-app/http-5xx-high"].container == "honban/awesome-app/awesome-app"
    assert rows["monitor/honban/awesome-app/awesome-app/http-5xx-high"].tests   # linked to the config's tests
    assert all(row.state and row.state_since for row in report.rows)
    found = {(f.subject, f.code) for f in report.findings}
    assert {("team-legacy-errors", "ALARM-ACTION-001"), ("team-legacy-errors", "ALARM-METRIC-001")} <= found
    assert not any(s == "monitor/honban/awesome-app/awesome-app/http-5xx-high" for s, _ in found)
    assert clients.calls["DescribeAlarms"] == 1
    assert [op for op in clients.calls if not op.startswith(("Describe", "Get", "List"))] == []
    validate(render.document(report))


def test_deployed_from_the_command_line(account, capsys):
    url, region = account
    code, out = run(capsys, "-c", EXAMPLE, "--deployed", "--endpoint-url", url, "--region", region,
                    "--output", "markdown", "--fail-on", "warning")
    assert code == 1
    assert "| State | For |" in out and "| unowned (ServiceName=legacy) |" in out


def test_describe_alarms_asks_both_types_100_a_page_and_follows_next_token():
    clients = Clients(Target("us-east-1"))
    metric = {"AlarmName": "a", "MetricName": "M", "Namespace": "AWS/ECS", "Period": 60, "EvaluationPeriods": 1,
              "Threshold": 1.0, "ComparisonOperator": "GreaterThanThreshold", "Statistic": "Sum"}
    composite = {"AlarmName": "c", "AlarmRule": 'ALARM("a")'}
    with Stubber(clients.cloudwatch) as stubber:
        asked = {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100}
        stubber.add_response("describe_alarms", {"MetricAlarms": [metric], "CompositeAlarms": [], "NextToken": "2"}, asked)
        stubber.add_response("describe_alarms", {"MetricAlarms": [], "CompositeAlarms": [composite]},
                             {**asked, "NextToken": "2"})
        assert deployed.read_alarms(clients) == ([metric], [composite])
        stubber.assert_no_pending_responses()


def test_a_live_analysis_plugs_in_with_its_rules():
    stuck = Rule("ALARM-LIVE-999", WARNING, "test rule", "fix it")
    analysis = deployed.Analysis(lambda context: [stuck.finding(row.name, "stuck") for row in context.rows], (stuck,))
    context = deployed.Deployed(None, None, [], [], [review_row()], [], None)
    assert [(f.code, f.subject) for f in deployed.analyse(context, (analysis,))] == [("ALARM-LIVE-999", "x")]


def review_row():
    from monitor.review.alarm_table import row
    return row({"AlarmName": "x", "AlarmRule": "TRUE"}, {}, "unowned")


def test_the_readme_code_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- codes:begin -->\n", 1)[1].split("\n<!-- codes:end -->", 1)[0]
    assert shown == codes.markdown_table()
    assert all(code.startswith("ALARM-") for code in codes.rules() if "ALARM" in code)
