"""The dashboard kind on moto: the built-in template on enhanced and standard clusters converges
("apply, then plan is empty"), a hand edit is an update shown widget by widget, and two configs
sharing a prefix (clusters `web` and `web-api`) never touch each other's dashboards."""

from __future__ import annotations

import json

import boto3
from botocore.stub import Stubber
from test_roundtrip import (  # noqa: F401
    CLUSTER,
    GROUP,
    REGION,
    actions,
    aws,
    clients,
    cluster,
    configure,
    container,
    converge,
    document,
    plan_of,
)

from monitor.kinds import dashboard as dashboard_kind
from monitor.output.plan import plan_json, plan_text
from monitor.state.plan import Plan
from monitor.sync.flow import validate
from monitor.resolved import model as resolved_model

MEMORY = {"name": "memory-high", "metric": "MemoryUtilized", "comparison": ">", "threshold": 900}
ERRORS = {"name": "errors-high", "metric": "Errors", "stat": "Sum", "comparison": ">", "threshold": 5}
BOARD = f"monitor-{CLUSTER}-overview"


def config(insights=None, metrics=(), task_definition=None, clusters=None, **top) -> str:
    item = {**container(metrics=metrics), "alarms": [MEMORY, ERRORS] if insights == "enhanced" or metrics else [ERRORS]}
    board = {"name": f"{CLUSTER}-overview", **({"clusters": clusters} if clusters else {})}
    return document(cluster([item], insights=insights, task_definition=task_definition), dashboards=[board], **top)


def body(name: str = BOARD) -> dict:
    return json.loads(boto3.client("cloudwatch", region_name=REGION).get_dashboard(DashboardName=name)["DashboardBody"])


def widget(found: dict, title: str) -> dict:
    [match] = [w for w in found["widgets"] if w.get("properties", {}).get("title") == title]
    return match


def test_on_an_enhanced_cluster_the_dashboard_shows_the_native_metrics_and_converges(aws, configure):
    converge(configure(config(insights="enhanced")))
    found = body()
    assert "Managed by ecs-monitor" in found["widgets"][0]["properties"]["markdown"]
    memory = widget(found, "app memory (MiB)")["properties"]
    assert memory["metrics"][0][:2] == ["ECS/ContainerInsights", "ContainerMemoryUtilized"]
    assert "annotations" not in memory   # no limit read; the alarm's threshold is the alarm's own widget
    arn = f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:monitor/{CLUSTER}/web/app/memory-high"
    assert widget(found, "alarm memory-high")["properties"] == {
        "title": "alarm memory-high", "region": REGION, "annotations": {"alarms": [arn]}}
    alarms = widget(found, "web alarms")["properties"]["alarms"]
    assert alarms == [f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:monitor/{CLUSTER}/web/app/{name}"
                      for name in ("memory-high", "errors-high")]
    assert widget(found, "web: latest errors")["properties"]["query"].startswith(f"SOURCE '{GROUP}' | fields")
    assert all(w["x"] + w["width"] <= 24 for w in found["widgets"])


def test_on_a_standard_cluster_cpu_and_memory_come_from_the_filters_with_the_limits_marked(aws, configure):
    aws.ecs.register_task_definition(family="web-td", containerDefinitions=[
        {"name": "app", "image": "app", "memory": 1024, "cpu": 256}])
    converge(configure(config(insights="enabled", metrics=["CpuUtilized", "MemoryUtilized"], task_definition="web-td")))
    found = body()
    memory, cpu = (widget(found, f"app {what}")["properties"] for what in ("memory (MiB)", "CPU (CPU units)"))
    assert memory["metrics"][0][:2] == ["Custom/ECS", "ContainerMemoryUtilized"]
    assert memory["annotations"]["horizontal"] == [{"label": "1024 MiB hard limit (web-td:1)", "value": 1024}]
    assert widget(found, "alarm memory-high")["properties"]["annotations"]["alarms"][0].endswith("/memory-high")
    assert cpu["annotations"]["horizontal"] == [{"label": "256 CPU units share, not a cap (web-td:1)", "value": 256}]
    assert widget(found, "app log metrics")["properties"]["metrics"] == [["Custom/ECS/honban/web/app", "Errors"]]


def test_without_a_cpu_metric_the_widget_says_how_to_get_one(aws, configure):
    converge(configure(config()))
    texts = [w["properties"]["markdown"] for w in body()["widgets"] if w["type"] == "text"]
    assert any("app: no cpu metric" in text and "CpuUtilized" in text for text in texts)


def test_a_hand_edit_is_an_update_shown_widget_by_widget(aws, configure):
    loaded = configure(config(insights="enhanced"))
    converge(loaded)
    edited = body()
    edited["widgets"] = [w for w in edited["widgets"] if w["type"] != "log"]
    cpu = next(w for w in edited["widgets"] if w["properties"].get("title") == "app CPU (CPU units)")
    cpu["properties"]["stat"] = "Maximum"
    boto3.client("cloudwatch", region_name=REGION).put_dashboard(DashboardName=BOARD, DashboardBody=json.dumps(edited))
    result = plan_of(loaded)
    assert actions(result) == [("update", "dashboard", BOARD)]
    text = plan_text(result)
    assert '+ added log "web: latest errors"' in text and '~ changed metric "app CPU (CPU units)"' in text, text
    assert '"widgets"' not in text
    [change] = json.loads(plan_json(result))["changes"]
    assert change["widgets"] == {"added": ['log "web: latest errors"'], "changed": ['metric "app CPU (CPU units)"']}
    converge(loaded)


