"""`monitor review` as text, Markdown (a pull-request comment) and JSON. Pure: the CLI alone prints.

The JSON document follows monitor/review/review.schema.json, which ships in the package.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from monitor.output import cost as costs
from monitor.problems import Source, placed
from monitor.problems import render as render_problem
from monitor.review import live_history, live_states
from monitor.review.alarm_table import Row
from monitor.review.findings import SEVERITIES, Finding, ordered
from monitor.review.live_drift import Drift
from monitor.review.live_history import History
from monitor.review.report import DEPLOYED, Report

SCHEMA_VERSION = 1
COLUMNS = ("Alarm", "Container", "Metric", "Source", "Statistic", "Period", "M of N", "Threshold", "Comparison",
           "Missing data", "Actions", "Tests")
LIVE_COLUMNS = ("State", "For")
HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Info"}
LISTED = 5   # alarms named a line in the history and drift summaries; the rest are counted


# --- the cells, shared by text and Markdown ---------------------------------------------------

def cells(row: Row, report: Report) -> list[str]:
    """One table row, as the columns above say (with the live ones in deployed mode)."""
    found = [row.name, row.container, _metric(row), row.origin.label, row.statistic or "-",
             f"{row.period} s" if row.period else "-", row.m_of_n or "-", threshold(row), row.comparison or "-",
             row.treat_missing_data or "-", actions(row), tests(row)]
    if report.mode == DEPLOYED:
        found += [row.state or "-", duration(in_state(row, report.generated))]
    return found


def _metric(row: Row) -> str:
    return f"{row.namespace} {row.metric}" if row.namespace else row.metric


def threshold(row: Row) -> str:
    """`5`, `921.6 (921.6 MiB = 90% of the 1024 MiB hard limit (web:7))`, or `90% of the limit, unknown: ...`."""
    if row.share is not None:
        return f"{row.threshold:g} ({row.share.note})" if row.threshold is not None else row.share.note
    return "-" if row.threshold is None else f"{row.threshold:g}"


def actions(row: Row) -> str:
    """`ALARM: ops; OK: ops` with each ARN's last part; `none`; `(disabled)` when actions are off."""
    said = "; ".join(f"{state.upper()}: {', '.join(a.rsplit(':', 1)[-1] for a in arns)}"
                     for state, arns in row.actions.items() if arns) or "none"
    return said if row.actions_enabled else f"{said} (disabled)"


def tests(row: Row) -> str:
    if not row.tests:
        return "-"
    passed = sum(t.passed for t in row.tests)
    return f"{passed}/{len(row.tests)} passed"


def in_state(row: Row, now: datetime) -> timedelta | None:
    """How long the alarm has been in its state (live_states.age of its DescribeAlarms item)."""
    return live_states.age(row.item, now) if row.item else None


