"""The exporter's pure layers: names, queries, windows, packing and shards."""

from __future__ import annotations

import pytest

from monitor.config.model import Exporter
from monitor.exporter import batches, naming, queries
from monitor.exporter.queries import Query
from monitor.expressions import name_issues
from monitor.resolved import load


@pytest.mark.parametrize("area, metric, unit, counter, expected", [
    ("filter", "Http5xx", "Count", True, "ecs_filter_http5xx_total"),
    ("filter", "RequestLatency", "Milliseconds", False, "ecs_filter_request_latency_seconds"),
    ("filter", "LatencySeconds", "Seconds", False, "ecs_filter_latency_seconds"),
    ("filter", "DiskUsed", "Percent", False, "ecs_filter_disk_used_ratio"),
    ("filter", "ErrorCount", "None", False, "ecs_filter_error_counts"),
    ("container", "CpuUtilized", naming.CPU_UNITS, False, "ecs_container_cpu_utilized_cores"),
    ("container", "MemoryUtilized", naming.MIB, False, "ecs_container_memory_utilized_bytes"),
    ("container", "NetworkRxBytes", "Bytes/Second", False, "ecs_container_network_rx_bytes_per_second"),
])
def test_names_follow_prometheus_conventions(area, metric, unit, counter, expected):
    assert naming.metric_name(area, metric, naming.unit(unit).suffix, counter) == expected


@pytest.mark.parametrize("unit, scale", [("Milliseconds", 0.001), (naming.MIB, 1048576), (naming.CPU_UNITS, 1 / 1024),
                                         ("Percent", 0.01), ("Kilobytes", 1024), ("Bits", 0.125)])
def test_units_scale_to_base_units(unit, scale):
    assert naming.unit(unit).scale == pytest.approx(scale)


@pytest.mark.parametrize("name, problem", [("ok_ratio", None), ("9lives", "not a valid Prometheus metric name"),
                                           ("__x", "reserved"), ("errors_total", "a derived metric is a gauge"),
                                           ("ecs_filter_requests_total", "already the name")])
def test_derived_names(name, problem):
    found = [issue.message for issue in name_issues(name, taken={"ecs_filter_requests_total"})
             if issue.severity == "error"]
    assert (found == []) if problem is None else any(problem in message for message in found)


def test_the_example_config_becomes_deduplicated_labelled_queries(example_config):
    built = queries.build(load(example_config).config)
    keys = [q.key for q in built.items]
    assert len(keys) == len(set(keys))
    requests = next(q for q in built.items if q.metric == "Requests")
    assert requests.labels == (("ecs_cluster", "honban"), ("ecs_service", "awesome-app"), ("ecs_container", "awesome-app"))
    assert (requests.stat, requests.counter, requests.family) == ("Sum", True, "ecs_filter_requests_total")
    latency = next(q for q in built.items if q.metric == "RequestLatency")
    assert (latency.stat, latency.counter) == ("Average", False)
    cpu = next(q for q in built.items if q.metric == "ContainerCpuUtilized" and ("ecs_container", "nginx") in q.labels)
    assert cpu.namespace == "Custom/ECS" and ("ContainerName", "nginx") in cpu.dimensions
    tasks = [q for q in built.items if q.metric == "RunningTaskCount"]
    assert [q.family for q in tasks] == ["ecs_service_running_tasks"] * 2
    assert any("NginxHttp5xxByStatus" in reason for reason in built.skipped)


def test_two_containers_sharing_a_metric_are_read_once(write_config):
    path = write_config("""
version: 1
namespace: Shared/App
clusters:
  - name: c1
    services:
      - name: s1
        containers:
          - {name: a, log_group: /a, filters: [{name: e, pattern: ERROR, metric: Errors, shared: true}]}
          - {name: b, log_group: /b, filters: [{name: e, pattern: ERROR, metric: Errors, shared: true}]}
""")
    built = queries.build(load(path).config).items
    assert [(q.metric, q.labels) for q in built if q.source == "filters"] == \
        [("Errors", (("cloudwatch_namespace", "Shared/App"),))]


