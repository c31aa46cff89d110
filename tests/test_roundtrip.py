"""Round trips on the corrected emulator: plan, apply, and then the plan is empty, for every kind."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
import pytest
import yaml
from moto import mock_aws

from monitor import cli
from monitor.aws.clients import Clients, Target
from monitor.commands.connect import seed, task_definitions
from monitor.emulator.server import install_fidelity_patches
from monitor.resolved import Loaded
from monitor.state.plan import Plan
from monitor.sync.apply import apply
from monitor.sync.flow import make_plan, validate

REGION = "us-east-1"
CLUSTER = "honban"
GROUP = "/ecs/honban/web"
PERFORMANCE = f"/aws/ecs/containerinsights/{CLUSTER}/performance"
READS = ("Describe", "List", "Get")   # GetResources (tags) reads too


# --- the config factory --------------------------------------------------------------------

def inline(name: str, pattern: str = '{ $.level = "error" }', metric: str | None = None) -> dict:
    return {"name": name, "pattern": pattern, "metric": metric or name.title().replace("-", "")}


def container(name: str = "app", log_group: str | None = GROUP, filters=None, metrics=()) -> dict:
    """A container with one `errors` filter unless told otherwise."""
    filters = [inline("errors")] if filters is None else filters
    item = {"name": name, "log_group": log_group, "performance_metrics": list(metrics), "filters": list(filters)}
    return {key: value for key, value in item.items() if value}


def cluster(containers=(), insights: str | None = None, name: str = CLUSTER, task_definition=None) -> dict:
    service = {"name": "web", "task_definition": task_definition,
               "containers": list(containers) or [container()]}
    item = {"name": name, "container_insights": insights,
            "services": [{k: v for k, v in service.items() if v}]}
    return {key: value for key, value in item.items() if value}


def document(*clusters: dict, **top) -> str:
    return yaml.safe_dump({"version": 1, "region": REGION, **top, "clusters": list(clusters) or [cluster()]},
                          sort_keys=False)


# --- the harness ---------------------------------------------------------------------------

@pytest.fixture
def aws():
    """A fresh mocked account with AWS's rules, one cluster and one app log group."""
    with mock_aws():
        install_fidelity_patches()
        ecs, logs = (boto3.client(s, region_name=REGION) for s in ("ecs", "logs"))
        ecs.create_cluster(clusterName=CLUSTER)
        logs.create_log_group(logGroupName=GROUP)
        yield SimpleNamespace(ecs=ecs, logs=logs)


@pytest.fixture
def configure(write_config):
    """Write a config and load it as the CLI would; it must be valid."""
    def load(text: str) -> Loaded:
        loaded = validate(str(write_config(text)))
        assert loaded.ok, loaded.problems
        return loaded
    return load


# One boto3 session for the module: its loader keeps the parsed service models, which
# otherwise every new Clients would parse again (most of a round trip's time).
SESSION = boto3.Session(region_name=REGION)


def clients() -> Clients:
    """Fresh clients (and a fresh call counter) for each step, as each CLI run has."""
    return Clients(Target(REGION), _session=SESSION)


def plan_of(loaded: Loaded, **options) -> Plan:
    return make_plan(loaded, clients(), **options)


def apply_plan(loaded: Loaded, **options) -> Plan:
    """Plan and apply with fresh clients; every change must succeed."""
    result = plan_of(loaded, **options)
    assert result.errors == []
    outcomes = apply(clients(), result)
    assert [(o.change.id, o.result, o.message) for o in outcomes if o.failed] == []
    return result


def assert_empty(result: Plan) -> None:
    assert (result.changes, result.errors) == ([], [])


def converge(loaded: Loaded, **options) -> Plan:
    """The invariant of every round trip: apply, then the plan is empty."""
    applied = apply_plan(loaded, **options)
    assert_empty(plan_of(loaded, **options))
    return applied


