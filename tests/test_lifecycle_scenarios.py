"""Scenarios of a config's life over months, end to end on the emulator (issue 14): a cluster
retired, alarms made by hand in our name shape, composites that name our alarms.

An extension of test_ownership_scenarios: the same emulator process, helpers and fresh Region a
test. Asserted through the CLI (`plan/apply/destroy --output json`) and what the emulator holds,
read back with plain boto3.
"""

from __future__ import annotations

import textwrap

import botocore.exceptions
import pytest
import yaml

from test_ownership_scenarios import (  # noqa: F401  (aws is a fixture)
    Account, all_filters, apply, assert_no_changes, at, aws, client, destroy, groups, monitor, plan, write,
)

SHOP = """\
    version: 1
    clusters:
      - name: shop-batch
        services:
          - name: jobs
            containers:
              - name: app
                log_group: /ecs/shop
                filters:
                  - {name: errors, pattern: ERROR, metric: Errors}
                alarms:
                  - {name: errors-high, metric: Errors, stat: Sum, comparison: ">", threshold: 5, actions: [TOPIC]}
      - name: shop-prod
        services:
          - name: web
            containers:
              - name: app
                log_group: /ecs/shop
                performance_metrics: [CpuUtilized]
                filters:
                  - {name: errors, pattern: ERROR, metric: Errors}
                  - {name: fatal, pattern: FATAL, metric: Fatal}
                alarms:
                  - {name: errors-high, metric: Errors, stat: Sum, comparison: ">", threshold: 5, actions: [TOPIC]}
                  - {name: fatal-high, metric: Fatal, stat: Sum, comparison: ">", threshold: 0}
                  - {name: page, alarm_rule: ALARM(errors-high) OR ALARM(fatal-high), actions: [TOPIC]}
    """
PERFORMANCE = "/aws/ecs/containerinsights/shop-prod/performance"


def shop(aws: Account, name: str, dashboard: bool = False, retired: bool | None = None) -> object:
    """The shop config; `retired` None keeps shop-prod, False drops its block, True retires it."""
    doc = yaml.safe_load(textwrap.dedent(SHOP).replace("TOPIC", f"arn:aws:sns:{aws.region}:123456789012:ops"))
    if retired is not None:
        doc["clusters"] = doc["clusters"][:1]
    if retired:
        doc["retired_clusters"] = ["shop-prod"]
    if dashboard:
        doc["dashboards"] = [{"name": "shop"}]
    return write(aws, name, yaml.safe_dump(doc, sort_keys=False))


