"""Issue 17: the service's edges. Load balancer and queue presets on the service's target group and queue.

AWS's documented semantics: AWS/ApplicationELB publishes per TargetGroup and LoadBalancer, the ARN
suffixes `targetgroup/<name>/<id>` and `app/<name>/<id>`; HTTPCode_Target_5XX_Count and RequestCount
only for minutes that have one (so the share FILLs the errors with 0 and a minute with no request is
not breaching); TargetResponseTime is in seconds, watched at a percentile; SQS per QueueName, a
backlog gauge read as Average, the oldest message's age as Maximum.
"""

from __future__ import annotations

import boto3
import pytest
import yaml
from test_alarm_kind import described
from test_roundtrip import CLUSTER, REGION, actions, aws, configure, converge, plan_of  # noqa: F401

from monitor.config import edges
from monitor.output.plan import plan_text
from monitor.sync.flow import validate
from monitor.resolved import model as resolved_model

ACCOUNT = "123456789012"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs"
PRESETS = ["alb-5xx", "alb-latency", "alb-unhealthy-hosts"]


def document(service: dict, alarms=PRESETS, **top) -> str:
    app = {"name": "app", "log_group": "/ecs/honban/web", "alarms": [{"use": name} for name in alarms]}
    return yaml.safe_dump({"version": 1, "region": REGION, **top, "clusters": [
        {"name": CLUSTER, "services": [{"name": "web", **service, "containers": [app]}]}]}, sort_keys=False)


@pytest.fixture
def balanced(aws):
    """A Fargate service behind an Application Load Balancer's target group, in moto's elbv2."""
    ec2, elb = boto3.client("ec2", region_name=REGION), boto3.client("elbv2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
               for n, z in ((1, "a"), (2, "b"))]
    balancer = elb.create_load_balancer(Name="front", Subnets=subnets, Type="application")["LoadBalancers"][0]
    group = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]
    elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])
    aws.ecs.register_task_definition(family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                     cpu="256", memory="512", containerDefinitions=[{"name": "app", "image": "app"}])
    aws.ecs.create_service(cluster=CLUSTER, serviceName="web", taskDefinition="web", desiredCount=1,
                           launchType="FARGATE", loadBalancers=[{"targetGroupArn": group["TargetGroupArn"],
                                                                 "containerName": "app", "containerPort": 80}])
    return group["TargetGroupArn"], balancer["LoadBalancerArn"]


def dimensions(name: str) -> dict[str, str]:
    alarm = described(f"monitor/{CLUSTER}/web/app/{name}")
    found = alarm.get("Dimensions") or [d for q in alarm["Metrics"] if "MetricStat" in q
                                        for d in q["MetricStat"]["Metric"]["Dimensions"]]
    return {d["Name"]: d["Value"] for d in found}


@pytest.mark.parametrize("arn, suffix", [
    ("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef", "targetgroup/web/0123456789abcdef"),
    ("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef", None),
    ("targetgroup/web/0123456789abcdef", None)])
def test_the_target_group_dimension_is_its_arn_suffix(arn, suffix):
    assert edges.target_group(arn) == suffix