def actions(result: Plan) -> list[tuple[str, str, str]]:
    return [(c.action, c.kind, c.id) for c in result.changes]


def filter_names(logs, group: str = GROUP) -> list[str]:
    return list(patterns(logs, group))


def patterns(logs, group: str = GROUP) -> dict[str, str]:
    pages = logs.get_paginator("describe_metric_filters").paginate(logGroupName=group)
    return {item["filterName"]: item["filterPattern"] for page in pages for item in page["metricFilters"]}


def put_filter(logs, name: str, group: str = GROUP, pattern: str = "ERROR") -> None:
    logs.put_metric_filter(logGroupName=group, filterName=name, filterPattern=pattern, metricTransformations=[
        {"metricName": "Foreign", "metricNamespace": "Theirs", "metricValue": "1"}])


def insights(ecs, name: str = CLUSTER) -> str:
    [found] = ecs.describe_clusters(clusters=[name], include=["SETTINGS"])["clusters"]
    return {s["name"]: s["value"] for s in found["settings"]}["containerInsights"]


# --- one round trip per kind ---------------------------------------------------------------

@pytest.mark.parametrize("wanted", ["enabled", "enhanced", "disabled"])
def test_cluster_setting_round_trip(aws, configure, wanted):
    loaded = configure(document(cluster(insights=wanted)))
    applied = converge(loaded)
    setting = [c for c in applied.changes if c.kind == "cluster_setting"]
    if wanted == "disabled":   # a new cluster already reports disabled
        assert setting == []
    else:
        [change] = setting
        assert (change.action, change.fields) == ("update", ("containerInsights",))
        assert change.before == {"containerInsights": "disabled"}
    assert insights(aws.ecs) == wanted


def test_a_cluster_without_container_insights_in_the_config_is_left_as_it_is(aws, configure):
    aws.ecs.update_cluster(cluster=CLUSTER, settings=[{"name": "containerInsights", "value": "enhanced"}])
    converge(configure(document(cluster(insights=None))))
    assert insights(aws.ecs) == "enhanced"


def test_log_group_and_performance_filters_round_trip(aws, configure):
    """The performance group does not exist before the first task: it is created before its filters."""
    loaded = configure(document(cluster([container(metrics=["CpuUtilized", "MemoryUtilized"])], insights="enabled")))
    first = plan_of(loaded)
    assert actions(first) == [
        ("update", "cluster_setting", CLUSTER),
        ("create", "log_group", PERFORMANCE),
        ("create", "metric_filter", f"{PERFORMANCE}:monitor/honban/(performance)/CpuUtilized"),
        ("create", "metric_filter", f"{PERFORMANCE}:monitor/honban/(performance)/MemoryUtilized"),
        ("create", "metric_filter", f"{GROUP}:monitor/honban/web/app/errors"),
    ]
    converge(loaded)
    [group] = aws.logs.describe_log_groups(logGroupNamePrefix=PERFORMANCE)["logGroups"]
    assert aws.logs.list_tags_log_group(logGroupName=PERFORMANCE)["tags"]["managed-by"] == "ecs-monitor"
    assert filter_names(aws.logs, PERFORMANCE) == ["monitor/honban/(performance)/CpuUtilized",
                                                  "monitor/honban/(performance)/MemoryUtilized"]


def test_an_existing_performance_group_is_used_not_created(aws, configure):
    aws.logs.create_log_group(logGroupName=PERFORMANCE)
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])])))
    assert [c.kind for c in converge(loaded).changes] == ["metric_filter", "metric_filter"]


OUR_TAGS = {"managed-by": "ecs-monitor", "ecs-monitor:prefix": "monitor", "ecs-monitor:cluster": CLUSTER}


def group_tags(logs, name: str) -> dict[str, str]:
    [group] = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return logs.list_tags_for_resource(resourceArn=group["logGroupArn"])["tags"]


