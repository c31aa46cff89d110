"""Composite alarms. moto implements neither PutCompositeAlarm nor composite reads, so the
CloudWatch and tagging clients are stubbed (botocore.stub.Stubber) with AWS's answers: alarms are
read back as they were sent, as DescribeAlarms does. ECS and Logs stay on moto."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber
from test_alarm_kind import NAME
from test_roundtrip import REGION, aws, clients, cluster, configure, container, document  # noqa: F401

from monitor import kinds
from monitor.kinds import alarm_spec
from monitor.output.plan import plan_text
from monitor.state.plan import Plan
from monitor.sync.apply import apply
from monitor.sync.flow import make_plan
from monitor.resolved import model as resolved_model

ARN = f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:"
READ = {"AlarmNamePrefix": "monitor/", "AlarmTypes": ["MetricAlarm"], "MaxRecords": 100}
EVERY_COMPOSITE = {"AlarmTypes": ["CompositeAlarm"], "MaxRecords": 100}   # no prefix: all of the Region
TAGGED = {"ResourceTypeFilters": ["cloudwatch:alarm"], "ResourcesPerPage": 100,
          "TagFilters": [{"Key": "ecs-monitor:prefix", "Values": ["monitor"]}]}
ALARMS = "alarm", "composite_alarm"
HIGH = {"name": "errors-high", "metric": "Errors", "stat": "Sum", "comparison": ">", "threshold": 10}
CPU = {"name": "cpu-high", "namespace": "AWS/ECS", "metric": "CPUUtilization", "comparison": ">", "threshold": 90}
BOTH = {"name": "both", "alarm_rule": 'ALARM(errors-high) AND NOT OK("cpu-high")',
        "actions": ["arn:aws:sns:us-east-1:123456789012:ops"], "description": "errors while the CPU is not fine"}
PAGE = {"name": "a-page", "alarm_rule": "ALARM(both) OR INSUFFICIENT_DATA(errors-high)"}   # names a composite


def config(*alarms: dict, **top) -> str:
    return document(cluster([{**container(), "alarms": list(alarms)}]), **top)


def ours(result: Plan) -> list[tuple[str, str, str]]:
    return [(c.action, c.kind, c.id.removeprefix(NAME)) for c in result.changes if c.kind in ALARMS]


def live(loaded) -> tuple[list[dict], list[dict], dict[str, dict[str, str]]]:
    """The config's alarms as DescribeAlarms returns them once applied, and their tags by ARN."""
    metric, composite, tags = [], [], {}
    for resource in kinds.desired(resolved_model.of(loaded.config)):
        if resource.kind in ALARMS:
            item = {**alarm_spec.put_parameters(resource.spec, with_tags=False), "AlarmArn": ARN + resource.id}
            (metric if resource.kind == "alarm" else composite).append(item)
            tags[item["AlarmArn"]] = resource.spec["Tags"]
    return metric, composite, tags


