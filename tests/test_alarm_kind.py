"""The alarm kind on moto: every flavour converges ("apply, then plan is empty"), updates are minimal,
tags are reconciled without PutMetricAlarm, and deletes are batched and never touch another config's."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from test_roundtrip import (  # noqa: F401
    CLUSTER,
    REGION,
    actions,
    aws,
    clients,
    cluster,
    configure,
    container,
    converge,
    document,
    plan_of,
)

from monitor import kinds
from monitor.kinds import alarm as alarm_kind
from monitor.kinds import alarm_spec
from monitor.output.plan import plan_text
from monitor.state.plan import Change, Plan
from monitor.sync.apply import apply
from monitor.sync.flow import make_plan, validate
from monitor.resolved import model as resolved_model

HIGH = {"name": "errors-high", "metric": "Errors", "stat": "Sum", "period": 60, "comparison": ">",
        "threshold": 10, "evaluation_periods": 5, "datapoints_to_alarm": 3, "treat_missing_data": "notBreaching",
        "actions": ["arn:aws:sns:us-east-1:123456789012:ops"], "description": "too many errors"}
MEMORY = {"name": "memory-high", "metric": "MemoryUtilized", "stat": "p99", "comparison": ">=", "threshold": 900}
TASKS = {"name": "tasks-down", "namespace": "ECS/ContainerInsights", "metric": "RunningTaskCount",
         "stat": "Minimum", "comparison": "<", "threshold": 1, "treat_missing_data": "breaching"}
NAME = f"monitor/{CLUSTER}/web/app/"


def with_alarms(*alarms: dict, insights: str | None = None, metrics=("MemoryUtilized",), **top) -> str:
    item = {**container(metrics=metrics), "alarms": list(alarms)}
    return document(cluster([item], insights=insights), **top)


def described(name: str) -> dict:
    [found] = boto3.client("cloudwatch", region_name=REGION).describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return found


def alarm_tags(name: str) -> dict[str, str]:
    cw = boto3.client("cloudwatch", region_name=REGION)
    return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=described(name)["AlarmArn"])["Tags"]}


def alarm_changes(result) -> list:
    return [change for change in result.changes if change.kind == "alarm"]


@pytest.mark.parametrize("alarm, namespace, metric, dimensions", [
    (HIGH, "Custom/ECS/honban/web/app", "Errors", []),
    (MEMORY, "Custom/ECS", "ContainerMemoryUtilized", ["ClusterName", "ContainerName", "ServiceName"]),
    ({**TASKS, "dimensions": {"ServiceName": "web", "ClusterName": CLUSTER}}, "ECS/ContainerInsights",
     "RunningTaskCount", ["ClusterName", "ServiceName"]),
    ({**TASKS, "namespace": "AWS/ECS", "metric": "CPUUtilization"}, "AWS/ECS", "CPUUtilization",
     ["ClusterName", "ServiceName"]),
], ids=["filter-metric", "performance-metric", "insights-metric", "aws-namespace"])
def test_each_flavour_round_trips(aws, configure, alarm, namespace, metric, dimensions):
    converge(configure(with_alarms(alarm)))
    found = described(NAME + alarm["name"])
    assert (found["Namespace"], found["MetricName"]) == (namespace, metric)
    assert sorted(d["Name"] for d in found["Dimensions"]) == dimensions
    assert alarm_tags(NAME + alarm["name"])["managed-by"] == "ecs-monitor"


def test_on_an_enhanced_cluster_a_performance_metric_is_the_native_one(aws, configure):
    converge(configure(with_alarms(MEMORY, insights="enhanced", metrics=())))
    found = described(NAME + "memory-high")
    assert (found["Namespace"], found["MetricName"], found["ExtendedStatistic"]) == \
        ("ECS/ContainerInsights", "ContainerMemoryUtilized", "p99")
    assert {d["Name"]: d["Value"] for d in found["Dimensions"]} == \
        {"ClusterName": CLUSTER, "ServiceName": "web", "ContainerName": "app"}


def test_one_threshold_changed_plans_exactly_one_update(aws, configure):
    converge(configure(with_alarms(HIGH, MEMORY)))
    [change] = plan_of(configure(with_alarms({**HIGH, "threshold": 20}, MEMORY))).changes
    assert (change.action, change.id, change.fields) == ("update", NAME + "errors-high", ("Threshold",))
    assert (change.before["Threshold"], change.after["Threshold"]) == (10.0, 20.0)
    text = plan_text(Plan(changes=[change]))
    assert f"~ update alarm {NAME}errors-high" in text and "Threshold: 10.0 -> 20.0" in text, text


def test_a_tag_only_change_makes_no_put_metric_alarm(aws, configure):
    converge(configure(with_alarms(HIGH, metrics=())))
    loaded = configure(with_alarms(HIGH, metrics=(), tags={"team": "platform"}))
    result = plan_of(loaded)
    [change] = result.changes   # no performance log group of ours to tag as well
    assert (change.kind, change.action, change.fields) == ("alarm", "update", ("Tags.team",))
    calls = clients()
    assert [o.result for o in apply(calls, result)] == ["ok"]
    assert "PutMetricAlarm" not in calls.calls and calls.calls["TagResource"] == 1
    assert alarm_tags(NAME + "errors-high")["team"] == "platform"
    assert plan_of(loaded).changes == []


def test_destroy_deletes_in_one_call_and_leaves_other_configs_alone(aws, configure):
    many = [{**HIGH, "name": f"errors-{n:03d}"} for n in range(100)]
    converge(configure(with_alarms(*many, metrics=())))
    cw = boto3.client("cloudwatch", region_name=REGION)
    other = dict(MetricName="M", Namespace="N", Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                 ComparisonOperator="GreaterThanThreshold")
    theirs = ["monitor/staging/web/app/errors", "other/honban/web/app/errors", "monitor/honban-errors"]
    for name in theirs:
        cw.put_metric_alarm(AlarmName=name, **other)
    reads = clients()
    result = make_plan(configure(with_alarms(*many, metrics=())), reads, destroy=True)
    # Tags in bulk, never one call an alarm. Bare moto (before the emulator's patches are installed in
    # this process) cuts GetResources pages at a TagsPerPage default of 100 tags (3 of ours an alarm),
    # so it needs 3 pages where ResourcesPerPage=100 asks for 1; the patched emulator needs 1.
    assert reads.calls["ListTagsForResource"] == 0 and 1 <= reads.calls["GetResources"] <= 3
    assert {c.action for c in alarm_changes(result)} == {"delete"} and len(alarm_changes(result)) == 100
    calls = clients()
    apply(calls, result)
    assert calls.calls["DeleteAlarms"] == 1
    assert sorted(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]) == sorted(theirs)


OURS = [{"Key": "managed-by", "Value": "ecs-monitor"}, {"Key": "ecs-monitor:prefix", "Value": "monitor"}]


def test_read_pages_through_describe_alarms_and_their_tags_100_at_a_time():
    """moto never paginates DescribeAlarms (it ignores MaxRecords), so the pages are stubbed."""
    calls = clients()
    alarms, tagging = Stubber(calls.cloudwatch), Stubber(calls.resourcegroupstaggingapi)
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
    item = {"AlarmName": NAME + "a", "AlarmArn": arn + NAME + "a", "Threshold": 1, "EvaluationPeriods": 1,
            "MetricName": "M", "Namespace": "N", "Period": 60, "ComparisonOperator": "GreaterThanThreshold",
            "Statistic": "Sum"}
    prefix = {"AlarmNamePrefix": "monitor/", "MaxRecords": 100, "AlarmTypes": ["MetricAlarm"]}
    alarms.add_response("describe_alarms", {"MetricAlarms": [item], "NextToken": "t"}, prefix)
    alarms.add_response("describe_alarms", {"MetricAlarms": [{**item, "AlarmName": NAME + "b",
                                                             "AlarmArn": arn + NAME + "b"}]},
                        {**prefix, "NextToken": "t"})
    every = {"MaxRecords": 100, "AlarmTypes": ["CompositeAlarm"]}   # every composite of the Region, no prefix
    alarms.add_response("describe_alarms", {"CompositeAlarms": [], "NextToken": "c"}, every)
    alarms.add_response("describe_alarms", {"CompositeAlarms": []}, {**every, "NextToken": "c"})
    wanted = {"ResourceTypeFilters": ["cloudwatch:alarm"], "ResourcesPerPage": 100,
              "TagFilters": [{"Key": "ecs-monitor:prefix", "Values": ["monitor"]}]}
    tagging.add_response("get_resources", {"ResourceTagMappingList": [
        {"ResourceARN": arn + NAME + "a", "Tags": [{"Key": "team", "Value": "a"}, *OURS]}], "PaginationToken": "p"},
        wanted)
    tagging.add_response("get_resources", {"ResourceTagMappingList": [
        {"ResourceARN": arn + NAME + "b", "Tags": [{"Key": "team", "Value": "b"}, *OURS]}], "PaginationToken": ""},
        {**wanted, "PaginationToken": "p"})
    from monitor.config.model import Config
    from monitor.state.resources import Actual
    actual = Actual()
    with alarms, tagging:
        alarm_kind.read(calls, resolved_model.of(Config.model_validate({"version": 1, "clusters": [{"name": CLUSTER}]})), actual)
    specs = {r.id: r.spec for r in actual.resources.values()}
    ours = {tag["Key"]: tag["Value"] for tag in OURS}
    assert {name: spec["Tags"] for name, spec in specs.items()} == {NAME + "a": {"team": "a", **ours},
                                                                     NAME + "b": {"team": "b", **ours}}
    spec = specs[NAME + "a"]
    assert (spec["Dimensions"], spec["AlarmActions"], spec["DatapointsToAlarm"], spec["TreatMissingData"]) == \
        ([], [], 1, "missing")


def test_a_spec_sorts_dimensions_and_fills_aws_defaults():
    item = {"AlarmName": "a", "Threshold": 5, "EvaluationPeriods": 3, "Dimensions": [
        {"Name": "B", "Value": "1"}, {"Name": "A", "Value": "2"}], "StateValue": "OK", "Metrics": []}
    spec = alarm_spec.to_spec(item, {})
    assert spec["Dimensions"] == [{"Name": "A", "Value": "2"}, {"Name": "B", "Value": "1"}]
    assert (spec["Threshold"], spec["DatapointsToAlarm"], spec["TreatMissingData"]) == (5.0, 3, "missing")
    assert "StateValue" not in spec and "Metrics" not in spec


def test_an_update_sends_no_tags_and_a_create_does():
    spec = {"AlarmName": "a", "Threshold": 1.0, "Tags": {"k": "v"}}
    assert "Tags" not in alarm_spec.put_parameters(spec, with_tags=False)
    assert alarm_spec.put_parameters(spec, with_tags=True)["Tags"] == [{"Key": "k", "Value": "v"}]
    assert isinstance(Change("alarm", "a", "create", None, spec), Change)


def test_a_removed_tag_is_untagged_and_a_changed_alarm_keeps_its_tags(aws, configure):
    converge(configure(with_alarms(HIGH, metrics=(), tags={"team": "platform", "tier": "web"})))
    loaded = configure(with_alarms({**HIGH, "threshold": 20}, metrics=(), tags={"team": "platform"}))
    [change] = plan_of(loaded).changes
    assert change.fields == ("Tags.tier", "Threshold")
    converge(loaded)
    assert alarm_tags(NAME + "errors-high") == {"team": "platform", "managed-by": "ecs-monitor",
                                                "ecs-monitor:prefix": "monitor", "ecs-monitor:cluster": CLUSTER}
    assert described(NAME + "errors-high")["Threshold"] == 20.0


def test_prune_deletes_an_alarm_no_longer_in_the_config(aws, configure):
    converge(configure(with_alarms(HIGH, MEMORY)))
    loaded = configure(with_alarms(MEMORY))
    assert actions(plan_of(loaded)) == []   # kept, with a note, until --prune
    assert actions(converge(loaded, prune=True)) == [("delete", "alarm", NAME + "errors-high")]


def test_a_percent_threshold_is_a_share_of_the_task_definitions_limit(aws, configure):
    aws.ecs.register_task_definition(family="web-td", containerDefinitions=[
        {"name": "app", "image": "app", "memory": 1024, "cpu": 256}])
    item = {**container(metrics=["MemoryUtilized", "CpuUtilized"]), "alarms": [
        {**MEMORY, "threshold": "90%"}, {**MEMORY, "name": "cpu-high", "metric": "CpuUtilized", "threshold": "150%"}]}
    loaded = configure(document(cluster([item], task_definition="web-td")))
    result = converge(loaded)
    notes = [p.message for p in result.findings if p.severity == "info"]
    assert "alarm memory-high: threshold 921.6 MiB = 90% of the 1024 MiB hard limit (web-td:1)" in notes
    assert any("384 CPU units = 150% of the 256 CPU units share" in note for note in notes)
    assert described(NAME + "memory-high")["Threshold"] == 921.6
    assert described(NAME + "cpu-high")["Threshold"] == 384.0


def test_a_percent_threshold_without_a_known_limit_is_an_error_at_plan_time(aws, configure):
    aws.ecs.register_task_definition(family="web-td", containerDefinitions=[
        {"name": "sidecar", "image": "app", "memory": 128}])
    item = {**container(metrics=["MemoryUtilized"]), "alarms": [{**MEMORY, "threshold": "90%"}]}
    result = plan_of(configure(document(cluster([item], task_definition="web-td"))))
    assert [p.message for p in result.errors] == ["threshold 90%: task definition 'web-td:1' has no container 'app'"]
    assert alarm_changes(result) == []


def test_an_anomaly_alarm_named_like_ours_is_judged_as_a_threshold_alarm_of_that_name_is(aws, configure):
    """Anomaly detection (ThresholdMetricId, no Threshold) is a kind ecs-monitor makes now: one made by
    hand in our name shape is planned exactly as a hand-made threshold alarm of the same name would be."""
    cw = boto3.client("cloudwatch", region_name=REGION)
    band = {"AlarmName": NAME + "by-hand", "EvaluationPeriods": 1, "ThresholdMetricId": "ad1",
            "ComparisonOperator": "GreaterThanUpperThreshold",
            "Metrics": [{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True},
                        {"Id": "m1", "ReturnData": True, "MetricStat": {
                            "Metric": {"Namespace": "AWS/ECS", "MetricName": "CPUUtilization"},
                            "Period": 60, "Stat": "Average"}}]}
    loaded = configure(with_alarms(HIGH))
    cw.put_metric_alarm(AlarmName=NAME + "by-hand", MetricName="CPUUtilization", Namespace="AWS/ECS",
                        Statistic="Average", Period=60, EvaluationPeriods=1, Threshold=90.0,
                        ComparisonOperator="GreaterThanThreshold")
    threshold = [(c.action, c.id) for c in alarm_changes(plan_of(loaded, prune=True))]
    cw.delete_alarms(AlarmNames=[NAME + "by-hand"])
    cw.put_metric_alarm(**band)
    result = plan_of(loaded, prune=True)
    assert [(c.action, c.id) for c in alarm_changes(result)] == threshold
    assert not any("does not make" in f.message for f in result.findings)


def test_an_alarm_in_the_performance_shape_is_not_ours(aws, configure):
    """Alarms are made per container only: `<prefix>/<cluster>/(performance)/...` is someone else's."""
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName=f"monitor/{CLUSTER}/(performance)/CpuUtilized", MetricName="CPUUtilization", Namespace="AWS/ECS",
        Statistic="Average", Period=60, EvaluationPeriods=1, Threshold=90.0, ComparisonOperator="GreaterThanThreshold")
    loaded = configure(with_alarms(HIGH))
    assert [(c.action, c.id) for c in alarm_changes(plan_of(loaded, prune=True))] == [("create", NAME + "errors-high")]
    assert alarm_changes(plan_of(loaded, destroy=True)) == []