def test_fewer_performance_parts_delete_the_rest_without_prune(aws, configure):
    """A compiled filter split in parts: when the config shrinks, the parts it no longer makes go too."""
    containers = [container(name=f"container-with-a-long-name-{n:02d}", metrics=["CpuUtilized"]) for n in range(40)]
    converge(configure(document(cluster(containers))))
    assert len(filter_names(aws.logs, PERFORMANCE)) > 1
    converge(configure(document(cluster(containers[:2]))))
    assert filter_names(aws.logs, PERFORMANCE) == ["monitor/honban/(performance)/CpuUtilized"]


def test_the_config_tags_go_on_the_created_group(aws, configure):
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])]), tags={"team": "platform"}))
    converge(loaded)
    assert group_tags(aws.logs, PERFORMANCE) == {"team": "platform", **OUR_TAGS}


def test_changed_tags_reach_a_group_we_made_and_the_plan_says_so(aws, configure):
    converge(configure(document(cluster([container(metrics=["CpuUtilized"])]), tags={"team": "a", "old": "x"})))
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])]), tags={"team": "b", "env": "prd"}))
    [change] = plan_of(loaded).changes
    assert (change.action, change.kind, change.id) == ("update", "log_group", PERFORMANCE)
    assert set(change.fields) == {"tags.team", "tags.old", "tags.env"}
    converge(loaded)
    assert group_tags(aws.logs, PERFORMANCE) == {"team": "b", "env": "prd", **OUR_TAGS}


def test_a_group_someone_else_made_is_used_and_never_tagged(aws, configure):
    aws.logs.create_log_group(logGroupName=PERFORMANCE, tags={"owner": "insights"})
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])]), tags={"team": "platform"}))
    assert {c.kind for c in converge(loaded).changes} == {"metric_filter"}
    assert group_tags(aws.logs, PERFORMANCE) == {"owner": "insights"}


def test_a_group_of_another_prefix_is_not_ours(aws, configure):
    converge(configure(document(cluster([container(metrics=["CpuUtilized"])]), prefix="other")))
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])]), tags={"team": "platform"}))
    assert {c.kind for c in plan_of(loaded).changes} == {"metric_filter"}


def test_app_metric_filters_round_trip(aws, configure):
    filters = [inline("errors"), {"use": "http-5xx-json"},
               {**inline("slow", '{ $.duration > 1000 }', "Slow"), "value": "$.duration", "unit": "Milliseconds",
                "dimensions": {"Path": "$.path"}}]
    loaded = configure(document(cluster([container(filters=filters)])))
    converge(loaded)
    assert filter_names(aws.logs) == ["monitor/honban/web/app/errors", "monitor/honban/web/app/http-5xx-json",
                                      "monitor/honban/web/app/slow"]
    slow = aws.logs.describe_metric_filters(logGroupName=GROUP, filterNamePrefix="monitor/honban/web/app/slow")
    [transformation] = slow["metricFilters"][0]["metricTransformations"]
    assert (transformation["metricValue"], transformation["unit"], transformation["dimensions"]) == \
        ("$.duration", "Milliseconds", {"Path": "$.path"})


