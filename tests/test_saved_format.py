"""The saved-plan file: what is written reads back as the same changes, and what moved is named."""

from __future__ import annotations

import pytest

from monitor.state.plan import Change, Plan
from monitor.state.resources import Actual, Resource
from monitor.sync import saved
from monitor.sync.where import Where

UPDATE = Change("alarm", "monitor/a/b/c/x", "update", {"Threshold": 5.0, "Dimensions": [{"Name": "A"}]},
                {"Threshold": 9.0, "Dimensions": [{"Name": "A"}]}, ("Threshold",), {"Tags": [{"Key": "k"}]},
                ("log_group", "/g"), "arn:aws:cloudwatch:x", "eu-west-2", 1)
CREATE = Change("metric_filter", "/g:monitor/a/b/c/f", "create", None, {"filterPattern": "ERROR"})
DELETE = Change("dashboard", "monitor-a", "delete", {"widgets": []}, None)
PLAN = Plan([DELETE, CREATE, UPDATE], unchanged=4, owned=7, replaced=1)
WHERE = Where("123456789012", "eu-west-2", None)


def test_a_saved_plan_reads_back_as_the_same_changes_in_the_same_order():
    text = saved.to_json(saved.Saved(PLAN, WHERE, "monitor.yaml", saved.digest("x"), prune=True))
    back = saved.read(text)
    assert back.plan.changes == PLAN.changes
    assert (back.plan.unchanged, back.plan.owned, back.plan.replaced) == (4, 7, 1)
    assert (back.where, back.prune, back.destroy, back.digest) == (WHERE, True, False, saved.digest("x"))


def owned(change: Change, spec: dict, is_ours: bool = True) -> Resource:
    return Resource(change.kind, change.id, spec, owned=is_ours)


def test_nothing_moved_when_every_resource_is_as_the_plan_saw_it():
    actual = Actual({("dashboard", "monitor-a"): owned(DELETE, {"widgets": []}),
                     ("alarm", UPDATE.id): owned(UPDATE, {"Threshold": 5.0, "Dimensions": [{"Name": "A"}]})})
    assert saved.moved(PLAN, actual) == []


@pytest.mark.parametrize("resources, words", [
    ({}, ["dashboard monitor-a: deleted since the plan", "alarm monitor/a/b/c/x: deleted since the plan"]),
    ({("metric_filter", CREATE.id): Resource("metric_filter", CREATE.id, {"filterPattern": "ERROR"})},
     ["metric_filter /g:monitor/a/b/c/f: created since the plan"]),
    ({("dashboard", "monitor-a"): Resource("dashboard", "monitor-a", {"widgets": []}, owned=False)},
     ["dashboard monitor-a: no longer carries our ownership marker"]),
])
def test_what_moved_is_named(resources, words):
    found = saved.moved(PLAN, Actual(resources))
    assert all(word in found for word in words), found