def test_an_enhanced_cluster_reads_the_native_container_metrics(write_config):
    path = write_config("""
version: 1
clusters:
  - name: c1
    container_insights: enhanced
    services: [{name: s1, containers: [{name: app}]}]
""")
    built = queries.build(load(path).config).items
    native = [q for q in built if q.source == queries.PERFORMANCE]
    assert {(q.namespace, q.metric) for q in native} == {("ECS/ContainerInsights", "ContainerCpuUtilized"),
                                                       ("ECS/ContainerInsights", "ContainerMemoryUtilized")}


def _queries(count: int, services: int = 40) -> list[Query]:
    return [Query("Custom/ECS", f"M{i}", (), "Sum", queries.FILTERS, f"ecs_filter_m{i}_total", "Count",
                  (("ecs_cluster", "c"), ("ecs_service", f"s{i % services}"), ("ecs_container", "x")), True)
            for i in range(count)]


def test_1200_queries_take_three_calls():
    found = batches.batches(_queries(1200), Exporter(), now=1_000_000)
    assert [len(b.queries) for b in found] == [500, 500, 200]


def test_a_long_window_packs_fewer_queries_to_stay_under_100800_datapoints():
    found = batches.batches(_queries(1200), Exporter(window=1440), now=1_000_000)
    assert all(len(b.queries) * b.window.periods <= batches.MAX_DATAPOINTS for b in found)
    assert [len(b.queries) for b in found][:2] == [70, 70]


@pytest.mark.parametrize("now", [1_000_000, 1_000_059.9, 1_000_060, 1_700_000_123.4])
def test_windows_hold_only_complete_periods_aligned_to_the_period(now):
    settings = Exporter(period=60, window=5)
    span = batches.window(now, settings, delay=120)
    assert span.end % 60 == 0 and span.start % 60 == 0
    assert span.end <= now - 120 < span.end + 60
    assert span.periods == 5


def test_each_source_gets_its_own_delay():
    mixed = _queries(2) + [Query("ECS/ContainerInsights", "RunningTaskCount", (), "Average", queries.SERVICES,
                                 "ecs_service_running_tasks", None, (("ecs_cluster", "c"), ("ecs_service", "s")))]
    found = batches.batches(mixed, Exporter(delay={"filters": 60, "performance": 0, "insights": 300}), now=1_000_000)
    assert sorted(1_000_000 - b.window.end for b in found) == [100, 340]


def test_shards_split_by_service_stably_and_completely():
    items = _queries(1000)
    parts = [batches.in_shard(items, index, 3) for index in (1, 2, 3)]
    assert sorted(q.metric for part in parts for q in part) == sorted(q.metric for q in items)
    for part in parts:
        assert part and len({batches.shard_key(q) for q in part}) < 40
    # SHA-256, not Python's salted hash(): the same on every machine and in every run
    assert [batches.shard_of(key, 3) for key in ("c/s1", "honban/awesome-app", "honban/worker")] == [2, 3, 2]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0"])
def test_bad_shards_are_refused(text):
    with pytest.raises(ValueError, match="I/N"):
        batches.parse_shard(text)


def test_a_derived_metric_cannot_take_a_name_prometheus_gives_every_target(write_config):
    """`up` and the scrape_* series are added by Prometheus to every scrape: a derived `up` would clash."""
    from monitor.sync.flow import validate
    path = write_config("version: 1\nclusters:\n  - name: honban\n    services:\n      - name: web\n"
                        "        containers:\n          - name: app\n            log_group: /ecs/honban/web\n"
                        "            filters:\n              - use: http-requests-json\n"
                        "exporter:\n  derived:\n    - name: up\n      expr: Requests\n")
    problems = [p for p in validate(path).problems if p.severity == "error"]
    assert problems and all("up" in p.message for p in problems)
