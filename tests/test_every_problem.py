"""One `monitor validate` reports every problem: a problem hides only those that depend on it.

A broken entry is set aside and the rest of the config is checked (monitor/config/parts.py); an
entry that names what a set-aside one made is set aside with it (monitor/config/depends.py), so
that no error is reported whose only cause is another error.
"""

from __future__ import annotations

import textwrap

import pytest

from monitor.aws import clients as aws
from monitor.cli import main
from monitor.config import parts
from monitor.emulator import server as emulator
from monitor.problems import dotted, errors, render
from monitor.sync.flow import validate

# The tester's reproduction: before, four runs (each fix showing the next layer's problems).
REPRODUCTION = """\
version: 1
region: ap-northeast-1
log_groups:
  retention_days: 2
exporter:
  derived:
    - name: bad_ratio
      expr: "G / "
clusters:
  - name: honban
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/honban/web
            filters:
              - name: broken
                pattern: "{ $.a = 1"
                metric: Broken
      - name: other
        containers:
          - name: app
            log_group: /ecs/honban/other
            filters:
              - name: errors
                pattern: ERROR
                metric: G
                default: 0
            alarms:
              - name: bad-period
                metric: G
                comparison: ">"
                threshold: 1
                period: 7
                treat_missing_data: notBreaching
              - name: unknown-metric
                metric: Nope
                comparison: ">"
                threshold: 1
dashboards:
  - name: main
    period: 7
"""
OTHER = "clusters[0].services[1].containers[0]"
WEB = "clusters[0].services[0].containers[0]"


def reported(path) -> list[str]:
    """`CODE dotted.path` of every error one validate run reports, in file order (the config's first)."""
    found = sorted(errors(validate(str(path)).problems), key=lambda p: (p.source.name != str(path), p.position().line))
    return [f"{p.code} {dotted(p.path)}" for p in found]


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


def test_the_reproduction_shows_every_problem_in_one_run(write_config, capsys):
    path = write_config(REPRODUCTION)
    code = main(["validate", "-c", str(path)])
    lines = error_lines(capsys.readouterr().out)
    expected = [(4, 19, "CFG-041", "log_groups.retention_days"),
                (8, 18, "EXP-010", "exporter.derived[0].expr"),
                (18, 36, "FLT-001", f"{WEB}.filters[0].pattern"),
                (34, 25, "ALM-018", f"{OTHER}.alarms[0].period"),
                (37, 25, "ALM-013", f"{OTHER}.alarms[1].metric"),
                (42, 13, "DSH-002", "dashboards[0].period")]
    assert code == 1
    assert lines == [f"{path}:{row}:{col}: error: {code_} {dotted}: " + line.split(f"{dotted}: ", 1)[1]
                     for (row, col, code_, dotted), line in zip(expected, lines)]
    assert len(lines) == len(expected) == len(set(lines))


def test_the_reproduction_reaches_no_aws(write_config, monkeypatch, capsys):
    def refuse(*_args, **_kwargs):
        pytest.fail("an invalid config reached AWS")
    monkeypatch.setattr(aws.Clients, "_client", refuse)
    monkeypatch.setattr(emulator, "start", refuse)
    path = write_config(REPRODUCTION)
    for command in (["plan"], ["apply", "--yes"], ["plan", "--local"]):
        assert main([*command, "-c", str(path), "--endpoint-url", "http://127.0.0.1:9"]) == 1
        err = capsys.readouterr().err
        assert "nothing was sent to AWS" in err and "ALM-013" in err and "EXP-010" in err


BROKEN_FILTER = """\
version: 1
region: ap-northeast-1
exporter:
  derived:
    - name: broken_ratio
      expr: Broken / Good
    - name: good_ratio
      expr: Good / Nope
clusters:
  - name: honban
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/honban/web
            filters:
              - name: broken
                pattern: "{ $.a = 1"
                metric: Broken
              - name: good
                pattern: ERROR
                metric: Good
                default: 0
            alarms:
              - name: on-broken
                metric: Broken
                comparison: ">"
                threshold: 1
              - name: either
                alarm_rule: ALARM(on-broken) OR ALARM(on-good)
              - name: on-good
                metric: Good
                comparison: ">"
                threshold: 1
                period: 7
                treat_missing_data: notBreaching
"""


