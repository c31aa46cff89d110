"""Missing-data advice: what a gap in the metric does to each treatment, for sparse filter metrics and task counts."""

from __future__ import annotations

import pytest

from monitor.config.model import Alarm, Cluster, Container, Filter, Service
from monitor.config.walk import Place
from monitor.kinds.alarm_advice import advice

SPARSE = Filter(name="panics", pattern="panic", metric="Panics")
STEADY = Filter(name="requests", pattern="GET", metric="Requests", default=0)


def place(insights: str | None = "enabled") -> Place:
    container = Container(name="app", filters=[SPARSE, STEADY])
    return Place(Cluster(name="honban", container_insights=insights), Service(name="web"), container, ())


def alarm(metric: str, comparison: str, treat: str, namespace: str | None = None) -> Alarm:
    return Alarm(name="a", metric=metric, namespace=namespace, comparison=comparison, threshold=1,
                 treat_missing_data=treat)


@pytest.mark.parametrize("comparison, treat, fix", [
    (">", "notBreaching", None), (">", "breaching", "notBreaching"), (">", "missing", "notBreaching"),
    (">", "ignore", "notBreaching"), (">=", "breaching", "notBreaching"),
    ("<", "breaching", None), ("<", "notBreaching", "breaching"), ("<=", "missing", "breaching"),
])
def test_a_sparse_filter_metric_wants_the_treatment_that_reads_a_gap_as_a_quiet_minute(comparison, treat, fix):
    found = advice(place(), alarm("Panics", comparison, treat))
    assert (found is None) if fix is None else found.endswith(f"fix: treat_missing_data: {fix} "
                                                              "(or give the filter default: 0)")


@pytest.mark.parametrize("treat", ["missing", "breaching", "ignore"])
def test_a_filter_metric_with_a_default_is_not_sparse(treat):
    assert advice(place(), alarm("Requests", ">", treat)) is None


@pytest.mark.parametrize("comparison, treat, warned", [
    ("<", "missing", True), ("<=", "notBreaching", True), ("<", "ignore", True), ("<", "breaching", False),
    (">", "missing", False),
])
def test_a_task_count_below_a_threshold_needs_missing_data_as_breaching(comparison, treat, warned):
    found = advice(place(), alarm("RunningTaskCount", comparison, treat, namespace="ECS/ContainerInsights"))
    assert (found is not None) == warned
    assert found is None or found.endswith("fix: treat_missing_data: breaching")


def test_container_insights_disabled_means_no_data_at_all():
    found = advice(place("disabled"), alarm("RunningTaskCount", "<", "breaching", namespace="ECS/ContainerInsights"))
    assert "Container Insights disabled" in found and found.endswith("fix: enable container_insights on the cluster")
