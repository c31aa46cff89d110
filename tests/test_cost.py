"""The cost estimate: counts to dollars, pure. Prices are the one table's (monitor.cost.prices)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monitor import kinds
from monitor import resolved as configs
from monitor.cost import hints as given
from monitor.cost.estimate import estimate
from monitor.cost.prices import TABLE, tiered
from monitor.cost.usage import Hints, Service
from monitor.offline.replay import Event
from monitor.state.resources import Resource

D = Decimal


def alarm(name: str = "a", period: int = 60, **extra) -> Resource:
    """An alarm's spec as the alarm kind makes it: Metrics keyed by query id (monitor/kinds/alarm_spec.py)."""
    if "Metrics" in extra:
        extra["Metrics"] = {query.pop("Id"): query for query in map(dict, extra["Metrics"])}
    return Resource("alarm", name, {"AlarmName": name, "Period": period, "Tags": {}, **extra})


def metric_filter(name: str = "f", dimensions: dict | None = None, region: str | None = None) -> Resource:
    metric = {"metricName": "M", "metricNamespace": "N", "metricValue": "1"}
    if dimensions:
        metric["dimensions"] = dimensions
    spec = {"logGroupName": "/g", "filterName": name, "filterPattern": "ERROR", "metricTransformations": [metric]}
    return Resource("metric_filter", f"/g:{name}", spec, region=region)


def metrics(count: int) -> list[Resource]:
    return [metric_filter(f"f{i}") for i in range(count)]


# --- the custom-metric tiers: first 10,000 at $0.30, next 240,000 at $0.10, next 750,000 at $0.05, then $0.02


@pytest.mark.parametrize("count, dollars", [
    (0, "0"),
    (1, "0.30"),
    (10_000, "3000.00"),                              # 10,000 x 0.30
    (10_001, "3000.10"),                              # + 1 x 0.10
    (250_000, "27000.00"),                            # 3,000 + 240,000 x 0.10
    (250_001, "27000.05"),                            # + 1 x 0.05
    (1_000_000, "64500.00"),                          # 27,000 + 750,000 x 0.05
    (1_000_001, "64500.02"),                          # + 1 x 0.02
])
def test_metric_tiers_at_their_boundaries(count, dollars):
    parts = tiered(D(count), TABLE["us-east-1"].metric_tiers)
    assert sum((units * price for units, price in parts), D(0)) == D(dollars)
    assert sum((units for units, _ in parts), D(0)) == count


def test_a_tier_boundary_is_two_lines_of_the_estimate():
    result = estimate([metric_filter(dimensions={"A": "$.a"})], "us-east-1", Hints(observed={"/g:f": 10_002}))
    assert [(line.count, line.unit_price) for line in result.lines] == [(10_000, D("0.30")), (2, D("0.10"))]
    assert result.total == D("3000.20")


# --- alarms by type, dashboards, unknown kinds


@pytest.mark.parametrize("resource, item, count, dollars", [
    (alarm(period=60), "alarm_standard", 1, "0.10"),
    (alarm(period=300), "alarm_standard", 1, "0.10"),
    (alarm(period=10), "alarm_high_resolution", 1, "0.30"),
    (alarm(period=30), "alarm_high_resolution", 1, "0.30"),
    # a metric-math alarm is billed per metric it reads, not per expression
    (alarm(period=None, Metrics=[{"Id": "e", "Expression": "a/b"},
                                 {"Id": "a", "MetricStat": {"Period": 60}},
                                 {"Id": "b", "MetricStat": {"Period": 60}}]), "alarm_standard", 2, "0.20"),
    (alarm(period=None, Metrics=[{"Id": "e", "Expression": "a+b"}, {"Id": "a", "MetricStat": {"Period": 10}},
                                 {"Id": "b", "MetricStat": {"Period": 60}}]), "alarm_high_resolution", 2, "0.60"),
    # anomaly detection: 3 alarm metrics (the metric and the band's two bounds)
    (alarm(period=None, ThresholdMetricId="ad", Metrics=[
        {"Id": "m", "MetricStat": {"Period": 300}},
        {"Id": "ad", "Expression": "ANOMALY_DETECTION_BAND(m, 2)"}]), "alarm_anomaly_standard", 3, "0.30"),
    (Resource("composite_alarm", "c", {"AlarmRule": "ALARM(a)"}), "alarm_composite", 1, "0.50"),
    (Resource("dashboard", "d", {"DashboardBody": "{}"}), "dashboards", 1, "3.00"),
])
def test_each_kind_has_its_price(resource, item, count, dollars):
    [line] = estimate([resource], "us-east-1").lines
    assert (line.item, line.count, line.monthly) == (item, count, D(dollars))


def test_kinds_without_a_price_or_unknown_cost_nothing():
    resources = [Resource("log_group", "/g", {}), Resource("someday_kind", "x", {"a": 1}),
                 Resource("cluster_setting", "c", {"containerInsights": "disabled"})]
    assert estimate(resources, "us-east-1").lines == ()


# --- the free tier: shown apart, used once


@pytest.mark.parametrize("resources, total, after", [
    (metrics(12), "3.60", "0.60"),                       # 12 x 0.30, then 10 free
    (metrics(3), "0.90", "0"),
    ([alarm(str(i)) for i in range(11)], "1.10", "0.10"),  # 10 standard alarm metrics free
    ([alarm(str(i), period=10) for i in range(2)], "0.60", "0.60"),   # high resolution: no free tier
    ([Resource("dashboard", str(i), {}) for i in range(4)], "12.00", "3.00"),   # first 3 free
])
def test_the_free_tier_is_subtracted_once_and_apart(resources, total, after):
    result = estimate(resources, "us-east-1")
    assert result.total == D(total)
    assert result.after_free_tier == D(after)
    assert all(line.monthly <= 0 and line.item.startswith("free_tier_") for line in result.free_tier)


