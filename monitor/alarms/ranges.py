"""Thresholds a metric can never cross, or always crosses: the one rule `validate` and `review` share. Pure.

A metric's range: counts, sizes, rates and CPU/memory figures are never negative; a `...Utilization`
metric of AWS or Container Insights, or one in unit Percent, is a share of at most 100 (its
SampleCount is a count, of any size). A share of a ceiling (`N%` of a hard memory limit or of the
task's size: the container is killed past its hard limit, and the task-level cpu and memory are
hard upper bounds, "Task size",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size)
cannot pass 100%. A comparison that no datapoint can satisfy never alarms; one every datapoint
satisfies alarms whenever there is data: AWS accepts both, and neither is what anyone meant.

`past` judges a container's CPU or memory figure against what it can reach (monitor/taskdefs/reach.py):
past its ceiling (a hard limit, the task's size) a comparison is settled, as above; past only what it
is sure to get (what the task leaves it) it is UNSURE: the figure gets there only while the other
containers use less than they hold, so AWS's alarm can fire, and is never refused for it.
"""

from __future__ import annotations

ALWAYS, NEVER, UNSURE = "always", "never", "unsure"
# Statistics no larger than the largest datapoint, and no smaller than the smallest: all but Sum (it adds the
# datapoints of every task, and of every minute of a longer period) and SampleCount (a count of datapoints).
UNBOUNDED = ("Sum", "SampleCount")


def crossing(comparison: str | None, value: float, low: float | None, high: float | None) -> tuple[str, str] | None:
    """(ALWAYS or NEVER, why) when `value OP threshold` is settled by the range [low, high]; None otherwise."""
    if low is not None and ((comparison == ">=" and value <= low) or (comparison == ">" and value < low)):
        return ALWAYS, f"which is never below {low:g}: every datapoint breaches, so it is in ALARM whenever there is data"
    if low is not None and ((comparison == "<" and value <= low) or (comparison == "<=" and value < low)):
        return NEVER, f"which is never below {low:g}: no datapoint can breach, so it never goes to ALARM"
    if high is not None and ((comparison == ">" and value >= high) or (comparison == ">=" and value > high)):
        return NEVER, f"a percentage, never above {high:g}: no datapoint can breach, so it never goes to ALARM"
    if high is not None and ((comparison == "<" and value > high) or (comparison == "<=" and value >= high)):
        return ALWAYS, f"a percentage, never above {high:g}: every datapoint breaches"
    return None


def metric_range(namespace: str | None, metric: str, statistic: str | None, unit: str | None,
                 unsigned: bool, aws: bool) -> tuple[float | None, float | None]:
    """The lowest and highest value of the statistic; None where unknown. `aws`: published by AWS or
    Container Insights; `unsigned`: never negative (a count, size, rate or share)."""
    low = 0.0 if unsigned or statistic == "SampleCount" else None
    percent = unit == "Percent" or (aws and metric.endswith("Utilization"))
    return low, (100.0 if percent and statistic != "SampleCount" else None)


def share(comparison: str | None, percent: float, limit: str) -> tuple[str, str] | None:
    """`N%` of a ceiling (`limit` says which) past 100: (ALWAYS or NEVER, why); None when it can be crossed."""
    if percent < 100:
        return None
    said = crossing(comparison, percent, None, 100.0)
    if said is None:
        return None
    return said[0], (f"{percent:g}% of {limit}: usage cannot pass the limit, so '{comparison} {percent:g}%' is "
                     f"{'never' if said[0] == NEVER else 'always'} true")


def past(comparison: str | None, statistic: str | None, value: float, most: float,
         sure: float | None = None) -> str | None:
    """ALWAYS or NEVER when `statistic OP value` is settled because the figure cannot pass `most`; UNSURE when it is
    settled only while the figure stays within `sure` (below `most`); None when it can go either way."""
    if statistic in UNBOUNDED:
        return None
    said = crossing(comparison, value, None, most)
    if said is not None:
        return said[0]
    if sure is not None and sure < most and crossing(comparison, value, None, sure) is not None:
        return UNSURE
    return None
