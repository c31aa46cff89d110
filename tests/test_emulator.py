"""The embedded emulator refuses what AWS refuses, so local runs mislead no one."""

import pathlib
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from monitor.emulator.server import install_fidelity_patches, start

REGION = "eu-west-1"
CLUSTERS = ("web", "batch")
GROUPS = ("/ecs/web", "/ecs/batch")
FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
NO_GROUP = "The specified log group does not exist."
COUNT = {"metricName": "Errors", "metricNamespace": "ECS/Test", "metricValue": "1"}


def client(url, service, region=REGION):
    """One attempt only: LimitExceededException is retried by botocore and slows the suite."""
    one_try = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return boto3.client(service, endpoint_url=url, region_name=region, config=one_try, **FAKE)


@pytest.fixture(scope="module")
def emulator():
    with start(REGION, clusters=CLUSTERS, log_groups=GROUPS) as running:
        yield running


@pytest.fixture(scope="module")
def logs(emulator):
    return client(emulator.url, "logs")


@pytest.fixture(scope="module")
def ecs(emulator):
    return client(emulator.url, "ecs")


@pytest.fixture
def group(logs):
    """A fresh log group per test: the emulator's state is shared by the whole module."""
    name = f"/test/{uuid.uuid4().hex}"
    logs.create_log_group(logGroupName=name)
    return name


@pytest.fixture(scope="module")
def full_group(logs):
    """One log group holding the AWS maximum of 100 filters, f000 .. f099."""
    name = f"/test/full-{uuid.uuid4().hex}"
    logs.create_log_group(logGroupName=name)
    for i in range(100):
        put(logs, name, f"f{i:03d}")
    return name


def put(logs, group, name, pattern="ERROR", **transform):
    logs.put_metric_filter(
        logGroupName=group,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[{**COUNT, **transform}],
    )


def filters(logs, **kwargs):
    return logs.describe_metric_filters(**kwargs)["metricFilters"]


def names(items, key="filterName"):
    return [item[key] for item in items]


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


# --- starting and seeding ------------------------------------------------------------


def test_start_seeds_clusters_and_log_groups(emulator, ecs, logs):
    assert emulator.url.startswith("http://127.0.0.1:")
    described = ecs.describe_clusters(clusters=list(CLUSTERS))["clusters"]
    assert sorted(names(described, "clusterName")) == sorted(CLUSTERS)
    found = logs.describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"]
    assert sorted(names(found, "logGroupName")) == sorted(GROUPS)


def test_seeding_again_keeps_existing_resources(emulator, ecs):
    enhanced = [{"name": "containerInsights", "value": "enhanced"}]
    ecs.update_cluster(cluster="web", settings=enhanced)
    with start(REGION, clusters=CLUSTERS, log_groups=GROUPS):
        described = ecs.describe_clusters(clusters=["web"], include=["SETTINGS"])
    assert described["clusters"][0]["settings"] == enhanced


def test_two_emulators_run_at_once_on_different_free_ports(emulator):
    with start(REGION, clusters=["one"]) as first, start(REGION, clusters=["two"]) as second:
        assert len({first.url, second.url, emulator.url}) == 3
        for running, cluster in ((first, "one"), (second, "two")):
            described = client(running.url, "ecs").describe_clusters(clusters=[cluster])
            assert names(described["clusters"], "clusterName") == [cluster]


def test_an_explicit_port_is_used(emulator):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with start(REGION, port=port) as running:
        assert running.url == f"http://127.0.0.1:{port}"


def test_a_busy_port_is_refused_rather_than_hanging(emulator):
    busy = int(emulator.url.rsplit(":", 1)[1])
    with pytest.raises(OSError):
        start(REGION, port=busy)


def test_requests_are_not_logged():
    script = textwrap.dedent(
        f"""
        import boto3
        from monitor.emulator.server import start
        with start("{REGION}", log_groups=["/quiet"]) as running:
            logs = boto3.client("logs", endpoint_url=running.url, region_name="{REGION}",
                                aws_access_key_id="testing", aws_secret_access_key="testing")
            logs.describe_log_groups()
            try:
                logs.describe_metric_filters(logGroupName="/missing")
            except logs.exceptions.ResourceNotFoundException:
                pass
        """
    )
    repo = pathlib.Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=repo)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


