"""Metric-math alarms, alarms on dimensioned filter metrics and on filter metrics of another Region,
on moto: each converges ("apply, then plan is empty"), and a change is the one field it is."""

from __future__ import annotations

import boto3
from test_alarm_kind import NAME, alarm_changes, alarm_tags, described
from test_roundtrip import (  # noqa: F401
    GROUP,
    REGION,
    aws,
    clients,
    cluster,
    configure,
    container,
    converge,
    document,
    inline,
    plan_of,
)

from monitor.kinds import alarm_spec
from monitor.output.plan import plan_text
from monitor.state.plan import Plan
from monitor.sync.flow import make_plan

AWAY = "eu-west-1"
TOPIC = "arn:aws:sns:us-east-1:123456789012:ops"
FILTERS = [inline("errors"), inline("requests", "{ $.status = * }", "Requests"),
           {**inline("server-errors", "{ $.status >= 500 }", "ServerErrors"), "dimensions": {"Status": "$.status"}}]
RATE = {"name": "error-rate", "comparison": ">", "threshold": 5, "evaluation_periods": 3, "actions": [TOPIC],
        "metrics": [{"id": "errors", "metric": "Errors", "stat": "Sum"},
                    {"id": "requests", "metric": "Requests", "stat": "Sum"},
                    {"id": "cpu", "namespace": "AWS/ECS", "metric": "CPUUtilization", "stat": "p99", "period": 300},
                    {"id": "rate", "expression": "100 * errors / requests", "label": "Error rate (%)"}]}
STATUS = {"name": "status-503", "metric": "ServerErrors", "dimensions": {"Status": "503"}, "stat": "Sum",
          "comparison": ">", "threshold": 0}


def with_alarms(*alarms: dict, **where) -> str:
    return document(cluster([{**container(filters=FILTERS), **where, "alarms": list(alarms)}]))


def queries(name: str, region: str = REGION) -> dict[str, dict]:
    [found] = boto3.client("cloudwatch", region_name=region).describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return {query["Id"]: query for query in found["Metrics"]}


def test_a_metric_math_alarm_round_trips(aws, configure):
    converge(configure(with_alarms(RATE)))
    found = queries(NAME + "error-rate")
    assert found["rate"] == {"Id": "rate", "Expression": "100 * errors / requests", "Label": "Error rate (%)",
                             "ReturnData": True}
    assert found["errors"]["ReturnData"] is False
    assert found["errors"]["MetricStat"]["Metric"]["Namespace"] == "Custom/ECS/honban/web/app"
    assert found["cpu"]["MetricStat"]["Stat"] == "p99" and found["cpu"]["MetricStat"]["Period"] == 300
    assert {d["Name"] for d in found["cpu"]["MetricStat"]["Metric"]["Dimensions"]} == {"ClusterName", "ServiceName"}
    assert "MetricName" not in described(NAME + "error-rate")
    assert alarm_tags(NAME + "error-rate")["managed-by"] == "ecs-monitor"


def test_one_changed_expression_is_one_field_of_one_update(aws, configure):
    converge(configure(with_alarms(RATE)))
    changed = {**RATE, "metrics": RATE["metrics"][:3] + [{**RATE["metrics"][3], "expression": "errors / requests"}]}
    [change] = plan_of(configure(with_alarms(changed))).changes
    assert (change.action, change.fields) == ("update", ("Metrics.rate.Expression",))
    text = plan_text(Plan(changes=[change]))
    assert 'Metrics.rate.Expression: "100 * errors / requests" -> "errors / requests"' in text, text
    converge(configure(with_alarms(changed)))
    assert queries(NAME + "error-rate")["rate"]["Expression"] == "errors / requests"


def test_a_query_added_shows_whole_and_the_order_of_queries_is_no_change(aws, configure):
    converge(configure(with_alarms(RATE)))
    shuffled = {**RATE, "metrics": list(reversed(RATE["metrics"]))}
    assert alarm_changes(plan_of(configure(with_alarms(shuffled)))) == []
    more = {**RATE, "metrics": RATE["metrics"] + [{"id": "load", "expression": "cpu / 100"}]}
    more["metrics"][3] = {**more["metrics"][3], "return_data": True}
    [change] = plan_of(configure(with_alarms(more))).changes
    assert change.fields == ("Metrics.load",)
    assert 'Metrics.load: (none) -> {"ReturnData": false, "Expression": "cpu / 100"}' in plan_text(Plan(changes=[change]))
    converge(configure(with_alarms(more)))


def test_a_math_alarm_of_ours_that_left_the_config_is_pruned(aws, configure):
    """Math is ours: an alarm of that shape with our name and our tags is pruned like any of ours."""
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName=NAME + "by-hand", Tags=[{"Key": "managed-by", "Value": "ecs-monitor"},
                                          {"Key": "ecs-monitor:prefix", "Value": "monitor"}], EvaluationPeriods=1, ComparisonOperator="GreaterThanThreshold", Threshold=1.0,
        Metrics=[{"Id": "e1", "Expression": "m1 * 2"},   # no ReturnData: true by default
                 {"Id": "m1", "ReturnData": False, "MetricStat": {
                     "Metric": {"Namespace": "AWS/ECS", "MetricName": "CPUUtilization"}, "Period": 60,
                     "Stat": "Average"}}])
    loaded = configure(with_alarms(STATUS))
    result = plan_of(loaded, prune=True)
    assert sorted((c.action, c.id) for c in alarm_changes(result)) == \
        [("create", NAME + "status-503"), ("delete", NAME + "by-hand")]
    assert not [f for f in result.findings if f.severity == "warning"]


