"""How often each deployed alarm would have fired: its metric's last days replayed through monitor.alarms.

Each alarm's series (monitor/review/live_metrics.py) is laid on its period grid, oldest first, a
period with no data point being missing, and evaluated as CloudWatch evaluates alarms (the rules
and sources are in monitor/alarms/semantics.py). The replay starts in INSUFFICIENT_DATA, as a new
alarm does; a first period in ALARM counts as a firing. Approximations, stated: a percentile alarm
that ignores low samples (EvaluateLowSampleCountPercentile `ignore`) is replayed as `evaluate`,
since the sample counts are not read; anomaly-detection alarms are not replayed.

History within the alarm's life: the replay of an alarm starts at its creation or last change
(DescribeAlarms AlarmConfigurationUpdatedTimestamp, "the time stamp of the last update to the
alarm configuration", PutMetricAlarm replacing the whole alarm), on its period grid, when that is
later than the replayed days' start: data from before it was judged by another definition, or by none.
The report says from when each alarm was replayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from monitor.alarms import AlarmError, State, evaluate
from monitor.aws.clients import Clients
from monitor.review import live_metrics
from monitor.review.findings import INFO, WARNING, Finding, Rule
from monitor.review.live_metrics import Points

DAYS = 14
NOISY = 10   # firings in the replayed days from which an alarm is called noisy

NOISY_RULE = Rule("ALARM-LIVE-001", WARNING, "alarm would have fired often in the replayed days",
                  "raise the threshold, lengthen the period, or ask for M of N datapoints (datapoints_to_alarm)")
NO_DATA = Rule("ALARM-LIVE-002", WARNING, "alarm never had data and never fired in the replayed days",
               "check that something publishes the metric (name, namespace, dimensions), or delete the alarm")
SILENT = Rule("ALARM-LIVE-003", INFO, "alarm had data but never fired in the replayed days",
              "nothing to fix if the threshold is meant for rare events; else check it against the data")
NOT_REPLAYED = Rule("ALARM-LIVE-004", INFO, "alarm not replayed",
                    "review it by hand: anomaly-detection alarms are not evaluated offline")
RULES = (NOISY_RULE, NO_DATA, SILENT, NOT_REPLAYED)


@dataclass(frozen=True)
class Replay:
    """One alarm's replay: `periods` of `period` seconds from `start`, how many had data, what it did."""

    alarm: str
    start: datetime | None
    period: int
    periods: int = 0
    datapoints: int = 0
    firings: int = 0   # transitions into ALARM
    periods_in_alarm: int = 0
    skipped: str | None = None   # why it was not replayed
    since_change: bool = False   # `start` is the alarm's creation or last change, not the replayed days' start

    @property
    def seconds_in_alarm(self) -> int:
        return self.periods_in_alarm * self.period


@dataclass(frozen=True)
class History:
    """Every alarm's replay, noisiest first, the findings, and the GetMetricData calls it took."""

    replays: list[Replay]
    findings: list[Finding]
    calls: int


def history(clients: Clients, alarms: list[dict], days: int = DAYS, now: datetime | None = None,
            noisy: int = NOISY) -> History:
    """Replay the last `days` of every metric alarm (DescribeAlarms `MetricAlarms` items, math ones included).

    Reads GetMetricData only (live_metrics.fetch: one query group per distinct series, 500 queries a
    call). `now` (aware datetime) defaults to the current UTC time. AWS errors propagate.
    """
    now = now or datetime.now(timezone.utc)
    groups = {alarm["AlarmName"]: live_metrics.group(alarm) for alarm in alarms}
    before = clients.calls["GetMetricData"]
    points = live_metrics.fetch(clients, [g for g in groups.values() if g], now, days)
    replays = [replay(alarm, points[g.key], *live_metrics.span(g.period, now, days)) if g
               else Replay(alarm["AlarmName"], None, 0, skipped="an anomaly-detection alarm")
               for alarm in alarms for g in [groups[alarm["AlarmName"]]]]
    replays.sort(key=lambda r: (-r.firings, r.alarm))
    return History(replays, findings(replays, noisy, days), clients.calls["GetMetricData"] - before)


