"""The live-only alarm analyses of `monitor review --deployed`, as one call. Strictly read only.

live_history.py  how often each alarm would have fired: its metric's last 14 days replayed
                 (live_metrics.py: GetMetricData, 500 queries a call, each series once)
live_states.py   alarms stuck in ALARM or INSUFFICIENT_DATA for more than N days (pure)
live_topics.py   SNS actions whose topic does not exist (GetTopicAttributes, once a topic)
live_drift.py    drift against the config: changed by hand, deleted by hand, unowned on our metrics

`stuck`, `topics`, `history` and `drift` below are the same analyses in the shape of
monitor/review/deployed.py's `ANALYSES`: each takes the `Deployed` context and reuses the alarms
it read (no second DescribeAlarms). `history` and `drift` return their summary (History, Drift),
whose `findings` are the findings; the report shows the summaries too.

Reads: DescribeAlarms (metric alarms, 100 a page: CloudWatch API reference, DescribeAlarms
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html),
GetMetricData, sns:GetTopicAttributes, and what `plan` reads for alarms (DescribeAlarms by prefix,
tag:GetResources) and task definitions (ecs:DescribeServices, ecs:DescribeTaskDefinition).
AWS errors other than those each module names propagate, as elsewhere (monitor/aws/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

from monitor import kinds, quotas
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.kinds import alarm as alarm_kind
from monitor.kinds import alarm_spec
from monitor.names import ownership
from monitor.resolved import taskdefs
from monitor.review import live_drift, live_history, live_states, live_topics
from monitor.review.context import Deployed
from monitor.review.findings import Finding, ordered
from monitor.review.live_drift import Drift
from monitor.review.live_history import History
from monitor.state.resources import Actual, Resource
from monitor.resolved import model as resolved_model

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
    model = resolved_model.of(resolved)
    alarm_kind.read(clients, model, live)
    return live_drift.drift(kinds.desired(model), live, alarms, resolved)


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


# --- the same analyses over `monitor review --deployed`'s context (monitor/review/deployed.py) ---

def stuck(context: Deployed) -> list[Finding]:
    """Metric and composite alarms in ALARM or INSUFFICIENT_DATA for more than live_states.DAYS days."""
    return live_states.stuck(context.metric_alarms + context.composite_alarms, now=context.now)


def topics(context: Deployed) -> list[Finding]:
    """SNS actions (of metric and composite alarms) whose topic is missing or unreadable."""
    return live_topics.check(context.clients, context.metric_alarms + context.composite_alarms)


def history(context: Deployed) -> History:
    """The last live_history.DAYS days of every metric alarm replayed (composite alarms have no metric)."""
    return live_history.history(context.clients, context.metric_alarms, now=context.now)


def drift(context: Deployed) -> Drift:
    """Drift of the config's metric alarms in the reviewed Region, from the alarms already read.

    Ours are picked from `context.metric_alarms` by the ownership rule, as `plan` picks them
    (monitor/kinds/alarm.py `read`), and their tags read once (tag:GetResources, 100 a page,
    only when there is one of ours). The desired alarms are the context's (thresholds resolved
    against the services' task definitions). Alarms the config makes in another Region
    (`log_region`) and composite alarms are not compared here.
    """
    config = context.loaded.config
    home = context.clients.region
    clusters = frozenset(cluster.name for cluster in config.clusters)
    ours = [item for item in context.metric_alarms
            if ownership.owns(config.prefix, clusters, item["AlarmName"], per_container=True)]
    live = Actual()
    tags = alarm_kind.tags_by_arn(context.clients, config.prefix) if ours else {}
    for item in alarm_kind.ours_in_shape(ours, Actual()):   # another kind of alarm under our names: not ours to compare
        live.add(Resource(alarm_kind.KIND, item["AlarmName"], alarm_spec.to_spec(item, tags.get(item["AlarmArn"], {})),
                          handle=item["AlarmArn"]))
    wanted = [replace(r, id=r.spec["AlarmName"], region=None) for r in context.desired
              if r.kind == alarm_kind.KIND and r.region in (None, home)]
    return live_drift.drift(wanted, live, context.metric_alarms, config)
