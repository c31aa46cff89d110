"""The plan is a pure diff of desired against actual: tables of small cases, no AWS."""

from __future__ import annotations

import pytest

from monitor.names import identity
from monitor.names import ownership as names
from monitor.names.identity import Identity
from monitor.kinds.cluster_setting import MISSING
from monitor.state.plan import KEPT, MAX_SAFE_DELETES, Change, Plan, changed_fields, duplicates, leaves, plan
from monitor.state.resources import Actual, Resource

KINDS = ("cluster_setting", "log_group", "metric_filter", "alarm", "composite_alarm", "dashboard")
FILTER = "metric_filter"


def spec(pattern: str = "ERROR", value: str = "1") -> dict:
    """A metric filter spec in the normal form both sides are compared in."""
    return {"logGroupName": "/ecs/app", "filterName": "monitor-f", "filterPattern": pattern,
            "metricTransformations": [{"metricName": "Errors", "metricNamespace": "Custom/ECS",
                                       "metricValue": value}]}


def res(id_: str, kind: str = FILTER, spec_: dict | None = None, **options) -> Resource:
    return Resource(kind, id_, spec(id_) if spec_ is None else spec_, **options)


def live(*resources: Resource) -> Actual:
    actual = Actual()
    for resource in resources:
        actual.add(resource)
    return actual


def diff(desired=(), actual=(), prune=False, findings=None) -> Plan:
    return plan(list(desired), live(*actual), KINDS, prune=prune, findings=findings)


def actions(result: Plan) -> list[tuple[str, str, str]]:
    return [(c.action, c.kind, c.id) for c in result.changes]


# --- create / update / delete / unchanged ------------------------------------------------

@pytest.mark.parametrize("desired, actual, prune, expected, unchanged", [
    pytest.param([res("a")], [], False, [("create", FILTER, "a")], 0, id="missing-is-created"),
    pytest.param([res("a")], [res("a")], False, [], 1, id="equal-is-unchanged"),
    pytest.param([res("a", spec_=spec("WARN"))], [res("a", spec_=spec("ERROR"))], False,
                 [("update", FILTER, "a")], 0, id="different-is-updated"),
    pytest.param([], [res("a")], True, [("delete", FILTER, "a")], 0, id="owned-extra-is-deleted-with-prune"),
    pytest.param([], [res("a")], False, [], 0, id="owned-extra-is-kept-without-prune"),
    pytest.param([res("a"), res("b")], [res("b"), res("c")], True,
                 [("delete", FILTER, "c"), ("create", FILTER, "a")], 1, id="mixed"),
])
def test_actions(desired, actual, prune, expected, unchanged):
    result = diff(desired, actual, prune)
    assert actions(result) == expected
    assert result.unchanged == unchanged


def test_create_carries_the_desired_spec_and_create_only_params():
    wanted = res("a", params={"tags": {"team": "platform"}})
    [change] = diff([wanted]).changes
    assert (change.before, change.after, change.params) == (None, wanted.spec, {"tags": {"team": "platform"}})


def test_update_carries_both_sides_and_the_changed_fields():
    [change] = diff([res("a", spec_=spec("WARN", "2"))], [res("a", spec_=spec("ERROR", "1"))]).changes
    assert change.before == spec("ERROR", "1")
    assert change.after == spec("WARN", "2")
    assert change.fields == ("filterPattern", "metricTransformations[0].metricValue")


def test_delete_carries_the_live_spec_only():
    [change] = diff([], [res("a")], prune=True).changes
    assert (change.before, change.after) == (spec("a"), None)


def test_create_only_params_do_not_make_an_update():
    """Tags are sent on create only; a live resource without them is still unchanged."""
    result = diff([res("a", params={"tags": {"x": "y"}})], [res("a")])
    assert (result.changes, result.unchanged) == ([], 1)


# --- ownership ----------------------------------------------------------------------------

def test_conflict_with_a_resource_we_do_not_own_is_an_error_and_no_change():
    origin = ("clusters", 0, "services", 0, "containers", 0, "filters", 0)
    result = diff([res("a", spec_=spec("WARN"), origin=origin)], [res("a", owned=False)], prune=True)
    assert result.changes == []
    assert result.unchanged == 0
    [error] = result.errors
    assert "a" in error.message and "ownership marker" in error.message
    assert error.path == origin


@pytest.mark.parametrize("prune", [False, True])
def test_a_resource_we_do_not_own_and_do_not_want_is_invisible(prune):
    result = diff([], [res("foreign", owned=False)], prune=prune)
    assert (result.changes, result.findings, result.owned) == ([], [], 0)


