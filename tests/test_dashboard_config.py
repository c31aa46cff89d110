"""Dashboards offline: templates checked where they are written, bodies against CloudWatch's rules,
the grid layout, and the built-in catalogue."""

from __future__ import annotations

import pytest

from monitor.cli import main
from monitor.dashboards import body, layout, owner, templates
from monitor.dashboards.diff import diff
from monitor.sync.flow import validate

BROKEN = """name: broken
widgets:
  - each: service
    widgets:
      - {type: metric, metrics: [[AWS/ECS, CPUUtilization, ClusterName]], period: 90}
      - {type: logs, query: "fields ${nope}"}
      - {each: cluster, type: text, markdown: x}
"""


def test_a_broken_template_fails_validate_at_its_lines_and_at_the_entry(write_config, tmp_path, capsys):
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "broken.yaml").write_text(BROKEN)
    path = write_config("version: 1\nclusters: [{name: honban}]\ndashboards:\n  - {name: x, template: broken}\n")
    assert main(["validate", "-c", str(path)]) == 1
    out = capsys.readouterr().out
    file = tmp_path / "dashboards" / "broken.yaml"
    assert f"{file}:5:34: error: DSH-015 widgets[0].widgets[0].metrics[0]: a metric row is" in out
    assert f"{file}:5:83: error: DSH-014 widgets[0].widgets[0].period: period 90" in out
    assert f"{file}:6:29: error: DSH-016 widgets[0].widgets[1].query: placeholder ${{nope}}" in out
    assert f"{file}:7:16: error: DSH-011 widgets[0].widgets[2].each: each: cluster inside a service scope" in out
    assert f"{path}:4:25: error: DSH-005 dashboards[0].template: template 'broken' has errors" in out


def test_a_local_template_replaces_nothing_and_is_found_first(write_config, tmp_path):
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "tiny.yaml").write_text("name: tiny\nwidgets:\n  - {type: text, markdown: hi}\n")
    loaded = validate(str(write_config("version: 1\nclusters: [{name: honban}]\ndashboards:\n  - {name: t, template: tiny}\n")))
    assert loaded.ok, loaded.problems
    [entry] = loaded.config.dashboards
    assert entry.widgets[0].markdown == "hi"


def test_the_built_in_catalogue_is_valid():
    found, problems = templates.load([templates.directories(__file__)[-1]])
    assert problems == [] and "service" in found


def test_a_generated_body_past_the_limits_fails_validate_at_the_entry(write_config):
    services = [{"name": f"s{n}", "containers": [{"name": "app", "log_group": "/ecs/x"}]} for n in range(130)]
    import yaml
    text = yaml.safe_dump({"version": 1, "clusters": [{"name": "honban", "services": services}],
                           "dashboards": [{"name": "big", "widgets": [
                               {"each": "container", "widgets": [{"type": "text", "markdown": "a"},
                                                                 {"type": "text", "markdown": "b"},
                                                                 {"type": "text", "markdown": "c"},
                                                                 {"type": "text", "markdown": "d"}]}]}]})
    loaded = validate(str(write_config(text)))
    assert [(p.path, p.message) for p in loaded.problems] == [
        (("dashboards", 0), "dashboard monitor-big: widgets: 521 widgets; CloudWatch allows at most 500; set "
                            "'per: service' on the dashboard for one dashboard a service, or name fewer 'clusters'")]


METRIC = {"type": "metric", "x": 0, "y": 0, "width": 6, "height": 6,
          "properties": {"region": "us-east-1", "metrics": [["A", "B"]], "period": 300}}


def widget(**changes) -> dict:
    properties = {**METRIC["properties"], **changes.pop("properties", {})}
    return {**METRIC, **changes, "properties": properties}