def test_an_alarm_on_a_broken_filters_metric_reports_only_the_filter(write_config):
    """The alarm, the composite over it and the derived metric over the filter's metric lean on the
    broken filter: no 'no metric Broken', 'no alarm on-broken' or 'unknown metric Broken' follows it.
    What does not lean on it is still checked, each at its own index."""
    assert reported(write_config(BROKEN_FILTER)) == [
        "EXP-011 exporter.derived[1].expr",
        f"FLT-001 {WEB}.filters[0].pattern",
        f"ALM-018 {WEB}.alarms[2].period"]


def test_an_alarm_on_the_metric_of_a_filter_with_a_structural_error(write_config):
    """A structural error sets aside its entry only, and what leans on it; the rest is checked."""
    text = BROKEN_FILTER.replace('pattern: "{ $.a = 1"', "pattern: ERROR\n                default: yes")
    assert reported(write_config(text)) == [
        "EXP-011 exporter.derived[1].expr",
        f"CFG-013 {WEB}.filters[0].default",
        f"ALM-018 {WEB}.alarms[2].period"]


def test_structural_errors_in_several_places_are_reported_with_the_rest(write_config):
    text = REPRODUCTION.replace("region: ap-northeast-1\n", "region: ap-northeast-1\nbogus: 1\n")
    text = text.replace("  - name: main\n", "  - name: main\n    start: [1]\n")
    assert reported(write_config(text)) == [
        "CFG-011 bogus",
        "CFG-041 log_groups.retention_days",
        "EXP-010 exporter.derived[0].expr",
        f"FLT-001 {WEB}.filters[0].pattern",
        f"ALM-018 {OTHER}.alarms[0].period",
        f"ALM-013 {OTHER}.alarms[1].metric",
        "CFG-013 dashboards[0].start"]   # the dashboard is set aside: its period waits for the fix


def test_a_required_key_set_aside_stops_everything_else(write_config):
    """`version` has no default: without it nothing can be built, and nothing more is said."""
    assert reported(write_config("version: 2\nbogus: 1\n")) == ["CFG-013 version", "CFG-011 bogus"]


def test_a_broken_catalogue_definition_sets_aside_the_filters_that_use_it(write_config, tmp_path):
    (tmp_path / "filters").mkdir()
    (tmp_path / "filters" / "app-errors.yaml").write_text("name: app-errors\npattern: '{ $.a = 1'\nmetric: AppErrors\n")
    text = REPRODUCTION.replace("""              - name: broken
                pattern: "{ $.a = 1"
                metric: Broken
""", """              - use: app-errors
            alarms:
              - name: on-app-errors
                metric: AppErrors
                comparison: ">"
                threshold: 1
""")
    loaded = validate(str(write_config(text)))
    lines = sorted(render(p) for p in errors(loaded.problems))
    assert [line for line in lines if "app-errors.yaml" in line] == [
        line for line in lines if "FLT-001" in line]
    assert len([line for line in lines if "FLT-001" in line]) == 1
    assert not [line for line in lines if f"{WEB}.alarms" in line]
    assert {"CFG-041", "EXP-010", "ALM-018", "ALM-013", "DSH-002"} <= {p.code for p in errors(loaded.problems)}


def test_a_valid_config_is_checked_whole(write_config):
    text = textwrap.dedent(REPRODUCTION)
    for bad, good in (("retention_days: 2", "retention_days: 1"), ('"G / "', "G"), ('"{ $.a = 1"', "ERROR"),
                      ("period: 7\n                treat", "period: 60\n                treat"),
                      ("metric: Nope", "metric: G"), ("    period: 7", "    period: 60")):
        text = text.replace(bad, good)
    loaded = validate(str(write_config(text)))
    assert loaded.ok and loaded.sound() is loaded, [render(p) for p in errors(loaded.problems)]