def duration(held: timedelta | None) -> str:
    """`3d 4h`, `2h 5m`, `12m`: how long the alarm has been in its state."""
    if held is None:
        return "-"
    minutes = max(int(held.total_seconds() // 60), 0)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    return f"{days}d {hours}h" if days else f"{hours}h {mins}m" if hours else f"{mins}m"


def _columns(report: Report) -> tuple[str, ...]:
    return COLUMNS + (LIVE_COLUMNS if report.mode == DEPLOYED else ())


def _summary(report: Report) -> str:
    counts = report.counts()
    said = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES)
    return f"{len(report.rows)} alarm(s); findings: {said}"


def _title(report: Report) -> str:
    where = "the deployed alarms of" if report.mode == DEPLOYED else "the config"
    return f"monitor review of {where} {report.source} ({report.region})"


# --- the history and drift summaries, shared by text and Markdown --------------------------------

def history_lines(history: History) -> list[str]:
    """Noisiest (fired N times, time in ALARM), silent and unreplayed alarms, a line each kind."""
    fired = [r for r in history.replays if r.firings]
    silent = [r for r in history.replays if not r.skipped and not r.firings]
    skipped = [r for r in history.replays if r.skipped]
    lines = ["noisiest: " + _listed([f"{r.alarm} fired {r.firings} time{'s' if r.firings != 1 else ''}, "
                                      f"{_hours(r.seconds_in_alarm)} in ALARM" + _since(r) for r in fired])] if fired else \
        ["noisiest: none fired"]
    if silent:
        lines.append("silent (never fired): " + _listed(
            [f"{r.alarm} ({'no data' if not r.datapoints else f'data in {r.datapoints}/{r.periods} periods'})"
             + _since(r) for r in silent]))
    if skipped:
        lines.append("not replayed: " + _listed([f"{r.alarm} ({r.skipped})" for r in skipped]))
    return lines


def _since(replay) -> str:
    """` (replayed since it was created or last changed, ...)` when the replay starts at the alarm's change."""
    return f" (replayed {live_history.window(replay)})" if replay.since_change else ""


def drift_lines(drift: Drift) -> list[str]:
    """Changed by hand (with the fields), deleted by hand, unowned on our metrics; `no drift` when none."""
    lines = []
    if drift.changed:
        lines.append("changed by hand: " + _listed([f"{name} ({', '.join(fields)})"
                                                    for name, fields in sorted(drift.changed.items())]))
    if drift.deleted:
        lines.append("deleted by hand (or never applied): " + _listed(drift.deleted))
    if drift.unowned:
        lines.append("unowned on our metrics: " + _listed(drift.unowned))
    return lines or ["no drift: the deployed alarms are the config's"]


def _history_title(history: History) -> str:
    return (f"Firing history ({live_history.DAYS} days replayed, {len(history.replays)} alarm(s), "
            f"{history.calls} GetMetricData call(s))")


def _listed(items: list[str]) -> str:
    shown = "; ".join(items[:LISTED])
    return shown + (f"; and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.1f} h"


def _sections(report: Report) -> list[tuple[str, list[str]]]:
    """(title, lines) of the live summaries the report has."""
    found = []
    if report.history is not None:
        found.append((_history_title(report.history), history_lines(report.history)))
    if report.drift is not None:
        found.append(("Drift against the config", drift_lines(report.drift)))
    return found


# --- text --------------------------------------------------------------------------------------

def text(report: Report, source: Source | None = None) -> str:
    """An aligned table, then each finding (at FILE:LINE:COL when it points into the config), then the cost."""
    lines = [_title(report), "", *_aligned([list(_columns(report))] + [cells(r, report) for r in report.rows]), ""]
    lines += ["Alarm findings:"] + ([_finding_text(f, source) for f in ordered(report.findings)] or ["  none"])
    for title, said in _sections(report):
        lines += ["", f"{title}:"] + [f"  {line}" for line in said]
    lines += ["", "Service design findings:"] + ([_finding_text(f, source) for f in ordered(report.design)]
                                                 or ["  none" if report.design_checked else "  not checked"])
    lines += [f"info: {note}" for note in report.notes]
    return "\n".join(lines + ["", costs.estimate_text(report.cost), "", _summary(report)])


def _aligned(table: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(r, widths)).rstrip() for r in table]


def _finding_text(finding: Finding, source: Source | None) -> str:
    """`config.yaml:88:15: warning: ALARM-ACTION-001 alarm: message (fix: ...)` or, with no path, without the place."""
    control = f" [{finding.control}]" if finding.control else ""
    if finding.path and source is not None:
        return "  " + render_problem(placed(finding.as_problem(), source)) + control
    return f"  {finding.severity}: {finding.code} {finding.subject}: {finding.message} (fix: {finding.fix}){control}"


# --- Markdown ----------------------------------------------------------------------------------

def markdown(report: Report) -> str:
    """A pull-request comment: the alarm table, findings by severity, design findings, the cost."""
    lines = [f"## {_md(_title(report))}", "", f"**{_summary(report)}**", "", f"### Alarms ({len(report.rows)})", ""]
    lines += _md_table(list(_columns(report)), [cells(r, report) for r in report.rows]) if report.rows else ["No alarms."]
    lines += ["", "### Alarm findings", ""] + _md_findings(report.findings)
    for title, said in _sections(report):
        lines += ["", f"### {_md(title)}", ""] + [f"- {_md(line)}" for line in said]
    lines += ["", "### Service design", ""]
    lines += _md_findings(report.design) if report.design_checked else []
    lines += [f"> {_md(note)}" for note in report.notes]
    lines += ["", "### Monthly cost", "", "```", costs.estimate_text(report.cost), "```"]
    return "\n".join(lines) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_md_row(header), "|" + "---|" * len(header)] + [_md_row(r) for r in rows]


