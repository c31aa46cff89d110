"""PutMetricAlarm's rules, checked offline over every container's `alarms:`. Pure.

Sources: the PutMetricAlarm API reference (Period, EvaluationPeriods, DatapointsToAlarm,
ExtendedStatistic, the 7-day and 1-day evaluation windows) and botocore's cloudwatch model
(AlarmName, AlarmDescription and ResourceList, the 5 actions of a state), read in
monitor/quotas.py (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
"""

from __future__ import annotations

import math
import re

from monitor import quotas
from monitor.alarms import AlarmError
from monitor.alarms.definition import percentile
from monitor.aws.thresholds import limited_field, percent
from monitor.config.model import Alarm, Config
from monitor.config.walk import Place, containers
from monitor.kinds import alarm_spec
from monitor.problems import Path, Problem

MAX_ACTIONS = quotas.ALARM_ACTIONS
MAX_NAME = quotas.ALARM_NAME
MAX_DESCRIPTION = quotas.ALARM_DESCRIPTION
HIGH_RESOLUTION = (10, 20, 30)   # "Valid values are 10, 20, 30, and any multiple of 60" (Period)
DAY, WEEK, HOUR = 86_400, 7 * 86_400, 3_600
ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[^:\s]*:\S+")
NAMESPACE = re.compile(rf"[^:].{{0,{quotas.ALARM_NAMESPACE - 1}}}", re.DOTALL)
# ExtendedStatistic's other forms (CloudWatch User Guide, "CloudWatch statistics definitions",
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html):
# tm99, wm90, tc90, ts90, TM(10%:90%), TM(10:500), WM(...), TC(...), TS(...), PR(:300), IQM.
NUMBER = r"\d+(\.\d+)?"
EXTENDED = re.compile(rf"(tm|wm|tc|ts){NUMBER}|(TM|WM|TC|TS|PR)\(({NUMBER}%?)?:({NUMBER}%?)?\)|IQM")


def check(config: Config) -> list[Problem]:
    """Every rule every alarm of every container breaks, each at its key.

    Two alarms of one name in a container make one AWS alarm twice: plan.duplicates says so.
    """
    return [Problem(place.path + ("alarms", number) + key, message)
            for place in containers(config) for number, alarm in enumerate(place.container.alarms)
            for key, message in _alarm(config, place, alarm)]


def _alarm(config: Config, place: Place, alarm: Alarm) -> list[tuple[Path, str]]:
    return (_name(config, place, alarm) + _metric(config, place, alarm) + _statistic(alarm) + _periods(alarm)
            + _threshold(place, alarm) + _actions(alarm, config.region) + _description(alarm))


def _name(config: Config, place: Place, alarm: Alarm) -> list[tuple[Path, str]]:
    """AlarmName: 1-255 characters (botocore cloudwatch model); ours adds the prefix and the owner."""
    full = alarm_spec.alarm_name(config, place, alarm)
    if not alarm.name.strip():
        return [(("name",), "an alarm name cannot be empty or blank")]
    if any(ord(char) < 32 or ord(char) == 127 for char in alarm.name):   # PutMetricAlarm AlarmName
        return [(("name",), "an alarm name can't contain ASCII control characters (PutMetricAlarm)")]
    if len(full) > MAX_NAME:
        return [(("name",), f"the alarm name '{full}' is {len(full)} characters; AWS allows at most {MAX_NAME}")]
    return []


def _metric(config: Config, place: Place, alarm: Alarm) -> list[tuple[Path, str]]:
    """The metric must be one this container produces, unless `namespace` names one published
    elsewhere (AWS/..., ECS/ContainerInsights, CWAgent, ...): any namespace CloudWatch takes, 1-255
    characters not starting with ':' (botocore cloudwatch model, Namespace)."""
    if alarm.namespace is not None and not NAMESPACE.fullmatch(alarm.namespace):
        return [(("namespace",), f"'{alarm.namespace}' is not a namespace: 1-{quotas.ALARM_NAMESPACE} "
                                 "characters, not starting with ':'")]
    found = alarm_spec.resolve(config, place, alarm)
    return [(("metric",), found)] if isinstance(found, str) else []