@pytest.mark.parametrize("stat", ["p99.9", "tm99", "wm90", "tc90", "ts90", "TM(10%:90%)", "PR(:300)", "IQM"])
def test_every_extended_statistic_aws_accepts_is_accepted(configure, stat):
    """CloudWatch's statistics definitions page lists these ExtendedStatistic forms."""
    [resource] = [r for r in kinds.desired(resolved_model.of(configure(with_alarms({**HIGH, "stat": stat})).config)) if r.kind == "alarm"]
    assert resource.spec["ExtendedStatistic"] == stat and "Statistic" not in resource.spec


def test_an_alarm_on_any_namespace_cloudwatch_takes_is_accepted(configure):
    """The CloudWatch agent's CWAgent, say: AWS takes any namespace of 1-255 characters not starting with ':'."""
    agent = {**TASKS, "namespace": "CWAgent", "metric": "mem_used_percent", "dimensions": {"host": "a"}}
    [resource] = [r for r in kinds.desired(resolved_model.of(configure(with_alarms(agent)).config)) if r.kind == "alarm"]
    assert (resource.spec["Namespace"], resource.spec["Dimensions"]) == ("CWAgent", [{"Name": "host", "Value": "a"}])


def test_an_alarm_on_a_filter_metric_published_in_another_region_acts_in_that_region(configure, write_config):
    """A CloudWatch alarm sees only its own Region's metrics, so it is made where the filter publishes;
    its actions must be there too (test_alarm_math has the round trip)."""
    text = with_alarms(HIGH).replace("log_group: /ecs/honban/web", "log_group: /ecs/honban/web\n      log_region: eu-west-1")
    loaded = validate(str(write_config(text)))
    assert [(p.path[-2:], p.message) for p in loaded.problems] == [(("actions", 0), (
        "'arn:aws:sns:us-east-1:123456789012:ops' is in us-east-1; an alarm in eu-west-1 can only act in eu-west-1"))]


