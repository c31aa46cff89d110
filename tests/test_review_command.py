"""`monitor review` end to end: each output, the JSON against the shipped schema, --fail-on's exit codes,
task definition files, --deployed against a real emulator process making only read calls, DescribeAlarms
pagination, the seam for live analyses, and the README's code table."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.stub import Stubber

from monitor import kinds
from monitor.aws.clients import Clients, Target
from monitor.cli import main
from monitor.commands import review
from monitor.kinds import alarm_spec
from monitor.output import review as render
from monitor.resolved import load
from monitor.review import alarm_findings as alarm_rules
from monitor.review import codes, deployed
from monitor.review.findings import WARNING, Rule
from monitor.resolved import model as resolved_model

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


EXAMPLE_ALARMS = 17   # config.example.yaml: 16 metric and metric-math alarms, 1 composite


def test_text_shows_the_table_the_findings_at_their_lines_and_the_cost(capsys):
    code, out = run(capsys, "-c", EXAMPLE)
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("Alarm "))
    assert re.findall(r"\S+(?: \S+)*", header)[:4] == ["Alarm", "Container", "Metric", "Source"]
    assert re.search(r"config\.example\.yaml:\d+:\d+: warning: ALARM-ACTION-001 .*alarms\[0\]\.actions: "
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


def test_what_review_calls_an_error_validate_refuses_first(capsys, write_config, tmp_path):
    """One judge: a share past a hard limit and a threshold no count can cross are errors for
    `validate` (the task definition beside the config) as for `review`, so review stops at them."""
    config = write_config(SHARED)
    (tmp_path / "task-definitions").mkdir()
    (tmp_path / "task-definitions" / "web.json").write_text(json.dumps(TASK))
    assert main(["validate", "-c", str(config)]) == 1
    said = capsys.readouterr()
    text = said.out + said.err
    assert "alarms[0].threshold: threshold 120%: 120% of 512 MiB hard limit (web)" in text
    assert "alarms[1].threshold: Sum < 0 on Panics, which is never below 0" in text


def test_task_definition_files_give_design_findings_and_make_shares_numbers(capsys, write_config, tmp_path):
    config = write_config(SHARED.replace("threshold: 120%", "threshold: 90%").replace('comparison: "<", threshold: 0',
                                                                                       'comparison: ">", threshold: 0'))
    (tmp_path / "web.json").write_text(json.dumps(TASK))
    code, out = run(capsys, "-c", str(config), "--task-definitions", str(tmp_path / "web.json"), "--output", "json",
                    "--fail-on", "error")
    document = json.loads(out)
    validate(document)
    assert code == 1   # the task definition's plaintext secret
    memory = document["alarms"][0]
    assert memory["threshold"] == 460.8 and memory["threshold_share"]["note"].startswith("460.8 MiB = 90% of the 512 MiB hard limit")
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
    rule_codes = {rule.code for rule in alarm_rules.RULES}   # the live analyses have their say on it below
    assert not any(s == "monitor/honban/awesome-app/awesome-app/http-5xx-high" and c in rule_codes for s, c in found)
    assert clients.calls["DescribeAlarms"] == 1
    assert [op for op in clients.calls if not op.startswith(("Describe", "Get", "List"))] == []
    validate(render.document(report))


def test_deployed_from_the_command_line(account, capsys):
    url, region = account
    code, out = run(capsys, "-c", EXAMPLE, "--deployed", "--endpoint-url", url, "--region", region,
                    "--output", "markdown", "--fail-on", "warning")
    assert code == 1
    assert "| State | For |" in out and "| unowned (ServiceName=legacy) |" in out


DRIFTING = """
version: 1
region: eu-west-3
clusters:
  - name: drift
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/drift-web
            filters:
              - {name: panics, pattern: panic, metric: Panics}
            alarms:
              - {name: panics-high, metric: Panics, stat: Sum, comparison: ">", threshold: 5}
              - {name: panics-any, metric: Panics, stat: Sum, comparison: ">", threshold: 0}
              - {name: panics-many, metric: Panics, stat: Sum, comparison: ">", threshold: 50}