def alarms(aws: Account) -> dict[str, dict]:
    """Every alarm of the Region, metric and composite, by name."""
    pages = client(aws, "cloudwatch").get_paginator("describe_alarms").paginate(
        AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    return {item["AlarmName"]: item for page in pages
            for key in ("MetricAlarms", "CompositeAlarms") for item in page.get(key, [])}


def naming(found, cluster: str) -> set[str]:
    return {name for name in found if f"/{cluster}/" in (name if isinstance(name, str) else name[1])}


def findings(document: dict, severity: str) -> list[str]:
    return [f["message"] for f in document.get("findings", []) if f["severity"] == severity]


# --- 1. retiring a cluster ---


def test_a_retired_clusters_resources_go_and_the_kept_clusters_stay(aws):
    whole = shop(aws, "shop.yaml", dashboard=True)
    apply(aws, whole)
    assert len(naming(alarms(aws), "shop-prod")) == 3 and len(naming(all_filters(aws), "shop-prod")) == 3
    assert PERFORMANCE in groups(aws)
    kept_alarms, kept_filters = naming(alarms(aws), "shop-batch"), naming(all_filters(aws), "shop-batch")

    retired = shop(aws, "shop.yaml", dashboard=True, retired=True)
    pruned = plan(aws, retired, "--prune")
    deleted = {(c["kind"], c["id"]) for c in pruned["changes"] if c["action"] == "delete"}
    assert {kind for kind, _ in deleted} == {"alarm", "composite_alarm", "metric_filter", "log_group"}, deleted
    assert all("shop-prod" in change_id for _, change_id in deleted), deleted
    assert [(c["kind"], c["action"]) for c in pruned["changes"] if c["kind"] == "dashboard"] == \
        [("dashboard", "update")], "the retired cluster's share of the dashboard goes"
    apply(aws, retired, "--prune")

    assert naming(alarms(aws), "shop-prod") == set() and naming(all_filters(aws), "shop-prod") == set()
    assert PERFORMANCE not in groups(aws) and "/ecs/shop" in groups(aws)
    assert naming(alarms(aws), "shop-batch") == kept_alarms and naming(all_filters(aws), "shop-batch") == kept_filters
    assert_no_changes(plan(aws, retired, "--prune"), "plan --prune after retiring shop-prod")

    destroy(aws, retired)
    assert alarms(aws) == {} and all_filters(aws) == {}
    apply(aws, retired)
    assert_no_changes(plan(aws, retired), "plan after apply of the retired config")


def test_a_retired_clusters_log_group_holding_a_filter_not_ours_is_kept(aws):
    apply(aws, shop(aws, "shop.yaml"))
    client(aws, "logs").put_metric_filter(
        logGroupName=PERFORMANCE, filterName="team/cpu", filterPattern="{ $.CpuUtilized > 0 }",
        metricTransformations=[{"metricName": "Cpu", "metricNamespace": "Team", "metricValue": "1"}])
    retired = shop(aws, "shop.yaml", retired=True)
    pruned = plan(aws, retired, "--prune")
    assert "log_group" not in {c["kind"] for c in pruned["changes"]}
    assert any(PERFORMANCE in m and "team/cpu" in m for m in findings(pruned, "warning")), pruned["findings"]
    apply(aws, retired, "--prune")
    assert PERFORMANCE in groups(aws) and set(all_filters(aws, PERFORMANCE)) == {(PERFORMANCE, "team/cpu")}
    assert_no_changes(plan(aws, retired, "--prune"), "plan --prune after the retired cluster's resources went")


def test_without_retired_clusters_the_plan_warns_and_deletes_nothing(aws):
    apply(aws, shop(aws, "shop.yaml"))
    before_alarms, before_filters = alarms(aws), all_filters(aws)
    dropped = shop(aws, "shop.yaml", retired=False)

    pruned = plan(aws, dropped, "--prune")
    assert_no_changes(pruned, "plan --prune of a config that dropped shop-prod")
    [warning] = [m for m in findings(pruned, "warning") if "shop-prod" in m]
    for said in ("3 metric filters", "2 alarms", "1 composite alarm", "retired_clusters", "destroy"):
        assert said in warning, f"{said!r} missing: {warning}"
    paging = warning.split("still paging: ")[1].split(". ")[0]
    assert sorted(paging.split(", ")) == ["monitor/shop-prod/web/app/errors-high", "monitor/shop-prod/web/app/page"]

    destroy(aws, dropped)
    assert naming(alarms(aws), "shop-prod") == naming(before_alarms, "shop-prod")
    assert naming(all_filters(aws), "shop-prod") == naming(before_filters, "shop-prod")
    assert naming(alarms(aws), "shop-batch") == set()


WEB = """\
    version: 1
    clusters:
      - name: NAME
        services:
          - name: api
            containers:
              - name: app
                log_group: /ecs/shared
                filters:
                  - {name: errors, pattern: ERROR, metric: Errors}
                alarms:
                  - {name: errors-high, metric: Errors, stat: Sum, comparison: ">", threshold: 5}
    """


def test_another_configs_cluster_is_warned_about_never_touched(aws):
    """Two configs share the prefix and a log group, with clusters web and web-api: each warns of the
    other's resources (it cannot know they are not its own, forgotten) and prunes and destroys none."""
    web, api = (write(aws, f"{name}.yaml", WEB.replace("NAME", name)) for name in ("web", "web-api"))
    apply(aws, web)
    apply(aws, api)
    theirs = naming(alarms(aws), "web-api") | naming(all_filters(aws), "web-api")
    pruned = plan(aws, web, "--prune")
    assert_no_changes(pruned, "web's plan --prune beside web-api")
    assert any("cluster web-api is not in this config" in m for m in findings(pruned, "warning"))
    apply(aws, web, "--prune")
    destroy(aws, web)
    assert naming(alarms(aws), "web-api") | naming(all_filters(aws), "web-api") == theirs
    assert naming(alarms(aws), "web") == set()
    assert_no_changes(plan(aws, api, "--prune"), "web-api's plan after web was destroyed")


@pytest.mark.parametrize("retired, message", [
    (["web"], "cluster 'web' is both in 'clusters' and retired"),
    (["web/x"], "'web/x' is not a valid ECS cluster name"),
    (["old", "old"], "duplicate retired cluster 'old'"),
])
def test_retired_clusters_are_validated(tmp_path, retired, message):
    config = tmp_path / "monitor.yaml"
    doc = yaml.safe_load(textwrap.dedent(WEB).replace("NAME", "web"))
    config.write_text(yaml.safe_dump({**doc, "retired_clusters": retired}))
    result = monitor("validate", "-c", str(config))
    assert result.code == 1 and message in result.text and "retired_clusters" in result.text, result.text


# --- 2. alarms made by hand in our name shape ---


HAND = "monitor/web/api/app/by-hand"
COMBO = "monitor/web/api/app/by-hand-combo"


def test_a_hand_made_alarm_in_our_name_shape_survives_prune_and_destroy(aws):
    config = write(aws, "web.yaml", WEB.replace("NAME", "web"))
    apply(aws, config)
    cw = client(aws, "cloudwatch")
    cw.put_metric_alarm(AlarmName=HAND, MetricName="Errors", Namespace="Team", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    cw.put_composite_alarm(AlarmName=COMBO, AlarmRule=f'ALARM("{HAND}")')

    pruned = plan(aws, config, "--prune")
    assert_no_changes(pruned, "plan --prune beside a hand-made alarm and composite")
    warned = findings(pruned, "warning")
    assert all(any(name in m and "not ours" in m for m in warned) for name in (HAND, COMBO)), warned
    apply(aws, config, "--prune")
    destroyed = destroy(aws, config)
    assert {c["id"] for c in destroyed["changes"] if "alarm" in c["kind"]} == {"monitor/web/api/app/errors-high"}
    assert set(alarms(aws)) == {HAND, COMBO}


def test_a_config_wanting_a_hand_made_alarms_name_is_a_conflict(aws):
    config = write(aws, "web.yaml", WEB.replace("NAME", "web"))
    client(aws, "cloudwatch").put_metric_alarm(
        AlarmName="monitor/web/api/app/errors-high", MetricName="Other", Namespace="Team", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    result = monitor("apply", *at(aws, config), "--yes", "--output", "json")
    assert result.code == 1
    [error] = findings(result.json, "error")
    assert "monitor/web/api/app/errors-high" in error and "name is taken" in error, error
    assert alarms(aws)["monitor/web/api/app/errors-high"]["MetricName"] == "Other", "overwritten"


# --- 3. composites that name our alarms ---


def test_an_alarm_a_hand_made_composite_names_is_not_deleted(aws):
    config = write(aws, "web.yaml", WEB.replace("NAME", "web"))
    apply(aws, config)
    ours = "monitor/web/api/app/errors-high"
    client(aws, "cloudwatch").put_composite_alarm(AlarmName="team-wide", AlarmRule=f'ALARM("{ours}") OR FALSE')
    for command in ("destroy", "apply"):
        extra = ("--prune",) if command == "apply" else ()
        if command == "apply":
            config.write_text(config.read_text().split("alarms:")[0].rstrip() + "\n")
        result = monitor(command, *at(aws, config), "--yes", "--output", "json", *extra)
        assert result.code == 1, f"{command}: {result.text}"
        assert any(ours in m and "team-wide" in m for m in findings(result.json, "error")), result.text
        assert ours in alarms(aws), f"{command} deleted {ours}"
    client(aws, "cloudwatch").delete_alarms(AlarmNames=["team-wide"])
    apply(aws, config, "--prune")
    assert ours not in alarms(aws)
    assert_no_changes(plan(aws, config, "--prune"), "plan --prune once the composite is gone")


def test_the_emulator_refuses_what_aws_refuses_about_composites(aws):
    cw = client(aws, "cloudwatch")
    metric = dict(MetricName="M", Namespace="N", Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                  ComparisonOperator="GreaterThanThreshold")
    with pytest.raises(botocore.exceptions.ClientError, match=r"alarms \[missing\] in the alarm rule do not exist"):
        cw.put_composite_alarm(AlarmName="c", AlarmRule="ALARM(missing)")
    for name in ("child", "other"):
        cw.put_metric_alarm(AlarmName=name, **metric)
    cw.put_composite_alarm(AlarmName="c", AlarmRule='ALARM("child")')
    with pytest.raises(botocore.exceptions.ClientError, match="Cannot delete child as there are composite alarm"):
        cw.delete_alarms(AlarmNames=["other", "child"])
    assert set(alarms(aws)) == {"c", "child", "other"}, "a refused DeleteAlarms deletes nothing"
    cw.delete_alarms(AlarmNames=["c"])
    cw.delete_alarms(AlarmNames=["other", "child"])
    assert alarms(aws) == {}


def test_the_plan_refuses_a_delete_a_surviving_composite_names_by_name_or_arn():
    """Pure: composites read (by name or ARN in their rules), the plan's changes, what AWS would refuse."""
    from monitor.kinds import composite_alarm
    from monitor.state.plan import Change, Plan
    from monitor.state.resources import Actual
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
    actual = Actual(composites={None: {"hand": frozenset({"a"}), "ours": frozenset({"b"})},
                                "eu-west-1": {"far": composite_rule_names(f'ALARM("{arn}c")')}})
    gone = [Change("alarm", name, "delete", {"AlarmName": name}, None) for name in ("a", "b")]
    gone.append(Change("alarm", "eu-west-1:c", "delete", {"AlarmName": "c"}, None, region="eu-west-1"))
    rewritten = Change("composite_alarm", "ours", "update", {"AlarmName": "ours"},
                       {"AlarmName": "ours", "AlarmRule": "ALARM(x)"})
    errors = composite_alarm.blocked(Plan(changes=[*gone, rewritten]), actual)
    assert [e.message.split(":")[0] for e in errors] == ["alarm a cannot be deleted", "alarm eu-west-1"]
    assert "composite alarm hand" in errors[0].message and "composite alarm far" in errors[1].message
    dropped = Change("composite_alarm", "hand", "delete", {"AlarmName": "hand"}, None)
    assert len(composite_alarm.blocked(Plan(changes=[*gone, rewritten, dropped]), actual)) == 1


def composite_rule_names(rule: str) -> frozenset[str]:
    from monitor.alarms import rule as composite_rule
    return composite_rule.alarm_names(rule)
