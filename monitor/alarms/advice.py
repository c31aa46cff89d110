"""What a gap in an alarm's metric does to it, on the AWS API's terms. Pure.

Shared by `monitor validate` (config warnings, monitor/kinds/alarm_advice.py) and `monitor review`
(findings over desired specs and live DescribeAlarms items), so both say the same thing.

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
"""

from __future__ import annotations

from dataclasses import dataclass

# PutMetricAlarm ComparisonOperator values of static thresholds.
ABOVE = ("GreaterThanThreshold", "GreaterThanOrEqualToThreshold")
BELOW = ("LessThanThreshold", "LessThanOrEqualToThreshold")
# Counts of running things: absent, not zero, when nothing runs.
TASK_COUNTS = ("RunningTaskCount", "TaskCount", "ServiceCount", "ContainerInstanceCount")
EFFECTS = {"breaching": "counts every quiet minute as over the threshold: a false alarm",
           "missing": "turns INSUFFICIENT_DATA when nothing matches, instead of OK or ALARM",
           "ignore": "keeps the last state through every gap",
           "notBreaching": "counts a minute without a match as fine, which is what this alarm should catch"}


@dataclass(frozen=True)
class Advice:
    """What the gap does (`message`) and the one-line fix."""

    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.message}; fix: {self.fix}"


def task_count(metric: str, operator: str, treatment: str) -> Advice | None:
    """A "fewer than N tasks" alarm that a service with no task (no datapoint at all) would leave silent."""
    if metric in TASK_COUNTS and operator in BELOW and treatment != "breaching":
        return Advice(f"a service with no task publishes no {metric}, so '{treatment}' silences this alarm when "
                      "it matters most", "treat_missing_data: breaching")
    return None


def sparse(metric: str, filter_name: str, operator: str, treatment: str) -> Advice | None:
    """An alarm on a filter metric without a default value, whose treatment misreads a minute without a match."""
    if operator not in ABOVE + BELOW:
        return None
    wanted = "notBreaching" if operator in ABOVE else "breaching"
    if treatment == wanted:
        return None
    return Advice(f"filter '{filter_name}' has no default, so {metric} has no datapoint when nothing matches; "
                  f"'{treatment}' {EFFECTS.get(treatment, 'misreads a gap')}",
                  f"treat_missing_data: {wanted} (or give the filter default: 0)")


def insights_off(cluster: str, namespace: str, metric: str) -> Advice:
    """An alarm on a Container Insights metric of a cluster that has it disabled."""
    return Advice(f"cluster '{cluster}' has Container Insights disabled, so {namespace} {metric} never has data",
                  "enable container_insights on the cluster")