"""
HIGH, ANY, MANY = (f"monitor/drift/web/app/{name}" for name in ("panics-high", "panics-any", "panics-many"))
HAND_MADE = "team-panics-watch"


@pytest.fixture
def drifted(emulator, write_config):
    """The config's alarms as apply makes them, then changed by hand: a threshold put again (HIGH),
    one deleted (ANY), one set to ALARM (MANY), and a hand-made alarm on our filter's metric."""
    region, path = "eu-west-3", write_config(DRIFTING)
    cloudwatch = boto3.client("cloudwatch", endpoint_url=emulator.url, region_name=region, **FAKE)
    specs = {r.spec["AlarmName"]: r.spec for r in kinds.desired(resolved_model.of(load(path).config)) if "AlarmName" in r.spec}
    for spec in specs.values():
        cloudwatch.put_metric_alarm(**alarm_spec.put_parameters(spec, with_tags=True))
    cloudwatch.put_metric_alarm(**{**alarm_spec.put_parameters(specs[HIGH], with_tags=False), "Threshold": 9.0})
    cloudwatch.delete_alarms(AlarmNames=[ANY])
    cloudwatch.set_alarm_state(AlarmName=MANY, StateValue="ALARM", StateReason="set by hand for the test")
    cloudwatch.put_metric_alarm(AlarmName=HAND_MADE, MetricName="Panics", Namespace=specs[HIGH]["Namespace"],
                                Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1.0,
                                ComparisonOperator="GreaterThanOrEqualToThreshold")
    yield emulator.url, region, path, cloudwatch
    cloudwatch.delete_alarms(AlarmNames=[HIGH, MANY, HAND_MADE])


def _snapshot(cloudwatch) -> list[dict]:
    return cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])["MetricAlarms"]


def test_deployed_reports_drift_stuck_and_unowned_alarms_and_writes_nothing(drifted):
    """The review's clock is set 8 days on (`now`): the emulator stamps SetAlarmState with the
    current time and takes no other, so an alarm put in ALARM now has been there 8 days then."""
    url, region, path, cloudwatch = drifted
    before = _snapshot(cloudwatch)
    clients = Clients(Target(region, endpoint_url=url))
    later = datetime.now(timezone.utc) + timedelta(days=8)
    report = review.live(load(path), clients, now=later)
    found = {(f.code, f.subject) for f in report.findings}
    assert {("ALARM-DRIFT-001", HIGH), ("ALARM-DRIFT-002", ANY), ("ALARM-DRIFT-003", HAND_MADE),
            ("ALARM-LIVE-005", MANY)} <= found
    assert report.drift.changed == {HIGH: ("Threshold",)}
    assert report.drift.deleted == [ANY] and report.drift.unowned == [HAND_MADE]
    assert {r.alarm for r in report.history.replays} == {HIGH, MANY, HAND_MADE}
    assert all(r.firings == 0 for r in report.history.replays)   # the emulator has no data for them
    assert report.analyses == ("stuck", "topics", "history", "drift")
    assert clients.calls["DescribeAlarms"] == 1   # the analyses reuse the review's alarms
    assert [op for op in clients.calls if not op.startswith(("Describe", "Get", "List"))] == []
    assert _snapshot(cloudwatch) == before   # nothing written: same alarms, thresholds, states, timestamps
    rows = {row.name: row for row in report.rows}
    assert render.cells(rows[MANY], report)[-2:] == ["ALARM", "8d 0h"]   # live_states.age at the review's time
    text = render.text(report)
    assert f"changed by hand: {HIGH} (Threshold)" in text and f"deleted by hand (or never applied): {ANY}" in text
    assert f"unowned on our metrics: {HAND_MADE}" in text and "silent (never fired): " in text
    document = render.document(report)
    validate(document)
    assert document["drift"] == {"counts": {"changed": 1, "deleted": 1, "unowned": 1}, "changed": {HIGH: ["Threshold"]},
                                 "deleted": [ANY], "unowned": [HAND_MADE]}
    assert {a["name"]: a["firings"] for a in document["history"]["alarms"]} == {HIGH: 0, MANY: 0, HAND_MADE: 0}