def test_a_log_group_from_the_task_definition_round_trip(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/from-taskdef")
    aws.ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "app", "image": "app:1", "memory": 256,
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/from-taskdef"}}}])
    loaded = configure(document(cluster([container(log_group=None)],
                                        task_definition="web")))
    applied = converge(loaded)
    assert actions(applied) == [("create", "metric_filter", "/ecs/from-taskdef:monitor/honban/web/app/errors")]
    assert filter_names(aws.logs, "/ecs/from-taskdef") == ["monitor/honban/web/app/errors"]


def test_a_filter_on_a_group_in_another_region_round_trip(aws, configure):
    """`log_region` puts the filter where the logs are; the home Region gets nothing."""
    away = boto3.client("logs", region_name="eu-west-1")
    away.create_log_group(logGroupName=GROUP)
    loaded = configure(document(cluster([{**container(), "log_region": "eu-west-1"}])))
    assert actions(converge(loaded)) == [("create", "metric_filter", f"eu-west-1:{GROUP}:monitor/honban/web/app/errors")]
    assert filter_names(away) == ["monitor/honban/web/app/errors"] and filter_names(aws.logs) == []


def test_a_group_the_task_would_create_round_trip(aws, configure):
    """`create_log_group` (awslogs-create-group): the plan makes the group, tagged as ours, then its filters."""
    loaded = configure(document(cluster([{**container(log_group="/ecs/honban/new"), "create_log_group": True}])))
    assert actions(converge(loaded)) == [("create", "log_group", "/ecs/honban/new"),
                                         ("create", "metric_filter", "/ecs/honban/new:monitor/honban/web/app/errors")]
    assert group_tags(aws.logs, "/ecs/honban/new") == OUR_TAGS


def test_the_example_config_round_trip(example_config):
    with mock_aws():
        install_fidelity_patches()
        loaded = validate(str(example_config))
        region = loaded.config.region
        clusters, groups = seed(loaded)
        for name in clusters:
            boto3.client("ecs", region_name=region).create_cluster(clusterName=name)
        for name in groups:
            boto3.client("logs", region_name=region).create_log_group(logGroupName=name)
        for definition in task_definitions(loaded):   # from task-definitions/ beside the example
            boto3.client("ecs", region_name=region).register_task_definition(**definition)
        result = make_plan(loaded, Clients(Target(region)))
        assert result.errors == [] and result.summary["create"] > 10
        assert all(o.result == "ok" for o in apply(Clients(Target(region)), result))
        assert_empty(make_plan(loaded, Clients(Target(region))))


# --- update, prune, ownership, destroy ----------------------------------------------------

def test_a_changed_pattern_is_one_update_of_that_field(aws, configure):
    converge(configure(document(cluster([container(filters=[inline("errors"), inline("warnings")])]))))
    changed = configure(document(cluster([container(filters=[inline("errors", '{ $.level = "fatal" }', "Errors"),
                                                             inline("warnings")])])))
    [change] = plan_of(changed).changes
    assert (change.action, change.id, change.fields) == \
        ("update", f"{GROUP}:monitor/honban/web/app/errors", ("filterPattern",))
    assert (change.before["filterPattern"], change.after["filterPattern"]) == \
        ('{ $.level = "error" }', '{ $.level = "fatal" }')
    converge(changed)
    [stored] = aws.logs.describe_metric_filters(logGroupName=GROUP, filterNamePrefix="monitor/honban/web/app/e")[
        "metricFilters"]
    assert stored["filterPattern"] == '{ $.level = "fatal" }'
    assert len(filter_names(aws.logs)) == 2   # replaced, not duplicated


def test_a_changed_metric_is_one_update_of_the_nested_field(aws, configure):
    converge(configure(document()))
    changed = configure(document(cluster([container(filters=[inline("errors", metric="AppErrors")])])))
    [change] = plan_of(changed).changes
    assert change.fields == ("metricTransformations[0].metricName",)
    converge(changed)


def test_a_removed_filter_is_deleted_only_with_prune(aws, configure):
    converge(configure(document(cluster([container(filters=[inline("errors"), inline("warnings")])]))))
    smaller = configure(document(cluster([container()])))
    kept = plan_of(smaller)
    assert kept.changes == [] and kept.errors == []
    assert [f.severity for f in kept.findings] == ["info"]
    assert "monitor/honban/web/app/warnings" in kept.findings[0].message
    assert actions(plan_of(smaller, prune=True)) == [
        ("delete", "metric_filter", f"{GROUP}:monitor/honban/web/app/warnings")]
    converge(smaller, prune=True)
    assert filter_names(aws.logs) == ["monitor/honban/web/app/errors"]


def test_ignore_silences_a_plan_finding_by_its_code(aws, configure):
    converge(configure(document(cluster([container(filters=[inline("errors"), inline("warnings")])]))))
    [kept] = plan_of(configure(document(cluster([container()])))).findings
    assert kept.code == "PLN-010"
    assert plan_of(configure(document(cluster([container()]), ignore=["PLN-010"]))).findings == []


def test_an_owned_filter_not_in_the_config_is_deleted_only_with_prune(aws, configure):
    put_filter(aws.logs, "monitor/honban/web/left/over")
    loaded = configure(document())
    converge(loaded)
    assert "monitor/honban/web/left/over" in filter_names(aws.logs)
    assert actions(plan_of(loaded, prune=True)) == [
        ("delete", "metric_filter", f"{GROUP}:monitor/honban/web/left/over")]
    converge(loaded, prune=True)
    assert filter_names(aws.logs) == ["monitor/honban/web/app/errors"]


# None starts with "monitor-", the ownership marker.
FOREIGN = ("team-alerts", "monitoring-other", "monitor", "Monitor-honban-web-app-x", "honban-web-app-errors")


@pytest.mark.parametrize("options", [{}, {"prune": True}, {"destroy": True}], ids=["plain", "prune", "destroy"])
def test_a_foreign_filter_on_the_same_group_is_never_touched(aws, configure, options):
    for name in FOREIGN:
        put_filter(aws.logs, name, pattern="FOREIGN")
    loaded = configure(document())
    converge(loaded)
    result = apply_plan(loaded, **options)
    assert not any(c.id.split(":", 1)[1] in FOREIGN for c in result.changes)
    assert {name: pattern for name, pattern in patterns(aws.logs).items() if name in FOREIGN} == \
        dict.fromkeys(FOREIGN, "FOREIGN")


def test_our_filter_on_a_log_group_the_config_no_longer_names_is_found_for_prune(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/honban/old")
    converge(configure(document(cluster([container(), container("old", "/ecs/honban/old")]))))
    smaller = configure(document())
    assert plan_of(smaller).changes == []
    assert actions(plan_of(smaller, prune=True)) == [
        ("delete", "metric_filter", "/ecs/honban/old:monitor/honban/web/old/errors")]
    converge(smaller, prune=True)
    assert filter_names(aws.logs, "/ecs/honban/old") == []


@pytest.mark.parametrize("other", ["staging", "honban-eu"])
def test_a_config_with_the_same_prefix_for_another_cluster_never_prunes_ours(aws, configure, other):
    """Two teams share the default prefix: each config owns only its own clusters' filters."""
    group = f"/ecs/{other}/web"
    aws.ecs.create_cluster(clusterName=other)
    aws.logs.create_log_group(logGroupName=group)
    theirs = configure(document(cluster([container(log_group=group)], name=other)))
    converge(theirs)
    ours = configure(document())
    assert actions(plan_of(ours, prune=True)) == [("create", "metric_filter", f"{GROUP}:monitor/honban/web/app/errors")]
    converge(ours, prune=True)
    assert filter_names(aws.logs, group) == [f"monitor/{other}/web/app/errors"]
    assert_empty(plan_of(theirs, prune=True))


def test_destroy_deletes_owned_filters_and_keeps_settings_and_log_groups(aws, configure):
    put_filter(aws.logs, "team-alerts")
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])], insights="enabled")))
    converge(loaded)
    destroyed = apply_plan(loaded, destroy=True)
    assert {(c.action, c.kind) for c in destroyed.changes} == {("delete", "metric_filter")}
    assert len(destroyed.changes) == 2   # the app filter and the performance filter
    assert filter_names(aws.logs) == ["team-alerts"]
    assert filter_names(aws.logs, PERFORMANCE) == []
    assert insights(aws.ecs) == "enabled"
    assert aws.logs.describe_log_groups(logGroupNamePrefix=PERFORMANCE)["logGroups"]
    assert_empty(plan_of(loaded, destroy=True))