# --- Unit, EvaluateLowSampleCountPercentile and ActionsEnabled: accepted, sent, read back, managed ---

SETTINGS = {**MEMORY, "unit": "Megabytes", "evaluate_low_sample_count_percentiles": "ignore",
            "actions_enabled": False}


def test_unit_low_sample_count_and_actions_enabled_are_sent_and_converge(aws, configure):
    converge(configure(with_alarms(SETTINGS)))
    found = described(NAME + "memory-high")
    assert (found["Unit"], found["EvaluateLowSampleCountPercentile"], found["ActionsEnabled"]) == \
        ("Megabytes", "ignore", False)


def test_a_change_of_unit_low_sample_count_or_actions_enabled_is_one_update(aws, configure):
    converge(configure(with_alarms(SETTINGS)))
    changed = {**SETTINGS, "unit": "Bytes", "evaluate_low_sample_count_percentiles": "evaluate",
               "actions_enabled": True}
    [change] = plan_of(configure(with_alarms(changed))).changes
    assert (change.action, sorted(change.fields)) == \
        ("update", ["ActionsEnabled", "EvaluateLowSampleCountPercentile", "Unit"])


@pytest.mark.parametrize("key, value", [("Unit", "Percent"), ("EvaluateLowSampleCountPercentile", "ignore")])
def test_a_hand_added_unit_or_low_sample_setting_is_an_update_that_removes_it(aws, configure, key, value):
    loaded = configure(with_alarms(MEMORY))
    converge(loaded)
    found = described(NAME + "memory-high")
    params = alarm_spec.put_parameters(alarm_spec.to_spec(found, {}), with_tags=False)
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(**{**params, key: value})
    [change] = plan_of(loaded).changes
    assert (change.action, change.fields, change.before[key]) == ("update", (key,), value)
    assert key not in change.after
    converge(loaded)
    assert key not in described(NAME + "memory-high")


