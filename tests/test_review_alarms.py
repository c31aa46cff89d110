"""The alarm review as pure tables: each defect found with its code, a clean alarm gives nothing above info,
and every alarm shape (metric, math, anomaly, composite; a spec or a DescribeAlarms item) makes a row."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from monitor.config.model import Cluster, Config, Container, Filter, Service
from monitor.review import alarm_findings as alarm_rules
from monitor.review.alarm_table import Case, row
from monitor.review.findings import at_least
from monitor.review.shares import Share
from monitor.review.sources import publishers
from monitor.taskdefs import sizing

OPS = "arn:aws:sns:us-east-1:123456789012:ops"
APP_NAMESPACE = "Custom/ECS/honban/web/app"
CONFIG = Config(version=1, clusters=[
    Cluster(name="honban", container_insights="enabled", services=[Service(name="web", containers=[Container(
        name="app", log_group="/ecs/web", performance_metrics=["MemoryUtilized"],
        filters=[Filter(name="panics", pattern="panic", metric="Panics"),
                 Filter(name="requests", pattern="GET", metric="Requests", default=0)])])]),
    Cluster(name="batch", container_insights="disabled")])
KNOWN = publishers(CONFIG)
CLEAN = {"AlarmName": "panics-high", "MetricName": "Panics", "Namespace": APP_NAMESPACE, "Dimensions": [],
         "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 5, "DatapointsToAlarm": 3, "Threshold": 5.0,
         "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching", "AlarmActions": [OPS],
         "OKActions": [], "InsufficientDataActions": [], "ActionsEnabled": True}
SERVICE = [{"Name": "ClusterName", "Value": "honban"}, {"Name": "ServiceName", "Value": "web"}]
ECS_CPU = {**CLEAN, "AlarmName": "cpu-high", "Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
           "Dimensions": SERVICE, "Statistic": "Average", "Threshold": 80.0, "EvaluationPeriods": 5,
           "DatapointsToAlarm": 5, "TreatMissingData": "missing"}
TASKS = {**CLEAN, "AlarmName": "tasks-down", "Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount",
         "Dimensions": SERVICE, "Statistic": "Minimum", "Threshold": 1.0, "ComparisonOperator": "LessThanThreshold",
         "TreatMissingData": "breaching", "EvaluationPeriods": 1, "DatapointsToAlarm": 1}


def but(base: dict, **changes) -> dict:
    return {**base, **changes}


def codes_of(*items: dict, **extra) -> list[str]:
    return [f.code for f in alarm_rules.check([row(item, KNOWN, "honban/web/app", **extra) for item in items], CONFIG)]


@pytest.mark.parametrize("item", [CLEAN, ECS_CPU, TASKS, but(CLEAN, MetricName="Requests", Statistic="SampleCount",
                                                             ComparisonOperator="LessThanThreshold", Threshold=10.0,
                                                             TreatMissingData="breaching")],
                         ids=["filter-count", "ecs-cpu", "task-count", "requests-low"])
def test_a_clean_alarm_gives_nothing_above_info(item):
    found = alarm_rules.check([row(item, KNOWN, "honban/web/app")], CONFIG)
    assert at_least(found, "warning") == [] and found == []


@pytest.mark.parametrize("item, code, said", [
    (but(CLEAN, AlarmActions=[]), "ALARM-ACTION-001", "it has no AlarmActions"),
    (but(CLEAN, ActionsEnabled=False), "ALARM-ACTION-002", "ActionsEnabled is false"),
    (but(CLEAN, ComparisonOperator="GreaterThanOrEqualToThreshold", Threshold=0.0), "ALARM-THRESHOLD-001",
     "Sum >= 0 on Panics, which is never below 0: every datapoint breaches"),
    (but(CLEAN, ComparisonOperator="LessThanThreshold", Threshold=0.0, TreatMissingData="breaching"),
     "ALARM-THRESHOLD-002", "Sum < 0 on Panics, which is never below 0: no datapoint can breach"),
    (but(ECS_CPU, MetricName="MemoryUtilization", Threshold=120.0), "ALARM-THRESHOLD-002",
     "a percentage, never above 100"),
    (but(ECS_CPU, ComparisonOperator="LessThanOrEqualToThreshold", Threshold=100.0), "ALARM-THRESHOLD-001",
     "a percentage, never above 100: every datapoint breaches"),
    (but(CLEAN, TreatMissingData="missing"), "ALARM-MISSING-001",
     "filter 'panics' has no default, so Panics has no datapoint when nothing matches"),
    (but(TASKS, TreatMissingData="notBreaching"), "ALARM-MISSING-002",
     "a service with no task publishes no RunningTaskCount, so 'notBreaching' silences this alarm"),
    (but(CLEAN, Namespace="Team/Other"), "ALARM-METRIC-001",
     "Team/Other Panics: no filter of the config publishes into namespace 'Team/Other'"),
    (but(TASKS, Dimensions=[{"Name": "ClusterName", "Value": "batch"}]), "ALARM-METRIC-002",
     "cluster 'batch' has Container Insights disabled"),
    (but(CLEAN, Period=10), "ALARM-PERIOD-001", "period 10 s on filter panics, which has one datapoint a minute"),
    (but(ECS_CPU, Period=30), "ALARM-PERIOD-001", "period 30 s on AWS namespace AWS/ECS"),
    (but(ECS_CPU, EvaluationPeriods=1, DatapointsToAlarm=1), "ALARM-NOISE-001",
     "1 of 1 on Average of CPUUtilization: one spike is an alarm"),
    (but(ECS_CPU, EvaluationPeriods=1, DatapointsToAlarm=1, Statistic=None, ExtendedStatistic="p99",
         MetricName="TargetResponseTime", Namespace="AWS/ApplicationELB"), "ALARM-NOISE-001", "1 of 1 on p99"),
], ids=["no-action", "disabled", "always-count", "never-count", "never-percent", "always-percent", "sparse",
        "task-count", "unpublished", "insights-off", "period-filter", "period-aws", "noisy", "noisy-percentile"])
def test_each_alarm_defect_has_its_code(item, code, said):
    found = [f for f in alarm_rules.check([row(item, KNOWN, "honban/web/app")], CONFIG) if f.code == code]
    assert len(found) == 1 and said in found[0].message, found
    assert found[0].subject == item["AlarmName"] and found[0].fix


def test_a_high_resolution_period_on_a_metric_of_unknown_resolution_is_info():
    found = alarm_rules.check([row(but(CLEAN, Namespace="Team/HighRes", Period=10), KNOWN, "unowned")], CONFIG)
    [info] = [f for f in found if f.code == "ALARM-PERIOD-002"]
    assert info.severity == "info" and "period 10 s makes it a high-resolution alarm" in info.message


def test_duplicate_alarms_are_found_after_the_first():
    found = codes_of(CLEAN, but(CLEAN, AlarmName="panics-again"), but(CLEAN, AlarmName="other", Threshold=6.0))
    assert found == ["ALARM-DUP-001"]
    [dup] = alarm_rules.duplicates([row(CLEAN, KNOWN, ""), row(but(CLEAN, AlarmName="b"), KNOWN, "")])
    assert dup.subject == "b" and "as panics-high" in dup.message


def test_a_failing_alarm_test_is_an_error_and_passing_ones_are_not():
    assert codes_of(CLEAN, tests=(Case(0, True),)) == []
    [found] = alarm_rules.check([row(CLEAN, KNOWN, "", tests=(Case(1, False, ("expected ALARM, got OK",)),))], CONFIG)
    assert (found.code, found.severity, found.message) == ("ALARM-TEST-001", "error", "tests[1]: expected ALARM, got OK")


@pytest.mark.parametrize("kind, percent, operator, code", [
    (sizing.HARD, 120, "GreaterThanThreshold", "ALARM-THRESHOLD-002"),
    (sizing.TASK, 100, "GreaterThanThreshold", "ALARM-THRESHOLD-002"),
    (sizing.HARD, 150, "LessThanThreshold", "ALARM-THRESHOLD-001"),
    (sizing.SOFT, 120, "GreaterThanThreshold", None),   # usage may pass a soft limit
    (sizing.SHARE, 150, "GreaterThanThreshold", None),  # a CPU share is not a cap
    (sizing.HARD, 90, "GreaterThanThreshold", None),
])
def test_a_share_above_100_percent_of_a_ceiling_is_never_crossed(kind, percent, operator, code):
    limit = sizing.Limit(1024, sizing.MIB, kind, f"1024 MiB {kind} limit (web:7)")
    item = but(CLEAN, MetricName="ContainerMemoryUtilized", Namespace="Custom/ECS", Statistic="Maximum",
               ComparisonOperator=operator, Threshold=percent * 10.24, TreatMissingData="missing")
    found = [f.code for f in alarm_rules.check([row(item, KNOWN, "", share=Share(percent, limit, "note"))], CONFIG)]
    assert found == ([code] if code else [])


def test_math_anomaly_and_composite_alarms_make_rows_and_are_checked():
    stat = {"Metric": {"Namespace": "Team/Other", "MetricName": "Errors", "Dimensions": []}, "Period": 60, "Stat": "Sum"}
    math = {"AlarmName": "ratio", "Metrics": [{"Id": "e", "MetricStat": stat, "ReturnData": False},
                                              {"Id": "r", "Expression": "e / 10", "ReturnData": True}],
            "EvaluationPeriods": 3, "Threshold": 1.0, "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": [OPS]}
    anomaly = {"AlarmName": "band", "ThresholdMetricId": "ad", "EvaluationPeriods": 2, "AlarmActions": [OPS],
               "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
               "Metrics": [{"Id": "m", "MetricStat": {**stat, "Metric": {**stat["Metric"], "Namespace": "AWS/ECS"}},
                            "ReturnData": True}, {"Id": "ad", "Expression": "ANOMALY_DETECTION_BAND(m, 2)"}]}
    composite = {"AlarmName": "service-down", "AlarmRule": 'ALARM("tasks-down") OR ALARM("cpu-high")',
                 "AlarmActions": [], "ActionsEnabled": True, "StateValue": "ALARM",
                 "StateTransitionedTimestamp": datetime(2024, 5, 1, tzinfo=timezone.utc)}
    rows = [row(item, KNOWN, "unowned") for item in (math, anomaly, composite)]
    assert [(r.kind, r.metric, r.period, r.m_of_n) for r in rows] == [
        ("math", "e / 10", 60, "3 of 3"), ("anomaly", "Errors", 60, "2 of 2"),
        ("composite", 'ALARM("tasks-down") OR ALARM("cpu-high")', None, "")]
    assert rows[2].state_since == datetime(2024, 5, 1, tzinfo=timezone.utc)
    found = [(f.subject, f.code) for f in alarm_rules.check(rows, CONFIG)]
    assert found == [("ratio", "ALARM-METRIC-001"), ("service-down", "ALARM-ACTION-001")]


def test_where_a_metric_comes_from():
    labels = {name: row(but(CLEAN, Namespace=ns, MetricName=name), KNOWN, "").origin.label for ns, name in [
        (APP_NAMESPACE, "Panics"), ("Custom/ECS", "ContainerMemoryUtilized"), ("ECS/ContainerInsights", "CpuUtilized"),
        ("AWS/ECS", "CPUUtilization"), ("Team/Other", "Things")]}
    assert labels == {"Panics": "filter panics", "ContainerMemoryUtilized": "performance metric MemoryUtilized",
                      "CpuUtilized": "Container Insights (ECS/ContainerInsights)", "CPUUtilization": "AWS namespace AWS/ECS",
                      "Things": "custom namespace Team/Other"}


# --- an alarm that feeds a composite alarm with actions is heard through it ---

PAGE = {"AlarmName": "page", "AlarmRule": 'ALARM("panics-high") OR ALARM(inner)', "AlarmActions": [OPS],
        "OKActions": [], "InsufficientDataActions": [], "ActionsEnabled": True}
INNER = {"AlarmName": "inner", "AlarmRule": "ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high)",
         "AlarmActions": [], "OKActions": [], "InsufficientDataActions": [], "ActionsEnabled": True}


def no_action(*items: dict) -> list[str]:
    rows = [row(item, KNOWN, "honban/web/app") for item in items]
    return [f.subject for f in alarm_rules.check(rows, CONFIG) if f.code == "ALARM-ACTION-001"]


def test_an_alarm_a_composite_with_actions_names_needs_no_action_of_its_own():
    quiet = but(CLEAN, AlarmActions=[])
    cpu = but(ECS_CPU, AlarmActions=[])
    # panics-high directly, cpu-high by ARN through `inner`, whose own lack of actions is fine too
    assert no_action(quiet, cpu, PAGE, INNER) == []
    assert no_action(quiet, cpu, but(PAGE, AlarmActions=[]), INNER) == ["panics-high", "cpu-high", "page", "inner"]
    assert no_action(quiet, cpu, but(PAGE, ActionsEnabled=False), INNER) == ["panics-high", "cpu-high", "inner"]
