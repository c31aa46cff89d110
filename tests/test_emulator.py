"""The embedded emulator refuses what AWS refuses, so local runs mislead no one."""

import pathlib
import socket
import subprocess
import sys
import textwrap
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from monitor.aws.emulator import install_fidelity_patches, start

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
        from monitor.aws.emulator import start
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
