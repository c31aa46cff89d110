"""The emulator's metric alarms change state as their data says, by monitor.alarms' rules.

moto stores alarms in state OK forever. Here each metric alarm is evaluated with
monitor.alarms.decide (the evaluator `monitor test` runs alarm tests with) over its metric's
datapoints in moto's CloudWatch backend, and its state is set with a StateReason worded like
CloudWatch's. When and over what it evaluates is named in monitor/emulator/flow_semantics.py.
"""

from __future__ import annotations

import functools
import json
import math
import time
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.models import Alarm as MotoAlarm
from moto.cloudwatch.models import CloudWatchBackend, MetricAggregatedDatum, MetricDatum
from moto.cloudwatch.responses import CloudWatchResponse

from monitor.alarms import AlarmError, State
from monitor.alarms.definition import MetricAlarm, percentile
from monitor.alarms.evaluation import decide
from monitor.alarms.semantics import INITIAL_STATE

Wrapped = Any
SIMPLE = ("Sum", "Average", "Minimum", "Maximum", "SampleCount")
PHRASES = {">": "greater than", ">=": "greater than or equal to", "<": "less than", "<=": "less than or equal to"}
FILLED = {"breaching": "Breaching", "notBreaching": "NonBreaching"}
_HELD = "_ecs_monitor_held_until"


def install() -> None:
    """Hook moto's CloudWatch; called once by emulator.install_fidelity_patches."""
    MotoAlarm.__init__ = _starting_unchecked(MotoAlarm.__init__)
    CloudWatchBackend.put_metric_data = _evaluating_after(CloudWatchBackend.put_metric_data)
    CloudWatchBackend.set_alarm_state = _holding(CloudWatchBackend.set_alarm_state)
    CloudWatchResponse.describe_alarms = _evaluated_first(CloudWatchResponse.describe_alarms)