def test_deployed_drift_and_history_in_markdown_and_json_from_the_command_line(drifted, capsys):
    url, region, path, _ = drifted
    code, out = run(capsys, "-c", str(path), "--deployed", "--endpoint-url", url, "--region", region,
                    "--output", "markdown")
    assert code == 0
    order = [out.index(s) for s in ("### Alarm findings", "### Firing history (14 days replayed",
                                    "### Drift against the config", "### Service design")]
    assert order == sorted(order)
    assert f"- changed by hand: {HIGH} (Threshold)" in out and f"- unowned on our metrics: {HAND_MADE}" in out
    code, out = run(capsys, "-c", str(path), "--deployed", "--endpoint-url", url, "--region", region, "--output", "json")
    document = json.loads(out)
    validate(document)
    assert document["drift"]["deleted"] == [ANY] and document["history"]["days"] == 14


def test_the_history_summary_names_the_noisiest_with_firings_and_time_in_alarm():
    from monitor.review.live_history import History, Replay
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    replays = [Replay("noisy", start, 300, 4032, 4000, 12, 36), Replay("once", start, 60, 20160, 9, 1, 3),
               *(Replay(f"quiet-{n}", start, 60, 20160, 20160) for n in range(7)),
               Replay("anomaly", None, 0, skipped="an anomaly-detection alarm")]
    lines = render.history_lines(History(replays, [], 1))
    assert lines[0] == "noisiest: noisy fired 12 times, 3.0 h in ALARM; once fired 1 time, 0.1 h in ALARM"
    assert lines[1].startswith("silent (never fired): quiet-0 (data in 20160/20160 periods); ")
    assert lines[1].endswith("; and 2 more") and lines[2] == "not replayed: anomaly (an anomaly-detection alarm)"


def test_offline_review_has_no_history_or_drift(capsys):
    document = json.loads(run(capsys, "-c", EXAMPLE, "--output", "json")[1])
    assert document["history"] is None and document["drift"] is None
    with pytest.raises(jsonschema.ValidationError):
        validate({**document, "drift": {"counts": {}, "changed": {}, "deleted": [], "unowned": [], "extra": 1}})


def test_the_live_analyses_are_plugged_in_and_their_codes_catalogued():
    assert [a.run.__name__ for a in deployed.ANALYSES] == ["stuck", "topics", "history", "drift"]
    assert {f"ALARM-LIVE-00{n}" for n in range(1, 9)} | {f"ALARM-DRIFT-00{n}" for n in range(1, 4)} <= set(codes.rules())


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


COMPOSED = """version: 1
clusters:
  - name: honban
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/web
            filters: [{name: panics, pattern: panic, metric: Panics}]
            alarms:
              - {name: panics-high, metric: Panics, stat: Sum, comparison: ">", threshold: 5,
                 evaluation_periods: 5, datapoints_to_alarm: 3, treat_missing_data: notBreaching}
              - name: page
                alarm_rule: ALARM(panics-high)
                actions: [arn:aws:sns:us-east-1:123456789012:ops]
"""


def test_an_alarm_feeding_a_composite_with_actions_is_not_said_to_have_no_action(write_config):
    """Config mode: the composite notifies for it (CloudWatch User Guide, Composite alarms)."""
    report = review.offline(load(write_config(COMPOSED)))
    assert "ALARM-ACTION-001" not in {f.code for f in report.every_finding}
    alone = review.offline(load(write_config(COMPOSED.replace("actions: [arn:aws:sns:us-east-1:123456789012:ops]",
                                                              "description: no one"))))
    assert {f.subject for f in alone.every_finding if f.code == "ALARM-ACTION-001"} == \
        {"monitor/honban/web/app/panics-high", "monitor/honban/web/app/page"}
