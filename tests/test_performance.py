"""Performance metrics compile into few metric filters on the cluster's performance log group."""

from __future__ import annotations

import json

import pytest

from monitor import kinds
from monitor.config.model import Cluster, Config, Container, Service
from monitor.insights import PERFORMANCE_METRICS, performance_log_group
from monitor.kinds import log_group, metric_filter
from monitor.kinds.performance import compile_cluster, pattern_for
from monitor.patterns import parse
from monitor.patterns.limits import MAX_PATTERN_LENGTH as MAX_PATTERN
from monitor.state.resources import Actual
from monitor.resolved import model as resolved_model

MAX_FILTERS_PER_GROUP = 100


def cluster(services: dict[str, list[str]], metrics=("CpuUtilized", "MemoryUtilized"),
            insights: str | None = "enabled", name: str = "honban") -> Cluster:
    """A cluster whose every listed container asks for the same performance metrics."""
    return Cluster(name=name, container_insights=insights, services=[
        Service(name=service, containers=[Container(name=c, performance_metrics=list(metrics)) for c in containers])
        for service, containers in services.items()])


def config(*clusters: Cluster) -> Config:
    return Config(version=1, clusters=list(clusters))


def event(service: str | None, container: str, type_: str = "Container", **fields) -> str:
    """A Container Insights performance event, shaped like the sample in AWS's "Container Insights performance log events for Amazon ECS"."""
    item = {"Version": "0", "Type": type_, "ContainerName": container, "TaskId": "fd84326dd7a44ad48c74d2487f773e1e",
            "TaskDefinitionFamily": service or "standalone", "TaskDefinitionRevision": "2",
            "ClusterName": "honban", "CpuUtilized": 24.9, "CpuReserved": 256, "MemoryUtilized": 270,
            "MemoryReserved": 512, **fields}
    if service is not None:
        item["ServiceName"] = service
    return json.dumps(item)


def matches(pattern: str, log: str) -> bool:
    return parse(pattern).evaluate(log, "1", {}).match


def selected(parts) -> list[tuple[str, str]]:
    return [(service, container) for part in parts for service, containers in part.selections
            for container in containers]


# --- one filter per metric, in the documented shape -------------------------------------

def test_a_normal_cluster_gets_one_filter_per_metric():
    parts = compile_cluster(cluster({"web": ["app", "nginx"], "worker": ["worker"]}))
    assert [(p.metric, p.part) for p in parts] == [("CpuUtilized", 1), ("MemoryUtilized", 1)]


def test_only_the_containers_that_ask_for_a_metric_are_selected():
    web = Service(name="web", containers=[Container(name="app", performance_metrics=["CpuUtilized"]),
                                          Container(name="nginx", performance_metrics=["MemoryUtilized"]),
                                          Container(name="sidecar")])
    parts = {p.metric: p for p in compile_cluster(Cluster(name="c", services=[web]))}
    assert parts["CpuUtilized"].selections == (("web", ("app",)),)
    assert parts["MemoryUtilized"].selections == (("web", ("nginx",)),)


@pytest.mark.parametrize("selections, expected", [
    pytest.param([("web", ("app",))],
                 '{ $.Type = "Container" && (($.ServiceName = "web" && $.ContainerName = "app")) }',
                 id="one-service-one-container"),
    pytest.param([("web", ("app", "nginx"))],
                 '{ $.Type = "Container" && (($.ServiceName = "web" && '
                 '($.ContainerName = "app" || $.ContainerName = "nginx"))) }',
                 id="containers-are-an-or-in-parentheses"),
    pytest.param([("a", ("app",)), ("b", ("app",))],
                 '{ $.Type = "Container" && ((($.ServiceName = "a" || $.ServiceName = "b") && '
                 '$.ContainerName = "app")) }',
                 id="services-with-the-same-containers-share-a-term"),
    pytest.param([("web", ("app",)), ("worker", ("worker",))],
                 '{ $.Type = "Container" && (($.ServiceName = "web" && $.ContainerName = "app") || '
                 '($.ServiceName = "worker" && $.ContainerName = "worker")) }',
                 id="different-containers-are-alternatives"),
])
def test_pattern_shape(selections, expected):
    assert pattern_for(selections) == expected