def replay(alarm: dict, points: Points, start: datetime, end: datetime) -> Replay:
    """One alarm over [start, end) of its series (period-start timestamp -> value), from its creation or
    last change when that is later than `start` (module docstring): pure."""
    group = live_metrics.group(alarm)
    start, clipped = lifetime_start(alarm, start, group.period)
    if start >= end:
        return Replay(alarm["AlarmName"], start, group.period, skipped=f"created or changed at {_moment(start)}, "
                      "less than a period ago", since_change=True)
    values = series(points, start, end, group.period)
    try:
        states = evaluate(values, definition(alarm))
    except AlarmError as error:
        return Replay(alarm["AlarmName"], start, group.period, len(values), skipped=str(error))
    fired = sum(1 for before, after in zip([State.INSUFFICIENT_DATA, *states], states)
                if after == State.ALARM and before != State.ALARM)
    return Replay(alarm["AlarmName"], start, group.period, len(values), sum(v is not None for v in values),
                  fired, states.count(State.ALARM), since_change=clipped)


def lifetime_start(alarm: dict, start: datetime, period: int) -> tuple[datetime, bool]:
    """The first whole period on `start`'s grid at or after the alarm's last configuration change, and
    whether that is later than `start`."""
    updated = alarm.get("AlarmConfigurationUpdatedTimestamp")
    if not isinstance(updated, datetime) or updated <= start:
        return start, False
    steps = -(-int((updated - start).total_seconds()) // period)   # ceiling
    return start + timedelta(seconds=steps * period), True


def _moment(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def window(item: Replay, days: int = DAYS) -> str:
    """What was replayed: `in 14 days`, or `since it was created or changed (2026-12-07 10:00 UTC, 3.0 h)`."""
    if item.since_change:
        return f"since it was created or last changed ({_moment(item.start)}, {_hours(item.periods * item.period)})"
    return f"in {days} days" if item.period >= 60 else "in the last 3 hours (high resolution)"


def series(points: Points, start: datetime, end: datetime, period: int) -> list[float | None]:
    """One value a period from `start`, oldest first; None where no data point fell in the period."""
    values: list[float | None] = [None] * int((end - start).total_seconds() // period)
    for moment, value in points.items():
        slot = int((moment - start).total_seconds() // period)
        if 0 <= slot < len(values):
            values[slot] = value
    return values


def definition(alarm: dict) -> dict:
    """A DescribeAlarms item in the evaluator's terms (PutMetricAlarm names: Alarm.from_mapping)."""
    keys = ("ComparisonOperator", "Threshold", "EvaluationPeriods", "DatapointsToAlarm", "TreatMissingData",
            "Statistic", "ExtendedStatistic", "Namespace")
    return {key: alarm[key] for key in keys if alarm.get(key) is not None}   # low samples: always `evaluate`


def findings(replays: Iterable[Replay], noisy: int = NOISY, days: int = DAYS) -> list[Finding]:
    """Noisy, dataless, silent and unreplayed alarms: pure."""
    found = []
    for item in replays:
        said = window(item, days)
        if item.skipped:
            found.append(NOT_REPLAYED.finding(item.alarm, f"not replayed: {item.skipped}"))
        elif item.firings >= noisy:
            found.append(NOISY_RULE.finding(item.alarm, f"would have fired {item.firings} times {said}, "
                                                        f"{_hours(item.seconds_in_alarm)} in ALARM"))
        elif not item.datapoints and not item.firings:
            found.append(NO_DATA.finding(item.alarm, f"never had data and never fired {said}"))
        elif not item.firings:
            found.append(SILENT.finding(item.alarm, f"had data in {item.datapoints} of {item.periods} periods "
                                                    f"and never fired {said}"))
    return found


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.1f} h"