def test_to_spec_keeps_unit_and_low_sample_setting():
    item = {"AlarmName": "a", "MetricName": "m", "Namespace": "n", "ExtendedStatistic": "p99", "Period": 60,
            "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold",
            "Unit": "Count", "EvaluateLowSampleCountPercentile": "ignore"}
    spec = alarm_spec.to_spec(item, {})
    assert (spec["Unit"], spec["EvaluateLowSampleCountPercentile"]) == ("Count", "ignore")


@pytest.mark.parametrize("alarm, message", [
    ({**MEMORY, "unit": "Furlongs"}, "'Furlongs' is not a CloudWatch unit"),
    ({**MEMORY, "stat": "Average", "evaluate_low_sample_count_percentiles": "ignore"}, "only for an alarm on a percentile"),
    ({**MEMORY, "evaluate_low_sample_count_percentiles": "sometimes"}, "evaluate"),
])
def test_a_bad_unit_or_low_sample_setting_is_refused(write_config, alarm, message):
    loaded = validate(str(write_config(with_alarms(alarm))))
    assert not loaded.ok and any(message in problem.message for problem in loaded.problems), loaded.problems


@pytest.mark.parametrize("tags, says", [
    ([], "carries none of our tags (managed-by=ecs-monitor, ecs-monitor:prefix=monitor)"),
    ([{"Key": "managed-by", "Value": "ecs-monitor"}],
     "carries managed-by=ecs-monitor but lacks ecs-monitor:prefix=monitor"),
    ([{"Key": "managed-by", "Value": "ecs-monitor"}, {"Key": "ecs-monitor:prefix", "Value": "other"}],
     "carries managed-by=ecs-monitor but lacks ecs-monitor:prefix=monitor (it has ecs-monitor:prefix=other)"),
    ([{"Key": "ecs-monitor:prefix", "Value": "monitor"}, {"Key": "managed-by", "Value": "terraform"}],
     "carries ecs-monitor:prefix=monitor but lacks managed-by=ecs-monitor (it has managed-by=terraform)"),
], ids=["none", "no-prefix-tag", "another-prefix", "another-manager"])
def test_an_alarm_in_our_shape_without_our_tags_is_told_which_it_lacks(aws, configure, tags, says):
    cw = boto3.client("cloudwatch", region_name=REGION)
    hand = dict(MetricName="CPUUtilization", Namespace="AWS/ECS", Statistic="Average", Period=60,
                EvaluationPeriods=1, Threshold=90.0, ComparisonOperator="GreaterThanThreshold",
                **({"Tags": tags} if tags else {}))
    cw.put_metric_alarm(AlarmName=NAME + "by-hand", **hand)   # one the config does not want: PLN-015
    cw.put_metric_alarm(AlarmName=NAME + "errors-high", **hand)   # one it wants: the name is taken
    result = plan_of(configure(with_alarms(HIGH)), prune=True)
    [unowned] = [f for f in result.findings if f.check.code == "PLN-015"]
    assert unowned.message == (f"alarm {NAME}by-hand is named like ours but {says}; it is not ours and is never "
                               "changed or deleted")
    [taken] = [f for f in result.findings if f"alarm {NAME}errors-high exists" in f.message]
    assert taken.message == (f"alarm {NAME}errors-high exists but {says}, so it is not ours, and the plan cannot create "
                             "this alarm while the name is taken: rename the alarm in the config, or rename or delete "
                             "that one; it is left alone")
    assert alarm_changes(result) == []
