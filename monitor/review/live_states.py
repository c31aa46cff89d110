"""Deployed alarms stuck in ALARM or INSUFFICIENT_DATA. Pure: DescribeAlarms items in, findings out.

How long an alarm has been in its state is counted from `StateTransitionedTimestamp`, "the date and
time that the alarm's StateValue most recently changed"; `StateUpdatedTimestamp` is "the time stamp
of the last update to the value of either the StateValue or EvaluationState parameters", so it can
be newer than the transition, and is used only when the first is absent (older answers, emulators)
(CloudWatch API reference, MetricAlarm and CompositeAlarm:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from monitor.alarms import State
from monitor.review.findings import WARNING, Finding, Rule

DAYS = 7

IN_ALARM = Rule("ALARM-LIVE-005", WARNING, "alarm stuck in ALARM",
                "fix the cause, or the threshold if this is normal; an alarm always in ALARM notifies nobody of anything new")
NO_DATA = Rule("ALARM-LIVE-006", WARNING, "alarm stuck in INSUFFICIENT_DATA",
               "check that the metric is published with these dimensions, or set treat_missing_data")
RULES = (IN_ALARM, NO_DATA)
BY_STATE = {State.ALARM: IN_ALARM, State.INSUFFICIENT_DATA: NO_DATA}


def since(alarm: dict) -> datetime | None:
    """When the alarm entered its current state (module docstring), or None when the item says neither."""
    return alarm.get("StateTransitionedTimestamp") or alarm.get("StateUpdatedTimestamp")


def age(alarm: dict, now: datetime | None = None) -> timedelta | None:
    """How long the alarm has been in its current state; `now` an aware datetime, default the current UTC time."""
    entered = since(alarm)
    return None if entered is None else (now or datetime.now(timezone.utc)) - entered


def stuck(alarms: Iterable[dict], days: float = DAYS, now: datetime | None = None) -> list[Finding]:
    """A finding for each alarm in ALARM or INSUFFICIENT_DATA for more than `days` days."""
    found = []
    for alarm in alarms:
        rule, held = BY_STATE.get(alarm.get("StateValue")), age(alarm, now)
        if rule and held is not None and held > timedelta(days=days):
            found.append(rule.finding(alarm["AlarmName"], f"in {alarm['StateValue']} for {held.days} days "
                                                          f"(since {since(alarm):%Y-%m-%d %H:%M} UTC), "
                                                          f"more than {days:g}"))
    return found
