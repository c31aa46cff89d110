"""Accept what AWS accepts, refuse what it refuses: alarms as public infrastructure code and AWS's docs write them.

Each alarm below is the shape of one published example, rewritten in the config's keys:
- action ARNs: the PutMetricAlarm reference's list of valid AlarmActions
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), the
  CDK's `aws_cloudwatch_actions` (SsmIncidentAction, SsmAction, Ec2Action, LambdaAction);
- `unit` on a metric-math metric: Terraform's `aws_cloudwatch_metric_alarm` `metric_query.metric.unit`;
- anomaly detection: the Terraform registry's "Example of anomaly detection" (`threshold_metric_id = "e1"`,
  `ANOMALY_DETECTION_BAND(m1)`, GreaterThanUpperThreshold) and the CloudWatch User Guide's
  "Create a CloudWatch alarm based on anomaly detection";
- a Metrics Insights alarm: the User Guide's "Create alarms on Metrics Insights queries".
"""

from __future__ import annotations

import boto3
import pytest
from test_roundtrip import (  # noqa: F401
    CLUSTER,
    REGION,
    aws,
    cluster,
    configure,
    container,
    converge,
    document,
    plan_of,
)

from monitor.sync.flow import validate

NAME = f"monitor/{CLUSTER}/web/app/"
SNS = "arn:aws:sns:us-east-1:123456789012:ops"
CPU = {"id": "m1", "namespace": "AWS/ECS", "metric": "CPUUtilization", "stat": "Average", "period": 300,
       "dimensions": {"ClusterName": CLUSTER, "ServiceName": "web"}}
ANOMALY = {"name": "cpu-anomaly", "comparison": "GreaterThanUpperThreshold", "threshold_metric_id": "e1",
           "evaluation_periods": 2, "actions": [SNS],
           "metrics": [{"id": "e1", "expression": "ANOMALY_DETECTION_BAND(m1)", "label": "CPU (expected)"},
                       {**CPU, "unit": "Percent"}]}
INSIGHTS_QUERY = {"name": "busiest-service", "comparison": ">", "threshold": 90, "evaluation_periods": 3,
                  "actions": [SNS],
                  "metrics": [{"id": "q1", "period": 300, "expression":
                               'SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/ECS", ClusterName, ServiceName)'}]}


def with_alarms(*alarms: dict) -> str:
    return document(cluster([{**container(), "alarms": list(alarms)}]))


def described(name: str) -> dict:
    [found] = boto3.client("cloudwatch", region_name=REGION).describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return found


def problems(write_config, *alarms: dict) -> list[tuple[str, str]]:
    loaded = validate(str(write_config(with_alarms(*alarms))))
    return [(problem.severity, problem.message) for problem in loaded.problems]


def simple(**over) -> dict:
    return {"name": "cpu-high", "namespace": "AWS/ECS", "metric": "CPUUtilization", "comparison": ">",
            "threshold": 90, "evaluation_periods": 5, "actions": [SNS], **over}


@pytest.mark.parametrize("arn", [
    SNS,
    "arn:aws:ssm-incidents::123456789012:responseplan/ops",
    "arn:aws:automate:us-east-1:ec2:stop", "arn:aws:automate:us-east-1:ec2:recover",
    "arn:aws:swf:us-east-1:123456789012:action/actions/AWS_EC2.InstanceId.Reboot/1.0",
    "arn:aws:ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Performance",
    "arn:aws:ssm:us-east-1:123456789012:opsitem:1",
    "arn:aws:lambda:us-east-1:123456789012:function:page-oncall",
    "arn:aws:lambda:us-east-1:123456789012:function:page-oncall:prod",
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:8f1f6b3e-1d1c-4f1e-9d3b-7a6c1f2e3d4c:"
    "autoScalingGroupName/web:policyName/scale-out",
])
def test_every_action_form_the_reference_lists_is_accepted(write_config, arn):
    assert problems(write_config, simple(actions=[arn])) == []


@pytest.mark.parametrize("arn, message", [
    ("arn:aws:sns:eu-west-1:123456789012:ops", "an alarm in us-east-1 can only act in us-east-1"),
    ("arn:aws:automate:us-east-1:ec2:explode", "is not an alarm action ARN"),
    ("arn:aws:ssm:us-east-1:123456789012:opsitem:9", "is not an alarm action ARN"),
    ("sns:ops", "is not an alarm action ARN"),
])
def test_an_action_aws_refuses_is_an_error(write_config, arn, message):
    [(severity, said)] = problems(write_config, simple(actions=[arn]))
    assert severity == "error" and message in said
    [problem] = validate(str(write_config(with_alarms(simple(actions=[arn]))))).problems
    assert problem.code == "ALM-023"