def test_owned_but_not_in_config_is_kept_with_a_note_naming_it():
    result = diff([], [res("stale")], prune=False)
    assert result.changes == []
    [note] = result.findings
    assert note.severity == "info"
    assert "stale" in note.message and "--prune" in note.message
    assert result.errors == []


def test_the_note_lists_at_most_five_names():
    stale = [res(f"s{i}") for i in range(7)]
    [note] = diff([], stale).findings
    assert all(f"s{i}" in note.message for i in range(5))
    assert "s5" not in note.message and note.message.endswith(" ...")
    assert note.message.startswith("7 owned resource(s)")


@pytest.mark.parametrize("kind", ["cluster_setting", "log_group"])
@pytest.mark.parametrize("wanted", [(), ("other",)], ids=["destroy", "prune"])
def test_non_prunable_kinds_are_never_deleted(kind, wanted):
    """Cluster settings and log groups hold state we do not own outright: prune and destroy keep them.

    destroy plans with nothing desired and prune on; prune plans with the config's resources.
    """
    desired = [res(name, kind=kind, spec_={}, prunable=False) for name in wanted]
    result = diff(desired, [res("x", kind=kind, spec_={}, prunable=False)], prune=True)
    assert [c for c in result.changes if c.action == "delete"] == []
    assert result.findings == []
    assert result.owned == 0


def test_findings_given_to_plan_are_kept_and_errors_are_the_error_ones():
    given = [MISSING.problem((), "cluster 'x' was not found"), KEPT.problem((), "fyi")]
    result = diff(findings=given)
    assert result.findings == given
    assert result.errors == [given[0]]


# The ownership rule, as a table: our prefix *and* a cluster of this config, on any log group.
CLUSTERS = frozenset({"web", "web-api"})


@pytest.mark.parametrize("name, expected", [
    ("monitor/web/api-x/app/errors", True),
    ("monitor/web-api/x/app/errors", True),
    ("monitor/web/(performance)/CpuUtilized", True),
    ("monitor/web/(performance)/CpuUtilized/2", True),
    ("monitor/web/api/app/a/b", True),            # the filter's own name may hold the separator
    ("monitor/web", False),                       # no scope after the cluster
    ("monitor/web/errors", False),                # our prefix and cluster, but no shape we make
    ("monitor/web/team/errors", False),
    ("monitor/web/api/app/", False),              # an empty filter name
    ("monitor/web/(performance)", False),
    ("monitor/web/(performance)/CpuUtilized/1", False),   # part 1 is never written
    ("monitor/web/(performance)/CpuUtilized/x", False),
    ("monitor/web-ap/x/app/errors", False),       # a cluster that only starts like ours
    ("monitor/batch/api/app/errors", False),      # another config's cluster, on any group
    ("monitor/web api/x/app/errors", False),      # not an ECS name
    ("monitoring/web/api/app/errors", False),
    ("Monitor/web/api/app/errors", False),
    ("team/web/api/app/errors", False),
    ("monitor-web-api-x-app-errors", False),      # the old dash-joined names are nobody's
    ("", False),
])
def test_a_resource_is_ours_only_with_our_prefix_and_one_of_our_clusters(name, expected):
    assert names.owns("monitor", CLUSTERS, name) is expected


@pytest.mark.parametrize("cluster, service, container, leaf", [
    ("web", "api-x", "app", "errors"),
    ("web-api", "x", "app", "errors"),
    ("web", "api", "app-worker", "errors"),
    ("web", "api-app", "worker", "errors"),
    ("web-api", "app", "worker", "errors"),
    ("a_b", "c-d", "e_f-g", "with/slash and space"),
])
def test_a_generated_name_parses_back_to_exactly_its_owner(cluster, service, container, leaf):
    name = names.filter_name("monitor", cluster, service, container, leaf)
    assert names.owner(name) == names.Owner("monitor", cluster, service, container)


def test_the_issue_collisions_are_three_distinct_names():
    placements = [("web", "api", "app-worker"), ("web", "api-app", "worker"), ("web-api", "app", "worker")]
    assert len({names.filter_name("monitor", *place, "errors") for place in placements}) == 3


# --- a compiled filter's parts come and go with the config -------------------------------

def part(number: int) -> Resource:
    name = "monitor/web/(performance)/CpuUtilized" + (f"/{number}" if number > 1 else "")
    return res(f"/perf:{name}", family="/perf:monitor/web/(performance)/CpuUtilized")


