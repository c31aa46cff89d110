"""Every behaviour of the emulator's data flow (log events -> metric data -> alarm state) that AWS
leaves open, decided once and named here.

Each constant is either DOCUMENTED (with its source) or a CHOICE (what AWS does is not written
down, or cannot be shown by an emulator that is not a clock-driven service). The code reading
them: monitor/offline/replay.py (what a filter publishes), monitor/emulator/logmetrics.py (the
emulator's PutLogEvents) and monitor/emulator/alarmstate.py (the emulator's alarm states).

SOURCES
[F1] CloudWatch Logs User Guide, "Creating metrics from log events using filters", Concepts:
     https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html
[F2] MetricTransformation, CloudWatch Logs API Reference:
     https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
[F3] CloudWatch concepts, Dimensions: "CloudWatch treats each unique combination of dimensions as
     a separate metric": https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html
[F4] SetAlarmState, CloudWatch API Reference ("Temporarily sets the state of an alarm"):
     https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
[F5] PutMetricAlarm, CloudWatch API Reference (Unit: "only the metric data points with the
     specified unit" are evaluated): https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
The alarm rules themselves ([A1]-[A9]) are monitor/alarms/semantics.py's.
"""

from __future__ import annotations

# --- What a metric filter publishes --------------------------------------------------------

VALUE_AT_EVENT_TIME = True
"""DOCUMENTED in substance [F1]: each matching event publishes the transformation's value (a number
or the event's `$field`/`$.x`) into the transformation's namespace and metric, with its unit and
dimensions, timestamped with the event's own timestamp. A match whose value field is missing or
not a number publishes nothing (CHOICE: AWS does not say)."""

DEFAULT_ONCE_A_MINUTE = True
"""CHOICE. defaultValue is "the value reported to the metric filter during a period when logs are
ingested but no matching logs are found ... If no logs are ingested during a one-minute period,
then no value is reported" [F1]. The API reference words it per event: "The value to emit when a
filter pattern does not match a log event" [F2]. The user guide is followed: one datapoint of the
default value, timestamped at the start of the minute, for each UTC clock minute in which the log
group received events and the filter published nothing. False is not offered."""

DEFAULT_WITHDRAWN_BY_A_LATER_MATCH = True
"""CHOICE. AWS aggregates a minute before it publishes, so a minute either has matches or the
default, never both. The emulator publishes at PutLogEvents time, so when a later PutLogEvents
brings the first match of a minute whose default was already published, that default datapoint
is withdrawn; a default is never published for a minute that already has a match."""

# --- When the emulator evaluates alarms ----------------------------------------------------

EVALUATE_ON_READ_AND_WRITE = True
"""CHOICE. CloudWatch evaluates each alarm every minute [A1]. The emulator has no clock of its own:
it evaluates every metric alarm of the account and Region when metric data arrives (PutMetricData,
or a metric filter publishing) and before it answers DescribeAlarms, so a reader sees the state a
minute-by-minute evaluation would have reached by then."""

COMPLETE_PERIODS_ONLY = True
"""CHOICE. An evaluation reads the alarm's evaluation range (monitor/alarms/semantics.py sizes it)
of whole periods aligned to the epoch, ending at the last period boundary at or before now: data
in the period still running is not evaluated until it ends."""

EXACT_DIMENSIONS = True
"""DOCUMENTED [F3][F5]: an alarm reads only the datapoints whose namespace, metric name and
dimension set equal its own (the order of dimensions does not matter), and, when it names a Unit,
only those with that unit. (moto's own reads match any superset of the dimensions.)"""

PERCENTILE_BY_NEAREST_RANK = True
"""CHOICE. A pNN statistic is the nearest-rank percentile of the period's single values;
CloudWatch's percentiles are approximations of the same. Datapoints sent as StatisticValues carry
no values to rank and are left out of percentiles. Alarms on other extended statistics (tm99,
IQM, ...), on metric math, or with an anomaly-detection comparison are not evaluated: their state
stays as it is."""

SET_STATE_HOLDS_UNTIL_NEXT_MINUTE = True
"""CHOICE. SetAlarmState sets a state "temporarily" [F4], until the alarm's next evaluation. With
evaluations once a minute [A1], the state set holds until the next minute boundary; after it, the
next evaluation sets the state the data gives."""

REASON_ONLY_ON_A_CHANGE = True
"""CHOICE. StateValue, StateReason, StateReasonData and StateUpdatedTimestamp change (and an
alarm history item is written) only when an evaluation changes the state. The reason follows the
wording CloudWatch writes ("Threshold Crossed: 3 out of the last 5 datapoints [...] were greater
than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition)."); the wording for
filled or missing datapoints is approximate."""