# --- ECS cluster settings ------------------------------------------------------------


def test_update_cluster_settings_round_trip(ecs):
    enhanced = [{"name": "containerInsights", "value": "enhanced"}]
    ecs.update_cluster(cluster="batch", settings=enhanced)
    described = ecs.describe_clusters(clusters=["batch"], include=["SETTINGS"])
    assert described["clusters"][0]["settings"] == enhanced


def awsvpc_family(ecs) -> str:
    family = f"net-{uuid.uuid4().hex[:8]}"
    ecs.register_task_definition(family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                 cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "app", "memory": 512}])
    return family


def test_a_service_without_security_groups_is_created_as_aws_does(emulator, ecs):
    """AwsVpcConfiguration requires only subnets; without securityGroups the VPC's default group is used
    (ECS API reference). moto answered HTTP 500 (KeyError 'securityGroups')."""
    ec2 = client(emulator.url, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    network = {"awsvpcConfiguration": {"subnets": [subnet]}}
    made = ecs.create_service(cluster="web", serviceName=f"svc-{uuid.uuid4().hex[:8]}", taskDefinition=awsvpc_family(ecs),
                              desiredCount=1, launchType="FARGATE", networkConfiguration=network)["service"]
    assert made["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == [subnet]
    assert "securityGroups" not in made["networkConfiguration"]["awsvpcConfiguration"]   # kept as given

    code, message = error_of(ecs.create_service, cluster="web", serviceName="no-subnet", taskDefinition=awsvpc_family(ecs),
                             launchType="FARGATE",
                             networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-00000000"]}})
    assert code == "InvalidParameterException" and "subnet-00000000" in message   # the subnets are still checked


# --- PutMetricFilter -----------------------------------------------------------------


def test_second_put_with_the_same_name_replaces(logs, group):
    put(logs, group, "errors", pattern="ERROR")
    put(logs, group, "errors", pattern="FATAL")
    assert [f["filterPattern"] for f in filters(logs, logGroupName=group)] == ["FATAL"]
    logs.delete_metric_filter(logGroupName=group, filterName="errors")
    assert filters(logs, logGroupName=group) == []


def test_the_same_name_on_another_group_is_another_filter(logs, group):
    put(logs, group, "errors")
    put(logs, GROUPS[0], "errors")
    assert len(filters(logs, logGroupName=group)) == 1
    assert len(filters(logs, logGroupName=GROUPS[0])) == 1


def test_put_on_a_missing_log_group_is_refused(logs):
    code, message = error_of(put, logs, "/missing", "errors")
    assert (code, message) == ("ResourceNotFoundException", NO_GROUP)


def test_101st_filter_is_refused_but_replacing_one_of_100_is_not(logs, full_group):
    code, message = error_of(put, logs, full_group, "one-too-many")
    assert (code, message) == ("LimitExceededException", "Resource limit exceeded.")
    put(logs, full_group, "f099", pattern="FATAL")
    replaced = filters(logs, logGroupName=full_group, filterNamePrefix="f099")
    assert [f["filterPattern"] for f in replaced] == ["FATAL"]


INVALID_TRANSFORMS = {
    "dimensions with a default": {"dimensions": {"Service": "$.service"}, "defaultValue": 0.0},
    "four dimensions": {"dimensions": {k: f"$.{k}" for k in ("a", "b", "c", "d")}},
    "unknown unit": {"unit": "Requests"},
    "unit in the wrong case": {"unit": "count"},
}


@pytest.mark.parametrize("transform", INVALID_TRANSFORMS.values(), ids=INVALID_TRANSFORMS.keys())
def test_invalid_transformations_are_refused(logs, group, transform):
    code, _ = error_of(put, logs, group, "bad", **transform)
    assert code == "InvalidParameterException"
    assert filters(logs, logGroupName=group) == []


VALID_TRANSFORMS = {
    "three dimensions": {"dimensions": {k: f"$.{k}" for k in ("a", "b", "c")}},
    "a default without dimensions": {"defaultValue": 0.0},
    "a standard unit": {"unit": "Count/Second"},
    "the None unit": {"unit": "None"},
}


@pytest.mark.parametrize("transform", VALID_TRANSFORMS.values(), ids=VALID_TRANSFORMS.keys())
def test_valid_transformations_are_accepted(logs, group, transform):
    put(logs, group, "good", **transform)
    assert names(filters(logs, logGroupName=group)) == ["good"]


# --- DescribeMetricFilters -----------------------------------------------------------


def test_describe_pages_by_50_with_a_next_token(logs, full_group):
    first = logs.describe_metric_filters(logGroupName=full_group)
    second = logs.describe_metric_filters(logGroupName=full_group, nextToken=first["nextToken"])
    assert names(first["metricFilters"]) == [f"f{i:03d}" for i in range(50)]
    assert names(second["metricFilters"]) == [f"f{i:03d}" for i in range(50, 100)]
    assert "nextToken" not in second


PAGE_SIZES = [(None, [50, 50]), (30, [30, 30, 30, 10]), (50, [50, 50])]


@pytest.mark.parametrize("page_size, sizes", PAGE_SIZES)
def test_the_boto3_paginator_walks_every_page(logs, full_group, page_size, sizes):
    config = {"PageSize": page_size} if page_size else {}
    pages = logs.get_paginator("describe_metric_filters").paginate(
        logGroupName=full_group, PaginationConfig=config
    )
    pages = [names(page["metricFilters"]) for page in pages]
    assert [len(page) for page in pages] == sizes
    assert sum(pages, []) == [f"f{i:03d}" for i in range(100)]


@pytest.mark.parametrize("limit", [51, 1000])
def test_a_limit_above_50_is_refused(logs, full_group, limit):
    code, _ = error_of(logs.describe_metric_filters, logGroupName=full_group, limit=limit)
    assert code == "InvalidParameterException"


def test_a_garbled_next_token_is_refused(logs, full_group):
    code, _ = error_of(logs.describe_metric_filters, logGroupName=full_group, nextToken="%%%")
    assert code == "InvalidParameterException"


def test_results_are_ascii_sorted_by_filter_name(logs, group):
    for name in ("b", "B", "a_1", "a-1", "A", "Z", "_x", "0"):
        put(logs, group, name)
    expected = ["0", "A", "B", "Z", "_x", "a-1", "a_1", "b"]
    assert names(filters(logs, logGroupName=group)) == expected


def test_prefix_applies_together_with_a_log_group(logs, group):
    for name in ("api-errors", "api-latency", "db-errors"):
        put(logs, group, name)
    matched = filters(logs, logGroupName=group, filterNamePrefix="api-")
    assert names(matched) == ["api-errors", "api-latency"]


def test_prefix_without_a_log_group_is_ignored(logs, group):
    put(logs, group, "db-errors")
    pages = logs.get_paginator("describe_metric_filters").paginate(filterNamePrefix="api-")
    everywhere = [(f["filterName"], f["logGroupName"]) for p in pages for f in p["metricFilters"]]
    assert ("db-errors", group) in everywhere


def test_describe_on_a_missing_log_group_is_refused(logs):
    code, message = error_of(logs.describe_metric_filters, logGroupName="/missing")
    assert (code, message) == ("ResourceNotFoundException", NO_GROUP)


# --- DescribeLogGroups ---------------------------------------------------------------


def test_log_group_identifiers_select_only_those_groups(logs):
    found = logs.describe_log_groups(logGroupIdentifiers=[GROUPS[1], "/missing"])["logGroups"]
    assert names(found, "logGroupName") == [GROUPS[1]]


def test_log_group_identifiers_page_like_any_listing(logs):
    wanted = [GROUPS[0], GROUPS[1], "/missing"]
    pages = logs.get_paginator("describe_log_groups").paginate(
        logGroupIdentifiers=wanted, PaginationConfig={"PageSize": 1}
    )
    assert [names(p["logGroups"], "logGroupName") for p in pages] == [[GROUPS[1]], [GROUPS[0]]]


def test_more_than_50_identifiers_are_refused(logs):
    code, _ = error_of(logs.describe_log_groups, logGroupIdentifiers=[f"/g{i}" for i in range(51)])
    assert code == "InvalidParameterException"


def test_identifiers_with_a_prefix_are_refused(logs):
    code, _ = error_of(
        logs.describe_log_groups, logGroupIdentifiers=[GROUPS[0]], logGroupNamePrefix="/ecs"
    )
    assert code == "InvalidParameterException"


def test_listing_without_identifiers_is_unchanged(logs):
    found = logs.describe_log_groups(logGroupNamePrefix="/ecs/", limit=1)
    assert names(found["logGroups"], "logGroupName") == [GROUPS[1]]
    assert "nextToken" in found


# --- in-process mocks ----------------------------------------------------------------


def test_patches_also_apply_under_mock_aws():
    """Without reset: resetting moto's backends would wipe the module's running emulator."""
    mock = mock_aws()
    mock.start(reset=False)
    try:
        install_fidelity_patches()
        logs = boto3.client("logs", region_name="ap-southeast-2", **FAKE)
        code, _ = error_of(put, logs, "/missing-under-mock", "errors")
    finally:
        mock.stop(remove_data=False)
    assert code == "ResourceNotFoundException"


# --- data flow: log events -> metric data (the group's filters, our engine) ----------------

MINUTE = 60_000


@pytest.fixture(scope="module")
def cloudwatch(emulator):
    return client(emulator.url, "cloudwatch")


@pytest.fixture
def namespace():
    """A namespace per test: the module's metric data is shared."""
    return f"Flow/{uuid.uuid4().hex}"


def minutes_ago(n):
    """Epoch ms of the start of the whole minute `n` minutes before the running one."""
    return (int(time.time()) // 60 - n) * MINUTE


def send(logs, group, events):
    """PutLogEvents of (epoch ms, message) pairs, in time order, on a fresh stream."""
    stream = uuid.uuid4().hex
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    items = [{"timestamp": t, "message": m} for t, m in sorted(events)]
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=items)


def stats(cloudwatch, namespace, name, dimensions=(), statistics=("Sum", "SampleCount")):
    """{minute (epoch ms): {statistic: value}} over the last hour, read with GetMetricStatistics.

    moto starts its periods at the first datapoint rather than on the minute, so keys are floored;
    the tests put each minute's first event on the minute, where the two agree.
    """
    end = datetime.now(timezone.utc)
    answer = cloudwatch.get_metric_statistics(
        Namespace=namespace, MetricName=name, Dimensions=[{"Name": k, "Value": v} for k, v in dimensions],
        StartTime=end - timedelta(hours=1), EndTime=end, Period=60, Statistics=list(statistics))
    return {int(p["Timestamp"].timestamp()) // 60 * MINUTE: {s: p[s] for s in statistics} for p in answer["Datapoints"]}


def metric_filter(logs, group, namespace, name="f", pattern="ERROR", **transform):
    logs.put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern, metricTransformations=[
        {"metricName": "M", "metricNamespace": namespace, "metricValue": "1", **transform}])


def test_matching_events_become_a_count_per_minute(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace)
    first, second = minutes_ago(3), minutes_ago(2)
    send(logs, group, [(first, "ERROR a"), (first + 10, "INFO b"), (first + 20, "ERROR c"), (second + 5, "ERROR d")])
    assert stats(cloudwatch, namespace, "M") == {first: {"Sum": 2.0, "SampleCount": 2.0},
                                                 second: {"Sum": 1.0, "SampleCount": 1.0}}


def test_a_field_value_is_published_with_its_unit(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace, pattern="{ $.duration > 0 }", metricValue="$.duration", unit="Milliseconds")
    at = minutes_ago(2)
    send(logs, group, [(at, '{"duration": 12.5}'), (at + 1, '{"duration": 40}'), (at + 2, '{"status": 200}')])
    found = stats(cloudwatch, namespace, "M", statistics=("Sum", "Maximum", "Minimum", "SampleCount"))
    assert found == {at: {"Sum": 52.5, "Maximum": 40.0, "Minimum": 12.5, "SampleCount": 2.0}}
    end = datetime.now(timezone.utc)
    answer = cloudwatch.get_metric_statistics(Namespace=namespace, MetricName="M", StartTime=end - timedelta(hours=1),
                                              EndTime=end, Period=60, Statistics=["Sum"])
    assert [p["Unit"] for p in answer["Datapoints"]] == ["Milliseconds"]


def test_dimensions_make_one_metric_per_value(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace, pattern="{ $.status = * }", dimensions={"Status": "$.status"})
    at = minutes_ago(2)
    send(logs, group, [(at, '{"status": 500}'), (at, '{"status": 200}'), (at + 2, '{"status": 500}')])
    assert stats(cloudwatch, namespace, "M", [("Status", "500")]) == {at: {"Sum": 2.0, "SampleCount": 2.0}}
    assert stats(cloudwatch, namespace, "M", [("Status", "200")]) == {at: {"Sum": 1.0, "SampleCount": 1.0}}


def test_a_backtracking_regex_costs_the_log_flow_linear_time(logs, cloudwatch, group, namespace):
    """Logs are input others control: nested wildcards on long lines must not stall PutLogEvents."""
    metric_filter(logs, group, namespace, pattern="%.*.*.*.*x%")
    at = minutes_ago(2)
    started = time.perf_counter()
    send(logs, group, [(at + i, "a" * 300) for i in range(20)] + [(at + 20, "a" * 300 + "x")])
    assert time.perf_counter() - started < 5   # a backtracking engine needs minutes
    assert stats(cloudwatch, namespace, "M") == {at: {"Sum": 1.0, "SampleCount": 1.0}}


def test_the_default_value_fills_each_minute_with_events_but_no_match(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace, defaultValue=0.0)
    idle, busy, quiet = minutes_ago(4), minutes_ago(3), minutes_ago(2)
    send(logs, group, [(idle, "INFO a"), (idle + 1, "INFO b"), (busy, "ERROR c"), (busy + 1, "INFO d")])
    assert quiet not in stats(cloudwatch, namespace, "M")   # no events at all: nothing is reported
    assert stats(cloudwatch, namespace, "M") == {idle: {"Sum": 0.0, "SampleCount": 1.0},
                                                 busy: {"Sum": 1.0, "SampleCount": 1.0}}


def test_a_later_match_in_the_minute_replaces_its_default(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace, defaultValue=0.0)
    at = minutes_ago(2)
    send(logs, group, [(at, "INFO a")])
    send(logs, group, [(at + 5, "ERROR b")])
    send(logs, group, [(at + 9, "INFO c")])
    assert stats(cloudwatch, namespace, "M") == {at: {"Sum": 1.0, "SampleCount": 1.0}}


def test_each_group_runs_only_its_own_filters(logs, cloudwatch, namespace):
    web, batch, other = (f"/flow/{uuid.uuid4().hex}" for _ in range(3))
    for name in (web, batch, other):
        logs.create_log_group(logGroupName=name)
    metric_filter(logs, web, namespace, metricName="Web")
    metric_filter(logs, batch, namespace, metricName="Batch")
    metric_filter(logs, other, namespace, metricName="Other")
    at = minutes_ago(2)
    send(logs, web, [(at, "ERROR web"), (at + 1, "ERROR web")])
    send(logs, batch, [(at, "ERROR batch")])
    assert stats(cloudwatch, namespace, "Web") == {at: {"Sum": 2.0, "SampleCount": 2.0}}
    assert stats(cloudwatch, namespace, "Batch") == {at: {"Sum": 1.0, "SampleCount": 1.0}}
    assert stats(cloudwatch, namespace, "Other") == {}


def test_datapoints_are_read_back_with_get_metric_data(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace)
    first, second = minutes_ago(3), minutes_ago(1)
    send(logs, group, [(first + 30_000, "ERROR a"), (second + 1, "ERROR b"), (second + 2, "ERROR c")])
    end = datetime.now(timezone.utc)
    query = {"Id": "m", "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}
    result = cloudwatch.get_metric_data(MetricDataQueries=[query], StartTime=end - timedelta(minutes=10), EndTime=end,
                                        ScanBy="TimestampAscending")["MetricDataResults"][0]
    assert result["Values"] == [1.0, 2.0]


def test_events_too_old_publish_nothing(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace)
    send(logs, group, [(int(time.time() * 1000) - 15 * 24 * 3_600_000, "ERROR long ago")])
    assert stats(cloudwatch, namespace, "M") == {}


def test_a_pattern_aws_cannot_parse_is_refused(logs, group):
    code, _ = error_of(put, logs, group, "broken", pattern="{ $.status = }")
    assert code == "InvalidParameterException"


# --- data flow: metric data -> alarm state (monitor.alarms' evaluator) ---------------------


def alarm(cloudwatch, namespace, name=None, **overrides):
    name = name or f"alarm-{uuid.uuid4().hex}"
    cloudwatch.put_metric_alarm(**{
        "AlarmName": name, "Namespace": namespace, "MetricName": "M", "Statistic": "Sum", "Period": 60,
        "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold", **overrides})
    return name


def state(cloudwatch, name):
    found = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    return found["StateValue"], found["StateReason"]


def values(cloudwatch, namespace, by_minute, dimensions=()):
    """PutMetricData: {minutes ago: value}."""
    cloudwatch.put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": "M", "Value": v, "Timestamp": datetime.fromtimestamp(minutes_ago(n) / 1000, timezone.utc),
         "Dimensions": [{"Name": k, "Value": d} for k, d in dimensions]} for n, v in by_minute.items()])


def test_a_new_alarm_without_data_is_insufficient_data(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace)
    assert state(cloudwatch, name) == ("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation")


def test_missing_data_treated_as_not_breaching_is_ok(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace, TreatMissingData="notBreaching")
    assert state(cloudwatch, name) == ("OK", "Threshold Crossed: no datapoints were received for 3 periods "
                                             "and 3 missing datapoints were treated as [NonBreaching].")


def test_an_alarm_fires_when_m_of_n_datapoints_breach(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace)
    values(cloudwatch, namespace, {3: 9.0, 2: 1.0, 1: 7.0})
    value, reason = state(cloudwatch, name)
    assert value == "ALARM"
    assert reason.startswith("Threshold Crossed: 2 out of the last 3 datapoints [7.0 (")
    assert reason.endswith("were greater than the threshold (5.0) "
                           "(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).")


def test_too_few_breaches_are_ok(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace)
    values(cloudwatch, namespace, {3: 9.0, 2: 1.0, 1: 2.0})
    assert state(cloudwatch, name)[0] == "OK"


def test_a_period_not_yet_over_is_not_evaluated(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace, EvaluationPeriods=1, DatapointsToAlarm=1)
    values(cloudwatch, namespace, {-1: 50.0})   # the next minute: over only after this test
    assert state(cloudwatch, name)[0] == "INSUFFICIENT_DATA"


def test_an_alarm_reads_only_its_own_dimension_set(cloudwatch, namespace):
    name = alarm(cloudwatch, namespace, EvaluationPeriods=1, DatapointsToAlarm=1)
    values(cloudwatch, namespace, {1: 50.0}, dimensions=[("Status", "500")])
    assert state(cloudwatch, name)[0] == "INSUFFICIENT_DATA"
    other = alarm(cloudwatch, namespace, EvaluationPeriods=1, DatapointsToAlarm=1,
                  Dimensions=[{"Name": "Status", "Value": "500"}])
    assert state(cloudwatch, other)[0] == "ALARM"


def test_log_events_drive_an_alarm_through_a_filter(logs, cloudwatch, group, namespace):
    metric_filter(logs, group, namespace, metricName="M", defaultValue=0.0)
    name = alarm(cloudwatch, namespace, TreatMissingData="notBreaching")
    assert state(cloudwatch, name)[0] == "OK"
    burst = [(minutes_ago(n) + i, "ERROR boom") for n in (3, 1) for i in range(6)]
    send(logs, group, burst + [(minutes_ago(2), "INFO fine")])
    assert state(cloudwatch, name)[0] == "ALARM"


def test_set_alarm_state_holds_until_the_next_minute(emulator, cloudwatch, namespace, monkeypatch):
    from types import SimpleNamespace
    from moto.cloudwatch.models import cloudwatch_backends
    from monitor.emulator import alarmstate
    name = alarm(cloudwatch, namespace, EvaluationPeriods=1, DatapointsToAlarm=1)
    values(cloudwatch, namespace, {1: 50.0})
    assert state(cloudwatch, name)[0] == "ALARM"
    # The state set must be read back within the minute it was set in: the emulator's clock stops
    # here (the server thread shares this module), so no minute can end between the two.
    now = time.time()
    monkeypatch.setattr(alarmstate, "time", SimpleNamespace(time=lambda: now))
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="testing")
    assert state(cloudwatch, name) == ("OK", "testing")
    backend = cloudwatch_backends["123456789012"][REGION]
    alarmstate.evaluate_all(backend, now=now + 60)
    assert state(cloudwatch, name)[0] == "ALARM"


