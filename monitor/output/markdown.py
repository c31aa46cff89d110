"""A plan as Markdown for a pull request comment (GitHub-flavoured). Pure: the CLI alone prints.

A summary line, the target, one table row per change (kind, id, action), the field diffs of each
update folded under `<details>`, the findings, and the cost delta.
"""

from __future__ import annotations

from monitor.output.cost import delta_text
from monitor.output.plan import change_lines, finding_text, summary_line
from monitor.problems import Source
from monitor.state.plan import Change, Plan

TITLE = "### ecs-monitor plan"


def plan_markdown(plan: Plan, target: str | None = None, source: Source | None = None, cost=None) -> str:
    """The whole comment; `target` is Where.words(), `cost` the (delta, whole) estimates or None."""
    parts = [TITLE, "", f"**{summary_line(plan)}**"]
    if target:
        parts += ["", f"Target: {cell(target)}"]
    if plan.changes:
        parts += ["", "| kind | id | action |", "|---|---|---|"]
        parts += [f"| {change.kind} | `{cell(change.id)}` | {change.action} |" for change in plan.changes]
    parts += [line for change in plan.changes if change.action == "update" for line in _details(change)]
    if plan.findings:
        parts += ["", "Findings:", ""] + [f"- `{cell(finding_text(f, source))}`" for f in plan.findings]
    if cost is not None:
        parts += ["", "```", delta_text(*cost), "```"]
    return "\n".join(parts)


def _details(change: Change) -> list[str]:
    """An update's field diffs, folded: `<details><summary>...</summary>` then a fenced block."""
    fields = len(change.fields) or "some"
    return ["", f"<details><summary>update {change.kind} <code>{_html(change.id)}</code>: {fields} field(s)</summary>",
            "", "```", *[line.removeprefix("    ") for line in change_lines(change)[1:]], "```", "", "</details>"]


def cell(text: str) -> str:
    """Text safe in a table cell and in backticks: `|` would end the cell, a backtick the code span."""
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
