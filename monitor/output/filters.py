"""Renderings for the filter commands: test results, test-filter events and replays. Pure."""

from __future__ import annotations

import json

from monitor.offline import cases
from monitor.offline.alarm_cases import AlarmCaseResult
from monitor.offline.replay import Series, minute_text
from monitor.patterns import Result


def tests_text(outcomes: list[cases.CaseResult | AlarmCaseResult]) -> str:
    """Each failure with its place, each passed alarm case of the config on a line of its own (the
    states a series gives are what a reader checks; filter cases and the catalogue's are many), then
    one `N passed, N failed` line."""
    lines = []
    for outcome in outcomes:
        if outcome.passed and isinstance(outcome, AlarmCaseResult) and not outcome.builtin:
            lines.append(f"ok   {outcome.where}: {outcome.label}, case {outcome.number + 1}: "
                         f"{outcome.shown} -> {_expected(outcome.case.expect)}")
        if not outcome.passed:
            lines += [f"FAIL {outcome.where}: {outcome.label}, case {outcome.number + 1}",
                      f"    {outcome.shown}"]
            lines += [f"    {failure}" for failure in outcome.failures]
    lines.append(_tally(outcomes))
    return "\n".join(lines)


def _expected(expect: str | list[str]) -> str:
    return expect if isinstance(expect, str) else ", ".join(expect)


def _tally(outcomes: list) -> str:
    passed = sum(1 for o in outcomes if o.passed)
    return f"{passed} passed, {len(outcomes) - passed} failed"


def tests_json(outcomes: list[cases.CaseResult | AlarmCaseResult]) -> str:
    cases = [{**_subject(o), "where": o.where, "case": o.number + 1,
              "passed": o.passed, "failures": list(o.failures)} for o in outcomes]
    passed = sum(1 for o in outcomes if o.passed)
    return json.dumps({"cases": cases, "passed": passed, "failed": len(outcomes) - passed}, indent=2)


def _subject(outcome: cases.CaseResult | AlarmCaseResult) -> dict:
    if isinstance(outcome, AlarmCaseResult):
        logs = {"logs": outcome.case.logs} if outcome.case.logs is not None else {}
        return {"alarm": outcome.label, **logs, "series": list(outcome.series), "expect": outcome.case.expect}
    return {"filter": outcome.label, "log": outcome.case.log}


def event_json(line: int, result: Result) -> str:
    """One line per event: `{"line", "match", "value", "dimensions"}` (README, proving filters), plus `fields`."""
    value = result.value if result.match else None
    return json.dumps({"line": line, "match": result.match, "value": value,
                       "dimensions": result.dimensions, "fields": result.fields})


def event_text(line: int, message: str, result: Result) -> str | None:
    """Matching events only, like `aws logs test-metric-filter` lists its matches."""
    if not result.match:
        return None
    value = "nothing (value not numeric)" if result.value is None else f"{result.value:g}"
    dims = f" dimensions={result.dimensions}" if result.dimensions else ""
    return f"{line}: value={value}{dims}  {message}"


def replay_text(series: list[Series], events: int) -> str:
    lines = []
    for item in series:
        metric = item.spec["metricTransformations"][0]
        lines.append(f"{item.spec['filterName']} -> {metric['metricNamespace']} {metric['metricName']} "
                     f"({len(item.metrics)} metric{'s' if len(item.metrics) != 1 else ''})")
        for minute in sorted(item.minutes, key=lambda m: (m is not None, m)):
            for dims, bucket in sorted(item.minutes[minute].items()):
                shown = ", ".join(f"{k}={v}" for k, v in dims) or "-"
                lines.append(f"    {minute_text(minute)}  count={bucket.count}  sum={bucket.total:g}  {shown}")
    silent = [s.spec["filterName"] for s in series if not s.minutes]
    lines.append(f"{events} events replayed through {len(series)} filters; "
                 f"{sum(len(s.metrics) for s in series)} custom metrics would be published")
    if silent:
        lines.append(f"no match at all: {', '.join(silent)}")
    return "\n".join(lines)


def replay_json(series: list[Series], events: int) -> str:
    items = [{"filter": s.spec["filterName"], "logGroup": s.spec["logGroupName"],
              "metric": s.spec["metricTransformations"][0]["metricName"], "metrics": len(s.metrics),
              "minutes": [{"minute": minute_text(m), "dimensions": dict(d), "count": b.count, "sum": b.total}
                          for m in sorted(s.minutes, key=lambda m: (m is not None, m))
                          for d, b in sorted(s.minutes[m].items())]}
             for s in series]
    return json.dumps({"events": events, "filters": items}, indent=2)


def verdict_json(verdict) -> str:
    return json.dumps({"line": verdict.line, "match": verdict.match, "aws_match": verdict.aws_match,
                       "fields": verdict.fields, "aws_fields": verdict.aws_fields, "agrees": verdict.agrees})


def verdict_text(verdict) -> str | None:
    """Only the disagreements: what AWS did beside what the engine did."""
    if verdict.agrees:
        return None
    aws = _side(verdict.aws_match, verdict.aws_fields)
    ours = _side(verdict.match, verdict.fields)
    return f"{verdict.line}: AWS {aws}; ecs-monitor {ours}: {verdict.message}"


def _side(match: bool, fields: dict[str, str]) -> str:
    return ("matches" if match else "does not match") + (f" {json.dumps(fields)}" if fields else "")


def verdicts_summary(verdicts) -> str:
    differ = sum(1 for v in verdicts if not v.agrees)
    return f"{len(verdicts) - differ} agree, {differ} differ (TestMetricFilter against the local engine)"