def stubbed_plan(loaded, metric=(), composite=(), tags=None, **options) -> Plan:
    calls = clients()
    cloudwatch, tagging = Stubber(calls.cloudwatch), Stubber(calls.resourcegroupstaggingapi)
    cloudwatch.add_response("describe_alarms", {"MetricAlarms": list(metric)}, READ)
    cloudwatch.add_response("describe_alarms", {"CompositeAlarms": list(composite)}, EVERY_COMPOSITE)
    if metric or composite:
        mappings = [{"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in found.items()]}
                    for arn, found in (tags or {}).items()]
        tagging.add_response("get_resources", {"ResourceTagMappingList": mappings, "PaginationToken": ""}, TAGGED)
    cloudwatch.add_response("list_dashboards", {"DashboardEntries": []})   # the config has none; none of ours live
    with cloudwatch, tagging:
        result = make_plan(loaded, calls, **options)
    cloudwatch.assert_no_pending_responses()
    tagging.assert_no_pending_responses()
    return result


def stubbed_apply(result: Plan, *expected: tuple[str, dict]) -> None:
    """Apply, the CloudWatch calls being exactly `expected`, in order; the rest goes to moto."""
    calls = clients()
    cloudwatch = Stubber(calls.cloudwatch)
    for operation, params in expected:
        cloudwatch.add_response(operation, {}, params)
    with cloudwatch:
        outcomes = apply(calls, result)
    cloudwatch.assert_no_pending_responses()
    assert [(o.change.id, o.message) for o in outcomes if o.failed] == []


def spec_of(loaded, name: str) -> dict:
    [found] = [r.spec for r in kinds.desired(resolved_model.of(loaded.config)) if r.id == NAME + name]
    return found


def test_composites_are_made_after_what_they_name_each_name_in_full(aws, configure):
    loaded = configure(config(PAGE, HIGH, CPU, BOTH))
    result = stubbed_plan(loaded)
    assert ours(result) == [("create", "alarm", "cpu-high"), ("create", "alarm", "errors-high"),
                            ("create", "composite_alarm", "both"), ("create", "composite_alarm", "a-page")]
    both = spec_of(loaded, "both")
    assert both["AlarmRule"] == f'ALARM("{NAME}errors-high") AND NOT OK("{NAME}cpu-high")'
    assert spec_of(loaded, "a-page")["AlarmRule"] == f'ALARM("{NAME}both") OR INSUFFICIENT_DATA("{NAME}errors-high")'
    assert f'AlarmRule: ALARM("{NAME}errors-high") AND NOT OK("{NAME}cpu-high")' in plan_text(result)
    stubbed_apply(result,
                  ("put_metric_alarm", alarm_spec.put_parameters(spec_of(loaded, "cpu-high"), with_tags=True)),
                  ("put_metric_alarm", alarm_spec.put_parameters(spec_of(loaded, "errors-high"), with_tags=True)),
                  ("put_composite_alarm", {
                      "AlarmName": NAME + "both", "AlarmRule": both["AlarmRule"], "ActionsEnabled": True,
                      "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:ops"], "OKActions": [],
                      "InsufficientDataActions": [], "AlarmDescription": "errors while the CPU is not fine",
                      "Tags": [{"Key": "ecs-monitor:cluster", "Value": "honban"},
                               {"Key": "ecs-monitor:prefix", "Value": "monitor"},
                               {"Key": "managed-by", "Value": "ecs-monitor"}]}),
                  ("put_composite_alarm", alarm_spec.put_parameters(spec_of(loaded, "a-page"), with_tags=True)))


def test_an_applied_config_plans_nothing(aws, configure):
    loaded = configure(config(PAGE, HIGH, CPU, BOTH))
    metric, composite, tags = live(loaded)
    assert ours(stubbed_plan(loaded, metric, composite, tags)) == []


def test_a_changed_rule_is_one_field_and_one_put_without_tags(aws, configure):
    loaded = configure(config(HIGH, CPU, BOTH))
    metric, composite, tags = live(loaded)
    changed = configure(config(HIGH, CPU, {**BOTH, "alarm_rule": "ALARM(errors-high) OR ALARM(cpu-high)"}))
    result = stubbed_plan(changed, metric, composite, tags)
    [change] = [c for c in result.changes if c.kind in ALARMS]
    assert (change.action, change.kind, change.fields) == ("update", "composite_alarm", ("AlarmRule",))
    text = plan_text(Plan(changes=[change]))
    assert (f'    AlarmRule:\n      - ALARM("{NAME}errors-high") AND NOT OK("{NAME}cpu-high")\n'
            f'      + ALARM("{NAME}errors-high") OR ALARM("{NAME}cpu-high")') in text, text
    sent = alarm_spec.put_parameters(spec_of(changed, "both"), with_tags=False)
    assert "Tags" not in sent
    stubbed_apply(result, ("put_composite_alarm", sent))


