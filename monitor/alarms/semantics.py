"""Every behaviour of alarm evaluation the AWS documentation leaves open, decided once and named here.

Each choice is one constant with its evidence and a test in tests/alarms/test_alarm_semantics.py
(same names, same order). Most are switches the evaluator reads; a few record a fixed decision.
Where a choice is marked UNVERIFIED only a real account (put data, watch DescribeAlarmHistory) can
settle it; the choice follows the best public evidence. What AWS documents plainly (the rules of
[A3], the tables, the low-sample formula of [A5]) is in monitor/alarms/evaluation.py, not here.

SOURCES - the [A#] tags used in monitor/alarms/ and tests/alarms/:

[A1]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
      (also #alarm-states; today split out as .../monitoring/alarm-evaluation.html)
[A2]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
      (today .../monitoring/alarms-and-missing-data.html)
[A3]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data
      - the rules and both tables; archived Markdown: https://github.com/awsdocs/
      amazon-cloudwatch-user-guide/blob/b35549706cab03cdcd0a8df9956a2381c0315642/doc_source/AlarmThatSendsEmail.md
[A4]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#CloudWatch-alarms-avoiding-premature-transition
[A5]  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#percentiles-with-low-samples
[A6]  EvaluateLowSampleCountPercentile in botocore's cloudwatch model (botocore/data/cloudwatch/
      2010-08-01/service-2.json); the same text on
      https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
[A7]  The 2019 page, with rows `- - - - X` and `X - - - -`: https://github.com/awsdocs/
      amazon-cloudwatch-user-guide/blob/72266c733fe0d9f183ca8e7b1120869691b0fc6e/doc_source/AlarmThatSendsEmail.md
      (row added by https://github.com/awsdocs/amazon-cloudwatch-user-guide/pull/13)
[A8]  The 2020 page, where the M-of-N rule said "at least as old as the value of Evaluation Periods":
      https://github.com/awsdocs/amazon-cloudwatch-user-guide/blob/
      8fd68ecbb1f2631f6c7e29776a255f125a61841a/doc_source/AlarmThatSendsEmail.md
[A9]  https://github.com/awsdocs/amazon-cloudwatch-user-guide/issues/129 (the premature-transition
      prose contradicts the 2-of-3 table), .../issues/102 (how the evaluation range is sized:
      never answered), .../pull/36 (a maintainer: "The table is correct as is")
"""

from __future__ import annotations

from fractions import Fraction

from monitor.alarms.state import State

# --- Time ----------------------------------------------------------------------------------

INITIAL_STATE = State.INSUFFICIENT_DATA
"""A new alarm is INSUFFICIENT_DATA: "The alarm has just started" [A1]. Documented."""

EVALUATIONS_PER_PERIOD = 1
"""One evaluation at the end of each period of the series. CloudWatch evaluates every minute over a
sliding window (every 10 s for 10 s and 30 s periods) [A1]; a series with one value a period cannot
show the minutes in between, so a state between two period ends is not modelled. A fixed decision."""

BEFORE_SERIES = None
"""Periods before the first value of the series are missing: the series starts when the metric does.
[A1] says a new alarm reads data published before it was created; put that data at the head of the
series to model it. UNVERIFIED that nothing else (the alarm's creation time) shortens the range."""

# --- The evaluation range ------------------------------------------------------------------

EXTRA_RANGE_PERIODS = 2
"""The evaluation range is EvaluationPeriods + 2 periods unless an alarm states `evaluation_range`.

UNVERIFIED. [A3] says only that CloudWatch retrieves "a higher number of data points" than N,
depending on "the length of the alarm period" and the resolution; its one example is N = 3 with a
range of 5. Issue #102 asking for the rule was closed unanswered [A9]. N + 2 reproduces every
documented row; set `evaluation_range` on the alarm to test another size.
"""

# --- Missing data --------------------------------------------------------------------------

MISSING_UNDECIDED_STATE = State.INSUFFICIENT_DATA
"""With treat_missing_data `missing`, fewer than N real points, none of them non-breaching and too
few or too recent to alarm (`- - - - X`, 3 of 3 or 2 of 3), the state is INSUFFICIENT_DATA.

The 2018-2020 tables say so for both alarms [A7]; today's page dropped those rows and says only that
the alarm "does not go immediately into ALARM state" [A4]. UNVERIFIED for today's service. The
all-missing range is documented: INSUFFICIENT_DATA [A2][A3].
"""

PREMATURE_TREATMENTS = frozenset({"missing"})
"""The premature-alarm rule [A4] (an old enough breach followed only by missing points alarms) applies
only when missing data is treated as `missing`. Row 5 of both tables [A3]: IGNORE retains the state,
NOT BREACHING is OK, BREACHING alarms anyway. Documented by the tables, not by the prose."""

PREMATURE_AGE_IN_RANGE = True
"""The breach's age is counted over the whole evaluation range, newest period = age 1.

[A4]'s first paragraph looks "during the Evaluation Periods number of data points", its M-of-N
paragraph "during the evaluation range" (issue #129 [A9] notes the mix-up). The range wins: the
2019 table alarms on `X - - - -` (3 of 3, `missing`) with the breach at age 5 [A7], and [A3]'s
note says alarms re-evaluate "the last set of data points" after a metric stops. False = only the
last N periods are searched.
"""

PREMATURE_BLOCKED_BY_ANY_OK_POINT = True
"""A non-breaching real point anywhere in the range blocks the premature ALARM, not only a newer one.

DISPUTED. [A4]'s prose asks only that "all of the more recent data points are either breaching or
missing", which makes `0 - X - -` (2 of 3, `missing`) ALARM; the 2-of-3 table in [A3] says OK, and
the 2019 text explained its premature row by "there aren't any non-breaching data points" [A7].
Issue #129 reports the same contradiction [A9]; a maintainer called the table "correct as is" (PR
#36). The tables are followed. False = the literal prose (only newer points block).
"""

ALWAYS_IGNORE_NAMESPACES = frozenset({"AWS/DynamoDB"})
"""Alarms on these namespaces "always ignore missing data even if you choose a different option"
[A2]. Documented; applied when the alarm names its namespace."""

# --- Percentiles with low samples ----------------------------------------------------------

LOW_SAMPLE_PER_PERIOD = True
"""Each period's own SampleCount decides whether it is a low sample, as the API reference puts it:
"the alarm state does not change during periods with too few data points" [A6]. The user guide
counts "data points during the evaluation period" [A5], which could mean summed over N periods.
UNVERIFIED; a fixed decision (sample_counts has one count a period)."""

LOW_SAMPLE_KEEPS_DATAPOINT = True
"""Under `ignore`, a low-sample period leaves the state unchanged [A6], but its value still counts as
a real datapoint in later evaluations (UNVERIFIED: it could instead count as missing). False = a
low-sample value is treated as missing from then on."""

EXACT_PERCENTILES = frozenset({Fraction(0), Fraction(1)})
"""p0 and p100 (the minimum and maximum) are never low samples: [A5]'s ranges are 0.5 (inclusive)
to 1 (exclusive) and 0 to 0.5 (exclusive), 10/(1-1) has no value, and one sample gives an exact
minimum. UNVERIFIED."""

# --- Definitions -------------------------------------------------------------------------------

UNSUPPORTED_COMPARISONS = frozenset({
    "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold",
})
"""Anomaly-detection comparisons need the band CloudWatch's model draws; they are refused with a
message, not guessed. A fixed decision."""
