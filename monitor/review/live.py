"""The live-only alarm analyses of `monitor review --deployed`, as one call. Strictly read only.

live_history.py  how often each alarm would have fired: its metric's last 14 days replayed
                 (live_metrics.py: GetMetricData, 500 queries a call, each series once)
live_states.py   alarms stuck in ALARM or INSUFFICIENT_DATA for more than N days (pure)
live_topics.py   SNS actions whose topic does not exist (GetTopicAttributes, once a topic)
live_drift.py    drift against the config: changed by hand, deleted by hand, unowned on our metrics

Reads: DescribeAlarms (metric alarms, 100 a page: CloudWatch API reference, DescribeAlarms
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html),
GetMetricData, sns:GetTopicAttributes, and what `plan` reads for alarms (DescribeAlarms by prefix,
tag:GetResources) and task definitions (ecs:DescribeServices, ecs:DescribeTaskDefinition).
AWS errors other than those each module names propagate, as elsewhere (monitor/aws/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from monitor import kinds, quotas
from monitor.aws import taskdefs
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.kinds import alarm as alarm_kind
from monitor.review import live_drift, live_history, live_states, live_topics
from monitor.review.findings import Finding, ordered
from monitor.review.live_drift import Drift
from monitor.review.live_history import History
from monitor.sync.resources import Actual

RULES = live_history.RULES + live_states.RULES + live_topics.RULES + live_drift.RULES


@dataclass(frozen=True)
class LiveReview:
    """Everything the live analyses found: findings worst first, the replays, the drift summary."""

    findings: list[Finding]
    history: History
    drift: Drift


def read_alarms(clients: Clients) -> list[dict]:
    """Every metric alarm of the Region (DescribeAlarms `MetricAlarms`, 100 a page), owned or not."""
    pages = clients.cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmTypes=["MetricAlarm"], PaginationConfig={"PageSize": quotas.DESCRIBE_ALARMS_PAGE})
    return [item for page in pages for item in page.get("MetricAlarms", [])]


def read_drift(clients: Clients, config: Config, alarms: list[dict]) -> Drift:
    """Drift as `plan` sees it: the config resolved against its task definitions, our alarms read with tags.

    The task definitions' own findings (sizing) are the design review's, not repeated here.
    """
    resolved, _ = taskdefs.resolve(clients, config)
    live = Actual()
    alarm_kind.read(clients, resolved, live)
    return live_drift.drift(kinds.desired(resolved), live, alarms, resolved)


def review(clients: Clients, config: Config, alarms: list[dict] | None = None, days: int = live_history.DAYS,
           stuck_days: float = live_states.DAYS, noisy: int = live_history.NOISY,
           now: datetime | None = None) -> LiveReview:
    """All four analyses over the Region's metric alarms (`alarms`, else read_alarms)."""
    now = now or datetime.now(timezone.utc)
    alarms = read_alarms(clients) if alarms is None else alarms
    replayed = live_history.history(clients, alarms, days, now, noisy)
    drifted = read_drift(clients, config, alarms)
    found = (replayed.findings + live_states.stuck(alarms, stuck_days, now) + live_topics.check(clients, alarms)
             + drifted.findings)
    return LiveReview(ordered(found), replayed, drifted)