def test_parts_the_compile_no_longer_makes_are_deleted_without_prune():
    """Left alone, part 3 would count its containers a second time beside the new parts 1-2."""
    result = diff([part(1), part(2)], [part(1), part(2), part(3), res("monitor/web/api/app/old")])
    assert actions(result) == [("delete", FILTER, part(3).id)]
    assert "1 owned resource(s) are not in the config" in result.findings[0].message


def test_parts_of_a_filter_the_config_dropped_wait_for_prune():
    assert actions(diff([], [part(1), part(2)])) == []
    assert actions(diff([], [part(1), part(2)], prune=True)) == [("delete", FILTER, part(1).id),
                                                                  ("delete", FILTER, part(2).id)]


def test_plan_refuses_two_desired_resources_with_one_key():
    with pytest.raises(ValueError, match="share the key"):
        diff([res("a"), res("a")])


# --- order --------------------------------------------------------------------------------

def test_deletes_first_in_reverse_kind_order_then_creates_and_updates_in_kind_order():
    desired = [res("m-create"), res("m-update", spec_=spec("NEW")),
               res("g-create", kind="log_group", spec_={}),
               res("c-update", kind="cluster_setting", spec_={"containerInsights": "enabled"})]
    actual = [res("m-update", spec_=spec("OLD")), res("m-delete-b"), res("m-delete-a"),
              res("c-update", kind="cluster_setting", spec_={"containerInsights": "disabled"}),
              res("g-delete", kind="log_group", spec_={})]   # prunable here, to see its place
    assert actions(diff(desired, actual, prune=True)) == [
        ("delete", FILTER, "m-delete-a"),
        ("delete", FILTER, "m-delete-b"),
        ("delete", "log_group", "g-delete"),
        ("update", "cluster_setting", "c-update"),
        ("create", "log_group", "g-create"),
        ("create", FILTER, "m-create"),
        ("update", FILTER, "m-update"),
    ]


def test_order_does_not_depend_on_input_order():
    desired = [res(name) for name in ("c", "a", "b")] + [res("g", kind="log_group", spec_={})]
    forward = actions(diff(desired))
    assert forward == actions(diff(list(reversed(desired))))
    assert forward[0] == ("create", "log_group", "g")


def test_the_kinds_tuple_is_the_documented_order():
    from monitor import kinds
    assert kinds.NAMES == KINDS


# --- changed_fields and leaves ------------------------------------------------------------

@pytest.mark.parametrize("before, after, expected", [
    ({"a": 1}, {"a": 1}, []),
    ({"a": 1}, {"a": 2}, ["a"]),
    ({"a": 1}, {"a": 1, "b": 2}, ["b"]),
    ({"a": 1, "b": 2}, {"a": 1}, ["b"]),
    ({"b": 1, "a": 1}, {"b": 2, "a": 2}, ["a", "b"]),
    (spec("A"), spec("B"), ["filterPattern"]),
    (spec(value="1"), spec(value="$.n"), ["metricTransformations[0].metricValue"]),
    ({"m": [{"d": {"X": "$.x"}}]}, {"m": [{"d": {"X": "$.x", "Y": "$.y"}}]}, ["m[0].d.Y"]),
    ({"m": [{"d": {"X": "$.x"}}]}, {"m": [{}]}, ["m[0].d"]),
    ({"m": [1, 2]}, {"m": [1, 3]}, ["m[1]"]),
    ({"m": [1]}, {"m": [1, 2]}, ["m"]),      # lists of different lengths differ as a whole
    ({"a": {"b": 1}}, {"a": 1}, ["a"]),      # a change of type is a change of the whole value
])
def test_changed_fields(before, after, expected):
    assert changed_fields(before, after) == expected


@pytest.mark.parametrize("value, expected", [
    ({}, []),
    ({"a": 1}, ["a"]),
    ({"a": {"b": 1, "c": [1, {"d": 2}]}}, ["a.b", "a.c[0]", "a.c[1].d"]),
    ({"a": {}, "b": []}, ["a", "b"]),        # an empty value is still a field the create sets
    (spec(), ["logGroupName", "filterName", "filterPattern", "metricTransformations[0].metricName",
              "metricTransformations[0].metricNamespace", "metricTransformations[0].metricValue"]),
])
def test_leaves(value, expected):
    assert leaves(value) == expected


# --- safety and summary -------------------------------------------------------------------

def deleting(count: int, owned: int) -> Plan:
    changes = [Change(FILTER, f"f{i}", "delete", {}, None) for i in range(count)]
    return Plan(changes=changes, owned=owned)


