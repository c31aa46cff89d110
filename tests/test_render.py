"""Rendering is pure: a plan (and outcomes) in, text or the contract's JSON out."""

from __future__ import annotations

import json

import pytest

from monitor.output.plan import finding_text, plan_json, plan_text
from monitor.kinds.cluster_setting import MISSING
from monitor.problems import Mark, Source
from monitor.state.plan import KEPT, Change, Outcome, Plan

ID = "/ecs/honban/app:monitor-honban-app-app-errors"


def spec(pattern: str = "ERROR", unit: str | None = None) -> dict:
    metric = {"metricName": "Errors", "metricNamespace": "Custom/ECS", "metricValue": "1"}
    return {"logGroupName": "/ecs/honban/app", "filterName": "monitor-honban-app-app-errors",
            "filterPattern": pattern, "metricTransformations": [{**metric, **({"unit": unit} if unit else {})}]}


CREATE = Change("metric_filter", ID, "create", None, spec())
UPDATE = Change("metric_filter", ID, "update", spec("ERROR"), spec("FATAL", "Count"),
                ("filterPattern", "metricTransformations[0].unit"))
DELETE = Change("metric_filter", ID, "delete", spec(), None)


def test_no_changes_says_so_with_the_unchanged_count():
    assert plan_text(Plan(unchanged=3)) == "No changes. 3 resource(s) up to date."


def test_a_create_shows_what_it_sets_except_the_names_in_its_id():
    lines = plan_text(Plan(changes=[CREATE])).splitlines()
    assert lines[0] == f"+ create metric_filter {ID}"
    assert lines[1:5] == ['    filterPattern: "ERROR"', '    metricTransformations[0].metricName: "Errors"',
                          '    metricTransformations[0].metricNamespace: "Custom/ECS"',
                          '    metricTransformations[0].metricValue: "1"']
    assert lines[-1] == "Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged."


def test_an_update_shows_each_changed_field_before_and_after():
    lines = plan_text(Plan(changes=[UPDATE], unchanged=2)).splitlines()
    assert lines == [f"~ update metric_filter {ID}", '    filterPattern: "ERROR" -> "FATAL"',
                     '    metricTransformations[0].unit: (none) -> "Count"',
                     "Plan: 0 to create, 1 to update, 0 to delete, 2 unchanged."]


def test_a_delete_is_one_line():
    assert plan_text(Plan(changes=[DELETE])).splitlines()[0] == f"- delete metric_filter {ID}"


def test_outcomes_are_shown_per_change_with_a_tally():
    outcomes = [Outcome(CREATE, "ok"), Outcome(DELETE, "error", "access denied for DeleteMetricFilter")]
    text = plan_text(Plan(changes=[CREATE, DELETE]), outcomes=outcomes)
    assert f"+ create metric_filter {ID}  [ok]" in text
    assert f"- delete metric_filter {ID}  [error: access denied for DeleteMetricFilter]" in text
    assert text.endswith("Applied: 1 ok, 1 failed.")


def test_errors_without_changes_are_not_no_changes():
    text = plan_text(Plan(findings=[MISSING.problem((), "cluster 'x' was not found")]))
    assert text.splitlines() == ["error: PLN-001 cluster 'x' was not found",
                                 "Plan failed: 1 error(s) above; nothing can be applied until they are fixed."]


def test_a_finding_with_an_origin_points_into_the_config():
    source = Source("monitor.yaml", values={("clusters", 0, "name"): Mark(4, 13)})
    finding = MISSING.problem(("clusters", 0, "name"), "cluster 'x' was not found")
    assert finding_text(finding, source) == "monitor.yaml:4:13: error: PLN-001 clusters[0].name: cluster 'x' was not found"
    assert finding_text(finding, None) == "error: PLN-001 clusters[0].name: cluster 'x' was not found"


def test_plan_json_is_the_contract_document():
    document = json.loads(plan_json(Plan(changes=[CREATE, UPDATE], unchanged=1,
                                         findings=[KEPT.problem((), "fyi")])))
    assert document["summary"] == {"create": 1, "update": 1, "delete": 0, "unchanged": 1}
    assert document["changes"][0] == {"kind": "metric_filter", "id": ID, "action": "create",
                                      "before": None, "after": spec()}
    assert document["changes"][1]["fields"] == ["filterPattern", "metricTransformations[0].unit"]
    assert document["findings"] == [{"code": "PLN-010", "severity": "info", "message": "fyi"}]


@pytest.mark.parametrize("result, shown", [("ok", "ok"), ("error", "error"), ("skipped", "error")])
def test_apply_json_has_a_result_per_change(result, shown):
    document = json.loads(plan_json(Plan(changes=[CREATE]), [Outcome(CREATE, result, None)]))
    assert document["changes"][0]["result"] == shown


def test_a_plan_finding_in_the_config_carries_its_file_line_and_column_in_json():
    source = Source("monitor.yaml", values={("clusters", 0, "name"): Mark(4, 13)})
    finding = MISSING.problem(("clusters", 0, "name"), "cluster 'x' was not found")
    [item] = json.loads(plan_json(Plan(findings=[finding]), source=source))["findings"]
    assert {k: item[k] for k in ("file", "line", "column", "path", "severity")} == {
        "file": "monitor.yaml", "line": 4, "column": 13, "path": "clusters[0].name", "severity": "error"}