def _md_row(values: list[str]) -> str:
    return "| " + " | ".join(_md(v) for v in values) + " |"


def _md(value: str) -> str:
    """A table cell's text: pipes escaped, no line breaks, nothing taken for HTML."""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _md_findings(findings: tuple[Finding, ...]) -> list[str]:
    if not findings:
        return ["None."]
    lines = []
    for severity in SEVERITIES:
        group = [f for f in ordered(findings) if f.severity == severity]
        if group:
            lines += [f"#### {HEADINGS[severity]} ({len(group)})", ""]
            lines += [f"- **{f.code}** `{_md(f.subject)}`: {_md(f.message)}. Fix: {_md(f.fix)}"
                      + (f" (Security Hub {f.control})" if f.control else "") for f in group] + [""]
    return lines[:-1]


# --- JSON --------------------------------------------------------------------------------------

def as_json(report: Report) -> str:
    return json.dumps(document(report), indent=2)


def document(report: Report) -> dict:
    """The review as JSON-ready data (monitor/review/review.schema.json)."""
    return {"schema_version": SCHEMA_VERSION, "mode": report.mode, "config": report.source, "region": report.region,
            "generated": report.generated.isoformat(), "alarms": [alarm_json(r, report.generated) for r in report.rows],
            "findings": [f.to_dict() for f in ordered(report.findings)],
            "design": {"checked": report.design_checked, "findings": [f.to_dict() for f in ordered(report.design)]},
            "cost": costs.estimate_json(report.cost), "analyses": list(report.analyses), "notes": list(report.notes),
            "history": None if report.history is None else history_json(report.history),
            "drift": None if report.drift is None else report.drift.to_dict(),
            "summary": report.counts()}


def history_json(history: History) -> dict:
    """Every replayed alarm noisiest first, as fired N times and seconds in ALARM over the days."""
    return {"days": live_history.DAYS, "get_metric_data_calls": history.calls,
            "alarms": [{"name": r.alarm, "firings": r.firings, "seconds_in_alarm": r.seconds_in_alarm,
                        "periods": r.periods, "datapoints": r.datapoints, "period": r.period or None,
                        "skipped": r.skipped, "start": r.start.isoformat() if r.start else None,
                        "since_change": r.since_change} for r in history.replays]}


def alarm_json(row: Row, now: datetime) -> dict:
    share, held = row.share, in_state(row, now)
    return {"name": row.name, "kind": row.kind, "container": row.container, "namespace": row.namespace,
            "metric": row.metric, "dimensions": row.dimensions,
            "source": {"kind": row.origin.kind, "label": row.origin.label},
            "statistic": row.statistic, "period": row.period, "evaluation_periods": row.evaluation_periods,
            "datapoints_to_alarm": row.datapoints_to_alarm, "threshold": row.threshold,
            "threshold_share": None if share is None else {"percent": share.percent, "note": share.note},
            "comparison": row.comparison, "treat_missing_data": row.treat_missing_data,
            "actions": row.actions, "actions_enabled": row.actions_enabled, "state": row.state,
            "state_since": row.state_since.isoformat() if row.state_since else None,
            "state_seconds": None if held is None else int(held.total_seconds()),
            "tests": [{"case": t.case, "passed": t.passed, "failures": list(t.failures)} for t in row.tests]}


def schema() -> dict:
    """The JSON Schema of `document`, as shipped inside the package."""
    from importlib.resources import files
    return json.loads(files("monitor.review").joinpath("review.schema.json").read_text(encoding="utf-8"))
