"""What a composite alarm is, as data. Pure.

How a container's alarms hang together (what a rule names, Regions, ranks) is resolved in
monitor/resolved/composites.py. The spec is PutCompositeAlarm's parameters (Tags as
a mapping); DescribeAlarms' CompositeAlarms items are projected onto the same keys, with the
actions [] and ActionsEnabled true when absent, as for metric alarms.
"""

from __future__ import annotations

from monitor.alarms import rule as alarm_rule
from monitor.kinds.alarm_spec import ACTION_KEYS
from monitor.resolved.model import AlarmEntry

KIND = "composite_alarm"
MANAGED = ("AlarmName", "AlarmRule", "AlarmDescription", "ActionsEnabled", *ACTION_KEYS.values())


def make(entry: AlarmEntry, tags: dict[str, str]) -> tuple[dict, str | None, int] | None:
    """The spec, Region and rank of a composite alarm, or None when validation has a reason to refuse it."""
    alarm = entry.alarm
    if not entry.makeable:
        return None
    spec = {"AlarmName": entry.name, "AlarmRule": alarm_rule.rewrite(entry.rule, entry.siblings.get),
            "ActionsEnabled": alarm.actions_enabled,
            **{key: list(getattr(alarm, field)) for field, key in ACTION_KEYS.items()},
            "Tags": dict(sorted(tags.items()))}
    if alarm.description:
        spec["AlarmDescription"] = alarm.description
    return spec, next(iter(entry.regions)), entry.rank


def to_spec(item: dict, tags: dict[str, str]) -> dict:
    """A DescribeAlarms CompositeAlarms item projected onto the keys we manage."""
    spec = {key: item[key] for key in MANAGED if key in item}
    spec["ActionsEnabled"] = item.get("ActionsEnabled", True)
    for key in ACTION_KEYS.values():
        spec[key] = list(item.get(key, []))
    spec["Tags"] = dict(sorted(tags.items()))
    return spec