# --- DescribeAlarms and GetResources page as AWS pages them ---


def plain_alarms(cloudwatch, prefix, count, tags=()):
    for n in range(count):
        cloudwatch.put_metric_alarm(AlarmName=f"{prefix}{n:03d}", MetricName="M", Namespace="N", Statistic="Sum",
                                    Period=60, EvaluationPeriods=1, Threshold=1,
                                    ComparisonOperator="GreaterThanThreshold", Tags=list(tags))


def test_describe_alarms_pages_by_max_records(cloudwatch):
    prefix = f"paged-{uuid.uuid4().hex}/"
    plain_alarms(cloudwatch, prefix, 250)
    pages = list(cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=prefix, PaginationConfig={"PageSize": 100}))
    assert [len(p["MetricAlarms"]) for p in pages] == [100, 100, 50]
    assert len({a["AlarmName"] for p in pages for a in p["MetricAlarms"]}) == 250
    assert len(cloudwatch.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]) == 250   # no MaxRecords
    assert error_of(cloudwatch.describe_alarms, AlarmNamePrefix=prefix, MaxRecords=101)


def tagged_pages(tagging, key, **limits):
    pages = tagging.get_paginator("get_resources").paginate(
        ResourceTypeFilters=["cloudwatch:alarm"], TagFilters=[{"Key": key, "Values": ["v"]}], **limits)
    return [len(page["ResourceTagMappingList"]) for page in pages]


def test_get_resources_pages_by_resources_only_unless_tags_per_page_is_sent(emulator, cloudwatch):
    key = f"k-{uuid.uuid4().hex}"
    tags = [{"Key": key, "Value": "v"}] + [{"Key": f"t{n}", "Value": "x"} for n in range(3)]
    plain_alarms(cloudwatch, f"tagged-{uuid.uuid4().hex}/", 150, tags)
    tagging = client(emulator.url, "resourcegroupstaggingapi")
    assert tagged_pages(tagging, key, ResourcesPerPage=100) == [100, 50]


def test_tags_per_page_keeps_a_resource_with_its_tags(emulator, cloudwatch):
    """The GetResources reference's example: TagsPerPage 100 over 22 resources of 10 tags each."""
    key = f"k-{uuid.uuid4().hex}"
    tags = [{"Key": key, "Value": "v"}] + [{"Key": f"t{n}", "Value": "x"} for n in range(9)]
    plain_alarms(cloudwatch, f"ten-{uuid.uuid4().hex}/", 22, tags)
    tagging = client(emulator.url, "resourcegroupstaggingapi")
    assert tagged_pages(tagging, key, TagsPerPage=100) == [10, 10, 2]