def test_a_tag_only_change_makes_no_put_composite_alarm(aws, configure):
    loaded = configure(config(HIGH, CPU, BOTH))
    metric, composite, tags = live(loaded)
    tagged = configure(config(HIGH, CPU, BOTH, tags={"team": "platform"}))
    result = stubbed_plan(tagged, metric, composite, tags)
    assert {(c.kind, c.fields) for c in result.changes if c.kind in ALARMS} == \
        {("alarm", ("Tags.team",)), ("composite_alarm", ("Tags.team",))}
    team = [{"Key": "team", "Value": "platform"}]
    stubbed_apply(result, ("tag_resource", {"ResourceARN": ARN + NAME + "cpu-high", "Tags": team}),
                  ("tag_resource", {"ResourceARN": ARN + NAME + "errors-high", "Tags": team}),
                  ("tag_resource", {"ResourceARN": ARN + NAME + "both", "Tags": team}))


def test_deletes_take_one_composite_a_call_dependents_first_then_the_metric_alarms_in_one(aws, configure):
    """DeleteAlarms takes at most one composite alarm a call, and none an undeleted composite names."""
    loaded = configure(config(PAGE, HIGH, CPU, BOTH))
    metric, composite, tags = live(loaded)
    result = stubbed_plan(loaded, metric, list(reversed(composite)), tags, destroy=True)
    assert ours(result) == [("delete", "composite_alarm", "a-page"), ("delete", "composite_alarm", "both"),
                            ("delete", "alarm", "cpu-high"), ("delete", "alarm", "errors-high")]
    stubbed_apply(result, ("delete_alarms", {"AlarmNames": [NAME + "a-page"]}),
                  ("delete_alarms", {"AlarmNames": [NAME + "both"]}),
                  ("delete_alarms", {"AlarmNames": [NAME + "cpu-high", NAME + "errors-high"]}))


def test_a_rule_that_stops_naming_an_alarm_changes_before_that_alarm_is_deleted(aws, configure):
    loaded = configure(config(HIGH, CPU, BOTH))
    metric, composite, tags = live(loaded)
    fewer = configure(config(HIGH, {**BOTH, "alarm_rule": "ALARM(errors-high)"}))
    result = stubbed_plan(fewer, metric, composite, tags, prune=True)
    assert ours(result) == [("update", "composite_alarm", "both"), ("delete", "alarm", "cpu-high")]


def test_an_alarm_that_changes_type_is_an_error_at_plan_time(aws, configure):
    loaded = configure(config(HIGH, CPU, {**BOTH, "name": "cpu-low"}))
    metric, composite, tags = live(loaded)
    swapped = configure(config(HIGH, {**CPU, "name": "cpu-low"}, {**BOTH, "name": "cpu-high",
                                                                  "alarm_rule": "ALARM(errors-high)"}))
    result = stubbed_plan(swapped, metric, composite, tags)
    assert sorted(p.message.split(";")[0] for p in result.errors) == [
        f"alarm {NAME}cpu-high is a metric alarm in AWS and a composite alarm in the config",
        f"alarm {NAME}cpu-low is a composite alarm in AWS and a metric alarm in the config"]


def test_a_composite_is_made_in_the_region_of_the_alarms_it_names(configure):
    text = config({**HIGH, "actions": []}, {**BOTH, "alarm_rule": "ALARM(errors-high)",
                                           "actions": ["arn:aws:sns:eu-west-1:123456789012:ops"]})
    loaded = configure(text.replace("log_group: /ecs/honban/web", "log_group: /ecs/honban/web\n      log_region: eu-west-1"))
    found = {(r.kind, r.id, r.region) for r in kinds.desired(resolved_model.of(loaded.config)) if r.kind in ALARMS}
    assert found == {("alarm", f"eu-west-1:{NAME}errors-high", "eu-west-1"),
                     ("composite_alarm", f"eu-west-1:{NAME}both", "eu-west-1")}


