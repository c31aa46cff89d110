"""Apply: one call per change, each result reported, independent failures do not stop the rest."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from monitor.sync.apply import apply
from monitor.aws.clients import Clients, Target
from monitor.aws.emulator import install_fidelity_patches
from monitor.kinds.filter_spec import make_spec, transformation
from monitor.sync.plan import Change, Plan

REGION = "us-east-1"


def put(group: str, name: str) -> Change:
    spec = make_spec(group, name, "ERROR", transformation("Errors", "Custom/ECS", "1", None, None, {}))
    return Change("metric_filter", f"{group}:{name}", "create", None, spec, parent=("log_group", group))


@pytest.fixture
def clients():
    with mock_aws():
        install_fidelity_patches()
        logs = boto3.client("logs", region_name=REGION)
        for group in ("/ecs/here", "/ecs/taken"):
            logs.create_log_group(logGroupName=group)
        yield Clients(Target(REGION))


def test_a_failed_change_is_reported_and_the_next_one_still_runs(clients):
    outcomes = apply(clients, Plan([put("/ecs/gone", "monitor-a"), put("/ecs/here", "monitor-b")]))
    assert [o.result for o in outcomes] == ["error", "ok"]
    assert "ResourceNotFoundException" in outcomes[0].message
    assert clients.calls["PutMetricFilter"] == 2


def test_changes_on_a_log_group_that_could_not_be_created_are_skipped(clients):
    group = "/ecs/taken"   # creating it fails: it exists (ResourceAlreadyExistsException)
    create_group = Change("log_group", group, "create", None, {})
    outcomes = apply(clients, Plan([create_group, put(group, "monitor-x"), put("/ecs/here", "monitor-c")]))
    assert [o.result for o in outcomes] == ["error", "skipped", "ok"]
    assert "ResourceAlreadyExistsException" in outcomes[0].message
    assert clients.calls["PutMetricFilter"] == 1