# --- what stops a plan --------------------------------------------------------------------

def test_a_missing_app_log_group_is_an_error_at_plan_time(aws, configure):
    loaded = configure(document(cluster([container(),
                                         container("sidecar", "/ecs/honban/missing", [inline("errors")])])))
    result = plan_of(loaded)
    [error] = result.errors
    assert "log group '/ecs/honban/missing' does not exist" in error.message
    assert error.path == ("clusters", 0, "services", 0, "containers", 1, "log_group")
    assert not any(c.kind == "log_group" for c in result.changes)   # app groups are never created


def test_apply_is_blocked_by_an_error_finding(aws, write_config, capsys):
    path = write_config(document(cluster([container(),
                                          container("sidecar", "/ecs/honban/missing", [inline("errors")])])))
    assert cli.main(["apply", "-c", str(path), "--yes"]) == 1
    out, err = capsys.readouterr()
    assert "/ecs/honban/missing' does not exist" in out
    assert "Traceback" not in out + err
    assert filter_names(aws.logs) == []   # nothing at all was applied


def test_a_missing_cluster_is_an_error(aws, configure):
    loaded = configure(document(cluster(insights="enabled", name="nowhere")))
    [error] = plan_of(loaded).errors
    assert "cluster 'nowhere' was not found" in error.message
    assert error.path == ("clusters", 0, "name")


