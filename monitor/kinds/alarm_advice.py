"""Missing-data advice on the config: alarms whose `treat_missing_data` would mislead. Pure.

The rules, and their AWS sources, are monitor/alarms/advice.py's (shared with `monitor review`);
this module finds, for each alarm of the config, the facts they need: the comparison as AWS
names it, and the filter without a default value that makes the metric sparse. Each finding is
a warning with a one-line fix, under the code `monitor review` gives the same finding (one
`ignore:` silences both).
"""

from __future__ import annotations

from monitor.alarms import advice as rules
from monitor.config.model import Alarm
from monitor.config.walk import Place
from monitor.kinds.alarm_spec import COMPARISONS
from monitor.problems import WARNING, Check, Problem
from monitor.resolved.metrics import INSIGHTS, SERVICE_NAMESPACES
from monitor.resolved.model import Model

TASK_COUNTS = rules.TASK_COUNTS
MISSING_DATA_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html"
SPARSE = Check("ALARM-MISSING-001", WARNING, "sparse filter metric whose missing data is not handled",
               source=MISSING_DATA_DOC)
SILENCED = Check("ALARM-MISSING-002", WARNING, "task-count alarm that missing data silences", source=MISSING_DATA_DOC)
INSIGHTS_OFF = Check("ALARM-METRIC-002", WARNING,
                     "Container Insights metric on a cluster with Container Insights disabled",
                     source=MISSING_DATA_DOC)
CHECKS = (SPARSE, SILENCED, INSIGHTS_OFF)


def check(model: Model) -> list[Problem]:
    """A warning for every alarm that missing data would silence, or set off falsely."""
    return [check.problem(entry.path + ("treat_missing_data",), str(found))
            for entry in model.alarms for check, found in [_advice(entry.place, entry.alarm)] if found]


def advice(place: Place, alarm: Alarm) -> str | None:
    """What a gap in the alarm's metric would do, and the fix; None when the treatment fits."""
    found = _advice(place, alarm)[1]
    return str(found) if found else None


def _advice(place: Place, alarm: Alarm) -> tuple[Check, rules.Advice | None]:
    operator = COMPARISONS.get(alarm.comparison or "", "")
    if alarm.namespace == INSIGHTS and place.cluster.container_insights == "disabled":
        return INSIGHTS_OFF, rules.insights_off(place.cluster.name, INSIGHTS, alarm.metric)
    if alarm.namespace in SERVICE_NAMESPACES:
        return SILENCED, rules.task_count(alarm.metric, operator, alarm.treat_missing_data)
    sparse = next((item for item in place.container.filters
                   if alarm.namespace is None and item.metric == alarm.metric and item.default is None), None)
    return SPARSE, rules.sparse(alarm.metric, sparse.name, operator, alarm.treat_missing_data) if sparse else None