def web_config(name: str, dashboards: list) -> str:
    item = {"name": name, "services": [{"name": "svc", "containers": [container()]}]}
    return document(item, dashboards=dashboards)


def two_configs(write_config, aws) -> tuple:
    aws.ecs.create_cluster(clusterName="web")
    aws.ecs.create_cluster(clusterName="web-api")
    def one(name: str):
        loaded = validate(str(write_config(web_config(name, [{"name": "board"}, {"name": f"{name}-only"}]),
                                           f"{name}.yaml")))
        assert loaded.ok, loaded.problems
        return loaded
    return one("web"), one("web-api")


def dashboards(result) -> list:
    return [change for change in actions(result) if change[1] == "dashboard"]


def test_two_configs_sharing_a_prefix_never_touch_each_others_dashboards(aws, write_config):
    web, api = two_configs(write_config, aws)
    converge(web)
    # `monitor-web-api-only` starts with `monitor-web-`: the name alone cannot say whose it is.
    api_plan = plan_of(api, prune=True)
    assert dashboards(api_plan) == [("create", "dashboard", "monitor-web-api-only")]
    # None of the header's clusters is or was web-api's: listing web under retired_clusters would hand the
    # web config's resources to this one's --prune, so the advice is to rename, never that.
    assert [p.message for p in api_plan.errors] == [
        "dashboard monitor-board exists but its header records another config's (prefix monitor, Region "
        f"{REGION}, clusters web), none of them this config's: that config owns it; rename this dashboard (its "
        "entry's `name:`); it is left alone"]
    assert "retired_clusters" not in api_plan.errors[0].message
    assert "web" in body("monitor-board")["widgets"][0]["properties"]["markdown"]


def test_a_dashboard_of_a_cluster_that_may_have_left_the_config_offers_both_ways_out(aws, write_config):
    """Header (web, batch); the config now has batch only: web may have left it (retired_clusters), or
    be another config's (rename)."""
    aws.ecs.create_cluster(clusterName="web")
    aws.ecs.create_cluster(clusterName="batch")
    def both(*names: str) -> str:
        return document(*({"name": name, "services": [{"name": "svc", "containers": [container()]}]}
                          for name in names), dashboards=[{"name": "board"}])
    converge(validate(str(write_config(both("web", "batch"), "both.yaml"))))
    result = plan_of(validate(str(write_config(both("batch"), "batch.yaml"))), prune=True)
    assert [p.message for p in result.errors] == [
        f"dashboard monitor-board exists but its header records prefix monitor, Region {REGION}, clusters web, "
        "batch, and web is not this config's: if web left this config, list it under retired_clusters; if another "
        "config manages web, rename this dashboard (its entry's `name:`); it is left alone"]


def test_prune_deletes_only_our_dashboards(aws, configure, write_config):
    web, _ = two_configs(write_config, aws)
    converge(web)
    cw = boto3.client("cloudwatch", region_name=REGION)
    theirs = body("monitor-web-only")
    theirs["widgets"][0]["properties"]["markdown"] = theirs["widgets"][0]["properties"]["markdown"].replace(
        "clusters=web", "clusters=web-api")
    cw.put_dashboard(DashboardName="monitor-web-api-only", DashboardBody=json.dumps(theirs))
    cw.put_dashboard(DashboardName="monitor-hand-made", DashboardBody=json.dumps({"widgets": []}))
    result = converge(configure(web_config("web", [])), prune=True)
    assert sorted(c.id for c in result.changes if c.kind == "dashboard") == ["monitor-board", "monitor-web-only"]
    left = {e["DashboardName"] for e in cw.list_dashboards()["DashboardEntries"]}
    assert left == {"monitor-web-api-only", "monitor-hand-made"}


def test_deletes_are_batched_to_a_hundred_names():
    stub_clients = clients()
    cw = stub_clients.cloudwatch
    with Stubber(cw) as stub:
        names = [f"monitor-b{n}" for n in range(150)]
        stub.add_response("delete_dashboards", {}, {"DashboardNames": names[:100]})
        stub.add_response("delete_dashboards", {}, {"DashboardNames": names[100:]})
        from monitor.state.plan import Change
        from monitor.sync.apply import apply
        changes = [Change("dashboard", name, "delete", {}, None) for name in names]
        outcomes = apply(stub_clients, Plan(changes=changes))
        stub.assert_no_pending_responses()
    assert {o.result for o in outcomes} == {"ok"}