def test_the_free_tier_is_used_once_across_regions():
    result = estimate(metrics(8) + [metric_filter("far", region="eu-west-1"), metric_filter("far2", region="eu-west-1"),
                                     metric_filter("far3", region="eu-west-1")], "us-east-1")
    assert sum(-line.count for line in result.free_tier) == 10
    assert [(line.region, -line.count) for line in result.free_tier] == [("us-east-1", 8), ("eu-west-1", 2)]


# --- Regions


def test_a_region_not_in_the_table_falls_back_to_us_east_1_with_a_warning():
    result = estimate([alarm()], "sa-east-1")
    assert result.total == D("0.10")
    assert any("sa-east-1" in warning and "us-east-1" in warning for warning in result.warnings)


@pytest.mark.parametrize("region, per_gb", [("us-east-1", "0.50"), ("eu-west-1", "0.57"), ("ap-northeast-1", "0.76")])
def test_log_ingestion_differs_by_region(region, per_gb):
    hints = Hints(services=(Service("c", "s", tasks=1, containers=1, tasks_from="test"),))
    [line] = estimate([Resource("cluster_setting", "c", {"containerInsights": "enabled"})], region, hints).lines
    assert line.unit_price == D(per_gb)
    assert line.count == D("0.0876")   # 1 task x (1 task + 1 container event) x 43,800 minutes x 1,000 bytes
    assert not estimate([], region).warnings


# --- custom metrics per dimension combination


@pytest.mark.parametrize("dimensions, hints, count", [
    ({}, Hints(), 1),
    ({"A": "$.a"}, Hints(), 5),                         # default: 5 values per dimension
    ({"A": "$.a", "B": "$.b"}, Hints(), 25),
    ({"A": "$.a", "B": "$.b"}, Hints(dimension_values=3), 9),
    ({"A": "$.a"}, Hints(known={"/g:f": 4}), 4),
    ({"A": "$.a"}, Hints(known={"/g:f": 4}, observed={"/g:f": 2}), 2),   # a sample beats both
])
def test_a_filter_with_dimensions_is_a_metric_per_combination(dimensions, hints, count):
    [line] = estimate([metric_filter(dimensions=dimensions)], "us-east-1", hints).lines
    assert line.count == count
    said = " ".join(estimate([metric_filter(dimensions=dimensions)], "us-east-1", hints).assumptions)
    assert ("/g:f" in said) == bool(dimensions)


def test_a_log_sample_counts_the_combinations_a_filter_produces():
    spec = {"logGroupName": "/g", "filterName": "f", "filterPattern": "[ip, status, bytes]",
            "metricTransformations": [{"metricName": "M", "metricNamespace": "N", "metricValue": "1",
                                       "dimensions": {"Status": "$status"}}]}
    events = [Event(text) for text in ("1.2.3.4 500 1", "1.2.3.4 502 1", "5.6.7.8 500 9", "x")]
    assert given.observed_combinations({"/g:f": spec}, events) == {"/g:f": 2}


# --- Container Insights per task, the exporter's GetMetricData


def test_container_insights_counts_tasks_read_from_describe_services(write_config):
    loaded = configs.load(write_config("""
version: 1
region: us-east-1
clusters:
  - name: c
    container_insights: enabled
    services:
      - name: web
        containers: [{name: app, log_group: /g}, {name: proxy, log_group: /h}]
      - name: worker
        containers: [{name: worker, log_group: /w}]
"""))
    assert loaded.ok, loaded.problems
    services = given.services(loaded.config, {("c", "web"): 4})
    assert [(s.name, s.tasks, s.tasks_from) for s in services] == [("web", 4, given.READ), ("worker", 1, given.ASSUMED)]
    [line] = estimate([Resource("cluster_setting", "c", {"containerInsights": "enabled"})], "us-east-1",
                      Hints(services=services)).lines
    # web: 4 tasks x 3 events + worker: 1 task x 2 events = 14 events a minute x 43,800 x 1,000 bytes
    assert line.count == D("0.6132")
    assert line.monthly == D("0.6132") * D("0.50")


def test_an_enhanced_clusters_container_insights_is_priced_with_its_source():
    hints = Hints(services=(Service("c", "s", 2, 1, "test"),))
    result = estimate([Resource("cluster_setting", "c", {"containerInsights": "enhanced"})], "us-east-1", hints)
    [line] = result.lines
    # (13 task metrics + 10 for its one container) x (2 tasks + the service's and the family's aggregates)
    assert (line.item, line.count, line.unit_price) == ("insights_enhanced", 23 * 4, D("0.07"))
    assert line.monthly == 92 * D("0.07")
    assert not result.warnings
    [said] = [said for said in result.assumptions if "price:" in said]
    assert "MetricStorage:CI-ECS" in said and "cloudwatch_billing.html" in said   # AWS's unit: a metric
    assert "fortem.dev" in said and "read 2026-12-07" in said and "not AWS's" in said   # the rate: not AWS's word


@pytest.mark.parametrize("metrics_, interval, dollars", [
    (None, None, None),
    (100, None, None),
    (100, 60, "43.80"),   # 100 x (730 x 3600 / 60 = 43,800 refreshes) = 4,380,000 metrics = 4,380 x $0.01
    (10, 300, "0.876"),   # 10 x 8,760 = 87,600 metrics = 87.6 x $0.01
])
def test_the_exporters_get_metric_data_needs_both_inputs(metrics_, interval, dollars):
    result = estimate([], "us-east-1", Hints(exporter_metrics=metrics_, exporter_interval=interval))
    assert [line.monthly for line in result.lines] == ([] if dollars is None else [D(dollars)])
