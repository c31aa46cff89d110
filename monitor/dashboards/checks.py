"""The config's `dashboards:` entries: names, templates, clusters and options, and the bodies they make.

Dashboard names: at most 255 of A-Z a-z 0-9 - _ (PutDashboard API reference, DashboardName,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html); ours is
`<prefix>-<name>`. `start` is relative, as in the dashboard body's `start` (-PT3H, -P7D; "Dashboard
Body Structure and Syntax").
"""

from __future__ import annotations

import difflib
import re

from monitor import quotas
from monitor.config.model import Config, Dashboard
from monitor.dashboards import body, owner, templates
from monitor.dashboards.templates import Definition
from monitor.problems import ERROR, Check, Path, Problem, Source

NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
START_TEXT = re.compile(r"-P(T\d+[MH]|\d+[DWM])")
KIND = "dashboard"

NAME_CHECK = Check("DSH-001", ERROR, "a dashboard name PutDashboard does not allow", source=quotas.PUT_DASHBOARD_DOC)
PERIOD = Check("DSH-002", ERROR, "a dashboard period that is not a multiple of 60 seconds",
               source=quotas.DASHBOARD_BODY_DOC)
START = Check("DSH-003", ERROR, "a dashboard start that is not relative (-PT3H, -P7D)", source=quotas.DASHBOARD_BODY_DOC)
CLUSTERS = Check("DSH-004", ERROR, "a dashboard on no cluster, or on one the config does not name")
TEMPLATE = Check("DSH-005", ERROR, "a dashboard with no usable template, or with both a template and widgets")
DUPLICATE = Check("DSH-006", ERROR, "a dashboard name given twice")
BODY = Check("DSH-020", ERROR, "a dashboard body CloudWatch refuses (widgets, grid, metrics)",
             source=quotas.DASHBOARD_BODY_DOC)
CHECKS = (NAME_CHECK, PERIOD, START, CLUSTERS, TEMPLATE, DUPLICATE, BODY)
Found = tuple[Check, Path, str]


def check(config: Config, source: Source, catalogue: dict[str, Definition]) -> list[Problem]:
    """Every problem of every entry, at its key in the config."""
    seen: set[str] = set()
    found = []
    for n, dashboard in enumerate(config.dashboards):
        path = ("dashboards", n)
        found += [(check, path + key, message) for check, key, message in _entry(config, dashboard, catalogue)]
        if dashboard.name in seen:
            found.append((DUPLICATE, path + ("name",), f"duplicate dashboard name '{dashboard.name}'"))
        seen.add(dashboard.name)
    return [check.problem(path, message, source=source) for check, path, message in found]


def _entry(config: Config, dashboard: Dashboard, catalogue: dict[str, Definition]) -> list[Found]:
    full = owner.dashboard_name(config.prefix, dashboard.name)
    found = [] if NAME.fullmatch(full) else [(NAME_CHECK, ("name",), f"the dashboard name '{full}' must be 1-255 characters of "
                                                         "A-Z a-z 0-9 - _ (PutDashboard)")]
    if dashboard.period <= 0 or dashboard.period % 60:
        found.append((PERIOD, ("period",), f"period {dashboard.period}: a multiple of 60 seconds"))
    if not START_TEXT.fullmatch(dashboard.start):
        found.append((START, ("start",), f"'{dashboard.start}' is not a relative start such as -PT3H, -PT30M or -P7D"))
    return found + _clusters(config, dashboard) + _template(dashboard, catalogue)


def _clusters(config: Config, dashboard: Dashboard) -> list[Found]:
    if dashboard.clusters == []:
        return [(CLUSTERS, ("clusters",), "name at least one cluster, or leave 'clusters' out for all of them")]
    known = [cluster.name for cluster in config.clusters]
    return [(CLUSTERS, ("clusters", n), f"no cluster '{name}' in this config; known: {', '.join(known) or 'none'}")
            for n, name in enumerate(dashboard.clusters or []) if name not in known]


def _template(dashboard: Dashboard, catalogue: dict[str, Definition]) -> list[Found]:
    if dashboard.widgets is not None and dashboard.template is not None:
        return [(TEMPLATE, ("widgets",), "give either 'template' or inline 'widgets', not both")]
    if dashboard.widgets is not None:
        return [(check, ("widgets",) + key, message) for check, key, message in templates.check(dashboard.widgets, ())]
    name = dashboard.template or templates.DEFAULT
    if name not in catalogue:
        close = difflib.get_close_matches(name, catalogue, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return [(TEMPLATE, ("template",), f"no dashboard template named '{name}'; {hint}known: {', '.join(sorted(catalogue))}")]
    if not catalogue[name].ok:
        return [(TEMPLATE, ("template",), f"template '{name}' has errors, reported in {catalogue[name].source.name}")]
    return []


def resolve(config: Config, catalogue: dict[str, Definition]) -> Config:
    """Each entry with its template's widgets filled in, so that the desired state needs only the config."""
    def filled(dashboard: Dashboard) -> Dashboard:
        definition = catalogue.get(dashboard.template or templates.DEFAULT)
        if dashboard.widgets is not None or definition is None:
            return dashboard
        return dashboard.model_copy(update={"widgets": definition.template.widgets,
                                            "template": definition.template.name})
    return config.model_copy(update={"dashboards": [filled(d) for d in config.dashboards]})


def bodies(wanted: list) -> list[Problem]:
    """Each generated body against CloudWatch's structure and limits, at the dashboard's entry."""
    return [BODY.problem(resource.origin, f"dashboard {resource.id}: {message}")
            for resource in wanted if resource.kind == KIND for message in body.problems(resource.spec)]
