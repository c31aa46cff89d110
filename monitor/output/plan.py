"""Turn results into text or JSON. Pure: the CLI alone prints."""

from __future__ import annotations

import json

from monitor.dashboards import diff as dashboard_diff
from monitor.dashboards.checks import KIND as DASHBOARD
from monitor.output.compact import SYMBOLS, compact_line
from monitor.problems import Problem, Source, dotted, placed
from monitor.problems import render as render_problem
from monitor.state.plan import Change, Outcome, Plan, leaves

# Texts shown as written, not as JSON strings: a composite alarm's rule quotes every alarm it names.
# An update shows the text before and after on lines of their own, one under the other.
TEXTS = ("AlarmRule",)


def problems_text(problems: list[Problem]) -> str:
    ordered = sorted(problems, key=lambda p: (p.source.name if p.source else "", _line(p)))
    return "\n".join(render_problem(p) for p in ordered)


def _line(problem: Problem) -> tuple[int, int]:
    mark = problem.position()
    return (mark.line, mark.column) if mark else (0, 0)


def finding_text(finding: Problem, source: Source | None) -> str:
    """A plan's finding placed in the config when it points there, like a validation problem."""
    return render_problem(placed(finding, source))


def plan_text(plan: Plan, source: Source | None = None, outcomes: list[Outcome] | None = None,
              compact: bool = False) -> str:
    """The changes with their details (or, once applied, their results), findings, and a summary.

    `compact`: a create or delete on one line with its key fields (monitor.output.compact); only
    updates show their field diffs. Else every field a create sets is listed too.
    """
    results = {id(o.change): o for o in outcomes or []}
    lines = []
    for change in plan.changes:
        outcome = results.get(id(change))
        if outcome:
            lines.append(outcome_line(outcome))
        else:
            lines += [compact_line(change)] if compact and change.action != "update" else change_lines(change)
    lines += [finding_text(f, source) for f in plan.findings]
    lines.append(summary_line(plan))
    if outcomes is not None:
        lines.append(applied_summary(outcomes))
    return "\n".join(lines)


def outcome_line(outcome: Outcome) -> str:
    """One applied change and its result, printed as soon as it is known."""
    change = outcome.change
    detail = f": {outcome.message}" if outcome.message else ""
    return f"{SYMBOLS[change.action]} {change.action} {change.kind} {change.id}  [{outcome.result}{detail}]"


def applied_summary(outcomes: list[Outcome]) -> str:
    failed = sum(1 for o in outcomes if o.failed)
    return f"Applied: {len(outcomes) - failed} ok, {failed} failed."


def change_lines(change: Change) -> list[str]:
    """An update names each changed field with its value before and after (a metric-math query by
    its id, `Metrics.e1.Expression`); a create lists every field it sets."""
    head = f"{SYMBOLS[change.action]} {change.action} {change.kind} {change.id}"
    if change.kind == DASHBOARD and change.action != "delete":
        return [head] + dashboard_diff.lines(change.before, change.after)   # widgets, not a JSON dump
    if change.action == "update":
        return [head] + [line for f in change.fields for line in _field_change(change, f)]
    if change.action == "create":
        return [head] + [f"    {f}: {_text(change.after, f) if f in TEXTS else _at(change.after, f)}"
                         for f in leaves(change.after) if f not in ("logGroupName", "filterName")]
    return [head]


def _field_change(change: Change, dotted: str) -> list[str]:
    if dotted in TEXTS:
        return [f"    {dotted}:", f"      - {_text(change.before, dotted)}", f"      + {_text(change.after, dotted)}"]
    return [f"    {dotted}: {_at(change.before, dotted)} -> {_at(change.after, dotted)}"]


def _text(spec: dict | None, key: str) -> str:
    value = (spec or {}).get(key)
    return "(none)" if value is None else str(value)


def _at(spec: dict | None, dotted: str) -> str:
    """The JSON text of the value at a dotted path such as `metricTransformations[0].unit`."""
    value: object = spec
    for part in dotted.replace("[", ".[").split("."):
        if isinstance(value, list) and part.startswith("["):
            value = value[int(part[1:-1])]
        elif isinstance(value, dict):
            value = value.get(part)
    return "(none)" if value is None else json.dumps(value)


def summary_line(plan: Plan) -> str:
    """A plan with errors is no plan: say that nothing will be applied, not what would be."""
    s = plan.summary
    if plan.errors:
        return f"Plan failed: {len(plan.errors)} error(s) above; nothing can be applied until they are fixed."
    if not plan.changes:
        return f"No changes. {s['unchanged']} resource(s) up to date."
    return f"Plan: {s['create']} to create, {s['update']} to update, {s['delete']} to delete, {s['unchanged']} unchanged."


def plan_json(plan: Plan, outcomes: list[Outcome] | None = None, source: Source | None = None,
              cost: dict | None = None, target: dict | None = None) -> str:
    """The contract's plan document; a finding that points into the config carries its file, line and column.

    `cost`, when given, is added under the key `cost` (see monitor.output.cost.plan_cost_json);
    `target` (`{"account", "region", "endpoint"}`, monitor.sync.where.Where.as_dict) under `target`.
    """
    results = {id(o.change): o for o in outcomes or []}
    changes = [_change_json(c, results.get(id(c))) for c in plan.changes]
    findings = [_finding_json(placed(f, source)) for f in plan.findings]
    document = {"changes": changes, "summary": plan.summary, "findings": findings}
    extra = {key: value for key, value in (("cost", cost), ("target", target)) if value is not None}
    return json.dumps(document | extra, indent=2)


def _finding_json(finding: Problem) -> dict:
    if finding.source is None:
        return {"code": finding.code, "severity": finding.severity, "message": finding.message,
                **({"path": dotted(finding.path)} if finding.path else {})}
    return _problem_json(finding)


def _change_json(change: Change, outcome: Outcome | None) -> dict:
    item = {"kind": change.kind, "id": change.id, "action": change.action,
            "before": change.before, "after": change.after}
    if change.region:
        item["region"] = change.region
    if change.fields:
        item["fields"] = list(change.fields)
    if change.kind == DASHBOARD and change.action == "update":
        item["widgets"] = dashboard_diff.diff(change.before, change.after).as_dict()
    if outcome is not None:
        item["result"] = "ok" if outcome.result == "ok" else "error"
        if outcome.message:
            item["message"] = outcome.message
    return item


def problems_json(problems: list[Problem]) -> str:
    items = [_problem_json(p) for p in problems]
    return json.dumps({"valid": not any(p.is_error for p in problems), "problems": items}, indent=2)


def _problem_json(problem: Problem) -> dict:
    line, column = _line(problem)
    return {"file": problem.source.name if problem.source else None, "line": line, "column": column,
            "code": problem.code, "severity": problem.severity, "path": dotted(problem.path), "message": problem.message,
            "text": render_problem(problem)}
