"""Alarm tests from a log sample: the container's filters run over it to make the alarm's series.

A case's `logs:` names the JSON `aws logs filter-log-events` prints (or `aws logs tail` lines),
relative to the config file, read as `monitor replay` reads it (monitor/offline/replay.py). The
filters that publish the alarm's metric (same namespace, name and dimensions) run over its events
with our pattern engine; the datapoints are grouped into the alarm's periods, aligned to the
epoch as CloudWatch aligns them, from the period of the first event to that of the last, and
each period's value is the alarm's statistic over its datapoints, or null when nothing was
published. A minute with events but no match publishes the filter's default, where it has one
("defaultValue: the value to emit when a filter pattern does not match a log event", MetricTransformation,
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html);
a minute without events publishes nothing, as `monitor replay` counts them.

Percentiles are nearest-rank over the sample's values: CloudWatch's own are approximations
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles).
"""

from __future__ import annotations

import math
from pathlib import Path as FilePath

from monitor.alarms import AlarmError
from monitor.alarms.definition import percentile
from monitor.config.model import Alarm, Config
from monitor.config.walk import Place, containers
from monitor.kinds import metric_filter
from monitor.offline.replay import read_events, replay
from monitor.problems import ERROR, WARNING, Check, Problem
from monitor.resolved import Loaded
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved import model as resolved_model

MINUTE = 60   # metric filters publish standard-resolution data: one datapoint a minute at most
PLAIN = {"Sum": sum, "Minimum": min, "Maximum": max, "SampleCount": len,
         "Average": lambda values: sum(values) / len(values)}


def sample_path(loaded: Loaded, logs: str) -> FilePath:
    """A sample named relative to the config file."""
    return FilePath(loaded.source.name).parent / logs


def specs_for(config: Config, place: Place, alarm: Alarm, specs: list[dict]) -> tuple[list[dict], tuple]:
    """The metric filter specs that publish the alarm's metric, and the dimensions it watches."""
    metric = alarm_metrics.resolve(config, place, alarm) if alarm.metric is not None else None
    if not isinstance(metric, alarm_metrics.Metric):
        return [], ()
    return [spec for spec in specs if _publishes(spec, metric)], metric.dimensions


def _publishes(spec: dict, metric: alarm_metrics.Metric) -> bool:
    transformation = spec["metricTransformations"][0]
    return (transformation["metricNamespace"], transformation["metricName"]) == (metric.namespace, metric.name)


MISSING = "no log sample"
NO_SAMPLE = Check("ALM-050", WARNING, "an alarm test case whose log sample file is missing")
NO_SERIES = Check("ALM-051", ERROR, "an alarm test case whose log sample cannot make the alarm's series",
                  ignorable=True)   # only `monitor test` needs it: AWS is sent nothing from it
CHECKS = (NO_SAMPLE, NO_SERIES)


def check(loaded: Loaded) -> list[Problem]:
    """Every `logs:` case whose alarm's metric no filter of the container makes (an error), or whose
    sample is missing (a warning: the config still deploys, and `monitor test` fails the case)."""
    specs = [resource.spec for resource in metric_filter.desired(resolved_model.of(loaded.config))]
    found = []
    for place in containers(loaded.config):
        for number, alarm in enumerate(place.container.alarms):
            for n, case in enumerate(alarm.tests):
                path = place.path + ("alarms", number, "tests", n, "logs")
                if case.logs is not None and (message := _case_problem(loaded, place, alarm, case.logs, specs)):
                    rule = NO_SAMPLE if message.startswith(MISSING) else NO_SERIES
                    found.append(rule.problem(path, message, source=loaded.source))
    return found


def _case_problem(loaded: Loaded, place: Place, alarm: Alarm, logs: str, specs: list[dict]) -> str | None:
    if not sample_path(loaded, logs).is_file():
        return (f"{MISSING} at {sample_path(loaded, logs)} (the path is relative to the config file); "
                "`monitor test` fails this case")
    if not specs_for(loaded.config, place, alarm, specs)[0]:
        return (f"no filter of container '{place.container.name}' publishes {alarm.metric}, so a log sample "
                "cannot make this alarm's series; give 'series:' instead")
    if alarm.period % MINUTE:
        return f"metric filters publish one datapoint a minute; a period of {alarm.period} s needs 'series:'"
    return None


def series(loaded: Loaded, place: Place, alarm: Alarm, logs: str) -> list[float | None]:
    """One value a period, oldest first, null where nothing was published; ValueError says what is wrong."""
    specs = [resource.spec for resource in metric_filter.desired(resolved_model.of(loaded.config))]
    chosen, dimensions = specs_for(loaded.config, place, alarm, specs)
    events = list(read_events(sample_path(loaded, logs)))
    if not events or any(event.timestamp is None for event in events):
        raise ValueError(f"{logs}: every event needs a timestamp (the JSON of `aws logs filter-log-events`, "
                         "or `aws logs tail` lines)")
    replayed, _ = replay(chosen, events)
    width = alarm.period * 1000
    periods: dict[int, list[float]] = {}
    for item in replayed:
        for minute, buckets in item.minutes.items():
            values = buckets.get(dimensions)
            periods.setdefault(minute // width, []).extend(values.values if values else [])
    first, last = (min(e.timestamp for e in events) // width, max(e.timestamp for e in events) // width)
    return [_statistic(alarm.stat, periods.get(slot) or []) for slot in range(first, last + 1)]


def _statistic(stat: str, values: list[float]) -> float | None:
    if not values:
        return None
    if stat in PLAIN:
        return float(PLAIN[stat](values))
    try:
        share = percentile(stat)
    except AlarmError:
        share = None
    if share is None:
        raise ValueError(f"statistic {stat} cannot be computed from a log sample offline; give 'series:'")
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]