@pytest.mark.parametrize("path, part", [
    (("clusters", 0, "services", 1, "containers", 0, "alarms", 2, "metrics", 0, "id"),
     ("clusters", 0, "services", 1, "containers", 0, "alarms", 2)),
    (("clusters", 0, "services", 1, "containers", 0, "filters", 3, "pattern"),
     ("clusters", 0, "services", 1, "containers", 0, "filters", 3)),
    (("clusters", 0, "services", 1, "containers", 0, "log_groups", "retention_days"),
     ("clusters", 0, "services", 1, "containers", 0)),
    (("clusters", 0, "services", 1, "task_definition"), ("clusters", 0, "services", 1)),
    (("clusters", 0, "name"), ("clusters", 0)),
    (("dashboards", 2, "widgets", 0, "type"), ("dashboards", 2)),
    (("exporter", "derived", 1, "expr"), ("exporter", "derived", 1)),
    (("exporter", "listen"), ("exporter", "listen")),
    (("log_groups", "retention_days"), ("log_groups", "retention_days")),
    (("regions", 1), ("regions",)),
    (("tags", "aws:x"), ("tags", "aws:x")),
    (("version",), ("version",)),
    ((), ()),
], ids=lambda value: ".".join(map(str, value)) or "top")
def test_a_problem_holds_its_entry_or_else_its_setting(path, part):
    data = {"exporter": {"listen": 5, "derived": [{}, {}]}, "log_groups": {"retention_days": 2},
            "regions": ["a", "b"], "tags": {"aws:x": "y"}, "version": 2}
    assert parts.part(path, data) == part


def test_what_is_left_is_reported_where_it_is_in_the_file():
    data = {"clusters": [{"name": "a", "services": [{"name": "s", "containers": [
        {"name": "c", "alarms": [{"name": "x"}, {"name": "y"}, {"name": "z"}]}]}]}, {"name": "b"}],
        "prefix": "bad!", "region": "r"}
    alarms = ("clusters", 0, "services", 0, "containers", 0, "alarms")
    left, origin = parts.without(data, {alarms + (1,), ("clusters", 1), ("prefix",)})
    assert left == {"clusters": [{"name": "a", "services": [{"name": "s", "containers": [
        {"name": "c", "alarms": [{"name": "x"}, {"name": "z"}]}]}]}], "region": "r"}
    assert origin.original(alarms + (1, "period")) == alarms + (2, "period")
    assert origin.original(("region",)) == ("region",)
    assert data["clusters"][0]["services"][0]["containers"][0]["alarms"][1] == {"name": "y"}   # untouched


def test_a_catalogue_alarm_leans_on_the_filters_its_metric_math_reads(write_config):
    """`use: http-5xx-json:rate` is metric math over Http5xx and the Requests of http-requests-json:
    with that filter set aside, the alarm is too, and no 'no metric Requests' follows."""
    text = REPRODUCTION.replace("""              - name: broken
                pattern: "{ $.a = 1"
                metric: Broken
""", """              - use: http-requests-json
                unit: Parsecs
              - use: http-5xx-json
            alarms:
              - use: http-5xx-json:rate
                period: 7
              - use: http-5xx-json:high
                period: 7
""")
    assert reported(write_config(text)) == [
        "CFG-041 log_groups.retention_days",
        "EXP-010 exporter.derived[0].expr",
        f"FLT-005 {WEB}.filters[0].unit",
        f"ALM-018 {WEB}.alarms[1].period",   # the other alarm, on Http5xx alone, is checked
        f"ALM-018 {OTHER}.alarms[0].period",
        f"ALM-013 {OTHER}.alarms[1].metric",
        "DSH-002 dashboards[0].period"]


def test_full_alarm_names_lean_on_the_prefix(write_config):
    """A broken prefix is set aside (back to its default): a composite that names alarms by their
    full names, which start with it, is set aside too, and says nothing of names it cannot find."""
    text = textwrap.dedent("""\
        version: 1
        region: ap-northeast-1
        prefix: "bad!"
        clusters:
          - name: honban
            services:
              - name: web
                containers:
                  - name: app
                    log_group: /ecs/honban/web
                    filters: [{name: f, pattern: ERROR, metric: G, default: 0}]
                    alarms:
                      - {name: x, metric: G, comparison: ">", threshold: 1, treat_missing_data: notBreaching}
                      - {name: y, metric: G, comparison: ">", threshold: 1, period: 7, treat_missing_data: notBreaching}
              - name: other
                containers:
                  - name: app
                    log_group: /ecs/honban/other
                    alarms:
                      - name: c
                        alarm_rule: 'ALARM("bad!/honban/web/app/x") OR ALARM("bad!/honban/web/app/y")'
        """)
    loaded = validate(str(write_config(text)))
    assert [f"{p.severity} {p.code} {dotted(p.path)}" for p in loaded.problems] == [
        "error CFG-020 prefix", "error ALM-018 clusters[0].services[0].containers[0].alarms[1].period"]