def test_list_dashboards_pages_are_followed(aws, configure):
    stub_clients = clients()
    cw = stub_clients.cloudwatch
    def theirs(name):
        record = f"`ecs-monitor owner: prefix=monitor region=us-east-1 clusters=honban name={name}`"
        return json.dumps({"widgets": [{"type": "text", "properties": {"markdown": record}}]})
    with Stubber(cw) as stub:
        stub.add_response("list_dashboards", {"DashboardEntries": [{"DashboardName": "monitor-a"}], "NextToken": "t"},
                          {"DashboardNamePrefix": "monitor-"})
        stub.add_response("list_dashboards", {"DashboardEntries": [{"DashboardName": "monitor-b"}]},
                          {"DashboardNamePrefix": "monitor-", "NextToken": "t"})
        for name in ("monitor-a", "monitor-b"):
            stub.add_response("get_dashboard", {"DashboardBody": theirs(name)}, {"DashboardName": name})
        from monitor.config import facts
        from monitor.state.resources import Actual
        actual = Actual()
        loaded = configure(document())
        dashboard_kind.read(stub_clients, resolved_model.of(facts.with_facts(loaded.config, region=REGION)), actual)
    assert sorted(key[1] for key, r in actual.resources.items() if r.owned) == ["monitor-a", "monitor-b"]


def test_put_dashboard_warnings_reach_the_outcome():
    stub_clients = clients()
    with Stubber(stub_clients.cloudwatch) as stub:
        stub.add_response("put_dashboard", {"DashboardValidationMessages": [
            {"DataPath": "/widgets/1", "Message": "Should NOT have additional properties"}]})
        from monitor.state.plan import Change
        from monitor.sync.apply import apply
        [outcome] = apply(stub_clients, Plan(changes=[Change("dashboard", "monitor-x", "update", {}, {"widgets": []})]))
    assert (outcome.result, outcome.message) == ("ok", "/widgets/1: Should NOT have additional properties")


def test_a_console_copy_of_our_dashboard_is_never_deleted(aws, configure):
    """"Save as" in the console copies the body, header and all: the record names the original, so the
    copy is the user's, and neither `plan --prune` nor `destroy` plans its delete."""
    loaded = configure(config())
    converge(loaded)
    cw = boto3.client("cloudwatch", region_name=REGION)
    cw.put_dashboard(DashboardName=f"{BOARD}-mycopy", DashboardBody=json.dumps(body()))
    assert dashboards(plan_of(loaded, prune=True)) == []
    assert dashboards(plan_of(loaded, destroy=True)) == [("delete", "dashboard", BOARD)]
    assert f"name={BOARD}`" in body()["widgets"][0]["properties"]["markdown"]


def test_alarms_of_another_region_and_composites_are_listed_and_logs_get_a_widget_a_region(aws, configure):
    away = boto3.client("logs", region_name="eu-west-1")
    away.create_log_group(logGroupName="/ecs/away")
    composite = {"name": "web-down", "alarm_rule": "ALARM(errors-high)"}
    there = {**container("far", log_group="/ecs/away"), "log_region": "eu-west-1", "alarms": [ERRORS]}
    here = {**container(), "alarms": [ERRORS, composite]}
    converge(configure(document(cluster([here, there]), dashboards=[{"name": f"{CLUSTER}-overview"}])))
    found = body()
    account = "123456789012"
    assert widget(found, "web alarms")["properties"]["alarms"] == [
        f"arn:aws:cloudwatch:{REGION}:{account}:alarm:monitor/{CLUSTER}/web/app/errors-high",
        f"arn:aws:cloudwatch:{REGION}:{account}:alarm:monitor/{CLUSTER}/web/app/web-down",
        f"arn:aws:cloudwatch:eu-west-1:{account}:alarm:monitor/{CLUSTER}/web/far/errors-high"]
    home, far = (widget(found, title)["properties"] for title in ("web: latest errors",
                                                                    "web: latest errors (eu-west-1)"))
    assert (home["region"], home["query"].split(" | ")[0]) == (REGION, f"SOURCE '{GROUP}'")
    assert (far["region"], far["query"].split(" | ")[0]) == ("eu-west-1", "SOURCE '/ecs/away'")


def test_a_log_group_read_from_the_task_definition_gets_its_logs_widget(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/from-taskdef")
    aws.ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "app", "image": "app:1", "memory": 256,
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/from-taskdef"}}}])
    converge(configure(document(cluster([container(log_group=None)], task_definition="web"),
                                dashboards=[{"name": f"{CLUSTER}-overview"}])))
    assert widget(body(), "web: latest errors")["properties"]["query"].startswith("SOURCE '/ecs/from-taskdef' | ")


def test_a_bad_dashboard_entry_hides_no_alarm_error(write_config):
    bad_alarm = {"name": "x", "metric": "Nope", "comparison": ">", "threshold": 1}
    text = document(cluster([{**container(), "alarms": [bad_alarm]}]),
                    dashboards=[{"name": "b", "clusters": ["nope"]}])
    loaded = validate(str(write_config(text)))
    messages = [p.message for p in loaded.problems if p.severity == "error"]
    assert any("no cluster 'nope'" in m for m in messages), messages
    assert any(p.path[:2] == ("clusters", 0) and "alarms" in p.path for p in loaded.problems
               if p.severity == "error"), messages