@pytest.mark.parametrize("service, container, expected", [
    ("a", "x", True), ("a", "y", True), ("c", "x", True), ("b", "y", True),
    ("b", "x", False),   # would match if `||` between services leaked out of its parentheses
    ("d", "y", False),
])
def test_parentheses_keep_each_service_with_its_own_containers(service, container, expected):
    text = pattern_for([("a", ("x", "y")), ("b", ("y",)), ("c", ("x", "y"))])
    assert text == ('{ $.Type = "Container" && ((($.ServiceName = "a" || $.ServiceName = "c") && '
                    '($.ContainerName = "x" || $.ContainerName = "y")) || '
                    '($.ServiceName = "b" && $.ContainerName = "y")) }')
    assert matches(text, event(service, container)) is expected


CASES = {"web": ["app", "nginx"], "worker": ["worker"]}


@pytest.mark.parametrize("log, expected", [
    (event("web", "app"), True),
    (event("web", "nginx"), True),
    (event("worker", "worker"), True),
    (event("web", "worker"), False),          # a container name of another service
    (event("worker", "app"), False),
    (event("other", "app"), False),           # a service not in the config
    (event(None, "app"), False),              # a standalone RunTask has no ServiceName
    (event("web", "app", type_="Task"), False),
    (event("web", "app-canary"), False),      # an exact name, not a prefix
])
def test_the_compiled_pattern_selects_exactly_the_configured_containers(log, expected):
    [cpu, _] = compile_cluster(cluster(CASES))
    assert matches(cpu.pattern, log) is expected


# --- splitting at the 1024-character limit -----------------------------------------------

def distinct(count: int, width: int = 20) -> dict[str, list[str]]:
    """Services whose containers all differ, so nothing can share a term."""
    return {f"service-{i:03d}".ljust(width, "s"): [f"container-{i:03d}"] for i in range(count)}


def most_that_fit() -> int:
    """The largest number of `distinct` services whose single pattern still fits."""
    count = 1
    while len(pattern_for([(s, tuple(c)) for s, c in distinct(count + 1).items()])) <= MAX_PATTERN:
        count += 1
    return count


def test_a_pattern_that_fits_is_not_split():
    parts = compile_cluster(cluster(distinct(most_that_fit()), metrics=["CpuUtilized"]))
    assert len(parts) == 1
    assert len(parts[0].pattern) <= MAX_PATTERN


