"""The cost of config.example.yaml checked by hand, the plan's cost delta, and how plan shows both."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import boto3
import pytest
import yaml
from test_cli_e2e import FAKE, REGIONS

from monitor import kinds
from monitor import resolved as configs
from monitor.cli import main
from monitor.cost import hints as given
from monitor.cost.estimate import estimate, plan_delta
from monitor.output import cost as render
from monitor.output.plan import plan_json
from monitor.resolved import thresholds
from monitor.state.plan import plan
from monitor.state.resources import Actual
from monitor.resolved import model as resolved_model

D = Decimal
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.yaml"
THREE_ALARMS = [
    {"name": "log-errors-over-5", "metric": "LogErrors", "stat": "Sum", "period": 60, "comparison": ">", "threshold": 5},
    {"name": "exceptions-high", "metric": "JavaExceptions", "stat": "Sum", "period": 60, "comparison": ">",
     "threshold": 5},
    {"name": "oom", "metric": "OutOfMemory", "stat": "Sum", "period": 300, "comparison": ">", "threshold": 0},
]


def example_with_three_alarms(tmp_path: Path) -> Path:
    """The example, whose worker container gets three alarms more."""
    document = yaml.safe_load(EXAMPLE.read_text())
    [worker] = [service for service in document["clusters"][0]["services"] if service["name"] == "worker"]
    worker["containers"][0].setdefault("alarms", []).extend(THREE_ALARMS)
    path = tmp_path / "monitor.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def loaded(path: Path):
    result = configs.load(str(path))
    assert result.ok, result.problems
    return result.config


def example_hints(config) -> given.Hints:
    return given.Hints(known=given.performance_combinations(config), services=given.services(config))


def with_task_definitions(config):
    """The example with its `N%` thresholds made numbers from task-definitions/, as plan does."""
    definitions = {("clusters", 0, "services", number): json.loads((ROOT / "task-definitions" / f"{family}.json")
                                                                     .read_text())
                   for number, family in enumerate(("awesome-app", "worker"))}
    resolved, notes = thresholds.resolve(config, definitions)
    assert len(notes) == 4 and all(note.severity == "info" for note in notes), notes
    return resolved


def test_the_example_costs_what_the_table_says_by_hand():
    """config.example.yaml in ap-northeast-1, its task definitions from task-definitions/, nothing read from AWS.

    Custom metrics, $0.30 each (first tier):
      awesome-app: Requests, Http5xx, Http4xx, RequestLatency, LogErrors, SlowRequests    6
      nginx: NginxHttp5xx, NginxHttp4xx, NginxErrors                                       3
      nginx: NginxHttp5xxByStatus, 1 dimension (StatusCode), assumed 5 values             5
      worker: LogErrors, JavaExceptions, OutOfMemory, FatalSignals                         4
      performance: ContainerCpuUtilized, ContainerMemoryUtilized x 3 containers            6
                                                                                   24 x 0.30 = 7.20
    Alarms, all 60 s, $0.10 an alarm metric:
      on one metric: awesome-app http-5xx-high, memory-high, cpu-high, tasks-down, errors-high;
        nginx memory-high; worker errors-high, out-of-memory-seen, memory-high            9
      on the service's edges: alb-latency, alb-unhealthy-hosts; sqs-message-age, sqs-backlog   4
      metric math: http-5xx-json-rate (Http5xx, Requests), tasks-below-desired
        (RunningTaskCount, DesiredTaskCount), alb-5xx (5xx, RequestCount), 2 metrics each  6
                                                                                   19 x 0.10 = 1.90
    Composite: web-down, 1 x 0.50                                                       = 0.50
    Container Insights (enabled), 1 task a service assumed, 1,000-byte events:
      awesome-app 1 x (1 task + 2 container events) + worker 1 x (1 + 1) = 5 events a minute
      5 x 43,800 minutes x 1,000 bytes = 0.219 GB x 0.76 (Tokyo)                       = 0.16644
    Dashboards: honban-overview, 1 x 3.00                                               = 3.00
    Total 12.76644; free tier: 10 metrics (3.00), 10 alarm metrics (1.00), 0.219 GB (0.16644),
    3 dashboards (3.00) -> 5.60.
    """
    config = with_task_definitions(loaded(EXAMPLE))
    result = estimate(kinds.desired(resolved_model.of(config)), config.region, example_hints(config))
    assert {line.item: (line.count, line.monthly) for line in result.lines} == {
        "custom_metrics": (24, D("7.20")),
        "alarm_standard": (19, D("1.90")),
        "alarm_composite": (1, D("0.50")),
        "insights_logs": (D("0.219"), D("0.16644")),
        "dashboards": (1, D("3.00")),
    }
    assert result.total == D("12.76644")
    assert result.after_free_tier == D("5.60")
    assert render.usd(result.total) == "$12.77"
    assert not result.warnings
    assert any("http-5xx-by-status: 5 (assumed 5 values per dimension)" in text for text in result.assumptions)


def three_alarm_plan(tmp_path: Path):
    """A plan against an account that has everything the example makes: only the 3 alarms are new."""
    before, after = loaded(EXAMPLE), loaded(example_with_three_alarms(tmp_path))
    actual = Actual()
    for resource in kinds.desired(resolved_model.of(before)):
        actual.add(resource)
    return plan(kinds.desired(resolved_model.of(after)), actual, kinds.NAMES), after


def test_a_plan_that_adds_three_alarms_costs_exactly_those_three(tmp_path):
    result, config = three_alarm_plan(tmp_path)
    assert result.summary == {"create": 3, "update": 1, "delete": 0, "unchanged": result.summary["unchanged"]}
    assert [c.kind for c in result.changes if c.action == "update"] == ["dashboard"]   # its alarm widget grows
    delta = plan_delta(result, config.region, example_hints(config))
    [line] = delta.lines
    assert (line.item, line.count, line.things, line.unit_price) == ("alarm_standard", 3, 3, D("0.10"))
    assert delta.total == D("0.30")
    text = render.delta_text(delta)
    assert text.startswith("Cost: +$0.30/month (+3 standard-resolution alarms (3 alarm metrics x $0.10))")


def test_deletes_and_updates_count_against_the_delta(tmp_path):
    """Removing the three alarms again (with prune), and turning Container Insights on, in one plan."""
    with_alarms = loaded(example_with_three_alarms(tmp_path))
    actual = Actual()
    for resource in kinds.desired(resolved_model.of(with_alarms)):
        actual.add(resource if resource.kind != "cluster_setting"
                   else type(resource)(resource.kind, resource.id, {"containerInsights": "disabled"}))
    config = loaded(EXAMPLE)
    result = plan(kinds.desired(resolved_model.of(config)), actual, kinds.NAMES, prune=True)
    delta = plan_delta(result, config.region, example_hints(config))
    assert {line.item: (line.count, line.monthly) for line in delta.lines} == {
        "insights_logs": (D("0.219"), D("0.16644")), "alarm_standard": (-3, D("-0.30"))}
    assert render.usd(delta.total, signed=True) == "-$0.13"


def test_a_plan_with_no_changes_costs_nothing_more():
    config = loaded(EXAMPLE)
    actual = Actual()
    for resource in kinds.desired(resolved_model.of(config)):
        actual.add(resource)
    delta = plan_delta(plan(kinds.desired(resolved_model.of(config)), actual, kinds.NAMES), config.region, example_hints(config))
    assert delta.lines == () and delta.total == 0
    assert render.delta_text(delta).startswith("Cost: +$0.00/month (no change)")


def test_the_plan_document_gains_a_cost_key_and_keeps_its_contract(tmp_path):
    result, config = three_alarm_plan(tmp_path)
    hints = example_hints(config)
    whole = estimate(kinds.desired(resolved_model.of(config)), config.region, hints)
    document = json.loads(plan_json(result, cost=render.plan_cost_json(plan_delta(result, config.region, hints), whole)))
    assert {"changes", "summary", "findings", "cost"} <= set(document)
    assert set(document["summary"]) == {"create", "update", "delete", "unchanged"}
    cost = document["cost"]
    assert cost["delta"] == {"total_usd": 0.3, "warnings": [], "lines": [
        {"item": "alarm_standard", "what": "standard-resolution alarms", "region": "ap-northeast-1", "count": 3.0,
         "unit": "alarm metric", "unit_price_usd": 0.1, "monthly_usd": 0.3}]}
    assert cost["config"]["currency"] == "USD" and cost["config"]["period"] == "month"
    example = loaded(EXAMPLE)
    before = estimate(kinds.desired(resolved_model.of(example)), example.region, example_hints(example)).total   # `N%` alarms left out
    assert cost["config"]["total_usd"] == pytest.approx(float(before + D("0.30")))   # the example + 3 alarms
    assert cost["config"]["prices"]["source"].startswith("https://aws.amazon.com/cloudwatch/pricing")
    assert {"lines", "free_tier", "after_free_tier_usd", "assumptions", "warnings"} <= set(cost["config"])
    assert "cost" not in json.loads(plan_json(result))


# --- through the CLI, against the emulator: task counts come from DescribeServices



def seed(url: str, region: str) -> None:
    """The example's cluster, log groups and two services: awesome-app runs 3 tasks, worker 2."""
    ecs = boto3.client("ecs", endpoint_url=url, region_name=region, **FAKE)
    logs = boto3.client("logs", endpoint_url=url, region_name=region, **FAKE)
    ecs.create_cluster(clusterName="honban")
    for group in ("/ecs/honban/awesome-app", "/ecs/honban/awesome-app-nginx", "/ecs/honban/worker"):
        logs.create_log_group(logGroupName=group)
    for service, tasks in (("awesome-app", 3), ("worker", 2)):
        ecs.register_task_definition(**json.loads((ROOT / "task-definitions" / f"{service}.json").read_text()))
        ecs.create_service(cluster="honban", serviceName=service, taskDefinition=service, desiredCount=tasks)


