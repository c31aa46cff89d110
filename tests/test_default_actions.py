"""Issue 17: `defaults:` actions at the top level, on a cluster and on a service; the nearest wins,
an alarm's own keys win over all, and `actions: []` on an alarm means no action on purpose."""

from __future__ import annotations

import yaml
from test_alarm_kind import described
from test_roundtrip import CLUSTER, REGION, aws, configure, converge  # noqa: F401

from monitor.commands import review
from monitor.sync.flow import validate

TOP, NEAR, OWN = ("arn:aws:sns:us-east-1:123456789012:" + name for name in ("top", "cluster", "own"))


def document(service_defaults=None) -> str:
    app = {"name": "app", "log_group": "/ecs/honban/web", "alarms": [
        {"use": "tasks-down"},                                    # inherits everything
        {"use": "tasks-below-desired", "actions": [OWN]},         # its own ALARM action
        {"use": "alb-unhealthy-hosts", "actions": []},            # none, on purpose
        {"name": "down", "alarm_rule": "ALARM(tasks-down)"}]}     # a composite inherits too
    service = {"name": "web", "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/w/0123456789abcdef",
               "load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/f/0123456789abcdef",
               "containers": [app]}
    if service_defaults:
        service["defaults"] = service_defaults
    return yaml.safe_dump({"version": 1, "region": REGION, "defaults": {"actions": [TOP], "ok_actions": [TOP]},
                           "clusters": [{"name": CLUSTER, "container_insights": "enabled",
                                         "defaults": {"actions": [NEAR]}, "services": [service]}]})


def alarms(loaded) -> dict:
    return {a.name: a for a in loaded.config.clusters[0].services[0].containers[0].alarms}


def test_the_nearest_level_wins_key_by_key_and_the_alarms_own_keys_win_over_all(write_config):
    found = alarms(validate(str(write_config(document()))))
    assert (found["tasks-down"].actions, found["tasks-down"].ok_actions) == ([NEAR], [TOP])
    assert (found["tasks-below-desired"].actions, found["tasks-below-desired"].ok_actions) == ([OWN], [TOP])
    assert found["alb-unhealthy-hosts"].actions == []
    assert found["down"].actions == [NEAR]
    service_level = alarms(validate(str(write_config(document({"actions": [OWN], "insufficient_data_actions": []})))))
    assert (service_level["tasks-down"].actions, service_level["tasks-down"].insufficient_data_actions) == ([OWN], [])


def test_inherited_actions_reach_aws_and_converge(aws, configure):
    converge(configure(document()))
    alarm = described(f"monitor/{CLUSTER}/web/app/tasks-down")
    assert (alarm["AlarmActions"], alarm["OKActions"]) == ([NEAR], [TOP])
    assert described(f"monitor/{CLUSTER}/web/app/alb-unhealthy-hosts")["AlarmActions"] == []


def test_review_reports_no_action_only_for_the_alarm_that_has_none(write_config):
    loaded = validate(str(write_config(document())))
    found = review.offline(loaded)
    missing = [f.subject for f in found.findings if f.code == "ALARM-ACTION-001"]
    assert missing == [f"monitor/{CLUSTER}/web/app/alb-unhealthy-hosts"], missing