@pytest.mark.parametrize("rule, expected", [
    ("TRUE", "TRUE"),
    ('NOT (ALARM( errors-high ) OR FALSE)', f'NOT (ALARM( "{NAME}errors-high" ) OR FALSE)'),
])
def test_only_the_names_of_a_rule_are_rewritten(configure, rule, expected):
    loaded = configure(config(HIGH, {**BOTH, "alarm_rule": rule}))
    assert spec_of(loaded, "both")["AlarmRule"] == expected


def rule_problems(write_config, alarms: list[dict]) -> list[str]:
    from monitor.sync.flow import validate
    loaded = validate(str(write_config(config(*alarms))))
    return [f"{p.path[-1]}: {p.message}" for p in loaded.problems if p.is_error]


def test_a_rule_naming_more_than_100_alarms_is_refused(write_config):
    many = [{**HIGH, "name": f"e{n}"} for n in range(101)]
    rule = " OR ".join(f"ALARM(e{n})" for n in range(101))
    assert rule_problems(write_config, many + [{"name": "any", "alarm_rule": rule}]) == [
        "alarm_rule: it names 101 alarms; AWS allows at most 100"]


def test_a_rule_longer_than_aws_allows_with_full_names_is_refused(write_config):
    """10240 characters once each short name is the full one, as sent."""
    rule = " OR ".join(["ALARM(errors-high)"] * 300)   # 6596 characters as written, 14096 in full
    [problem] = rule_problems(write_config, [HIGH, {"name": "any", "alarm_rule": rule}])
    assert problem.startswith("alarm_rule: with the alarms' full names the rule is 14096 characters; AWS allows at most 10240")


def test_a_rule_of_more_than_500_elements_is_refused(write_config):
    rule = " OR ".join(["(TRUE)"] * 251)   # 251 constants and 251 groups
    assert rule_problems(write_config, [{"name": "any", "alarm_rule": rule}]) == [
        "alarm_rule: it has 502 elements (alarms, TRUE, FALSE, parentheses); AWS allows at most 500"]


# --- on the corrected emulator (monitor/emulator/server.py wires PutCompositeAlarm into moto) ---

def test_composites_round_trip_on_the_emulator(aws, configure):
    import boto3
    from test_roundtrip import converge, plan_of
    loaded = configure(config(PAGE, HIGH, CPU, BOTH))
    converge(loaded)
    cw = boto3.client("cloudwatch", region_name=REGION)
    found = {a["AlarmName"]: a for a in cw.describe_alarms(AlarmTypes=["CompositeAlarm"])["CompositeAlarms"]}
    assert found[NAME + "both"]["AlarmRule"] == f'ALARM("{NAME}errors-high") AND NOT OK("{NAME}cpu-high")'
    tags = cw.list_tags_for_resource(ResourceARN=found[NAME + "both"]["AlarmArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags}["managed-by"] == "ecs-monitor"
    changed = configure(config(PAGE, HIGH, CPU, {**BOTH, "alarm_rule": "ALARM(errors-high)"}))
    [change] = plan_of(changed).changes
    assert (change.kind, change.fields) == ("composite_alarm", ("AlarmRule",))
    converge(changed)
    result = make_plan(changed, clients(), destroy=True)
    calls = clients()
    assert all(o.result == "ok" for o in apply(calls, result))
    assert calls.calls["DeleteAlarms"] == 3   # a-page, both, then both metric alarms in one call
    assert cw.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])["CompositeAlarms"] == []


def test_the_emulator_deletes_one_composite_a_call_as_aws_does(aws):
    import boto3
    import botocore.exceptions
    cw = boto3.client("cloudwatch", region_name=REGION)
    for name in ("c1", "c2"):
        cw.put_composite_alarm(AlarmName=name, AlarmRule="TRUE")
    with pytest.raises(botocore.exceptions.ClientError, match="at most one composite alarm"):
        cw.delete_alarms(AlarmNames=["c1", "c2"])
    cw.delete_alarms(AlarmNames=["c1"])


