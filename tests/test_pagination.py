"""Reads follow AWS's pages: 50 filters a DescribeMetricFilters page, 50 identifiers a DescribeLogGroups call."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from monitor.aws.clients import Clients, Target
from monitor.config.model import Cluster, Config, Container, Service
from monitor.emulator.server import install_fidelity_patches
from monitor.insights import performance_log_group
from monitor.kinds import log_group, metric_filter
from monitor.state.resources import Actual
from monitor.resolved import model as resolved_model

REGION = "us-east-1"
GROUP = "/ecs/app"
PERFORMANCE = performance_log_group("c")


def config(*groups: str) -> Config:
    """One cluster `c` with a container per log group."""
    containers = [Container(name=f"k{n}", log_group=group) for n, group in enumerate(groups)]
    return Config(version=1, clusters=[Cluster(name="c", services=[Service(name="s", containers=containers)])])


def item(name: str, group: str = GROUP) -> dict:
    return {"filterName": name, "logGroupName": group, "filterPattern": "ERROR", "creationTime": 1,
            "metricTransformations": [{"metricName": "Errors", "metricNamespace": "Custom/ECS", "metricValue": "1"}]}


def described(name: str) -> dict:
    """A DescribeLogGroups item as AWS gives it: `arn` ends in `:*`, `logGroupArn` does not."""
    arn = f"arn:aws:logs:{REGION}:123456789012:log-group:{name}"
    return {"logGroupName": name, "arn": f"{arn}:*", "logGroupArn": arn, "creationTime": 1}


@pytest.fixture
def stubbed():
    """Clients whose logs client answers only from a Stubber; `calls` counts every request made.

    The Stubber answers in `before-call`, ahead of the counter Clients registers there, so the
    count here hooks `before-parameter-build`, which every request passes first.
    """
    clients = Clients(Target(REGION))
    clients.logs.meta.events.register("before-parameter-build.logs", lambda model, **_: clients.calls.update([model.name]))
    with Stubber(clients.logs) as stubber:
        yield clients, stubber
        stubber.assert_no_pending_responses()


def test_metric_filter_read_follows_next_token_across_pages(stubbed):
    clients, stubber = stubbed
    names = [f"monitor/c/s/k0/f{n:03d}" for n in range(120)] + [f"team-{n}" for n in range(3)]
    pages = [names[0:50], names[50:100], names[100:]]
    tokens = [None, "page-2", "page-3"]
    for number, page in enumerate(pages):
        expected = {"limit": 50, **({"nextToken": tokens[number]} if tokens[number] else {})}
        response = {"metricFilters": [item(name) for name in page],
                    **({"nextToken": tokens[number + 1]} if number + 1 < len(pages) else {})}
        stubber.add_response("describe_metric_filters", response, expected)
    actual = Actual()
    metric_filter.read(clients, resolved_model.of(config(GROUP)), actual)
    assert clients.calls["DescribeMetricFilters"] == 3
    assert sorted(r.spec["filterName"] for r in actual.resources.values()) == sorted(names)
    assert sum(r.owned for r in actual.resources.values()) == 120


def test_metric_filter_read_keeps_all_on_our_groups_and_only_ours_elsewhere(stubbed):
    """On our groups everything is read (for the quotas), ours or not; elsewhere only ours.

    Ours is one rule everywhere: our prefix and a cluster of the config (here `c`). Another
    cluster's prefixed filter on our own group is read, but not ours; on another group it is
    not even read. No ListClusters call is needed to decide.
    """
    clients, stubber = stubbed
    listing = [item("monitor/c/s/k0/a", GROUP), item("team-a", GROUP), item("monitor/z/s/k/a", GROUP),
               item("monitor/c/old/k/a", "/ecs/old"), item("team-b", "/ecs/old"),
               item("monitor/c-x/s/k/a", "/ecs/c-x"), item("monitor/other/s/k/a", "/ecs/other")]
    stubber.add_response("describe_metric_filters", {"metricFilters": listing}, {"limit": 50})
    actual = Actual()
    metric_filter.read(clients, resolved_model.of(config(GROUP)), actual)
    assert {(r.id, r.owned) for r in actual.resources.values()} == {
        (f"{GROUP}:monitor/c/s/k0/a", True), (f"{GROUP}:team-a", False), (f"{GROUP}:monitor/z/s/k/a", False),
        ("/ecs/old:monitor/c/old/k/a", True)}


@pytest.mark.parametrize("count, calls", [(1, 1), (49, 1), (50, 2), (99, 2), (100, 3), (149, 3)])
def test_log_group_read_batches_50_identifiers_a_call(stubbed, count, calls):
    """`count` app groups plus the cluster's performance group are in scope."""
    clients, stubber = stubbed
    groups = [f"/ecs/g{n:03d}" for n in range(count)]
    scope = log_group.scope(resolved_model.of(config(*groups)))
    assert len(scope) == count + 1
    present = scope[::2]   # every other group exists
    for start in range(0, len(scope), 50):
        batch = scope[start:start + 50]
        found = [described(name) for name in batch if name in present]
        stubber.add_response("describe_log_groups", {"logGroups": found}, {"logGroupIdentifiers": batch})
    actual = Actual()
    log_group.read(clients, resolved_model.of(config(*groups)), actual)
    assert clients.calls["DescribeLogGroups"] == calls
    assert actual.missing == {("log_group", name) for name in scope if name not in present}
    assert sorted(r.id for r in actual.resources.values()) == sorted(present)