def test_plan_shows_the_cost_with_task_counts_read_from_ecs(emulator, tmp_path, capsys):
    region = next(REGIONS)   # shared with the other end-to-end modules: each test a fresh Region
    shutil.copy(EXAMPLE, tmp_path / "example.yaml")
    seed(emulator.url, region)
    where = ["--endpoint-url", emulator.url, "--region", region]
    assert main(["apply", "-c", str(tmp_path / "example.yaml"), *where, "--yes"]) == 0
    config = example_with_three_alarms(tmp_path)
    capsys.readouterr()
    assert main(["plan", "-c", str(config), *where]) == 0
    text = capsys.readouterr().out
    assert "Cost: +$0.30/month (+3 standard-resolution alarms (3 alarm metrics x $0.10))" in text
    assert main(["plan", "-c", str(config), *where, "--output", "json"]) == 0
    cost = json.loads(capsys.readouterr().out)["cost"]
    assert cost["delta"]["total_usd"] == 0.3
    said = " ".join(cost["config"]["assumptions"])
    assert "honban/awesome-app: 3 task(s) (DescribeServices desiredCount)" in said
    assert "honban/worker: 2 task(s) (DescribeServices desiredCount)" in said
    # the test's Region is none of the table's: us-east-1's prices, and the estimate says so
    assert any(region in warning and "us-east-1" in warning for warning in cost["config"]["warnings"])