@pytest.mark.parametrize("item, message", [
    (widget(type="graph"), "widgets[0].type: 'graph' is not a widget type"),
    (widget(x=24), "widgets[0].x: 24; allowed 0-23"),
    (widget(width=0), "widgets[0].width: 0; allowed 1-24"),
    (widget(x=20, width=6), "widgets[0].width: x 20 + width 6 passes the grid's 24 columns"),
    (widget(height=1001), "widgets[0].height: 1001; allowed 1-1000"),
    (widget(properties={"region": None}), "widgets[0].properties.region: a metric widget needs its Region"),
    (widget(properties={"period": 90}), "widgets[0].properties.period: 90; a period is a multiple of 60"),
    (widget(properties={"metrics": [[{"expression": "m1*2", "id": "E1"}]]}),
     "widgets[0].properties.metrics[0].id: 'E1' must start with a lower-case letter"),
    (widget(properties={"metrics": [["A", "B", {"period": 45}]]}), "widgets[0].properties.metrics[0].period: 45"),
    (widget(properties={"metrics": [["A", str(n)] for n in range(501)]}),
     "widgets[0].properties.metrics: 501 metrics; CloudWatch allows at most 500"),
    ({"type": "alarm", "properties": {"alarms": []}}, "widgets[0].properties.alarms: 0 alarms"),
    ({"type": "log", "properties": {"query": "fields @message"}}, "widgets[0].properties: a log widget needs"),
    ({"type": "text", "properties": {}}, "widgets[0].properties.markdown: a text widget needs markdown"),
], ids=["type", "x", "width", "x-plus-width", "height", "region", "period", "expression-id", "row-period",
        "metrics-per-widget", "alarms", "log", "text"])
def test_body_rules(item, message):
    found = body.problems({"widgets": [item]})
    assert any(problem.startswith(message) for problem in found), found


def test_body_limits_across_the_dashboard():
    many = {"widgets": [widget(properties={"metrics": [["A", str(n)] for n in range(500)]})] * 6}
    assert any(p.startswith("widgets: 3000 metrics in all; CloudWatch allows at most 2500 on a dashboard; set "
                            "'per: service'") for p in body.problems(many))
    assert body.problems({"widgets": [{"type": "text", "properties": {"markdown": ""}}] * 501})[0].startswith(
        "widgets: 501 widgets")
    assert body.problems({"widgets": [METRIC]}) == []


def test_layout_flows_wraps_and_breaks_rows():
    tokens = [{"type": "text", "width": 24, "height": 2}, layout.NEWROW,
              *[{"type": "metric", "width": 10, "height": 6 if n else 3} for n in range(3)], layout.NEWROW,
              {"type": "text", "width": 1, "height": 1}]
    assert [(w["x"], w["y"]) for w in layout.layout(tokens)] == [(0, 0), (0, 2), (10, 2), (0, 8), (0, 14)]


def test_the_owner_record_reads_back_and_decides():
    record = owner.Owner("monitor", "us-east-1", ("web", "web-api"), "monitor-board")
    parsed = owner.read({"widgets": [owner.header(record, "service")]})
    assert parsed == record
    assert owner.owns("monitor", "us-east-1", {"web", "web-api"}, parsed, "monitor-board")
    assert not owner.owns("monitor", "us-east-1", {"web"}, parsed, "monitor-board")   # shows a cluster not ours
    assert not owner.owns("monitor", "eu-west-1", {"web", "web-api"}, parsed, "monitor-board")  # another Region's
    assert not owner.owns("mon", "us-east-1", {"web", "web-api"}, parsed, "monitor-board")
    assert not owner.owns("monitor", "us-east-1", {"web", "web-api"}, parsed, "monitor-board-mycopy")  # Save as
    legacy = owner.Owner("monitor", "us-east-1", ("web",))
    assert owner.read({"widgets": [owner.header(legacy, "service")]}) == legacy
    assert not owner.owns("monitor", "us-east-1", {"web"}, legacy, "monitor-board")   # no name: not proof
    assert not owner.shaped("monitor", "monitorboard") and not owner.shaped("monitor", "monitor-")
    assert owner.read({"widgets": [{"type": "text", "properties": {"markdown": "hand made"}}]}) is None


def test_widget_diff_tells_moves_from_changes():
    a = {"type": "metric", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {"title": "A", "stat": "Sum"}}
    b = {**a, "properties": {"title": "B"}}
    found = diff({"widgets": [a, b]}, {"widgets": [{**b, "x": 6}, {**a, "properties": {"title": "A", "stat": "p99"}}],
                                       "start": "-PT1H"})
    assert (found.changed, found.moved, found.other) == (['metric "A"'], ['metric "B"'], ["start"])
