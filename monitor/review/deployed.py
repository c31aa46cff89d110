"""`monitor review --deployed`: every alarm of the Region, read only, and the seam for live analyses.

DescribeAlarms with AlarmTypes [MetricAlarm, CompositeAlarm] (without AlarmTypes it returns only
metric alarms), 100 a page, every page (DescribeAlarms, MaxRecords 1-100:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
Nothing here writes.

Live analyses plug in through `ANALYSES`: an `Analysis` pairs a function taking the `Deployed`
context and returning findings with the rules (codes) it can report, so the README's code table
and the catalogue of codes know them. Adding one is one line in `ANALYSES`, e.g.
`Analysis(live.stuck, live.STUCK_RULES)`. An analysis may make read calls through
`context.clients` (Describe*, Get*, List*), never a write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from monitor import quotas
from monitor.aws.clients import Clients
from monitor.config import Loaded
from monitor.review.alarm_table import Row
from monitor.review.findings import Finding, Rule
from monitor.sync.resources import Resource

ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
PAGE = quotas.DESCRIBE_ALARMS_PAGE


@dataclass(frozen=True)
class Deployed:
    """What a live analysis is given: clients (read only), the config, every alarm as DescribeAlarms
    returned it (`metric_alarms`, `composite_alarms`), their review rows, the config's desired alarms
    as PutMetricAlarm specs (Resource.spec; `id` is the alarm name) and the time of the review (UTC)."""

    clients: Clients
    loaded: Loaded
    metric_alarms: list[dict]
    composite_alarms: list[dict]
    rows: list[Row]
    desired: list[Resource]
    now: datetime


@dataclass(frozen=True)
class Analysis:
    """A live-only check: `run(context)` returns findings of `rules`."""

    run: Callable[[Deployed], list[Finding]]
    rules: tuple[Rule, ...]


# The live analyses, run in this order by `monitor review --deployed`; one line each.
ANALYSES: tuple[Analysis, ...] = ()


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


def analyse(context: Deployed, analyses: tuple[Analysis, ...] | None = None) -> list[Finding]:
    """Every live analysis's findings, in order."""
    return [finding for analysis in (ANALYSES if analyses is None else analyses) for finding in analysis.run(context)]