@pytest.mark.parametrize("deletes, owned, unsafe", [
    (0, 0, False),
    (MAX_SAFE_DELETES, MAX_SAFE_DELETES, False),        # 10 deletes are always allowed
    (MAX_SAFE_DELETES + 1, MAX_SAFE_DELETES + 1, True),  # 11 of 11
    (11, 40, False),                                     # 30% of 40 is 12
    (12, 40, False),
    (13, 40, True),
    (11, 0, True),
    (30, 100, False),
    (31, 100, True),
])
def test_unsafe_needs_more_than_ten_deletes_and_more_than_30_percent(deletes, owned, unsafe):
    reason = deleting(deletes, owned).unsafe()
    assert (reason is not None) == unsafe
    if reason:
        assert f"deletes {deletes} of {owned}" in reason


def test_unsafe_counts_only_owned_prunable_resources():
    stale = [res(f"s{i}") for i in range(11)]
    kept = [res(f"k{i}") for i in range(25)]
    foreign = [res(f"x{i}", owned=False) for i in range(100)]
    settings = [res(f"c{i}", kind="cluster_setting", spec_={}, prunable=False) for i in range(100)]
    result = diff(kept, stale + kept + foreign + settings, prune=True)
    assert result.owned == 36
    assert result.summary["delete"] == 11
    assert result.unsafe() is not None   # 11 > 10 and 11 > 0.3 * 36


def test_summary_counts_every_action_and_the_unchanged():
    desired = [res("new1"), res("new2"), res("same"), res("upd", spec_=spec("NEW"))]
    actual = [res("same"), res("upd", spec_=spec("OLD")), res("gone")]
    assert diff(desired, actual, prune=True).summary == {"create": 2, "update": 1, "delete": 1, "unchanged": 1}


def test_empty_plan_summary():
    assert diff().summary == {"create": 0, "update": 0, "delete": 0, "unchanged": 0}


def test_a_resource_that_cannot_be_created_is_not_planned_when_missing():
    """A cluster setting on a cluster that does not exist: the kind's check reports it, no create."""
    setting = Resource("cluster_setting", "nowhere", {"containerInsights": "enabled"}, prunable=False,
                       creatable=False)
    result = plan([setting], Actual(), KINDS)
    assert result.changes == [] and result.unchanged == 0


def test_duplicates_point_at_the_second_place_and_name_the_first():
    first = res("a", origin=("clusters", 0, "services", 0))
    second = res("a", origin=("clusters", 0, "services", 1))
    [problem] = duplicates([first, second, res("b")])
    assert (problem.path, problem.related, problem.severity) == (second.origin, (first.origin,), "error")


def test_two_instances_of_one_entry_are_named_with_the_way_to_part_them():
    """A `per: service` dashboard: cluster web/service api-x and cluster web-api/service x join to one
    name. One entry, one place: the message names both pairs, and points at no other place."""
    first = Resource("dashboard", "monitor-d-web-api-x", {}, origin=("dashboards", 0), made_for=("web", "api-x"))
    second = Resource("dashboard", "monitor-d-web-api-x", {}, origin=("dashboards", 0), made_for=("web-api", "x"))
    [problem] = duplicates([first, second])
    assert (problem.path, problem.related, problem.check.code) == (("dashboards", 0), (), "CFG-026")
    assert problem.message == (
        "this makes dashboard monitor-d-web-api-x twice: for cluster web, service api-x and for cluster web-api, "
        "service x, <prefix>-<name>-<cluster>-<service> gives that one name; split the entry into two entries, "
        "each with its own `name:` and `clusters:` (one with clusters [web], one with [web-api])")
    other = Resource("dashboard", "monitor-d-web-api-x", {}, origin=("dashboards", 1))   # an entry named d-web-api-x
    [problem] = duplicates([first, other])
    assert problem.related == (("dashboards", 0),)
    assert "a second time (the first for cluster web, service api-x)" in problem.message


# --- metric identity: a namespace per container, and back -----------------------------------

@pytest.mark.parametrize("cluster, service, container", [
    ("web", "api-x", "app"), ("web-api", "x", "app"), ("a_b", "c-d", "e_f-g"), ("c" * 40, "s" * 40, "k" * 40)])
def test_a_container_namespace_reads_back_to_its_container(cluster, service, container):
    owner = Identity(cluster, service, container)
    assert identity.identity("Custom/ECS", identity.namespace("Custom/ECS", owner)) == owner


@pytest.mark.parametrize("namespace", ["Custom/ECS", "Custom/ECS/web/api", "Custom/ECS/web/api/app/x",
                                       "Other/web/api/app", "Custom/ECS/web/api/app.v2", "Custom/ECSX/web/api/app"])
def test_any_other_namespace_names_no_container(namespace):
    assert identity.identity("Custom/ECS", namespace) is None