# --- AT_LEAST, full names in quotes, and what is said about a misplaced operator ---

def test_at_least_is_accepted_and_its_names_rewritten(configure):
    """AT_LEAST(M, STATE, (names)), M a number or a percentage (CloudWatch User Guide, composite alarms)."""
    loaded = configure(config(HIGH, CPU, {**BOTH, "alarm_rule": "AT_LEAST(2, ALARM, (errors-high, cpu-high))"}))
    assert spec_of(loaded, "both")["AlarmRule"] == f'AT_LEAST(2, ALARM, ("{NAME}errors-high", "{NAME}cpu-high"))'
    loaded = configure(config(HIGH, CPU, {**BOTH, "alarm_rule": 'AT_LEAST(50%, NOT_OK, ("errors-high", cpu-high))'}))
    assert spec_of(loaded, "both")["AlarmRule"] == f'AT_LEAST(50%, NOT_OK, ("{NAME}errors-high", "{NAME}cpu-high"))'


@pytest.mark.parametrize("rule, message", [
    ("AT_LEAST(0, ALARM, (errors-high))", "a number above 0"),
    ("AT_LEAST(2, BROKEN, (errors-high))", "second argument is a state"),
    ("AT_LEAST(2, ALARM, errors-high)", "alarms go in parentheses"),
    ("AT_LEAST(2, ALARM, (errors-high, nothing))", "no alarm 'nothing'"),
])
def test_a_wrong_at_least_is_refused_at_its_part(write_config, rule, message):
    [problem] = rule_problems(write_config, [HIGH, {"name": "any", "alarm_rule": rule}])
    assert message in problem, problem


def test_an_operand_missing_after_and_is_said_so(write_config):
    [problem] = rule_problems(write_config, [HIGH, {"name": "any", "alarm_rule": "ALARM(errors-high) AND OR TRUE"}])
    assert "a condition is expected after AND" in problem and "capitals" not in problem, problem


def test_a_quoted_full_name_is_sent_as_written_and_one_not_ours_is_a_warning(write_config):
    from monitor.sync.flow import validate
    other = "monitor/honban/other/ctr/x"
    path = write_config(config(HIGH, {**BOTH, "alarm_rule": f'ALARM("{other}") OR ALARM(errors-high)'}))
    loaded = validate(str(path))
    assert loaded.ok, loaded.problems
    [warning] = [p for p in loaded.problems if not p.is_error and p.path[-1] == "alarm_rule"]
    assert other in warning.message and "no alarm of this config" in warning.message
    [spec] = [r.spec for r in kinds.desired(resolved_model.of(loaded.config)) if r.id == NAME + "both"]
    assert spec["AlarmRule"] == f'ALARM("{other}") OR ALARM("{NAME}errors-high")'


def test_another_containers_composite_named_in_full_is_made_first(configure):
    """Its full name is one of this config's alarms: no warning, and the rank puts it before."""
    text = document(cluster([
        {**container(), "alarms": [HIGH, {"name": "inner", "alarm_rule": "ALARM(errors-high)"}]},
        {**container(), "name": "side", "alarms": [{"name": "outer", "alarm_rule": f'ALARM("{NAME}inner")'}]}]))
    loaded = configure(text)
    assert not [p for p in loaded.problems if p.path and p.path[-1] == "alarm_rule"], loaded.problems
    ranks = {r.id.rsplit("/", 1)[-1]: r.rank for r in kinds.desired(resolved_model.of(loaded.config)) if r.kind == "composite_alarm"}
    assert ranks == {"inner": 0, "outer": 1}


def test_a_composite_takes_actions_enabled(configure):
    """PutCompositeAlarm ActionsEnabled (CloudWatch API reference)."""
    assert spec_of(configure(config(HIGH, CPU, {**BOTH, "actions_enabled": False})), "both")["ActionsEnabled"] is False