def test_the_exporter_is_priced_as_monitor_exporter_plan_prices_it():
    """With an `exporter:`, the estimate counts its GetMetricData requests: the same queries, the same bill."""
    from monitor.cost import exporter as budget
    from monitor.exporter import queries
    config = loaded(EXAMPLE)
    built = queries.build(config).items
    result = estimate(kinds.desired(resolved_model.of(config)), config.region, given.given(config))
    [line] = [line for line in result.lines if line.item == "get_metric_data"]
    expected = budget.budget(list(built), config.exporter, config.region).estimate.total
    assert line.things == len(built) and line.monthly == expected   # 35 x 43,800 refreshes / 1,000 x $0.01


def test_review_offline_prices_the_alarms_whose_threshold_waits_for_a_task_definition(capsys):
    """An `N%` alarm costs the same whatever its threshold: without task definitions the review
    still counts all 19 alarm metrics of the example, as with them."""
    assert main(["review", "-c", str(EXAMPLE), "--output", "json"]) == 0
    without = json.loads(capsys.readouterr().out)
    files = [str(ROOT / "task-definitions" / name) for name in ("awesome-app.json", "worker.json")]
    assert main(["review", "-c", str(EXAMPLE), "--output", "json", "--task-definitions", *files]) == 0
    with_files = json.loads(capsys.readouterr().out)
    assert without["cost"] == with_files["cost"]
    [alarms] = [line for line in without["cost"]["lines"] if line["item"] == "alarm_standard"]
    assert alarms["count"] == 19
