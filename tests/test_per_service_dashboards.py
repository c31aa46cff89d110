"""Issue 17: `per: service` makes one dashboard a service, planned, applied, pruned and destroyed like
any other; the service widgets (tasks, utilization, network, storage, target group, queue) and the
memory reservation beside the hard limit."""

from __future__ import annotations

import json

import boto3
import yaml
from test_roundtrip import CLUSTER, REGION, SESSION, actions, aws, configure, converge, plan_of  # noqa: F401

from monitor import kinds
from monitor.aws.clients import Clients, Target
from monitor.sync.apply import apply
from monitor.sync.flow import make_plan, validate
from monitor.resolved import model as resolved_model

TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/front/fedcba9876543210"


def document(services: list[dict], per="service", name="svc") -> str:
    board = {"name": name, **({"per": per} if per else {})}
    return yaml.safe_dump({"version": 1, "region": REGION, "dashboards": [board], "clusters": [
        {"name": CLUSTER, "container_insights": "enabled", "services": services}]}, sort_keys=False)


def service(name: str, **more) -> dict:
    return {"name": name, **more, "containers": [{"name": "app", "log_group": "/ecs/honban/web",
                                                  "performance_metrics": ["MemoryUtilized"]}]}


def body(name: str) -> dict:
    return json.loads(boto3.client("cloudwatch", region_name=REGION).get_dashboard(DashboardName=name)["DashboardBody"])


def titles(found: dict) -> set[str]:
    return {w["properties"].get("title") for w in found["widgets"] if w["type"] == "metric"}


def test_two_hundred_services_make_two_hundred_dashboards_and_a_no_op_plan_reads_each_once(aws, configure):
    loaded = configure(document([service(f"s{n:03}") for n in range(200)]))
    wanted = [r.id for r in kinds.desired(resolved_model.of(loaded.config)) if r.kind == "dashboard"]
    assert len(wanted) == 200 and wanted[0] == f"monitor-svc-{CLUSTER}-s000"
    converge(loaded)
    counted = Clients(Target(REGION), _session=SESSION)
    result = make_plan(loaded, counted)
    assert (result.changes, result.unchanged >= 200) == ([], True)
    assert counted.calls["GetDashboard"] <= 200
    listed = boto3.client("cloudwatch", region_name=REGION).list_dashboards(DashboardNamePrefix="monitor-svc-")
    assert len(listed["DashboardEntries"]) == 200


def test_a_removed_service_s_dashboard_is_pruned_and_destroy_removes_the_rest(aws, configure):
    converge(configure(document([service("a"), service("b")])))
    smaller = configure(document([service("a")]))
    boards = lambda result: [a for a in actions(result) if a[1] == "dashboard"]  # noqa: E731
    assert boards(plan_of(smaller)) == []   # kept without --prune, as any owned resource
    assert boards(converge(smaller, prune=True)) == [("delete", "dashboard", f"monitor-svc-{CLUSTER}-b")]
    gone = plan_of(smaller, destroy=True)
    assert ("delete", "dashboard", f"monitor-svc-{CLUSTER}-a") in actions(gone)
    apply(Clients(Target(REGION), _session=SESSION), gone)
    assert boto3.client("cloudwatch", region_name=REGION).list_dashboards()["DashboardEntries"] == []


def test_the_service_dashboard_has_task_target_group_and_queue_widgets(aws, configure):
    aws.ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "app", "image": "app", "memory": 512, "memoryReservation": 256}])
    loaded = configure(document([service("web", task_definition="web", target_group_arn=TG, load_balancer_arn=LB,
                                         queue="jobs")]))
    converge(loaded)
    found = body(f"monitor-svc-{CLUSTER}-web")
    assert {"web tasks: running vs desired", "web CPU and memory (% of reserved)", "web network (bytes/s)",
            "web ephemeral storage (GB)", "web requests and target 5xx (per period)", "web response time (s)",
            "web healthy and unhealthy tasks", "web queue: oldest message (s) and depth"} <= titles(found)
    requests = next(w for w in found["widgets"] if w["properties"].get("title") == "web requests and target 5xx (per period)")
    assert requests["properties"]["metrics"][0] == ["AWS/ApplicationELB", "RequestCount", "TargetGroup",
                                                    "targetgroup/web/0123456789abcdef", "LoadBalancer",
                                                    "app/front/fedcba9876543210"]
    memory = next(w for w in found["widgets"] if w["properties"].get("title") == "app memory (MiB)")
    assert [line["value"] for line in memory["properties"]["annotations"]["horizontal"]] == [512, 256]


def test_a_service_with_no_load_balancer_or_queue_has_no_such_widgets(write_config):
    loaded = validate(str(write_config(document([service("worker")]))))
    [board] = [r.spec for r in kinds.desired(resolved_model.of(loaded.config)) if r.kind == "dashboard"]
    assert not any("requests" in (t or "") or "queue" in (t or "") for t in titles(board))


def test_a_name_past_255_characters_is_refused(write_config):
    loaded = validate(str(write_config(document([service("s" * 200)], name="n" * 60))))
    assert any(p.path == ("dashboards", 0, "name") and "at most 255" in p.message for p in loaded.problems if p.is_error)


def test_a_cluster_dashboard_past_the_limits_suggests_per_service(write_config):
    loaded = validate(str(write_config(document([service(f"s{n:03}") for n in range(100)], per=None))))
    assert any("set 'per: service'" in p.message for p in loaded.problems if p.is_error)


def test_two_services_whose_dashboard_names_join_alike_are_one_error_naming_both(write_config):
    text = yaml.safe_dump({"version": 1, "region": REGION, "dashboards": [{"name": "d", "per": "service"}],
                           "clusters": [{"name": "web", "services": [service("api-x")]},
                                        {"name": "web-api", "services": [service("x")]}]}, sort_keys=False)
    loaded = validate(str(write_config(text, "same.yaml")))
    [problem] = [p for p in loaded.problems if p.is_error]
    assert (problem.check.code, problem.path, problem.related) == ("CFG-026", ("dashboards", 0), ())
    assert "for cluster web, service api-x and for cluster web-api, service x" in problem.message
    assert "split the entry into two entries, each with its own `name:` and `clusters:`" in problem.message