@pytest.mark.parametrize("count", [most_that_fit() + 1, 30, 75])
def test_a_pattern_too_long_is_split_into_parts_that_each_fit(count):
    services = distinct(count)
    parts = compile_cluster(cluster(services, metrics=["CpuUtilized"]))
    assert len(parts) > 1
    assert [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert all(len(p.pattern) <= MAX_PATTERN for p in parts)
    everything = [(s, c) for s, containers in services.items() for c in containers]
    assert sorted(selected(parts)) == sorted(everything)          # union is all, no duplicates
    assert len(set(selected(parts))) == len(selected(parts))


@pytest.mark.parametrize("count", [most_that_fit() + 1, 30, 75])
def test_split_only_when_forced_each_part_is_full(count):
    """Greedy: adding the next part's first service to a part would break the limit."""
    parts = compile_cluster(cluster(distinct(count), metrics=["CpuUtilized"]))
    for part, following in zip(parts, parts[1:]):
        assert len(pattern_for(list(part.selections) + [following.selections[0]])) > MAX_PATTERN


def test_the_split_parts_together_select_every_container_and_nothing_else():
    services = distinct(30)
    parts = compile_cluster(cluster(services, metrics=["CpuUtilized"]))
    for service, [container] in services.items():
        assert sum(matches(p.pattern, event(service, container)) for p in parts) == 1
    assert not any(matches(p.pattern, event("service-000".ljust(20, "s"), "container-001")) for p in parts)


def test_200_services_with_3_containers_and_4_metrics_stay_far_under_the_quota():
    services = {f"service-{i:03d}": ["app", "nginx", "datadog-agent"] for i in range(200)}
    metrics = ["CpuUtilized", "MemoryUtilized", "NetworkRxBytes", "NetworkTxBytes"]
    parts = compile_cluster(cluster(services, metrics=metrics))
    assert len(parts) < MAX_FILTERS_PER_GROUP // 2   # 2,400 container-metric pairs, well under half the quota
    assert all(len(p.pattern) <= MAX_PATTERN for p in parts)
    for metric in metrics:
        mine = [p for p in parts if p.metric == metric]
        assert len(selected(mine)) == 600 == len(set(selected(mine)))


# --- the filters' metric transformation ---------------------------------------------------

def test_performance_filters_live_on_the_performance_group_and_carry_the_prefix():
    found = metric_filter.desired(resolved_model.of(config(cluster(CASES))))
    assert [r.spec["filterName"] for r in found] == ["monitor/honban/(performance)/CpuUtilized",
                                                     "monitor/honban/(performance)/MemoryUtilized"]
    assert {r.group for r in found} == {"/aws/ecs/containerinsights/honban/performance"}


def test_one_service_whose_containers_pass_the_limit_is_split_by_containers():
    long = [f"sidecar-with-a-rather-long-container-name-{n:02d}" for n in range(20)]
    parts = compile_cluster(cluster({"web": long}, metrics=("CpuUtilized",)))
    assert len(parts) > 1 and all(len(p.pattern) <= MAX_PATTERN for p in parts)
    assert sorted(c for _, c in selected(parts)) == sorted(long)
    assert all(parse(p.pattern) for p in parts)


def test_split_parts_are_numbered_from_the_second():
    found = metric_filter.desired(resolved_model.of(config(cluster(distinct(30), metrics=["CpuUtilized"]))))
    names = [r.spec["filterName"] for r in found]
    assert names[:3] == ["monitor/honban/(performance)/CpuUtilized", "monitor/honban/(performance)/CpuUtilized/2",
                         "monitor/honban/(performance)/CpuUtilized/3"]


# The units AWS itself declares for these fields: the embedded-metric (CloudWatchMetrics) block
# of the Type=Task sample in "Container Insights performance log events for Amazon ECS"
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html),
# copied as it stands there. The packet, drop and error counters are not in that block; the page
# shows them as running counts, so Count.
AWS_EMF_UNITS = [{"Name": "CpuUtilized", "Unit": "None"}, {"Name": "CpuReserved", "Unit": "None"},
                 {"Name": "MemoryUtilized", "Unit": "Megabytes"}, {"Name": "MemoryReserved", "Unit": "Megabytes"},
                 {"Name": "StorageReadBytes", "Unit": "Bytes/Second"},
                 {"Name": "StorageWriteBytes", "Unit": "Bytes/Second"},
                 {"Name": "NetworkRxBytes", "Unit": "Bytes/Second"}, {"Name": "NetworkTxBytes", "Unit": "Bytes/Second"}]
DOCUMENTED_UNITS = {**{item["Name"]: item["Unit"] for item in AWS_EMF_UNITS},
                    **{f"Network{way}{what}": "Count" for way in ("Rx", "Tx")
                       for what in ("Packets", "Dropped", "Errors")}}


def test_every_performance_field_of_the_container_event_is_offered():
    assert set(PERFORMANCE_METRICS) == set(DOCUMENTED_UNITS)


@pytest.mark.parametrize("metric", sorted(PERFORMANCE_METRICS))
def test_metric_name_value_unit_and_dimensions(metric):
    [resource] = metric_filter.desired(resolved_model.of(config(cluster({"web": ["app"]}, metrics=[metric]))))
    [transformation] = resource.spec["metricTransformations"]
    unit = DOCUMENTED_UNITS[metric]
    assert transformation["metricName"] == f"Container{metric}"
    assert transformation["metricValue"] == f"$.{metric}"
    assert transformation["metricNamespace"] == "Custom/ECS"
    assert transformation.get("unit") == (None if unit == "None" else unit)
    assert transformation["dimensions"] == {"ClusterName": "$.ClusterName", "ServiceName": "$.ServiceName",
                                            "ContainerName": "$.ContainerName"}
    assert "defaultValue" not in transformation   # AWS refuses a default together with dimensions