def _starting_unchecked(init: Wrapped) -> Wrapped:
    # A new alarm is INSUFFICIENT_DATA, "The alarm has just started" [A1]; moto said OK.
    @functools.wraps(init)
    def starting(self: MotoAlarm, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.state_value = str(INITIAL_STATE)

    return starting


def _evaluating_after(put: Wrapped) -> Wrapped:
    @functools.wraps(put)
    def put_metric_data(self: CloudWatchBackend, namespace: str, metric_data: list) -> None:
        put(self, namespace, metric_data)
        evaluate_all(self)

    return put_metric_data


def _evaluated_first(respond: Wrapped) -> Wrapped:
    @functools.wraps(respond)
    def describe_alarms(self: CloudWatchResponse) -> Any:
        evaluate_all(self.cloudwatch_backend)
        return respond(self)

    return describe_alarms


def _holding(set_state: Wrapped) -> Wrapped:
    """A state set by SetAlarmState holds until the next minute (flow_semantics)."""

    @functools.wraps(set_state)
    def set_alarm_state(self: CloudWatchBackend, name: str, *args: Any) -> None:
        set_state(self, name, *args)
        setattr(self.alarms[name], _HELD, (time.time() // 60 + 1) * 60)

    return set_alarm_state


def evaluate_all(backend: CloudWatchBackend, now: float | None = None) -> None:
    """Evaluate every metric alarm of one account and Region at `now` (epoch seconds)."""
    now = time.time() if now is None else now
    by_metric = defaultdict(list)   # one pass over the data, however many alarms
    for datum in backend.metric_data:
        by_metric[(datum.namespace, datum.name)].append(datum)
    for alarm in list(backend.alarms.values()):
        if alarm.rule is None and getattr(alarm, _HELD, 0) <= now:
            evaluate_one(by_metric[(alarm.namespace, alarm.metric_name)], alarm, now)


def evaluate_one(data: list, alarm: MotoAlarm, now: float) -> None:
    """Set one alarm's state from its last evaluation range of complete periods, when it changes.

    data: moto's datums of the alarm's namespace and metric name (any dimensions); now: epoch seconds.
    """
    definition = _definition(alarm)
    if definition is None:
        return
    period = int(alarm.period)
    end = int(now // period * period)
    starts = [end - period * (definition.evaluation_range - i) for i in range(definition.evaluation_range)]
    points = _points(data, alarm)
    stats = [_statistic(alarm, [p for t, p in points if start <= t < start + period]) for start in starts]
    window = [value for value, _ in stats]
    if definition.min_samples is not None and window[-1] is not None and stats[-1][1] < definition.min_samples:
        return   # a percentile on too few samples leaves the state as it is [A6]
    state = decide(window, definition, State(alarm.state_value))
    if str(state) != alarm.state_value:
        reason = _reason(alarm, definition, window, starts, state)
        alarm.update_state(reason, _reason_data(alarm, window, starts, now), str(state))


def _definition(alarm: MotoAlarm) -> MetricAlarm | None:
    """The alarm in the evaluator's terms; None when the emulator does not evaluate it."""
    statistic = alarm.statistic or alarm.extended_statistic
    if alarm.metric_data_queries or not (statistic in SIMPLE or percentile(statistic) is not None):
        return None
    spec = {"ComparisonOperator": alarm.comparison_operator, "Threshold": alarm.threshold,
            "EvaluationPeriods": alarm.evaluation_periods, "DatapointsToAlarm": alarm.datapoints_to_alarm,
            "TreatMissingData": alarm.treat_missing_data, "Statistic": statistic,
            "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or None,
            "Namespace": alarm.namespace}
    try:
        return MetricAlarm.from_mapping({k: v for k, v in spec.items() if v is not None})
    except AlarmError:
        return None


def _points(data: list, alarm: MotoAlarm) -> list[tuple[float, Any]]:
    """(epoch seconds, datum) of the alarm's own metric: same dimension set and unit (flow_semantics)."""
    wanted = {(d.name, d.value) for d in alarm.dimensions}
    return [(_epoch(d.timestamp), d) for d in data
            if {(x.name, x.value) for x in d.dimensions} == wanted
            and (alarm.unit is None or d.unit == alarm.unit)]


def _statistic(alarm: MotoAlarm, data: list) -> tuple[float | None, float]:
    """(the period's statistic or None when it has no datapoint, its SampleCount)."""
    values = [d.value for d in data if isinstance(d, MetricDatum)]
    sets = [d for d in data if isinstance(d, MetricAggregatedDatum)]
    count = len(values) + sum(s.sample_count for s in sets)
    if not data:
        return None, 0.0
    total = sum(values) + sum(s.sum for s in sets)
    name = alarm.statistic or alarm.extended_statistic
    figures = {"Sum": lambda: total, "SampleCount": lambda: count,
               "Average": lambda: total / count if count else None,
               "Minimum": lambda: min(values + [s.min for s in sets]),
               "Maximum": lambda: max(values + [s.max for s in sets])}
    if name in figures:
        return figures[name](), count
    return _nearest_rank(sorted(values), float(percentile(name))), len(values)


def _nearest_rank(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (flow_semantics.PERCENTILE_BY_NEAREST_RANK)."""
    if not values:
        return None
    return values[max(0, math.ceil(fraction * len(values)) - 1)]


def _reason(alarm: MotoAlarm, definition: MetricAlarm, window: list, starts: list[int], state: State) -> str:
    """StateReason in CloudWatch's words (flow_semantics.REASON_ONLY_ON_A_CHANGE)."""
    n, m = definition.evaluation_periods, definition.datapoints_to_alarm
    recent = [(v, s) for v, s in zip(window, starts) if v is not None][-n:]
    if state == State.INSUFFICIENT_DATA:
        return f"Insufficient Data: {_count(n, 'datapoint')} {'was' if n == 1 else 'were'} unknown."
    treated = FILLED.get(alarm.treat_missing_data, alarm.treat_missing_data)
    if not recent:
        return (f"Threshold Crossed: no datapoints were received for {_count(n, 'period')} and "
                f"{_count(n, 'missing datapoint')} {'was' if n == 1 else 'were'} treated as [{treated}].")
    shown = [(v, s) for v, s in recent if definition.breaches(v) == (state == State.ALARM)]
    listed = ", ".join(f"{v!r} ({_when(s)})" for v, s in reversed(shown))
    verb = ("was" if len(shown) == 1 else "were") + ("" if state == State.ALARM else " not")
    phrase = f"{verb} {PHRASES[definition.comparison]} the threshold ({definition.threshold!r})"
    if n == 1:
        return f"Threshold Crossed: 1 datapoint [{listed}] {phrase}."
    filled = n - len(recent)
    missing = f"; {_count(filled, 'missing datapoint')} treated as [{treated}]" if filled else ""
    least = m if state == State.ALARM else n - m + 1
    return (f"Threshold Crossed: {len(shown)} out of the last {_count(n, 'datapoint')} [{listed}] {phrase}{missing}"
            f" (minimum {_count(least, 'datapoint')} for {alarm.state_value} -> {state} transition).")


def _reason_data(alarm: MotoAlarm, window: list, starts: list[int], now: float) -> str:
    """StateReasonData as CloudWatch writes it for a threshold alarm (version 1.0)."""
    return json.dumps({"version": "1.0", "queryDate": _iso(now), "startDate": _iso(starts[0]),
                       "statistic": alarm.statistic or alarm.extended_statistic, "period": int(alarm.period),
                       "recentDatapoints": [v for v in window if v is not None], "threshold": alarm.threshold})


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _epoch(stamp: datetime) -> float:
    """moto keeps naive UTC datetimes."""
    return stamp.replace(tzinfo=timezone.utc).timestamp()


def _when(seconds: int) -> str:
    """`dd/mm/yy HH:MM:SS`, the period start as CloudWatch's reasons show it."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%d/%m/%y %H:%M:%S")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
