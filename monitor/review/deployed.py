"""`monitor review --deployed`: every alarm of the Region, read only, and the seam for live analyses.

DescribeAlarms with AlarmTypes [MetricAlarm, CompositeAlarm] (without AlarmTypes it returns only
metric alarms), 100 a page, every page (DescribeAlarms, MaxRecords 1-100:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
Nothing here writes.

Live analyses plug in through `ANALYSES`: an `Analysis` pairs a function taking the `Deployed`
context and returning findings with the rules (codes) it can report, so the README's code table
and the catalogue of codes know them. Adding one is one line in `ANALYSES`, e.g.
`Analysis(live.stuck, live_states.RULES)`. An analysis may make read calls through
`context.clients` (Describe*, Get*, List*), never a write. An analysis may return, instead of a
list of findings, a summary with a `findings` attribute (live_history.History, live_drift.Drift):
`run` keeps the summaries for the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from monitor import quotas
from monitor.aws.clients import Clients
from monitor.review import live, live_drift, live_history, live_states, live_topics
from monitor.review.context import Deployed
from monitor.review.findings import Finding, Rule

ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
PAGE = quotas.DESCRIBE_ALARMS_PAGE
Summary = live_history.History | live_drift.Drift   # what an analysis may return besides a list of findings


@dataclass(frozen=True)
class Analysis:
    """A live-only check: `run(context)` returns findings of `rules`."""

    run: Callable[[Deployed], list[Finding] | Summary]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Results:
    """The findings of every analysis, in order, and the summaries those that make one returned."""

    findings: list[Finding]
    summaries: tuple[Summary, ...] = ()

    def summary(self, kind: type):
        """The summary of that type (History, Drift), or None when no analysis made one."""
        return next((s for s in self.summaries if isinstance(s, kind)), None)

# The live analyses, run in this order by `monitor review --deployed`; one line each.
ANALYSES: tuple[Analysis, ...] = (
    Analysis(live.stuck, live_states.RULES),
    Analysis(live.topics, live_topics.RULES),
    Analysis(live.history, live_history.RULES),
    Analysis(live.drift, live_drift.RULES),
)


def rules() -> tuple[Rule, ...]:
    """The rules of every live analysis, for the catalogue of codes."""
    return tuple(rule for analysis in ANALYSES for rule in analysis.rules)


def read_alarms(clients: Clients) -> tuple[list[dict], list[dict]]:
    """(MetricAlarms, CompositeAlarms) of the Region, every page of 100, whoever owns them."""
    pages = clients.cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmTypes=ALARM_TYPES, PaginationConfig={"PageSize": PAGE})
    metric, composite = [], []
    for page in pages:
        metric += page.get("MetricAlarms", [])
        composite += page.get("CompositeAlarms", [])
    return metric, composite


def run(context: Deployed, analyses: tuple[Analysis, ...] | None = None) -> Results:
    """Every live analysis, in order: their findings and summaries."""
    findings, summaries = [], []
    for analysis in ANALYSES if analyses is None else analyses:
        result = analysis.run(context)
        if isinstance(result, list):
            findings += result
        else:
            findings += result.findings
            summaries.append(result)
    return Results(findings, tuple(summaries))


def analyse(context: Deployed, analyses: tuple[Analysis, ...] | None = None) -> list[Finding]:
    """Every live analysis's findings, in order."""
    return run(context, analyses).findings