def test_task_id_is_never_a_dimension_nor_part_of_any_filter():
    found = metric_filter.desired(resolved_model.of(config(cluster(distinct(30), metrics=sorted(PERFORMANCE_METRICS)))))
    assert found
    assert not any("TaskId" in json.dumps(r.spec) for r in found)


def test_metric_names_match_the_enhanced_mode_native_names():
    found = metric_filter.desired(resolved_model.of(config(cluster({"web": ["app"]}, metrics=["CpuUtilized", "MemoryUtilized"]))))
    names = {r.spec["metricTransformations"][0]["metricName"] for r in found}
    assert names == {"ContainerCpuUtilized", "ContainerMemoryUtilized"}


def test_the_value_and_dimensions_reference_fields_the_pattern_extracts():
    [resource] = metric_filter.desired(resolved_model.of(config(cluster({"web": ["app"]}, metrics=["MemoryUtilized"]))))
    [transformation] = resource.spec["metricTransformations"]
    result = parse(resource.spec["filterPattern"]).evaluate(
        event("web", "app"), transformation["metricValue"], transformation["dimensions"])
    assert result.match and result.value == 270
    assert result.dimensions == {"ClusterName": "honban", "ServiceName": "web", "ContainerName": "app"}


# --- Container Insights modes ------------------------------------------------------------

@pytest.mark.parametrize("insights", ["enabled", None])
def test_standard_or_unset_clusters_get_performance_filters_and_their_log_group(insights):
    cfg = config(cluster(CASES, insights=insights))
    assert len(metric_filter.desired(resolved_model.of(cfg))) == 2
    assert [r.id for r in log_group.desired(resolved_model.of(cfg))] == ["/aws/ecs/containerinsights/honban/performance"]


def test_an_enhanced_cluster_gets_no_performance_filters_but_a_note():
    cfg = config(cluster(CASES, insights="enhanced"))
    wanted = kinds.desired(resolved_model.of(cfg))
    assert [r.kind for r in wanted] == ["cluster_setting"]
    findings = kinds.check(resolved_model.of(cfg), wanted, Actual())
    [note] = findings
    assert note.severity == "info"
    assert "enhanced" in note.message and "honban" in note.message
    assert note.path == ("clusters", 0)


def test_a_cluster_enhanced_in_aws_but_unset_in_config_keeps_its_filters_with_a_note():
    cfg = config(cluster(CASES, insights=None))
    actual = Actual(settings={"honban": "enhanced"})
    wanted = kinds.desired(resolved_model.of(cfg))
    assert len([r for r in wanted if r.kind == "metric_filter"]) == 2
    [note] = [f for f in kinds.check(resolved_model.of(cfg), wanted, actual) if f.severity == "info"]
    assert "container_insights: enhanced" in note.message


def test_only_clusters_with_metrics_get_performance_filters():
    quiet = Cluster(name="quiet", container_insights="enabled",
                    services=[Service(name="s", containers=[Container(name="c")])])
    cfg = config(cluster(CASES), quiet)
    assert {r.group for r in metric_filter.desired(resolved_model.of(cfg))} == {performance_log_group("honban")}
    assert [r.id for r in log_group.desired(resolved_model.of(cfg))] == [performance_log_group("honban")]


def test_validate_parses_every_generated_pattern():
    """A compiled pattern AWS would refuse mid-apply is a problem at the cluster, found offline."""
    from monitor.kinds import filter_checks
    from monitor.state.resources import Resource
    broken = Resource("metric_filter", "/perf:monitor/honban/(performance)/CpuUtilized",
                      {"filterPattern": '{ $.ContainerName = "a"b" }'}, origin=("clusters", 0))
    [problem] = filter_checks.generated_patterns([broken, *metric_filter.desired(resolved_model.of(config(cluster({"web": ["app"]}))))])
    assert problem.path == ("clusters", 0) and "is not valid" in problem.message
