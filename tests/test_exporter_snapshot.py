"""Snapshots from readings: last complete period, counters, missing data, ratios and derived values."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from monitor.config.model import Derived
from monitor.exporter import derive, queries
from monitor.exporter.batches import Window
from monitor.exporter.naming import CPU_UNITS, MIB
from monitor.exporter.queries import Query
from monitor.exporter.snapshot import Reading, DerivedRule, build
from monitor.names.identity import Identity
from monitor.taskdefs.sizing import Limit, Limits

LABELS = (("ecs_cluster", "c"), ("ecs_service", "s"), ("ecs_container", "app"))
WINDOW = Window(600, 900, 60)   # periods starting 600, 660, ..., 840
REQUESTS = Query("Custom/ECS/c/s/app", "Requests", (), "Sum", queries.FILTERS, "ecs_filter_requests_total",
                 "Count", LABELS, True, ("Requests",))
LATENCY = Query("Custom/ECS/c/s/app", "Latency", (), "Average", queries.FILTERS, "ecs_filter_latency_seconds",
                "Milliseconds", LABELS, aliases=("Latency",))
CPU = Query("Custom/ECS", "ContainerCpuUtilized", (), "Average", queries.PERFORMANCE,
            "ecs_container_cpu_utilized_cores", CPU_UNITS, LABELS, aliases=("CpuUtilized",))
MEMORY = Query("Custom/ECS", "ContainerMemoryUtilized", (), "Average", queries.PERFORMANCE,
               "ecs_container_memory_utilized_bytes", MIB, LABELS, aliases=("MemoryUtilized",))
TASKS = Query("ECS/ContainerInsights", "RunningTaskCount", (), "Average", queries.SERVICES,
              "ecs_service_running_tasks", None, LABELS[:2], aliases=("RunningTaskCount",))


def samples(snapshot) -> dict[tuple[str, tuple], float]:
    registry = CollectorRegistry()
    registry.register(type("C", (), {"collect": lambda self: snapshot.families})())
    text = generate_latest(registry).decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def key(name, labels=LABELS):
    return (name, tuple(sorted(labels)))


def test_gauges_hold_the_last_complete_period_in_base_units():
    snapshot = build([Reading(LATENCY, WINDOW, ((780, 500.0), (840, 250.0)))], {}, [])
    assert samples(snapshot) == {key("ecs_filter_latency_seconds"): 0.25}
    assert snapshot.data_until == 900


def test_a_missing_last_period_is_no_sample_not_zero():
    snapshot = build([Reading(LATENCY, WINDOW, ((780, 500.0),))], {}, [])
    assert samples(snapshot) == {}


def test_counters_add_each_period_once_across_refreshes():
    first = build([Reading(REQUESTS, WINDOW, ((780, 3.0), (840, 4.0)))], {}, [])
    later = Window(660, 960, 60)
    second = build([Reading(REQUESTS, later, ((780, 3.0), (840, 4.0), (900, 5.0)))], {}, [], first)
    third = build([Reading(REQUESTS, Window(720, 1020, 60), ((780, 3.0),))], {}, [], second)
    assert samples(first)[key("ecs_filter_requests_total")] == 7.0
    assert samples(second)[key("ecs_filter_requests_total")] == 12.0
    assert samples(third)[key("ecs_filter_requests_total")] == 12.0


def test_a_series_no_longer_read_leaves_the_snapshot():
    first = build([Reading(REQUESTS, WINDOW, ((840, 4.0),)), Reading(LATENCY, WINDOW, ((840, 1.0),))], {}, [])
    second = build([Reading(LATENCY, WINDOW, ((840, 1.0),))], {}, [], first)
    assert key("ecs_filter_requests_total") not in samples(second)
    assert second.counters == {}


def test_utilization_ratios_against_the_task_definition_limits():
    limits = {Identity("c", "s", "app"): Limits(Limit(512, "CPU units", "share", "x"), Limit(1024, "MiB", "hard", "x"))}
    snapshot = build([Reading(CPU, WINDOW, ((840, 256.0),)), Reading(MEMORY, WINDOW, ((840, 768.0),))], limits, [])
    found = samples(snapshot)
    assert found[key("ecs_container_cpu_utilization_ratio")] == 0.5
    assert found[key("ecs_container_memory_utilization_ratio")] == 0.75
    assert found[key("ecs_container_cpu_utilized_cores")] == 0.25
    assert found[key("ecs_container_memory_utilized_bytes")] == 768 * 1024 * 1024
    assert found[key("ecs_container_memory_limit_bytes", LABELS + (("limit_kind", "hard"),))] == 1024 * 1024 * 1024
    assert found[key("ecs_container_cpu_limit_cores", LABELS + (("limit_kind", "share"),))] == 0.5


def rule(expr: str, name: str = "derived_value", **options) -> DerivedRule:
    return DerivedRule(Derived(name=name, expr=expr, **options), derive.compile_expression(expr))


def test_derived_values_per_label_set_with_the_service_metrics_in_reach():
    readings = [Reading(REQUESTS, WINDOW, ((840, 4.0),)), Reading(TASKS, WINDOW, ((840, 2.0),))]
    rules = [rule("Requests", "a"), rule("RunningTaskCount", "b"), rule("Requests / RunningTaskCount", "c_ratio"),
             rule("sum(RunningTaskCount)", "d")]
    found = samples(build(readings, {}, rules))
    assert found[key("a")] == 4.0
    assert found[key("b", LABELS[:2])] == 2.0 and key("b") not in found   # the service's, not each container's
    assert found[key("c_ratio")] == 2.0                                     # a container's own over its service's
    assert found[key("d", ())] == 2.0                                       # each service counted once


def test_derived_expressions_divide_and_aggregate_with_no_sample_for_a_zero_division():
    readings = [Reading(REQUESTS, WINDOW, ((840, 0.0),)), Reading(TASKS, WINDOW, ((840, 2.0),))]
    assert key("x") not in samples(build(readings, {}, [rule("RunningTaskCount / Requests", "x")]))
    given = samples(build(readings, {}, [rule("RunningTaskCount / Requests", "x", on_zero_division=0)]))
    assert given[key("x")] == 0.0
    assert samples(build(readings, {}, [rule("rate(Requests) + 1", "y")]))[key("y")] == 1.0


def test_a_derived_value_with_missing_input_is_no_sample_unless_on_missing_says():
    readings = [Reading(REQUESTS, WINDOW, ((780, 4.0),))]
    assert key("a") not in samples(build(readings, {}, [rule("Requests", "a")]))
    assert samples(build(readings, {}, [rule("Requests", "a", on_missing=0)]))[key("a")] == 0.0