@pytest.mark.parametrize("given", ["jobs", QUEUE_URL, f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"])
def test_a_queue_is_named_by_name_url_or_arn(given):
    assert edges.queue_name(given) == "jobs"


def test_the_presets_name_the_services_target_group_and_load_balancer(aws, balanced, configure):
    group, balancer = balanced
    converge(configure(document({})))
    expected = {"TargetGroup": group.split(":")[-1], "LoadBalancer": balancer.split(":loadbalancer/")[-1]}
    assert expected["TargetGroup"].startswith("targetgroup/web/") and expected["LoadBalancer"].startswith("app/front/")
    for name in PRESETS:
        assert dimensions(name) == expected, name


def test_each_preset_follows_the_metrics_documented_semantics(aws, balanced, configure):
    converge(configure(document({"queue": QUEUE_URL}, alarms=PRESETS + ["sqs-message-age", "sqs-backlog"])))
    share = described(f"monitor/{CLUSTER}/web/app/alb-5xx")
    queries = {q["Id"]: q for q in share["Metrics"]}
    assert queries["share"]["Expression"] == "100 * FILL(errors, 0) / requests"   # a missing count is 0 errors
    assert {q["MetricStat"]["Stat"] for i, q in queries.items() if i != "share"} == {"Sum"}
    assert share["TreatMissingData"] == "notBreaching"   # no request, no datapoint: no outage
    latency = described(f"monitor/{CLUSTER}/web/app/alb-latency")
    assert (latency["ExtendedStatistic"], latency["TreatMissingData"]) == ("p90", "notBreaching")
    assert described(f"monitor/{CLUSTER}/web/app/alb-unhealthy-hosts")["Statistic"] == "Maximum"
    age, backlog = (described(f"monitor/{CLUSTER}/web/app/{n}") for n in ("sqs-message-age", "sqs-backlog"))
    assert (age["Statistic"], backlog["Statistic"]) == ("Maximum", "Average")
    assert (age["EvaluationPeriods"], age["DatapointsToAlarm"], age["ComparisonOperator"]) == \
        (15, 15, "GreaterThanOrEqualToThreshold")
    assert dimensions("sqs-backlog") == {"QueueName": "jobs"}


def test_a_written_target_group_needs_only_describe_target_groups(aws, balanced, configure):
    group, balancer = balanced
    loaded = configure(document({"target_group_arn": group}))
    result = plan_of(loaded)
    assert result.errors == []
    alarm = next(c.after for c in result.changes if c.id.endswith("/alb-latency"))
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]}["LoadBalancer"] == balancer.split(":loadbalancer/")[-1]


def test_a_service_with_no_load_balancer_is_an_error_at_the_alarm(aws, configure):
    result = plan_of(configure(document({}, alarms=["alb-latency"])))
    [error] = result.errors
    assert error.path[-2:] == ("alarms", 0) and "service honban/web has no target group" in error.message
    assert "give the service 'target_group_arn'" in error.message


@pytest.mark.parametrize("alarm", ["alb-5xx", "alb-latency"])   # metric math, and one metric
def test_an_alarm_whose_target_group_is_unknown_is_not_planned_with_empty_dimensions(aws, configure, alarm):
    loaded = configure(document({}, alarms=[alarm]))
    result = plan_of(loaded)
    [error] = result.errors
    assert error.check.code == "PLN-013"
    assert ("service honban/web has no target group (DescribeServices, DescribeTargetGroups), so its TargetGroup and "
            "LoadBalancer dimensions are unknown and the alarm is not planned") in error.message
    assert [c for c in result.changes if c.kind == "alarm"] == []   # no create of it, placeholder values and all
    verbose = plan_text(result, loaded.source, compact=False)
    assert 'Value: ""' not in verbose and "Dimensions" not in verbose


def test_offline_the_dimensions_are_placeholders(write_config):
    loaded = validate(str(write_config(document({}))))
    assert loaded.ok, loaded.problems
    from monitor import kinds
    [spec] = [r.spec for r in kinds.desired(resolved_model.of(loaded.config)) if r.id.endswith("/alb-latency")]
    assert {d["Name"] for d in spec["Dimensions"]} == {"TargetGroup", "LoadBalancer"}


@pytest.mark.parametrize("service, key, message", [
    ({}, "use", "service 'web' names none: give the service 'queue: <name, URL or ARN>'"),
    ({"queue": "no/such"}, "queue", "is not an SQS queue name"),
    ({"target_group_arn": "web"}, "target_group_arn", "is not a target group ARN"),
    ({"load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0123456789abcdef"},
     "load_balancer_arn", "is not an Application Load Balancer ARN")])
def test_bad_edges_are_errors_at_their_line(write_config, service, key, message):
    loaded = validate(str(write_config(document(service, alarms=["sqs-backlog"]))))
    found = [p for p in loaded.problems if p.is_error]
    assert any(p.path[-1] == key and message in p.message for p in found), found
    assert all(p.position().line > 1 for p in found)
