"""The exporter against the embedded emulator: seeded datapoints in, the exposition's values out;
exactly 3 GetMetricData calls for 1,200 queries; NextToken pages followed."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import Stubber
from prometheus_client.parser import text_string_to_metric_families

from monitor.aws.clients import Clients, Target
from monitor.commands import exporter as command
from monitor.config.model import Exporter
from monitor.exporter import batches, metricdata, queries
from monitor.exporter.batches import Batch, Window
from monitor.exporter.refresh import QueryPlan, Refresher, read

REGION = "eu-north-1"   # moto keeps one state per process: this file's own Region
NOW = (int(datetime.now(timezone.utc).timestamp()) // 60) * 60   # a period boundary: windows end here
LAST = NOW - 60   # the last complete period
CONFIG = f"""
version: 1
region: {REGION}
clusters:
  - name: prod
    container_insights: enabled
    services:
      - name: web
        task_definition: web
        containers:
          - name: app
            log_group: /ecs/prod/app
            performance_metrics: [CpuUtilized, MemoryUtilized]
            filters:
              - {{name: requests, pattern: '{{ $.status = * }}', metric: Requests, unit: Count, default: 0}}
              - {{name: slow, pattern: '{{ $.duration > 1000 }}', metric: SlowRequests, unit: Count}}
              - {{name: latency, pattern: '{{ $.duration = * }}', metric: Latency, value: $.duration, unit: Milliseconds}}
exporter:
  interval: 1
  delay: 0
  derived:
    - {{name: web_slow_requests, expr: SlowRequests}}
    - {{name: web_slow_requests_or_zero, expr: SlowRequests, on_missing: 0}}
