"""The alarm findings: `ALARM-<TOPIC>-NNN`, each rule a small function over one row (or all rows). Pure.

Sources of the rules:
- actions: PutMetricAlarm AlarmActions and ActionsEnabled
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html);
  AWS Config's `cloudwatch-alarm-action-check` checks the first as well. An alarm a composite alarm
  with actions names (directly, or through other composites) needs none of its own: "configure the
  actions you want to take only at the composite alarm level, and create the underlying monitored
  alarms without actions" (CloudWatch User Guide, Composite alarms,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-combining.html);
- thresholds no datapoint can cross, or every datapoint crosses: the metric's range (counts,
  bytes and CPU/memory figures are never negative; a `...Utilization` metric, or one in unit
  Percent, is a share of at most 100), and a container's CPU or memory figure past what it can
  reach, its hard limit or the task's size: the judgement validate and plan make
  (monitor/resolved/ceilings.py); past only what the task leaves it, a warning;
- missing data: monitor/alarms/advice.py;
- metric resolution and high-resolution periods: PutMetricAlarm, Period (monitor/review/sources.py);
- noise: a 1-of-1 alarm goes off on one datapoint; AWS's recommended ECS alarms use 5 of 5
  ("Recommended alarms", Amazon ECS:
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#ECS);
- duplicates: two alarms on the same metric, statistic, period, comparison and threshold act
  together, and cost twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from monitor.alarms import advice, ranges
from monitor.alarms import rule as alarm_rule
from monitor.alarms.published import NEEDS_ENHANCED as ENHANCED_ONLY
from monitor.alarms.published import NEVER as NEVER_KIND
from monitor.alarms.published import NOT_FARGATE as FARGATE_KIND
from monitor.alarms.published import judge
from monitor.config.model import Config
from monitor.resolved import ceilings
from monitor.resolved.metrics import INSIGHTS
from monitor.review.alarm_table import COMPOSITE_KIND, Row
from monitor.review.findings import ERROR, INFO, WARNING, Finding, Rule
from monitor.review.sources import AWS, INSIGHTS_KIND, MINUTE

NO_ACTION = Rule("ALARM-ACTION-001", WARNING, "no action for ALARM",
                 "add an action for ALARM (`actions: [arn:aws:sns:...]`, AlarmActions), or delete the alarm")
DISABLED = Rule("ALARM-ACTION-002", WARNING, "actions disabled",
                "enable its actions (ActionsEnabled true: `aws cloudwatch enable-alarm-actions`)")
ALWAYS = Rule("ALARM-THRESHOLD-001", ERROR, "threshold crossed by every datapoint",
              "compare with a threshold inside the metric's range", ignorable=True)
NEVER = Rule("ALARM-THRESHOLD-002", ERROR, "threshold no datapoint can cross",
             "compare with a threshold inside the metric's range", ignorable=True)
ROOM = Rule("ALARM-THRESHOLD-003", WARNING, "threshold past what the container is sure to get (what the task "
            "leaves it), or past 100% of a limit not known",
            "a threshold within what the task leaves the container, or a hard limit (`memory`) for it; give the "
            "task definition (task-definitions/ beside the config, or --task-definitions) where the limit is not known")
SPARSE = Rule("ALARM-MISSING-001", WARNING, "sparse filter metric whose missing data is not handled",
              "set treat_missing_data to what a minute without a match means")
SILENCED = Rule("ALARM-MISSING-002", WARNING, "task-count alarm that missing data silences",
                "treat_missing_data: breaching")
UNPUBLISHED = Rule("ALARM-METRIC-001", WARNING, "metric that nothing publishes",
                   "point the alarm at a metric a filter of the config or an AWS namespace publishes")
NEVER_PUBLISHED = Rule("ALARM-METRIC-003", WARNING, "metric AWS never publishes with this namespace, name and dimensions",
                       "the namespace or dimensions AWS publishes it with (the finding names them)")
NOT_FARGATE = Rule("ALARM-METRIC-004", WARNING, "metric AWS does not publish for Fargate",
                   "watch a metric published for tasks on Fargate, or delete the alarm")
NEEDS_ENHANCED = Rule("ALARM-METRIC-005", WARNING, "metric published only with enhanced Container Insights",
                      "container_insights: enhanced on the cluster, or a metric standard Container Insights publishes")
INSIGHTS_OFF = Rule("ALARM-METRIC-002", WARNING, "Container Insights metric on a cluster with Container Insights disabled",
                    "enable container_insights on the cluster")
TOO_SHORT = Rule("ALARM-PERIOD-001", WARNING, "period shorter than the metric's resolution",
                 "period: 60 (or a multiple of 60)")
HIGH_RESOLUTION = Rule("ALARM-PERIOD-002", INFO, "high-resolution period where standard resolution would do",
                       "period: 60, unless the metric is published at high resolution and seconds matter "
                       "(a high-resolution alarm costs 3 times a standard one)")
NOISY = Rule("ALARM-NOISE-001", WARNING, "single-datapoint alarm on a noisy metric (a spike or a dip of one period)",
             "evaluation_periods: 5 with datapoints_to_alarm: 3 or more (M of N), as AWS's recommended ECS alarms do")
DUPLICATE = Rule("ALARM-DUP-001", WARNING, "duplicate alarm", "delete one of the two, or make them differ")
FAILING = Rule("ALARM-TEST-001", ERROR, "alarm test fails", "fix the alarm or the test case; run `monitor test`",
               ignorable=True)
RULES = (NO_ACTION, DISABLED, ALWAYS, NEVER, ROOM, SPARSE, SILENCED, UNPUBLISHED, NEVER_PUBLISHED, NOT_FARGATE,
         NEEDS_ENHANCED, INSIGHTS_OFF, TOO_SHORT,
         HIGH_RESOLUTION, NOISY, DUPLICATE, FAILING)

VERDICTS = {NEVER_KIND: NEVER_PUBLISHED, FARGATE_KIND: NOT_FARGATE, ENHANCED_ONLY: NEEDS_ENHANCED}
NOISY_METRIC = re.compile(r"cpu|memory|latency|duration|responsetime|utiliz", re.IGNORECASE)
NOISY_STATISTIC = re.compile(r"Average|Maximum|p\d+(\.\d+)?")
ABOVE, BELOW = (">", ">="), ("<", "<=")
SMOOTHED = 300   # seconds: an Average over this long or longer is no single spike


def check(rows: list[Row], config: Config | None = None) -> list[Finding]:
    """Every finding of every rule over the rows; `config` tells which clusters have Container Insights off."""
    told = notified(rows)
    found = [finding for row in rows for rule in EACH for finding in rule(row, config)
             if not (finding.code == NO_ACTION.code and row.name in told)]
    return found + duplicates(rows)


def notified(rows: list[Row]) -> dict[str, str]:
    """Alarm name -> the composite alarm with ALARM actions (enabled) whose rule names it, directly or
    through composites that name it: such an alarm is heard through that composite."""
    rules = {row.name: alarm_rule.names(row.item.get("AlarmRule", "")) for row in rows if row.kind == COMPOSITE_KIND}
    found: dict[str, str] = {}
    for row in rows:
        if row.kind != COMPOSITE_KIND or not row.actions.get("alarm") or not row.actions_enabled:
            continue
        todo, seen = list(rules[row.name]), {row.name}
        while todo:
            name = _alarm_name(todo.pop())
            if name in seen:
                continue
            seen.add(name)
            found.setdefault(name, row.name)
            todo += rules.get(name, [])
    return found


def _alarm_name(reference: str) -> str:
    """A rule names an alarm by name or by ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>)."""
    return reference.split(":alarm:", 1)[1] if reference.startswith("arn:") and ":alarm:" in reference else reference


def _finding(rule: Rule, row: Row, message: str, fix: str | None = None, key: str | None = None) -> Finding:
    path = row.path + ((key,) if key and row.path else ())
    return rule.finding(row.name, message, fix, path=path)


def actions(row: Row, config: Config | None) -> list[Finding]:
    found = []
    if not row.actions.get("alarm"):
        found.append(_finding(NO_ACTION, row, "nobody is told when it goes to ALARM: it has no AlarmActions",
                              key="actions"))
    if not row.actions_enabled:
        found.append(_finding(DISABLED, row, "ActionsEnabled is false: its state changes run none of its actions"))
    return found


def threshold(row: Row, config: Config | None) -> list[Finding]:
    """The threshold against what the container's figure can reach, or against the metric's range."""
    if row.kind != "metric" or row.threshold is None and row.share is None:
        return []
    share = (row.share.percent, row.share.limit) if row.share and row.share.limit else None
    value = row.threshold if row.threshold is not None or share is None else share[0] / 100 * share[1].value
    if row.reach is not None and value is not None:   # a share refused by validate's judgement has no number: its own
        verdict = ceilings.judge(row.comparison, row.statistic, value, row.reach, share)
        if verdict is not None:
            rule = ROOM if not verdict.settled else ALWAYS if verdict.kind == ranges.ALWAYS else NEVER
            return [_finding(rule, row, verdict.message, _within(row, verdict), key="threshold")]
    if row.share is not None:
        return _share(row) if row.reach is None else []
    low, high = _range(row)
    said = _crossing(row.comparison, row.threshold, low, high)
    if said is None:
        return []
    rule, why = said
    message = f"{row.statistic} {row.comparison} {row.threshold:g} on {row.metric}, {why}"
    return [_finding(rule, row, message, key="threshold")]


def _within(row: Row, verdict: ceilings.Verdict) -> str:
    """The fix: a share below 100%, or a number below the ceiling (or what the task leaves the container)."""
    if row.share is not None:
        return "give a share below 100%"
    limit = row.reach.most if verdict.settled else row.reach.sure
    return f"give a threshold below {limit.value:g} {limit.unit}"


def _range(row: Row) -> tuple[float | None, float | None]:
    """The lowest and highest value the statistic can take; None where unknown (monitor/alarms/ranges.py)."""
    return ranges.metric_range(row.namespace, row.metric, row.statistic, row.item.get("Unit"), row.origin.unsigned,
                               row.origin.kind in (INSIGHTS_KIND, AWS))


def _crossing(comparison: str | None, value: float, low: float | None, high: float | None) -> tuple[Rule, str] | None:
    said = ranges.crossing(comparison, value, low, high)
    return None if said is None else (ALWAYS if said[0] == ranges.ALWAYS else NEVER, said[1])


def _share(row: Row) -> list[Finding]:
    """`N%` past 100 of a limit whose reach is not known: of a ceiling (a hard limit, the task's size) it can never be
    crossed from below, an error (Share built with such a limit); of a limit not known, a warning: it may be a
    ceiling, or what the task leaves a container, which the container can pass (never refuse what could fire)."""
    share = row.share
    if share.ceiling is False:
        return []
    limit = share.limit.source if share.limit else "a limit not known here"
    said = ranges.share(row.comparison, share.percent, limit)
    if said is None:
        return []
    if share.limit is None:
        why = share.note.split(": ", 1)[-1]
        return [_finding(ROOM, row, f"{share.percent:g}% of a limit not known here ({why}): past 100% of a hard limit "
                                    f"or of the task's size '{row.comparison} {share.percent:g}%' is "
                                    f"{'never' if said[0] == ranges.NEVER else 'always'} true", key="threshold")]
    rule = ALWAYS if said[0] == ranges.ALWAYS else NEVER
    return [_finding(rule, row, said[1], "give a share below 100%", key="threshold")]


def missing_data(row: Row, config: Config | None) -> list[Finding]:
    """A sparse filter metric or a task count whose treatment misreads a gap (monitor/alarms/advice.py)."""
    operator, treatment = row.item.get("ComparisonOperator", ""), row.treat_missing_data or "missing"
    if row.kind != "metric":
        return []
    if row.origin.sparse and (found := advice.sparse(row.metric, row.origin.sparse, operator, treatment)):
        return [_finding(SPARSE, row, found.message, found.fix, key="treat_missing_data")]
    if row.namespace in (INSIGHTS, "AWS/ECS") and (found := advice.task_count(row.metric, operator, treatment)):
        return [_finding(SILENCED, row, found.message, found.fix, key="treat_missing_data")]
    return []


def published(row: Row, config: Config | None) -> list[Finding]:
    """Every metric the alarm reads must be published by someone: the config, Container Insights or AWS;
    and an AWS metric with the namespace, name and dimensions AWS publishes it with (monitor/alarms/published.py)."""
    found = [_finding(UNPUBLISHED, row, f"{namespace} {metric}: no filter or performance metric of the config "
                                        f"publishes metric '{metric}' into namespace '{namespace}', and it is not an "
                                        "AWS namespace", key="namespace")
             for namespace, metric, where in row.watched if not where.published]
    clusters = {c.name: c for c in config.clusters} if config else {}
    for namespace, metric, dimensions in _watched(row.item):
        cluster = clusters.get(dimensions.get("ClusterName", ""))
        mode = cluster.container_insights if cluster and cluster.container_insights in ("enabled", "enhanced") else None
        verdict = judge(namespace, metric, set(dimensions), fargate=cluster is not None, mode=mode)
        if verdict is not None:
            found.append(_finding(VERDICTS[verdict.kind], row, verdict.message, verdict.fix, key="namespace"))
    off = {c.name for c in config.clusters if c.container_insights == "disabled"} if config else set()
    cluster = row.dimensions.get("ClusterName")
    if row.namespace == INSIGHTS and cluster in off:
        said = advice.insights_off(cluster, INSIGHTS, row.metric)
        found.append(_finding(INSIGHTS_OFF, row, said.message, said.fix))
    return found


def _watched(item: dict) -> list[tuple[str | None, str | None, dict[str, str]]]:
    """(namespace, metric, dimensions) of each metric an alarm (API shape) reads: its own, or its queries'."""
    if item.get("Metrics"):
        stats = [query["MetricStat"]["Metric"] for query in item["Metrics"] if "MetricStat" in query]
    else:
        stats = [item] if "MetricName" in item else []
    return [(s.get("Namespace"), s.get("MetricName"), {d["Name"]: d["Value"] for d in s.get("Dimensions") or []})
            for s in stats]


def period(row: Row, config: Config | None) -> list[Finding]:
    """10, 20 and 30 s periods: blind on a one-minute metric; a higher price on any other."""
    if row.period is None or row.period >= MINUTE:
        return []
    coarse = [where for _, _, where in row.watched if where.resolution and where.resolution > row.period]
    if coarse:
        return [_finding(TOO_SHORT, row, f"period {row.period} s on {coarse[0].label}, which has one datapoint a minute "
                                         "at most: most periods have no data", key="period")]
    return [_finding(HIGH_RESOLUTION, row, f"period {row.period} s makes it a high-resolution alarm", key="period")]


def noise(row: Row, config: Config | None) -> list[Finding]:
    """One datapoint of a CPU, memory or latency figure is enough to wake someone: 1 of 1. Not when that
    datapoint is an Average over 5 minutes or more, already smoothed: a spike (or a dip) of a minute or
    two moves it little. The finding says a spike for `>`, a dip for `<`, and over how long."""
    if row.kind != "metric" or (row.evaluation_periods, row.datapoints_to_alarm) != (1, 1):
        return []
    if not NOISY_STATISTIC.fullmatch(row.statistic or "") or not NOISY_METRIC.search(row.metric):
        return []
    if row.statistic == "Average" and (row.period or 0) >= SMOOTHED:
        return []
    above = row.comparison in ABOVE
    what = "spike above" if above else "dip below"
    span = f"{row.period} s" if row.period and row.period < MINUTE else f"{(row.period or MINUTE) // MINUTE} min"
    limit = f"{row.threshold:g}" if row.threshold is not None else "the threshold"
    return [_finding(NOISY, row, f"1 of 1 on {row.statistic} of {row.metric} over {span}: a single {span} {what} "
                                 f"{limit} is an alarm", key="evaluation_periods")]


def tests(row: Row, config: Config | None) -> list[Finding]:
    return [_finding(FAILING, row, f"tests[{test.case}]: {'; '.join(test.failures)}", key="tests")
            for test in row.tests if not test.passed]


def duplicates(rows: list[Row]) -> list[Finding]:
    """Every alarm after the first on the same metric, statistic, period, comparison and threshold."""
    first: dict[str, Row] = {}
    found = []
    for row in (r for r in rows if r.kind != COMPOSITE_KIND):
        key = json.dumps([row.namespace, row.metric, row.dimensions, row.statistic, row.period, row.comparison,
                          row.threshold, row.item.get("Metrics") or None], sort_keys=True, default=str)
        if key in first:
            found.append(_finding(DUPLICATE, row, f"same metric, statistic, period, comparison and threshold as "
                                                  f"{first[key].name}: both fire together"))
        first.setdefault(key, row)
    return found


EACH: tuple[Callable[[Row, Config | None], list[Finding]], ...] = (
    actions, threshold, missing_data, published, period, noise, tests)