def test_on_the_emulator_100_filters_take_two_pages():
    with mock_aws():
        install_fidelity_patches()
        logs = boto3.client("logs", region_name=REGION)
        logs.create_log_group(logGroupName=GROUP)
        for number in range(100):   # the emulator, like AWS, allows 100 a group
            logs.put_metric_filter(logGroupName=GROUP, filterName=f"monitor/c/s/k/f{number:03d}", filterPattern="ERROR",
                                   metricTransformations=[{"metricName": "E", "metricNamespace": "N",
                                                           "metricValue": "1"}])
        clients = Clients(Target(REGION))
        actual = Actual()
        log_group.read(clients, resolved_model.of(config(GROUP)), actual)
        metric_filter.read(clients, resolved_model.of(config(GROUP)), actual)
    assert clients.calls["DescribeLogGroups"] == 1
    assert clients.calls["DescribeMetricFilters"] == 2   # 50 + 50
    filters = [r for r in actual.resources.values() if r.kind == "metric_filter"]
    assert len(filters) == 100 and all(r.owned for r in filters)


def test_on_the_emulator_120_log_groups_take_three_calls():
    groups = [f"/ecs/g{n:03d}" for n in range(119)]
    with mock_aws():
        install_fidelity_patches()
        logs = boto3.client("logs", region_name=REGION)
        for name in groups[:-1]:   # the last app group and the performance group are missing
            logs.create_log_group(logGroupName=name)
        clients = Clients(Target(REGION))
        actual = Actual()
        log_group.read(clients, resolved_model.of(config(*groups)), actual)
    assert clients.calls["DescribeLogGroups"] == 3
    assert actual.missing == {("log_group", groups[-1]), ("log_group", PERFORMANCE)}
    assert len(actual.resources) == 118


def test_an_endpoint_that_lists_one_filter_twice_is_an_error_not_no_changes(stubbed):
    """A plain moto server appends on PutMetricFilter: a changed filter is then listed twice."""
    clients, stubber = stubbed
    listing = [item("monitor/c/s/k0/a", GROUP), {**item("monitor/c/s/k0/a", GROUP), "filterPattern": "OLD"}]
    stubber.add_response("describe_metric_filters", {"metricFilters": listing}, {"limit": 50})
    actual = Actual()
    metric_filter.read(clients, resolved_model.of(config(GROUP)), actual)
    [problem] = actual.problems
    assert problem.severity == "error" and f"lists metric filter {GROUP}:monitor/c/s/k0/a twice" in problem.message