"""


def clients(url: str) -> Clients:
    return Clients(Target(REGION, endpoint_url=url, local=True))


def put(cw, namespace: str, name: str, points: list[tuple[int, float]], unit: str = "None", dimensions=None):
    cw.put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": name, "Value": value, "Unit": unit, "Dimensions": dimensions or [],
         "Timestamp": datetime.fromtimestamp(at, timezone.utc)} for at, value in points])


@pytest.fixture(scope="module")
def seeded(emulator, tmp_path_factory):
    """The config, a task definition with limits, and known datapoints in the emulator."""
    path = tmp_path_factory.mktemp("exporter") / "monitor.yaml"
    path.write_text(CONFIG)
    made = clients(emulator.url)
    made.ecs.create_cluster(clusterName="prod")
    made.ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "app", "image": "app", "cpu": 1024, "memory": 512}])
    cw, app = made.cloudwatch, "Custom/ECS/prod/web/app"
    put(cw, app, "Requests", [(LAST - 120, 10), (LAST + 5, 20), (LAST + 40, 5)], "Count")
    put(cw, app, "SlowRequests", [(LAST - 60, 3)], "Count")
    put(cw, app, "Latency", [(LAST + 1, 100), (LAST + 2, 300)], "Milliseconds")
    dims = [{"Name": "ClusterName", "Value": "prod"}, {"Name": "ServiceName", "Value": "web"},
            {"Name": "ContainerName", "Value": "app"}]
    put(cw, "Custom/ECS", "ContainerCpuUtilized", [(LAST + 10, 512)], dimensions=dims)
    put(cw, "Custom/ECS", "ContainerMemoryUtilized", [(LAST + 10, 256)], "Megabytes", dims)
    put(cw, "ECS/ContainerInsights", "RunningTaskCount", [(LAST + 10, 2)], dimensions=dims[:2])
    # AWS/ECS publishes each service's utilization in percent of what its tasks reserve
    put(cw, "AWS/ECS", "CPUUtilization", [(LAST + 10, 40), (LAST + 20, 60)], "Percent", dims[:2])
    put(cw, "AWS/ECS", "MemoryUtilization", [(LAST + 10, 25)], "Percent", dims[:2])
    return path


def exposition(emulator, path) -> dict:
    made = clients(emulator.url)
    plan = command.make_plan(command.load_config(str(path)), made, command.Shard())
    refresher = Refresher(made, plan, clock=lambda: NOW + 1)
    assert refresher.refresh(), refresher.current.health.error
    from prometheus_client import generate_latest

    from monitor.exporter.collector import registry
    text = generate_latest(registry(lambda: refresher.current)).decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


APP = (("ecs_cluster", "prod"), ("ecs_container", "app"), ("ecs_service", "web"))
WEB = (("ecs_cluster", "prod"), ("ecs_service", "web"))


def test_the_exposition_carries_the_seeded_values(emulator, seeded):
    found = exposition(emulator, seeded)
    assert found[("ecs_filter_requests_total", APP)] == 35.0   # every period of the window, once
    assert found[("ecs_filter_slow_requests_total", APP)] == 3.0
    assert found[("ecs_service_cpu_utilization_ratio", WEB)] == pytest.approx(0.5)   # Average of 40% and 60%
    assert found[("ecs_service_memory_utilization_ratio", WEB)] == pytest.approx(0.25)
    assert found[("ecs_filter_latency_seconds", APP)] == pytest.approx(0.2)   # Average of 100 and 300 ms
    assert found[("ecs_container_cpu_utilized_cores", APP)] == 0.5
    assert found[("ecs_container_cpu_utilization_ratio", APP)] == 0.5        # 512 of the container's 1024
    assert found[("ecs_container_memory_utilized_bytes", APP)] == 256 * 2 ** 20
    assert found[("ecs_container_memory_utilization_ratio", APP)] == 0.5     # 256 of its hard 512 MiB
    assert found[("ecs_service_running_tasks", WEB)] == 2.0
    assert ("web_slow_requests", APP) not in found   # no slow request in the last period: no sample
    assert found[("web_slow_requests_or_zero", APP)] == 0.0
    assert found[("ecs_monitor_up", ())] == 1.0
    assert found[("ecs_monitor_cloudwatch_metrics_requested_total", ())] == found[("ecs_monitor_queries", ())]


def test_1200_queries_make_exactly_three_get_metric_data_calls(emulator):
    made = clients(emulator.url)
    many = [queries.Query("Custom/Many", f"M{i}", (), "Sum", queries.FILTERS, f"ecs_filter_m{i}_total", "Count",
                          (("ecs_cluster", "c"), ("ecs_service", "s"), ("ecs_container", "x")), True) for i in range(1200)]
    readings, requested = read(made, QueryPlan(Exporter(delay=0), tuple(many)), NOW)
    assert made.calls["GetMetricData"] == 3
    assert requested == 1200 and len(readings) == 1200


def test_next_token_pages_are_followed_and_joined():
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    made = Clients(Target("us-east-1"), _made={"cloudwatch": cloudwatch})
    query = queries.Query("N", "M", (), "Sum", queries.FILTERS, "ecs_filter_m_total", "Count", (), True)
    batch = Batch(None, Window(0, 180, 60), (query,))
    stamp = lambda at: datetime.fromtimestamp(at, timezone.utc)   # noqa: E731
    with Stubber(cloudwatch) as stub:
        stub.add_response("get_metric_data", {"MetricDataResults": [
            {"Id": "q0", "Timestamps": [stamp(0)], "Values": [1.0], "StatusCode": "PartialData"}], "NextToken": "more"})
        stub.add_response("get_metric_data", {"MetricDataResults": [
            {"Id": "q0", "Timestamps": [stamp(60), stamp(120)], "Values": [2.0, 3.0], "StatusCode": "Complete"}]},
            expected_params={"MetricDataQueries": [metricdata._query(0, query, 60)], "StartTime": stamp(0),
                             "EndTime": stamp(180), "ScanBy": "TimestampAscending", "NextToken": "more"})
        fetched = metricdata.fetch(made, batch)
    assert fetched.points == {0: ((0, 1.0), (60, 2.0), (120, 3.0))}
    assert fetched.requested == 2


def test_once_prints_an_exposition_against_the_emulator(emulator, seeded, capsys):
    from monitor.cli import main
    code = main(["exporter", "-c", str(seeded), "--endpoint-url", emulator.url, "--once"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ecs_monitor_up 1.0" in out   # the data's values depend on the clock: see the test above
    found = {(s.name, s.labels.get("limit_kind")): s.value for f in text_string_to_metric_families(out) for s in f.samples}
    assert found[("ecs_container_memory_limit_bytes", "hard")] == 512 * 2 ** 20


def test_batches_of_the_seeded_config_respect_the_delay(seeded):
    settings = command.load_config(str(seeded)).exporter
    assert {b.window.end for b in batches.batches(command.selected(command.load_config(str(seeded)), command.Shard()),
                                                  settings, NOW + 1)} == {NOW}
