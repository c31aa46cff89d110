"""`monitor review --deployed`'s live analyses: replay, stuck alarms, SNS topics and drift.

Against moto (a plain mock_aws does not evaluate alarm states; set_alarm_state sets them), with a
Stubber where moto cannot answer as AWS does (StateTransitionedTimestamp, AuthorizationError).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from moto import mock_aws

from monitor import kinds
from monitor.aws.clients import Clients, Target
from monitor.config.model import Alarm, Cluster, Config, Container, Filter, Service
from monitor.kinds import alarm as alarm_kind
from monitor.kinds import alarm_spec
from monitor.review import live, live_drift, live_history, live_metrics, live_states, live_topics
from monitor.review.findings import catalogue
from monitor.state.plan import Change
from monitor.state.resources import Resource
from monitor.resolved import model as resolved_model

REGION, OTHER, ACCOUNT = "us-east-1", "eu-west-1", "123456789012"
SESSION = boto3.Session(region_name=REGION)
NOW = datetime(2025, 3, 15, 12, 0, tzinfo=timezone.utc)


def clients() -> Clients:
    return Clients(Target(REGION), _session=SESSION)


def put_alarm(cw, name: str, metric: str = "Errors", namespace: str = "App", threshold: float = 5.0, **extra):
    cw.put_metric_alarm(AlarmName=name, MetricName=metric, Namespace=namespace, Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=threshold, ComparisonOperator="GreaterThanThreshold", **extra)


def codes(findings) -> dict[str, str]:
    return {f.subject: f.code for f in findings}


@pytest.fixture
def aws():
    with mock_aws():
        yield boto3.client("cloudwatch", region_name=REGION)


def test_the_codes_are_distinct_and_well_formed():
    rules = catalogue(live.RULES)
    assert sorted(rules) == [f"ALARM-DRIFT-00{n}" for n in range(1, 4)] + [f"ALARM-LIVE-00{n}" for n in range(1, 9)]


# --- firing history -------------------------------------------------------------------------------

def test_replay_counts_firings_and_time_in_alarm(aws):
    now = datetime.now(timezone.utc)
    hour = now.replace(minute=0, second=0, microsecond=0)
    bursts = {30, 29, 20, 10, 9, 8}   # three bursts above 5: 2 + 1 + 3 minutes, zeros around them
    data = [{"MetricName": "Errors", "Timestamp": hour - timedelta(minutes=m), "Value": 10.0 if m in bursts else 0.0}
            for m in range(1, 31)]
    aws.put_metric_data(Namespace="App", MetricData=data)
    put_alarm(aws, "noisy")
    put_alarm(aws, "quiet", threshold=100)
    put_alarm(aws, "nothing", metric="Nobody")
    made = clients()
    # made a moment ago: as if they had been there before the data (the replay starts at their creation)
    alarms = [{k: v for k, v in a.items() if k != "AlarmConfigurationUpdatedTimestamp"} for a in live.read_alarms(made)]
    found = live_history.history(made, alarms, now=now, noisy=3)
    by_name = {r.alarm: r for r in found.replays}
    assert (by_name["noisy"].firings, by_name["noisy"].seconds_in_alarm) == (3, 6 * 60)
    assert by_name["quiet"].datapoints == 30 and by_name["quiet"].firings == 0
    assert found.replays[0].alarm == "noisy"   # noisiest first
    assert codes(found.findings) == {"noisy": "ALARM-LIVE-001", "quiet": "ALARM-LIVE-003", "nothing": "ALARM-LIVE-002"}
    assert found.calls == 1   # three alarms, two distinct series, one call
    assert {f.message for f in found.findings if f.subject == "noisy"} == {
        "would have fired 3 times in 14 days, 0.1 h in ALARM"}


def test_the_replay_starts_at_the_alarms_creation_or_last_change_and_says_so():
    alarm = {"AlarmName": "young", "Namespace": "App", "MetricName": "Errors", "Dimensions": [], "Period": 60,
             "Statistic": "Sum", "EvaluationPeriods": 1, "Threshold": 5.0, "ComparisonOperator": "GreaterThanThreshold",
             "AlarmConfigurationUpdatedTimestamp": NOW - timedelta(minutes=90, seconds=20)}
    start = NOW - timedelta(days=14)
    always = {start + timedelta(minutes=m): 9.0 for m in range(14 * 24 * 60)}   # above the threshold all along
    made = live_history.replay(alarm, always, start, NOW)
    assert made.since_change and made.start == NOW - timedelta(minutes=90)
    assert (made.periods, made.periods_in_alarm, made.firings) == (90, 90, 1)   # not 336 h in ALARM
    [finding] = live_history.findings([made], noisy=1)
    assert "since it was created or last changed (2025-03-15 10:30 UTC, 1.5 h)" in finding.message
    new = live_history.replay({**alarm, "AlarmConfigurationUpdatedTimestamp": NOW - timedelta(seconds=5)},
                              always, start, NOW)
    assert new.skipped and "less than a period ago" in new.skipped


def test_anomaly_detection_alarms_are_reported_not_replayed():
    alarm = {"AlarmName": "band", "ThresholdMetricId": "ad1", "Metrics": [], "EvaluationPeriods": 1,
             "ComparisonOperator": "GreaterThanUpperThreshold"}
    assert live_metrics.group(alarm) is None
    made = live_history.Replay("band", None, 0, skipped="an anomaly-detection alarm")
    assert codes(live_history.findings([made])) == {"band": "ALARM-LIVE-004"}


def test_series_lays_points_on_the_period_grid():
    start = NOW - timedelta(minutes=5)
    points = {start + timedelta(minutes=1): 2.0, start + timedelta(minutes=3, seconds=30): 4.0,
              start - timedelta(minutes=1): 9.0}   # before the span: dropped
    assert live_history.series(points, start, NOW, 60) == [None, 2.0, None, 4.0, None]


def test_replay_of_a_two_of_three_alarm_uses_the_evaluator():
    alarm = {"AlarmName": "m-of-n", "Namespace": "App", "MetricName": "Errors", "Dimensions": [], "Period": 60,
             "Statistic": "Sum", "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Threshold": 5.0,
             "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"}
    start = NOW - timedelta(minutes=6)
    points = {start + timedelta(minutes=m): v for m, v in enumerate([9, 0, 9, 0, 0, 9])}
    made = live_history.replay(alarm, points, start, NOW)
    assert (made.firings, made.periods_in_alarm, made.datapoints) == (1, 1, 6)   # 2 of [9, 0, 9] at minute 2 only


# --- GetMetricData batching -----------------------------------------------------------------------

def alarm_on(metric: str, name: str | None = None, **extra) -> dict:
    return {"AlarmName": name or metric, "Namespace": "App", "MetricName": metric, "Dimensions": [], "Period": 60,
            "Statistic": "Sum", "EvaluationPeriods": 1, "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanThreshold", **extra}


@pytest.fixture
def counted():
    """Clients whose CloudWatch answers GetMetricData itself: an empty series for every query it returns.

    botocore still validates each request and walks the paginator, and Clients counts each call as
    against AWS; nothing is sent, so a thousand alarms cost no emulator time. Any other call fails.
    """
    made, asked = clients(), []

    def answer(model, **_):
        assert model.name == "GetMetricData", f"unexpected call {model.name}"
        queries = asked[-1]["MetricDataQueries"]
        results = [{"Id": q["Id"], "Label": q["Id"], "Timestamps": [], "Values": [], "StatusCode": "Complete"}
                   for q in queries if q.get("ReturnData", True)]
        return AWSResponse(None, 200, {}, None), {"MetricDataResults": results}

    events = made.cloudwatch.meta.events
    events.register("before-parameter-build.cloudwatch", lambda params, **_: asked.append(params))
    events.register("before-call", answer)   # after the counter Clients registered on the same event
    return made


# Hourly alarms: the same calls as minutely ones (one window a query either way), and the replay
# evaluates 336 periods an alarm instead of 20,160 (1,202 alarms x 20,160 minutes took two minutes).
def test_1200_distinct_metrics_take_3_calls_and_duplicates_are_fetched_once(counted):
    alarms = [alarm_on(f"M{n}", Period=3600) for n in range(1200)] + [
        alarm_on("M7", name="again", Period=3600), alarm_on("M8", name="twice", Period=3600)]
    made = counted
    found = live_history.history(made, alarms, now=NOW)
    assert found.calls == 3 == made.calls["GetMetricData"]
    assert len(found.replays) == 1202


def test_alarms_on_the_same_series_share_one_query(counted):
    alarms = [alarm_on(f"M{n}", Period=3600) for n in range(1000)] + [
        alarm_on("M0", name="copy", Threshold=9.0, Period=3600)]
    made = counted
    found = live_history.history(made, alarms, now=NOW)
    assert found.calls == 2   # 1,001 queries would take 3
    assert {r.alarm for r in found.replays} >= {"M0", "copy"}


def test_batches_never_split_a_math_group_and_hold_500_queries():
    math = live_metrics.Group(tuple({"Id": f"m{n}"} for n in range(3)), "m2", 60)
    single = live_metrics.Group(({"Id": "m"},), "m", 60)
    calls = live_metrics.batches([single] * 498 + [math] + [single])
    assert [sum(len(g.queries) for g in call) for call in calls] == [498, 4]


def test_math_alarm_queries_are_renamed_apart_and_only_the_result_returns_data():
    alarm = {"AlarmName": "ratio", "EvaluationPeriods": 1, "Threshold": 0.1,
             "ComparisonOperator": "GreaterThanThreshold",
             "Metrics": [{"Id": "e1", "Expression": 'errors / FILL(requests, 0) + METRICS("errors")',
                          "ReturnData": True, "Period": 300, "Label": "rate"},
                         {"Id": "errors", "ReturnData": False, "MetricStat": {
                             "Metric": {"Namespace": "App", "MetricName": "Errors"}, "Period": 300, "Stat": "Sum"}},
                         {"Id": "requests", "ReturnData": False, "MetricStat": {
                             "Metric": {"Namespace": "App", "MetricName": "Requests"}, "Period": 300, "Stat": "Sum"}}]}
    group = live_metrics.group(alarm)
    assert (group.result, group.period) == ("e1", 300)
    queries = live_metrics._renamed(group, "g4_")
    assert [q["Id"] for q in queries] == ["g4_e1", "g4_errors", "g4_requests"]
    assert queries[0]["Expression"] == 'g4_errors / FILL(g4_requests, 0) + METRICS("errors")'
    assert [q["ReturnData"] for q in queries] == [True, False, False]


def test_the_time_range_is_cut_at_100800_points_per_query():
    start = NOW - timedelta(days=14)
    assert len(live_metrics.windows(start, NOW, 60)) == 1
    cuts = live_metrics.windows(start, NOW, 10)   # 120,960 points of 10 s
    assert len(cuts) == 2 and cuts[0][1] - cuts[0][0] == timedelta(seconds=100_800 * 10) and cuts[-1][1] == NOW


def test_high_resolution_alarms_replay_the_last_3_hours():
    start, end = live_metrics.span(10, NOW + timedelta(seconds=42), 14)
    assert (start, end) == (NOW - timedelta(hours=3), NOW)
    assert live_metrics.span(300, NOW + timedelta(minutes=59), 14) == (NOW - timedelta(days=14), NOW)


def test_next_token_pages_are_followed_and_merged():
    made = clients()
    stub = Stubber(made.cloudwatch)
    first, second = NOW - timedelta(minutes=2), NOW - timedelta(minutes=1)
    stub.add_response("get_metric_data", {"MetricDataResults": [
        {"Id": "g0_m", "Timestamps": [first], "Values": [1.0], "StatusCode": "PartialData"}], "NextToken": "t"})
    stub.add_response("get_metric_data", {"MetricDataResults": [
        {"Id": "g0_m", "Timestamps": [second], "Values": [2.0], "StatusCode": "Complete"}]})
    group = live_metrics.group(alarm_on("Errors"))
    with stub:
        found = live_metrics.fetch(made, [group], NOW, 14)
        stub.assert_no_pending_responses()   # both pages asked for
    assert found[group.key] == {first: 1.0, second: 2.0}


# --- stuck alarms ---------------------------------------------------------------------------------

def test_stuck_alarms_from_moto_states(aws):
    for name in ("firing", "unknown", "fine"):
        put_alarm(aws, name)
    aws.set_alarm_state(AlarmName="firing", StateValue="ALARM", StateReason="test")
    aws.set_alarm_state(AlarmName="unknown", StateValue="INSUFFICIENT_DATA", StateReason="test")
    aws.set_alarm_state(AlarmName="fine", StateValue="OK", StateReason="test")   # AWS starts new alarms in INSUFFICIENT_DATA
    alarms = live.read_alarms(clients())
    later = datetime.now(timezone.utc) + timedelta(days=8)
    assert codes(live_states.stuck(alarms, now=later)) == {"firing": "ALARM-LIVE-005", "unknown": "ALARM-LIVE-006"}
    assert live_states.stuck(alarms, days=9, now=later) == []


def test_stuck_counts_from_the_transition_not_the_last_update():
    made = clients()
    stub = Stubber(made.cloudwatch)
    stub.add_response("describe_alarms", {"MetricAlarms": [
        {"AlarmName": "old", "StateValue": "ALARM", "StateTransitionedTimestamp": NOW - timedelta(days=10),
         "StateUpdatedTimestamp": NOW - timedelta(hours=1)},
        {"AlarmName": "new", "StateValue": "ALARM", "StateTransitionedTimestamp": NOW - timedelta(days=2),
         "StateUpdatedTimestamp": NOW - timedelta(hours=1)}]})
    with stub:
        alarms = live.read_alarms(made)
    found = live_states.stuck(alarms, days=7, now=NOW)
    assert codes(found) == {"old": "ALARM-LIVE-005"}
    assert "for 10 days" in found[0].message
    assert live_states.age(alarms[1], NOW) == timedelta(days=2)


# --- SNS topics -----------------------------------------------------------------------------------

def test_missing_sns_topics_are_found_once_in_their_own_region(aws):
    here = boto3.client("sns", region_name=REGION).create_topic(Name="pager")["TopicArn"]
    there = boto3.client("sns", region_name=OTHER).create_topic(Name="pager-eu")["TopicArn"]
    gone = f"arn:aws:sns:{OTHER}:{ACCOUNT}:deleted"
    put_alarm(aws, "ok", AlarmActions=[here], OKActions=[there])
    put_alarm(aws, "bad", AlarmActions=[gone, "arn:aws:automate:us-east-1:ec2:stop"], InsufficientDataActions=[gone])
    made = clients()
    found = live_topics.check(made, live.read_alarms(made))
    assert [(f.code, f.subject) for f in found] == [("ALARM-LIVE-007", "bad")] * 2
    assert {f.message.split(" ")[0] for f in found} == {"ALARM", "INSUFFICIENT_DATA"}
    assert made.calls["GetTopicAttributes"] == 3   # three distinct topics, the EC2 action unchecked


def test_a_denied_topic_is_reported_as_not_checked():
    made = clients()
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:secret"
    stub = Stubber(made.sns)
    stub.add_client_error("get_topic_attributes", "AuthorizationError", http_status_code=403)
    with stub:
        found = live_topics.check(made, [{"AlarmName": "a", "AlarmActions": [topic]},
                                         {"AlarmName": "b", "OKActions": [topic]}])
    assert [(f.code, f.subject) for f in found] == [("ALARM-LIVE-008", topic)]
    assert "2 alarm(s): a, b" in found[0].message


def test_other_sns_errors_propagate():
    made = clients()
    stub = Stubber(made.sns)
    stub.add_client_error("get_topic_attributes", "InternalError", http_status_code=500)
    with stub, pytest.raises(made.sns.exceptions.ClientError):
        live_topics.check(made, [{"AlarmName": "a", "AlarmActions": [f"arn:aws:sns:{REGION}:{ACCOUNT}:t"]}])


# --- drift ----------------------------------------------------------------------------------------

def config() -> Config:
    app = Container(name="app", log_group="/ecs/web", filters=[Filter(name="errors", pattern="ERROR", metric="Errors")],
                    alarms=[Alarm(name="errors-high", metric="Errors", comparison=">", threshold=5),
                            Alarm(name="errors-any", metric="Errors", comparison=">", threshold=0),
                            Alarm(name="cpu", metric="CPUUtilization", namespace="AWS/ECS", comparison=">",
                                  threshold=80)])
    return Config(version=1, clusters=[Cluster(name="honban", services=[Service(name="web", containers=[app])])])


def deploy(made: Clients, wanted: Config) -> list[Resource]:
    """The config's alarms created as `apply` creates them (the alarm kind's own apply)."""
    desired = [r for r in kinds.desired(resolved_model.of(wanted)) if r.kind == alarm_kind.KIND]
    alarm_kind.apply(made, [Change(alarm_kind.KIND, r.id, "create", None, r.spec) for r in desired])
    return desired


def test_drift_changed_deleted_and_unowned(aws):
    made, wanted = clients(), config()
    desired = deploy(made, wanted)
    aws.put_metric_alarm(**{**alarm_spec.put_parameters(desired[0].spec, with_tags=False), "Threshold": 50.0})
    aws.delete_alarms(AlarmNames=[desired[1].id])
    put_alarm(aws, "hand-made-cpu", metric="CPUUtilization", namespace="AWS/ECS",
              Dimensions=[{"Name": "ClusterName", "Value": "honban"}, {"Name": "ServiceName", "Value": "web"}])
    put_alarm(aws, "hand-made-errors", namespace="Custom/ECS/honban/web/app")
    put_alarm(aws, "someone-elses", namespace="AWS/ECS", Dimensions=[{"Name": "ClusterName", "Value": "other"}])
    result = live.read_drift(made, wanted, live.read_alarms(made))
    assert result.changed == {desired[0].id: ("Threshold",)}
    assert result.deleted == [desired[1].id]
    assert result.unowned == ["hand-made-cpu", "hand-made-errors"]
    assert result.counts == {"changed": 1, "deleted": 1, "unowned": 2}
    assert codes(result.findings) == {desired[0].id: "ALARM-DRIFT-001", desired[1].id: "ALARM-DRIFT-002",
                                      "hand-made-cpu": "ALARM-DRIFT-003", "hand-made-errors": "ALARM-DRIFT-003"}
    assert result.findings[0].path == ("clusters", 0, "services", 0, "containers", 0, "alarms", 0)


def test_no_drift_right_after_apply(aws):
    made, wanted = clients(), config()
    deploy(made, wanted)
    result = live.read_drift(made, wanted, live.read_alarms(made))
    assert result.counts == {"changed": 0, "deleted": 0, "unowned": 0} and result.findings == []


def test_a_math_alarm_on_our_service_is_on_our_metrics():
    alarm = {"AlarmName": "ratio", "Metrics": [{"Id": "m", "MetricStat": {"Metric": {
        "Namespace": "AWS/ApplicationELB", "MetricName": "x",
        "Dimensions": [{"Name": "ServiceName", "Value": "web"}]}, "Period": 60, "Stat": "Sum"}}]}
    assert live_drift.on_our_metrics(config(), alarm)
    assert not live_drift.on_our_metrics(config(), {**alarm, "Metrics": []})


# --- all of it ------------------------------------------------------------------------------------

def test_review_reads_only_and_returns_every_analysis(aws):
    made = clients()
    put_alarm(aws, "stray", AlarmActions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:gone"])
    result = live.review(made, config(), now=datetime.now(timezone.utc))
    # made a moment ago: nothing of its life to replay yet (ALARM-LIVE-004), rather than days of no data
    assert {f.code for f in result.findings} == {"ALARM-LIVE-004", "ALARM-LIVE-007", "ALARM-DRIFT-002"}
    assert result.drift.counts["deleted"] == 3
    writes = [op for op in made.calls if op.startswith(("Put", "Delete", "Set", "Tag", "Untag", "Create"))]
    assert writes == []
