"""Missing-data advice on the config: alarms whose `treat_missing_data` would mislead. Pure.

The rules, and their AWS sources, are monitor/alarms/advice.py's (shared with `monitor review`);
this module finds, for each alarm of the config, the facts they need: the comparison as AWS
names it, and the filter without a default value that makes the metric sparse. Each finding is
a warning with a one-line fix.
"""

from __future__ import annotations

from monitor.alarms import advice as rules
from monitor.config.model import Alarm, Config
from monitor.config.walk import Place, containers
from monitor.kinds.alarm_spec import COMPARISONS, INSIGHTS, SERVICE_NAMESPACES
from monitor.problems import Problem

TASK_COUNTS = rules.TASK_COUNTS


def check(config: Config) -> list[Problem]:
    """A warning for every alarm that missing data would silence, or set off falsely."""
    return [Problem(place.path + ("alarms", number, "treat_missing_data"), message, "warning")
            for place in containers(config) for number, alarm in enumerate(place.container.alarms)
            if (message := advice(place, alarm))]


def advice(place: Place, alarm: Alarm) -> str | None:
    """What a gap in the alarm's metric would do, and the fix; None when the treatment fits."""
    found = _advice(place, alarm)
    return str(found) if found else None


def _advice(place: Place, alarm: Alarm) -> rules.Advice | None:
    operator = COMPARISONS.get(alarm.comparison or "", "")
    if alarm.namespace == INSIGHTS and place.cluster.container_insights == "disabled":
        return rules.insights_off(place.cluster.name, INSIGHTS, alarm.metric)
    if alarm.namespace in SERVICE_NAMESPACES:
        return rules.task_count(alarm.metric, operator, alarm.treat_missing_data)
    sparse = next((item for item in place.container.filters
                   if alarm.namespace is None and item.metric == alarm.metric and item.default is None), None)
    return rules.sparse(alarm.metric, sparse.name, operator, alarm.treat_missing_data) if sparse else None