def test_an_action_of_a_service_the_reference_does_not_list_is_a_warning(write_config):
    [problem] = validate(str(write_config(with_alarms(simple(
        actions=["arn:aws:sqs:us-east-1:123456789012:pages"]))))).problems
    assert (problem.code, problem.severity) == ("ALM-028", "warning") and "AWS may refuse it" in problem.message


@pytest.mark.parametrize("comparison", ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                        "LessThanThreshold", "LessThanOrEqualToThreshold"])
def test_aws_comparison_names_are_accepted_beside_the_short_ones(aws, configure, comparison):
    converge(configure(with_alarms(simple(comparison=comparison))))
    assert described(NAME + "cpu-high")["ComparisonOperator"] == comparison


def test_unit_on_a_metric_math_metric_is_sent_and_converges(aws, configure):
    alarm = {"name": "cpu-math", "comparison": ">", "threshold": 90, "evaluation_periods": 1, "actions": [SNS],
             "metrics": [{**CPU, "unit": "Percent"}, {"id": "e1", "expression": "m1 * 1"}]}
    converge(configure(with_alarms(alarm)))
    [metric] = [q for q in described(NAME + "cpu-math")["Metrics"] if q["Id"] == "m1"]
    assert metric["MetricStat"]["Unit"] == "Percent"


def test_an_anomaly_detection_alarm_applies_and_then_plans_empty(aws, configure):
    converge(configure(with_alarms(ANOMALY)))
    found = described(NAME + "cpu-anomaly")
    assert found["ThresholdMetricId"] == "e1" and "Threshold" not in found
    assert {q["Id"]: q["ReturnData"] for q in found["Metrics"]} == {"e1": True, "m1": True}


def test_a_metrics_insights_query_alarm_applies_and_then_plans_empty(aws, configure):
    converge(configure(with_alarms(INSIGHTS_QUERY)))
    [query] = described(NAME + "busiest-service")["Metrics"]
    assert query["Period"] == 300 and query["Expression"].startswith("SELECT")


@pytest.mark.parametrize("change, message", [
    ({"threshold": 2}, "takes no threshold"),
    ({"comparison": ">"}, "compares with LessThanLowerOrGreaterThanUpperThreshold"),
    ({"threshold_metric_id": "m1"}, "'m1' is no ANOMALY_DETECTION_BAND entry"),
    ({"threshold_metric_id": None, "comparison": ">", "threshold": 80}, "not a static threshold"),
    ({"threshold_metric_id": None}, "give threshold_metric_id"),
])
def test_what_aws_refuses_of_anomaly_detection_is_an_error(write_config, change, message):
    alarm = {key: value for key, value in {**ANOMALY, **change}.items() if value is not None}
    found = problems(write_config, alarm)
    assert any(severity == "error" and message in said for severity, said in found), found
    loaded = validate(str(write_config(with_alarms(alarm))))
    assert "ALM-027" in {problem.code for problem in loaded.problems if message in problem.message}


def test_a_missing_threshold_metric_id_quotes_the_configs_own_band(write_config):
    metrics = [{"id": "band3", "expression": "ANOMALY_DETECTION_BAND(m1, 3)"}, {**CPU}]
    alarm = {key: value for key, value in {**ANOMALY, "metrics": metrics}.items() if key != "threshold_metric_id"}
    [message] = [said for severity, said in problems(write_config, alarm) if "give threshold_metric_id" in said]
    assert message.endswith("GreaterThanUpperThreshold compares with an anomaly-detection band: give "
                            "threshold_metric_id, the id of the metrics entry that draws the band: "
                            "'band3' (ANOMALY_DETECTION_BAND(m1, 3))")
    assert "(m1, 2)" not in message
    alarm["metrics"] = [{**CPU}]   # no band of its own: an example, said to be one
    [message] = [said for severity, said in problems(write_config, alarm) if "give threshold_metric_id" in said]
    assert message.endswith("the id of a metrics entry such as ANOMALY_DETECTION_BAND(m1, 2) (there is none yet)")


def test_an_anomaly_alarm_named_like_ours_is_ours_once_we_make_it(aws, configure):
    loaded = configure(with_alarms(ANOMALY))
    converge(loaded)
    result = plan_of(loaded, prune=True)
    assert not [f for f in result.findings if "named like ours" in f.message]
