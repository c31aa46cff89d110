"""Turn results into text or JSON. Pure: the CLI alone prints."""

from __future__ import annotations

import json

from monitor.apply import Outcome
from monitor.plan import Change, Plan, leaves
from monitor.problems import Problem, Source, dotted, render as render_problem
from monitor.resources import Finding

SYMBOLS = {"create": "+", "update": "~", "delete": "-"}


def problems_text(problems: list[Problem]) -> str:
    ordered = sorted(problems, key=lambda p: (p.source.name if p.source else "", _line(p)))
    return "\n".join(render_problem(p) for p in ordered)


def _line(problem: Problem) -> tuple[int, int]:
    mark = problem.position()
    return (mark.line, mark.column) if mark else (0, 0)


def finding_text(finding: Finding, source: Source | None) -> str:
    """A finding placed in the config when it has an origin there, like a validation problem."""
    if source is not None and finding.origin:
        return render_problem(Problem(finding.origin, finding.message, finding.severity, source))
    return f"{finding.severity}: {finding.message}"


def plan_text(plan: Plan, source: Source | None = None, outcomes: list[Outcome] | None = None) -> str:
    results = {id(o.change): o for o in outcomes or []}
    lines = []
    for change in plan.changes:
        lines += _change_lines(change, results.get(id(change)))
    lines += [finding_text(f, source) for f in plan.findings]
    lines.append(_summary_line(plan, outcomes))
    return "\n".join(lines)


def _change_lines(change: Change, outcome: Outcome | None) -> list[str]:
    head = f"{SYMBOLS[change.action]} {change.action} {change.kind} {change.id}"
    if outcome is not None:   # the details were shown with the plan; now each result
        return [head + f"  [{outcome.result}{': ' + outcome.message if outcome.message else ''}]"]
    if change.action == "update":
        return [head] + [f"    {f}: {_at(change.before, f)} -> {_at(change.after, f)}" for f in change.fields]
    if change.action == "create":
        return [head] + [f"    {f}: {_at(change.after, f)}" for f in leaves(change.after)
                         if f not in ("logGroupName", "filterName")]
    return [head]


def _at(spec: dict | None, dotted: str) -> str:
    """The JSON text of the value at a dotted path such as `metricTransformations[0].unit`."""
    value: object = spec
    for part in dotted.replace("[", ".[").split("."):
        if isinstance(value, list) and part.startswith("["):
            value = value[int(part[1:-1])]
        elif isinstance(value, dict):
            value = value.get(part)
    return "(none)" if value is None else json.dumps(value)


def _summary_line(plan: Plan, outcomes: list[Outcome] | None) -> str:
    s = plan.summary
    if not plan.changes and not plan.errors:
        return f"No changes. {s['unchanged']} resource(s) up to date."
    text = f"Plan: {s['create']} to create, {s['update']} to update, {s['delete']} to delete, {s['unchanged']} unchanged."
    if outcomes is not None:
        failed = sum(1 for o in outcomes if o.failed)
        text += f"\nApplied: {len(outcomes) - failed} ok, {failed} failed."
    return text


def plan_json(plan: Plan, outcomes: list[Outcome] | None = None) -> str:
    results = {id(o.change): o for o in outcomes or []}
    changes = [_change_json(c, results.get(id(c))) for c in plan.changes]
    findings = [{"severity": f.severity, "message": f.message} for f in plan.findings]
    return json.dumps({"changes": changes, "summary": plan.summary, "findings": findings}, indent=2)


def _change_json(change: Change, outcome: Outcome | None) -> dict:
    item = {"kind": change.kind, "id": change.id, "action": change.action,
            "before": change.before, "after": change.after}
    if change.fields:
        item["fields"] = list(change.fields)
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
            "severity": problem.severity, "path": dotted(problem.path), "message": problem.message,
            "text": render_problem(problem)}
