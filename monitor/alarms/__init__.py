"""CloudWatch metric-alarm evaluation in pure Python (no AWS): the twin of monitor.patterns.

    >>> evaluate([1, 0, 12, 15, 30, None, 40], {"comparison": ">", "threshold": 10,
    ...          "evaluation_periods": 5, "datapoints_to_alarm": 3})[-1]
    <State.ALARM: 'ALARM'>

Undocumented behaviour is decided in monitor.alarms.semantics, whose SOURCES list resolves the [A#]
tags used throughout this package.
"""

from monitor.alarms.definition import MetricAlarm
from monitor.alarms.errors import AlarmError
from monitor.alarms.evaluation import decide, evaluate
from monitor.alarms.state import State

__all__ = ["MetricAlarm", "AlarmError", "State", "decide", "evaluate"]