def _statistic(alarm: Alarm) -> list[tuple[Path, str]]:
    """Statistic is one of five; ExtendedStatistic a percentile p0-p100 (PutMetricAlarm)."""
    if alarm.stat in alarm_spec.STATISTICS or EXTENDED.fullmatch(alarm.stat):
        return []
    try:
        if percentile(alarm.stat) is not None:
            return []
    except AlarmError:
        pass
    return [(("stat",), f"'{alarm.stat}' is not a statistic; allowed: {', '.join(alarm_spec.STATISTICS)}, "
                        "a percentile such as p99 or p99.9, or another extended statistic (tm99, TM(10%:90%), IQM)")]


def _periods(alarm: Alarm) -> list[tuple[Path, str]]:
    """Period 10, 20, 30 or a multiple of 60; Period x EvaluationPeriods at most 7 days, or 1 day when
    Period is under an hour; DatapointsToAlarm at most EvaluationPeriods (PutMetricAlarm API reference)."""
    found = []
    if alarm.period not in HIGH_RESOLUTION and (alarm.period <= 0 or alarm.period % 60):
        found.append((("period",), f"period {alarm.period}: AWS allows 10, 20, 30 or a multiple of 60 seconds"))
    window, limit = alarm.period * alarm.evaluation_periods, (DAY if alarm.period < HOUR else WEEK)
    if alarm.period > 0 and window > limit:
        found.append((("evaluation_periods",), f"period x evaluation_periods is {window} s; AWS allows at most "
                      f"{limit} s ({'1 day when the period is under an hour' if limit == DAY else '7 days'})"))
    if alarm.datapoints_to_alarm is not None and alarm.datapoints_to_alarm > alarm.evaluation_periods:
        found.append((("datapoints_to_alarm",), f"{alarm.datapoints_to_alarm} is more than evaluation_periods "
                                                f"({alarm.evaluation_periods}): M of N needs M <= N"))
    return found


def _threshold(place: Place, alarm: Alarm) -> list[tuple[Path, str]]:
    """Threshold is a double; `N%` is a share of the container's CPU or memory limit, read at plan time
    from the service's task definition (monitor/aws/thresholds.py)."""
    if not isinstance(alarm.threshold, str):   # PutMetricAlarm's Threshold is a double; NaN never settles
        return [] if math.isfinite(alarm.threshold) else [(("threshold",), f"{alarm.threshold} is not a finite number")]
    if alarm.tests:
        return [(("tests",), f"'{alarm.threshold}' becomes a number only at plan time, from the task definition; "
                             "alarm tests need a number threshold")]
    share = percent(alarm.threshold)
    if share is None:
        return [(("threshold",), f"'{alarm.threshold}' is not a number, nor a share of a limit such as 90%")]
    if alarm.namespace is not None or limited_field(alarm.metric) is None:
        return [(("threshold",), f"'{alarm.threshold}': a share of the container's limit needs a CPU or memory "
                                 "metric of this container (CpuUtilized, MemoryUtilized); give a number")]
    if not place.service.task_definition:
        return [(("threshold",), f"'{alarm.threshold}' is a share of the container's limit, which comes from a "
                                 f"task definition: give service '{place.service.name}' its task_definition")]
    return [] if share > 0 else [(("threshold",), f"'{alarm.threshold}': a share above 0% of the limit")]


def _actions(alarm: Alarm, region: str | None) -> list[tuple[Path, str]]:
    """At most 5 actions a state (botocore cloudwatch model, ResourceList), each an ARN in the
    alarm's own Region: PutMetricAlarm refuses another ("Invalid region ... Only <region> is supported")."""
    found = []
    for field in alarm_spec.ACTION_KEYS:
        arns = getattr(alarm, field)
        if len(arns) > MAX_ACTIONS:
            found.append(((field,), f"{len(arns)} actions; AWS allows at most {MAX_ACTIONS} a state"))
        found += [((field, n), problem) for n, arn in enumerate(arns) if (problem := _action(arn, region))]
    return found


def _action(arn: str, region: str | None) -> str | None:
    if not ARN.fullmatch(arn) or not arn.split(":")[3]:
        return f"'{arn}' is not an ARN with a Region, e.g. arn:aws:sns:ap-northeast-1:123456789012:ops"
    if region and arn.split(":")[3] != region:
        return f"'{arn}' is in {arn.split(':')[3]}; an alarm in {region} can only act in {region}"
    return None


def _description(alarm: Alarm) -> list[tuple[Path, str]]:
    if alarm.description and len(alarm.description) > MAX_DESCRIPTION:
        return [(("description",), f"{len(alarm.description)} characters; AWS allows at most {MAX_DESCRIPTION}")]
    return []
