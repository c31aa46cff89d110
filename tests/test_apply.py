"""Apply: one call per change, each result reported, independent failures do not stop the rest."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from monitor.aws.clients import Clients, Target
from monitor.emulator.server import install_fidelity_patches
from monitor.kinds.filter_spec import make_spec
from monitor.resolved.publishing import transformation
from monitor.state.plan import Change, Plan
from monitor.sync.apply import apply

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
    group = "/ecs/" + "x" * 600   # CreateLogGroup refuses names over 512 characters (InvalidParameterException)
    create_group = Change("log_group", group, "create", None, {})
    outcomes = apply(clients, Plan([create_group, put(group, "monitor-x"), put("/ecs/here", "monitor-c")]))
    assert [o.result for o in outcomes] == ["error", "skipped", "ok"]
    assert "InvalidParameterException" in outcomes[0].message
    assert clients.calls["PutMetricFilter"] == 1


def test_creating_a_log_group_that_is_already_there_succeeds_and_tags_it(clients):
    """A retried create whose first attempt reached AWS finds the group: the work is done, bar the tags."""
    tags = {"managed-by": "ecs-monitor", "team": "platform"}
    create_group = Change("log_group", "/ecs/taken", "create", None, {}, params={"tags": tags})
    outcomes = apply(clients, Plan([create_group, put("/ecs/taken", "monitor-x")]))
    assert [o.result for o in outcomes] == ["ok", "ok"]
    [found] = clients.logs.describe_log_groups(logGroupNamePrefix="/ecs/taken")["logGroups"]
    assert clients.logs.list_tags_for_resource(resourceArn=found["logGroupArn"])["tags"] == tags


def test_deleting_a_metric_filter_that_is_already_gone_succeeds(clients):
    """AWS answers ResourceNotFoundException (DeleteMetricFilter API reference); gone is what we wanted."""
    spec = put("/ecs/here", "monitor-gone").after
    delete = Change("metric_filter", "/ecs/here:monitor-gone", "delete", spec, None, parent=("log_group", "/ecs/here"))
    with Stubber(clients.logs) as stub:
        stub.add_client_error("delete_metric_filter", "ResourceNotFoundException", http_status_code=400)
        stub.add_response("put_metric_filter", {})
        outcomes = apply(clients, Plan([delete, put("/ecs/here", "monitor-d")]))
    assert [o.result for o in outcomes] == ["ok", "ok"]
