"""Missing-data advice: alarms whose `treat_missing_data` would mislead, given how their metric is published. Pure.

"Configuring how CloudWatch alarms treat missing data"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
`missing` evaluates only the datapoints there are and turns INSUFFICIENT_DATA when there are
none; `ignore` keeps the current state; `breaching` counts a gap as over the threshold and
`notBreaching` as within it. So the right choice depends on what a gap means:

- A filter metric without a default value publishes nothing in a minute without a match
  (PutMetricFilter, MetricTransformation defaultValue). For "errors > N" a gap is a quiet minute
  (notBreaching); for "requests < N" a gap is the very thing to catch (breaching).
- A service with no running task publishes no RunningTaskCount (Container Insights metrics exist
  only for running tasks), so "running tasks < N" must count a gap as breaching.
- A cluster with Container Insights disabled publishes no ECS/ContainerInsights metric at all.

Each finding is a warning with a one-line fix.
"""

from __future__ import annotations

from monitor.config.model import Alarm, Config
from monitor.config.walk import Place, containers
from monitor.kinds.alarm_spec import INSIGHTS, SERVICE_NAMESPACES
from monitor.problems import Problem

ABOVE, BELOW = (">", ">="), ("<", "<=")
# Counts of running things: absent, not zero, when nothing runs.
TASK_COUNTS = ("RunningTaskCount", "TaskCount", "ServiceCount", "ContainerInstanceCount")


def check(config: Config) -> list[Problem]:
    """A warning for every alarm that missing data would silence, or set off falsely."""
    return [Problem(place.path + ("alarms", number, "treat_missing_data"), message, "warning")
            for place in containers(config) for number, alarm in enumerate(place.container.alarms)
            if (message := advice(place, alarm))]


def advice(place: Place, alarm: Alarm) -> str | None:
    """What a gap in the alarm's metric would do, and the fix; None when the treatment fits."""
    if alarm.namespace == INSIGHTS and place.cluster.container_insights == "disabled":
        return (f"cluster '{place.cluster.name}' has Container Insights disabled, so {INSIGHTS} {alarm.metric} "
                "never has data; fix: enable container_insights on the cluster")
    if alarm.namespace in SERVICE_NAMESPACES and alarm.metric in TASK_COUNTS:
        return _task_count(alarm)
    sparse = next((item for item in place.container.filters
                   if alarm.namespace is None and item.metric == alarm.metric and item.default is None), None)
    return _sparse(alarm, sparse.name) if sparse else None


def _task_count(alarm: Alarm) -> str | None:
    if alarm.comparison in BELOW and alarm.treat_missing_data != "breaching":
        return (f"a service with no task publishes no {alarm.metric}, so '{alarm.treat_missing_data}' silences "
                f"this alarm when it matters most; fix: treat_missing_data: breaching")
    return None


def _sparse(alarm: Alarm, name: str) -> str | None:
    """A filter without `default` publishes nothing when nothing matches."""
    wanted = "notBreaching" if alarm.comparison in ABOVE else "breaching"
    if alarm.treat_missing_data == wanted:
        return None
    effect = {"breaching": "counts every quiet minute as over the threshold: a false alarm",
              "missing": "turns INSUFFICIENT_DATA when nothing matches, instead of OK or ALARM",
              "ignore": "keeps the last state through every gap",
              "notBreaching": "counts a minute without a match as fine, which is what this alarm should catch",
              }[alarm.treat_missing_data]
    return (f"filter '{name}' has no default, so {alarm.metric} has no datapoint when nothing matches; "
            f"'{alarm.treat_missing_data}' {effect}; fix: treat_missing_data: {wanted} (or give the filter default: 0)")