def test_an_alarm_on_one_combination_of_a_filters_dimensions_round_trips(aws, configure):
    converge(configure(with_alarms(STATUS)))
    found = described(NAME + "status-503")
    assert (found["Namespace"], found["MetricName"], found["Dimensions"]) == \
        ("Custom/ECS/honban/web/app", "ServerErrors", [{"Name": "Status", "Value": "503"}])
    [change] = plan_of(configure(with_alarms({**STATUS, "dimensions": {"Status": "502"}}))).changes
    assert change.fields == ("Dimensions[0].Value",)


def test_an_alarm_on_a_filter_metric_of_another_region_is_made_there(aws, configure):
    """The metric is published where the log group is; so is the alarm, acting on that Region's topic."""
    away = boto3.client("logs", region_name=AWAY)
    away.create_log_group(logGroupName=GROUP)
    topic = TOPIC.replace(REGION, AWAY)
    high = {"name": "errors-high", "metric": "Errors", "stat": "Sum", "comparison": ">", "threshold": 10,
            "actions": [topic]}
    rate = {**RATE, "actions": [topic], "metrics": RATE["metrics"][:2] + RATE["metrics"][3:]}
    loaded = configure(with_alarms(high, rate, log_region=AWAY))
    applied = converge(loaded)
    assert [(c.action, c.id, c.region) for c in alarm_changes(applied)] == [
        ("create", f"{AWAY}:{NAME}error-rate", AWAY), ("create", f"{AWAY}:{NAME}errors-high", AWAY)]
    cw = boto3.client("cloudwatch", region_name=AWAY)
    assert sorted(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]) == [NAME + "error-rate",
                                                                                    NAME + "errors-high"]
    assert boto3.client("cloudwatch", region_name=REGION).describe_alarms()["MetricAlarms"] == []
    arn = cw.describe_alarms(AlarmNames=[NAME + "errors-high"])["MetricAlarms"][0]["AlarmArn"]
    assert {t["Key"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]} >= {"managed-by"}
    [change] = plan_of(configure(with_alarms({**high, "threshold": 20}, rate, log_region=AWAY))).changes
    assert (change.id, change.fields, change.region) == (f"{AWAY}:{NAME}errors-high", ("Threshold",), AWAY)
    destroyed = converge(loaded, destroy=True)
    assert {(c.action, c.region) for c in alarm_changes(destroyed)} == {("delete", AWAY)}
    assert cw.describe_alarms()["MetricAlarms"] == []


def test_reads_stay_one_describe_alarms_page_a_region(aws, configure):
    away = boto3.client("logs", region_name=AWAY)
    away.create_log_group(logGroupName=GROUP)
    loaded = configure(with_alarms({**STATUS, "actions": [TOPIC.replace(REGION, AWAY)]}, log_region=AWAY))
    converge(loaded)
    reads = clients()
    assert make_plan(loaded, reads).changes == []
    # The home Region and eu-west-1, one page each of our metric alarms and of every composite alarm.
    assert reads.calls["DescribeAlarms"] == 4
    assert reads.calls["GetResources"] <= 1      # tags only where alarms of ours are


def test_a_query_read_without_return_data_or_dimensions_gets_aws_defaults():
    item = {"AlarmName": "a", "Threshold": 1, "EvaluationPeriods": 2, "Dimensions": [], "Metrics": [
        {"Id": "e1", "Expression": "m1"},
        {"Id": "m1", "ReturnData": False, "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"},
                                                         "Period": 60, "Stat": "Sum", "Unit": "Count"}}]}
    spec = alarm_spec.to_spec(item, {})
    assert spec["Metrics"] == {"e1": {"ReturnData": True, "Expression": "m1"},
                               "m1": {"ReturnData": False, "MetricStat": {
                                   "Metric": {"Namespace": "N", "MetricName": "M", "Dimensions": []},
                                   "Period": 60, "Stat": "Sum", "Unit": "Count"}}}   # MetricStat.Unit is managed
    assert "Dimensions" not in spec and "Period" not in spec
    params = alarm_spec.put_parameters({**spec, "Tags": {}}, with_tags=True)
    assert [query["Id"] for query in params["Metrics"]] == ["e1", "m1"] and "Tags" not in params


def test_the_ids_an_expression_uses():
    from monitor.kinds.alarm_checks import references
    assert references("100 * errors / requests") == [("errors", 7), ("requests", 16)]
    assert references('IF(m1 > 0, m2 / m1, 0) + FILL(m3, REPEAT) + 1e3 + METRICS("m4")') == \
        [("m1", 4), ("m2", 12), ("m1", 17), ("m3", 31)]
    assert references("abs(m1)") == [("m1", 5)]   # called like a function: not an id
    assert references('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", instance)') == []


def test_eleven_expressions_are_one_too_many(configure, write_config):
    from monitor.sync.flow import validate
    entries = [{"id": "errors", "metric": "Errors", "stat": "Sum"}] + \
        [{"id": f"e{n}", "expression": f"errors * {n}", "return_data": n == 0} for n in range(11)]
    loaded = validate(str(write_config(with_alarms({**RATE, "metrics": entries}))))
    assert [p.message for p in loaded.problems] == ["11 expressions; an alarm uses at most 10 (and 10 metrics)"]
