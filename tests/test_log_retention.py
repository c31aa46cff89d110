"""Issue 17: retention and KMS keys for the log groups ecs-monitor creates, and only for those."""

from __future__ import annotations

import pytest
import yaml
from test_roundtrip import CLUSTER, PERFORMANCE, REGION, actions, aws, configure, converge, plan_of  # noqa: F401

from monitor.config import log_groups
from monitor.sync.flow import validate

KEY = f"arn:aws:kms:{REGION}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER = f"arn:aws:kms:{REGION}:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab"


def document(top=None, own=None) -> str:
    app = {"name": "app", "log_group": "/ecs/honban/app", "create_log_group": True,
           "performance_metrics": ["MemoryUtilized"], "filters": [{"use": "log-error-json"}]}
    if own is not None:
        app["log_groups"] = own
    body = {"version": 1, "region": REGION, "clusters": [{"name": CLUSTER, "container_insights": "enabled",
                                                          "services": [{"name": "web", "containers": [app]}]}]}
    return yaml.safe_dump({**body, **({"log_groups": top} if top is not None else {})}, sort_keys=False)


def group(aws, name: str) -> dict:
    return aws.logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]


def test_the_allowed_retentions_are_read_from_botocores_model():
    assert {1, 30, 365, 3653} <= set(log_groups.retention_values()) and 2 not in log_groups.retention_values()


@pytest.mark.parametrize("top, path, message", [
    ({"retention_days": 10}, ("log_groups", "retention_days"), "10 days is not a retention CloudWatch Logs accepts (nearest: 7)"),
    ({"kms_key_id": "alias/logs"}, ("log_groups", "kms_key_id"), "'alias/logs' is not a KMS key ARN")])
def test_validate_refuses_what_aws_refuses(write_config, top, path, message):
    [problem] = [p for p in validate(str(write_config(document(top)))).problems if p.is_error]
    assert (problem.path, problem.position().line > 1) == (path, True) and message in problem.message


def test_a_key_of_another_region_than_the_group_is_refused_at_the_key(write_config):
    """The key policy's principal logs.<group's Region>.amazonaws.com "must be in the same AWS Region where
    the KMS key is stored" (CloudWatch Logs User Guide, encrypt-log-data-kms)."""
    elsewhere = KEY.replace(f":{REGION}:", ":eu-west-1:")
    loaded = validate(str(write_config(document({"kms_key_id": elsewhere}))))
    [problem] = [p for p in loaded.problems if p.is_error]
    assert (problem.check.code, problem.path) == ("CFG-043", ("log_groups", "kms_key_id"))
    assert problem.message.startswith(f"'{elsewhere}' is a key of eu-west-1, and log group "
                                      f"/aws/ecs/containerinsights/{CLUSTER}/performance is in {REGION}: ")
    assert f"give a key of {REGION} (arn:aws:kms:{REGION}:<account>:key/<key id>)" in problem.message
    assert problem.check.source == log_groups.KMS_REGION_DOC
    # The container's own key for its own group, which the top level's does not reach.
    loaded = validate(str(write_config(document({"kms_key_id": KEY}, own={"kms_key_id": elsewhere}))))
    [problem] = [p for p in loaded.problems if p.is_error]
    assert problem.path == ("clusters", 0, "services", 0, "containers", 0, "log_groups", "kms_key_id")
    assert "log group /ecs/honban/app is in" in problem.message
    assert validate(str(write_config(document({"kms_key_id": KEY})))).ok   # the group's own Region


def test_without_a_region_the_keys_region_is_not_judged_offline(write_config):
    text = document({"kms_key_id": KEY.replace(f":{REGION}:", ":eu-west-1:")}).replace(f"region: {REGION}\n", "")
    assert "region:" not in text and validate(str(write_config(text))).ok


def test_set_on_create_reconciled_on_update_and_the_plan_is_then_empty(aws, configure):
    converge(configure(document({"retention_days": 30, "kms_key_id": KEY}, own={"retention_days": 7})))
    assert (group(aws, PERFORMANCE)["retentionInDays"], group(aws, PERFORMANCE)["kmsKeyId"]) == (30, KEY)
    assert (group(aws, "/ecs/honban/app")["retentionInDays"], group(aws, "/ecs/honban/app")["kmsKeyId"]) == (7, KEY)
    changed = converge(configure(document({"retention_days": 90, "kms_key_id": OTHER})))
    assert [(c.action, c.kind) for c in changed.changes] == [("update", "log_group")] * 2
    assert {f for c in changed.changes for f in c.fields} == {"kms_key_id", "retention_days"}
    assert (group(aws, PERFORMANCE)["retentionInDays"], group(aws, "/ecs/honban/app")["retentionInDays"]) == (90, 90)
    assert group(aws, "/ecs/honban/app")["kmsKeyId"] == OTHER
    converge(configure(document()))   # no log_groups: kept forever, CloudWatch Logs' own encryption
    assert "retentionInDays" not in group(aws, PERFORMANCE) and "kmsKeyId" not in group(aws, PERFORMANCE)


def test_never_applied_to_a_group_the_tool_did_not_create(aws, configure):
    aws.logs.create_log_group(logGroupName=PERFORMANCE)   # Container Insights made it first
    result = converge(configure(document({"retention_days": 30})))
    assert ("create", "log_group", PERFORMANCE) not in actions(result)
    assert "retentionInDays" not in group(aws, PERFORMANCE)
    assert group(aws, "/ecs/honban/app")["retentionInDays"] == 30   # the one it made


def test_the_emulator_refuses_a_retention_aws_refuses(aws):
    import botocore.exceptions
    aws.logs.create_log_group(logGroupName="/x")
    with pytest.raises(botocore.exceptions.ClientError, match="retentionInDays"):
        aws.logs.put_retention_policy(logGroupName="/x", retentionInDays=10)