def test_a_missing_task_definition_is_an_error(aws, configure):
    loaded = configure(document(cluster([container(log_group=None)],
                                        task_definition="nope")))
    [error] = plan_of(loaded).errors
    assert "task definition 'nope' could not be read" in error.message


def test_the_filter_quota_counts_foreign_filters(aws, configure):
    for number in range(95):
        put_filter(aws.logs, f"team-{number:02d}")
    loaded = configure(document(cluster([container(filters=[inline(f"f{n}") for n in range(6)])])))
    [error] = plan_of(loaded).errors
    assert f"log group '{GROUP}' would have 101 metric filters" in error.message
    five = configure(document(cluster([container(filters=[inline(f"f{n}") for n in range(5)])])))
    converge(five)   # exactly 100 fits
    assert len(filter_names(aws.logs)) == 100


def test_the_quota_counts_our_stale_filters_unless_they_are_pruned(aws, configure):
    for number in range(94):
        put_filter(aws.logs, f"team-{number:02d}")
    put_filter(aws.logs, "monitor/honban/web/app/stale")
    loaded = configure(document(cluster([container(filters=[inline(f"f{n}") for n in range(6)])])))
    assert len(plan_of(loaded).errors) == 1
    assert plan_of(loaded, prune=True).errors == []


def test_the_regex_quota_counts_foreign_regex_filters(aws, configure):
    for number in range(4):
        put_filter(aws.logs, f"team-{number}", pattern=f"%timeout{number}%")
    put_filter(aws.logs, "team-plain", pattern="ERROR")
    regex = [inline(f"r{n}", pattern=f"%fail{n}%") for n in range(2)]
    [error] = plan_of(configure(document(cluster([container(filters=regex)])))).errors
    assert f"log group '{GROUP}' would have 6 filter patterns with regular expressions" in error.message
    assert error.path[-3:] == ("filters", 1, "pattern")
    assert plan_of(configure(document(cluster([container(filters=regex[:1])])))).errors == []


def test_a_no_op_apply_makes_no_write_call(aws, configure):
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])], insights="enabled")))
    converge(loaded)
    counted = clients()
    result = make_plan(loaded, counted)
    assert apply(counted, result) == []
    assert counted.calls and all(name.startswith(READS) for name in counted.calls), counted.calls


def test_performance_metrics_on_a_cluster_with_insights_disabled_in_aws_get_a_note(aws, configure):
    loaded = configure(document(cluster([container(metrics=["CpuUtilized"])])))
    notes = [f.message for f in plan_of(loaded).findings if f.severity == "info"]
    assert any("Container Insights disabled in AWS" in note for note in notes)
