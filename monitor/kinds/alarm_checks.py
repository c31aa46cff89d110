"""PutMetricAlarm's and PutCompositeAlarm's rules, checked offline over every container's `alarms:`. Pure.

Sources: the PutMetricAlarm API reference (Period, EvaluationPeriods, DatapointsToAlarm,
ExtendedStatistic, the 7-day and 1-day evaluation windows, Metrics), the MetricDataQuery reference
(Id, ReturnData, 20 queries of which at most 10 metrics and 10 expressions), the PutCompositeAlarm
reference (AlarmRule, its 100 children and 500 elements) and botocore's cloudwatch model (AlarmName,
AlarmDescription, AlarmRule, MetricId and MetricExpression lengths, Dimensions, ResourceList, the 5
actions of a state), read in monitor/quotas.py
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).

An entry is one of three alarms, told by its keys: `alarm_rule` makes a composite alarm,
`metrics` a metric-math alarm, and otherwise `metric` names the one metric it watches. Keys that
belong to another type are errors at the key, never ignored.
"""

from __future__ import annotations

import math
import re

from monitor import quotas
from monitor.alarms import AlarmError, published, ranges
from monitor.alarms import actions as action_arns
from monitor.alarms import rule as alarm_rule
from monitor.alarms.definition import percentile
from monitor.alarms.rule import RuleError
from monitor.config.model import BAND_COMPARISONS, Alarm, Config, MetricQuery
from monitor.config.walk import Place
from monitor.kinds import alarm_spec
from monitor.problems import ERROR, WARNING, Check, Path, Problem
from monitor.resolved import composites
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved.metrics import Metric, NoMetric
from monitor.resolved.model import Model
from monitor.resolved.thresholds import limited_field, percent

MAX_ACTIONS = quotas.ALARM_ACTIONS
MAX_NAME = quotas.ALARM_NAME
MAX_DESCRIPTION = quotas.ALARM_DESCRIPTION
HIGH_RESOLUTION = (10, 20, 30)   # "Valid values are 10, 20, 30, and any multiple of 60" (Period)
DAY, WEEK, HOUR = 86_400, 7 * 86_400, 3_600
NAMESPACE = re.compile(rf"[^:].{{0,{quotas.ALARM_NAMESPACE - 1}}}", re.DOTALL)
# ExtendedStatistic's other forms (CloudWatch User Guide, "CloudWatch statistics definitions",
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html):
# tm99, wm90, tc90, ts90, TM(10%:90%), TM(10:500), WM(...), TC(...), TS(...), PR(:300), IQM.
NUMBER = r"\d+(\.\d+)?"
EXTENDED = re.compile(rf"(tm|wm|tc|ts){NUMBER}|(TM|WM|TC|TS|PR)\(({NUMBER}%?)?:({NUMBER}%?)?\)|IQM")
# MetricDataQuery Id: "The valid characters are letters, numbers, and underscore. The first character
# must be a lowercase letter."
METRIC_ID = re.compile(r"[a-z][A-Za-z0-9_]*")
# A metric math expression's tokens: strings, numbers (1e3 is one), words; a word starting with a
# lower-case letter that is not called like a function is an id (functions are METRICS, FILL, IF, ...).
EXPRESSION_TOKEN = re.compile(r"""\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"""
                              r"""|(?P<word>[A-Za-z_][A-Za-z0-9_]*)(?P<call>\s*\()?|.""")
SINGLE_KEYS = ("metric", "namespace", "dimensions", "stat", "period", "unit")   # an alarm on one metric
COMPOSITE_KEYS = ("name", "alarm_rule", "description", "actions", "ok_actions", "insufficient_data_actions",
                  "actions_enabled")
QUERY_METRIC_KEYS = ("metric", "namespace", "dimensions", "stat", "period", "unit")

Found = tuple   # (check, key path, message), or with a 1-based offset into the value

_ALARM, _COMPOSITE = quotas.PUT_METRIC_ALARM_DOC, quotas.PUT_COMPOSITE_ALARM_DOC
REQUIRED = Check("ALM-010", ERROR, "a metric alarm without its metric, comparison or threshold", source=_ALARM)
NAME = Check("ALM-011", ERROR, "an alarm name AWS does not allow (blank, control characters, too long)", source=_ALARM)
METRIC = Check("ALM-012", ERROR, "a namespace CloudWatch does not allow", source=_ALARM)
NO_METRIC = Check("ALM-013", ERROR, "an alarm on a metric the container does not produce, or not found")
DIMENSIONS = Check("ALM-014", ERROR, "dimensions CloudWatch does not allow", source=quotas.DIMENSION_DOC)
UNIT = Check("ALM-015", ERROR, "a unit that is not a CloudWatch unit", source=_ALARM)
LOW_SAMPLES = Check("ALM-016", ERROR, "evaluate_low_sample_count_percentiles on an alarm not on a percentile",
                    source=_ALARM)
STATISTIC = Check("ALM-017", ERROR, "a statistic CloudWatch does not know", source=quotas.STATISTICS_DOC)
PERIOD = Check("ALM-018", ERROR, "a period other than 10, 20, 30 or a multiple of 60 seconds", source=_ALARM)
WINDOW = Check("ALM-019", ERROR, "an evaluation window longer than AWS allows", source=_ALARM)
M_OF_N = Check("ALM-020", ERROR, "datapoints_to_alarm above evaluation_periods", source=_ALARM)
THRESHOLD = Check("ALM-021", ERROR, "a threshold that is not a finite number or a usable share of a limit",
                  source=_ALARM)
ACTIONS = Check("ALM-022", ERROR, "more actions a state than AWS allows", source=_ALARM)
ACTION = Check("ALM-023", ERROR, "an action that is not an ARN in the alarm's own Region", source=_ALARM)
ACTION_SERVICE = Check("ALM-028", WARNING, "an action of a service PutMetricAlarm does not list", source=_ALARM)
DESCRIPTION = Check("ALM-024", ERROR, "a description longer than AWS allows", source=_ALARM)
NAME_TAKEN = Check("ALM-025", ERROR, "a metric and a composite alarm of one name in a container", source=_ALARM)
CROSSED = Check("ALM-026", ERROR, "a threshold no datapoint can cross, or every datapoint crosses",
                ignorable=True)
BAND = Check("ALM-027", ERROR, "an anomaly-detection alarm AWS refuses: comparison, band entry or threshold",
             source=_ALARM)
PUBLISHED = Check("ALM-029", WARNING, "a metric AWS never publishes so, not for Fargate, or only with enhanced "
                  "Container Insights")
MATH = Check("ALM-030", ERROR, "metric math AWS refuses: keys, or the number of metrics and expressions",
             source=quotas.METRIC_DATA_QUERY_DOC)
QUERY = Check("ALM-031", ERROR, "a metric math entry AWS refuses: its id, metric or expression",
              source=quotas.METRIC_DATA_QUERY_DOC)
RETURNED = Check("ALM-032", ERROR, "metric math in which not exactly one entry returns data", source=_ALARM)
CYCLE = Check("ALM-033", ERROR, "a metric math expression that uses its own result", source=quotas.METRIC_MATH_DOC)
MATH_REGIONS = Check("ALM-034", ERROR, "metric math on metrics of several Regions", source=_ALARM)
COMPOSITE_KEYS_CHECK = Check("CMP-001", ERROR, "a key a composite alarm does not take", source=_COMPOSITE)
COMPOSITE_ACTION = Check("CMP-002", ERROR, "an EC2 or Auto Scaling action on a composite alarm", source=_COMPOSITE)
RULE = Check("CMP-003", ERROR, "an alarm rule that does not parse, or names no alarm of the container",
             source=_COMPOSITE)
ELSEWHERE = Check("CMP-004", WARNING, "an alarm rule naming an alarm outside this config", source=_COMPOSITE)
RULE_CYCLE = Check("CMP-005", ERROR, "composite alarms that name each other in a loop", source=_COMPOSITE)
RULE_LIMITS = Check("CMP-006", ERROR, "an alarm rule past AWS's limits (alarms, elements, length)", source=_COMPOSITE)
RULE_REGIONS = Check("CMP-007", ERROR, "a composite alarm naming alarms of another Region", source=_COMPOSITE)
CHECKS = (REQUIRED, NAME, METRIC, NO_METRIC, DIMENSIONS, UNIT, LOW_SAMPLES, STATISTIC, PERIOD, WINDOW, M_OF_N,
          THRESHOLD, ACTIONS, ACTION, ACTION_SERVICE, DESCRIPTION, NAME_TAKEN, CROSSED, BAND, PUBLISHED, MATH, QUERY, RETURNED, CYCLE, MATH_REGIONS,
          COMPOSITE_KEYS_CHECK, COMPOSITE_ACTION, RULE, ELSEWHERE, RULE_CYCLE, RULE_LIMITS, RULE_REGIONS)


def check(model: Model) -> list[Problem]:
    """Every rule every alarm of every container breaks, each at its key.

    Two alarms of one type and name in a container make one AWS alarm twice: plan.duplicates says so;
    a metric and a composite alarm of one name are reported here.
    """
    found, config = [], model.config
    for place in model.places:
        named = composites.siblings(place)
        for number, alarm in enumerate(place.container.alarms):
            at = place.path + ("alarms", number)
            found += [item[0].problem(at + item[1], item[2], offset=item[3] if len(item) > 3 else None)
                      for item in _alarm(config, place, alarm, named)]
            first = named[alarm.name]
            if first is not alarm and first.composite != alarm.composite:
                found.append(NAME_TAKEN.problem(at + ("name",), f"alarm name '{alarm.name}' is taken by another alarm of this "
                                                     "container; CloudWatch has one alarm a name, metric or composite"))
    return found


def _alarm(config: Config, place: Place, alarm: Alarm, named: dict[str, Alarm]) -> list[Found]:
    region = _region(config, place, alarm, named)
    found = _name(config, place, alarm) + _actions(alarm, region) + _description(alarm)
    if alarm.composite:
        return found + _composite(config, place, alarm, named)
    found += _required(alarm) + _m_of_n(alarm) + _threshold(place, alarm) + _low_samples(alarm) + _band(alarm)
    if alarm.metrics is not None:
        return found + _math(config, place, alarm)
    return (found + _metric(config, place, alarm) + _crossed(config, place, alarm) + _unit(alarm.unit, ("unit",))
            + _statistic(alarm.stat, ("stat",))
            + _period(alarm.period, ("period",)) + _window(alarm, alarm.period))


def _region(config: Config, place: Place, alarm: Alarm, named: dict[str, Alarm]) -> str | None:
    """The Region the alarm is made in, by name: its metrics' (log_region) or else the config's."""
    regions = composites.regions(config, place, alarm.name, named) if named.get(alarm.name) is alarm else set()
    here = next(iter(regions)) if len(regions) == 1 else None
    return here or config.region


def _required(alarm: Alarm) -> list[Found]:
    """A metric alarm needs its metric (or metrics), a comparison and a threshold (or a band)."""
    needed = ("comparison",) if alarm.threshold_metric_id is not None else ("comparison", "threshold")
    missing = [key for key in needed if getattr(alarm, key) is None]
    found: list[Found] = [(REQUIRED, (), f"required key '{key}' is missing") for key in missing]
    if alarm.metric is None and alarm.metrics is None:
        found.append((REQUIRED, (), "required key 'metric' is missing: an alarm watches a 'metric', metric math "
                          "('metrics'), or other alarms ('alarm_rule')"))
    return found


def _name(config: Config, place: Place, alarm: Alarm) -> list[Found]:
    """AlarmName: 1-255 characters (botocore cloudwatch model); ours adds the prefix and the owner."""
    full = alarm_metrics.alarm_name(config, place, alarm)
    if not alarm.name.strip():
        return [(NAME, ("name",), "an alarm name cannot be empty or blank")]
    if any(ord(char) < 32 or ord(char) == 127 for char in alarm.name):   # PutMetricAlarm AlarmName
        return [(NAME, ("name",), "an alarm name can't contain ASCII control characters (PutMetricAlarm)")]
    if len(full) > MAX_NAME:
        return [(NAME, ("name",), f"the alarm name '{full}' is {len(full)} characters; AWS allows at most {MAX_NAME}")]
    return []


def _metric(config: Config, place: Place, alarm: Alarm) -> list[Found]:
    """The metric must be one this container produces, unless `namespace` names one published
    elsewhere (AWS/..., ECS/ContainerInsights, CWAgent, ...)."""
    return [] if alarm.metric is None else _names_metric(config, place, alarm, ())


def _names_metric(config: Config, place: Place, source: Alarm | MetricQuery, at: Path) -> list[Found]:
    """A namespace is any CloudWatch takes, 1-255 characters not starting with ':' (botocore
    cloudwatch model, Namespace); the metric must resolve; dimensions as CloudWatch takes them."""
    if source.namespace is not None and not NAMESPACE.fullmatch(source.namespace):
        return [(METRIC, at + ("namespace",), f"'{source.namespace}' is not a namespace: 1-{quotas.ALARM_NAMESPACE} "
                                      "characters, not starting with ':'")]
    found = alarm_metrics.resolve(config, place, source)
    if isinstance(found, NoMetric):
        return [(NO_METRIC, at + (found.key,), found.message)]
    return _dimensions(source.dimensions or {}, at + ("dimensions",)) + _published(config, place, found, at)


def _published(config: Config, place: Place, metric: Metric, at: Path) -> list[Found]:
    """A warning for a metric AWS never publishes with these dimensions, or not for Fargate, or only with
    enhanced Container Insights (monitor/alarms/published.py); the config's clusters run on Fargate."""
    mode = place.cluster.container_insights if place.cluster.container_insights in ("enabled", "enhanced") else None
    verdict = published.judge(metric.namespace, metric.name, {name for name, _ in metric.dimensions}, True, mode)
    if verdict is None:
        return []
    key = "namespace" if verdict.fix.startswith("namespace") else "dimensions" if "dimensions" in verdict.fix else "metric"
    return [(PUBLISHED, at + (key,), f"{verdict.message}; fix: {verdict.fix}")]


def _crossed(config: Config, place: Place, alarm: Alarm) -> list[Found]:
    """A number threshold no datapoint can cross, or every one crosses (monitor/alarms/ranges.py): the
    rule `review` calls an error (ALARM-THRESHOLD-001 and -002), said here first."""
    if isinstance(alarm.threshold, str) or alarm.threshold is None or alarm.comparison not in alarm_spec.COMPARISONS:
        return []
    metric = alarm_metrics.resolve(config, place, alarm)
    if not isinstance(metric, Metric) or not math.isfinite(alarm.threshold):
        return []
    aws = metric.namespace.startswith("AWS/") or metric.namespace in (alarm_metrics.INSIGHTS, "ContainerInsights")
    made = next((item for item in place.container.filters if item.metric == alarm.metric), None) \
        if alarm.namespace is None else None
    unsigned = metric.namespace in (alarm_metrics.INSIGHTS, "ContainerInsights", "AWS/ECS") or (
        _unsigned(made.value or "1") if made is not None else alarm.namespace is None)
    low, high = ranges.metric_range(metric.namespace, metric.name, alarm.stat, alarm.unit, unsigned, aws)
    said = ranges.crossing(alarm.comparison, float(alarm.threshold), low, high)
    if said is None:
        return []
    return [(CROSSED, ("threshold",), f"{alarm.stat} {alarm.comparison} {alarm.threshold:g} on {metric.name}, {said[1]}")]


def _unsigned(value: str) -> bool:
    """A filter's `value` that is a number >= 0 (`1`, `0.5`); a `$.selector` may be anything."""
    try:
        return float(value) >= 0
    except ValueError:
        return False


def _dimensions(dimensions: dict[str, str], at: Path) -> list[Found]:
    """At most 30; names and values ASCII with a non-blank character, a name not starting with ':',
    a value of at most 1024 characters (botocore cloudwatch model, Dimension)."""
    if len(dimensions) > quotas.ALARM_DIMENSIONS:
        return [(DIMENSIONS, at, f"{len(dimensions)} dimensions; a metric has at most {quotas.ALARM_DIMENSIONS}")]
    found: list[Found] = []
    for name, value in dimensions.items():
        if not name.strip() or not name.isascii() or name.startswith(":"):
            found.append((DIMENSIONS, at + (name,), f"dimension name '{name}': ASCII, not blank, not starting with ':'"))
        elif not value.strip() or not value.isascii() or len(value) > quotas.ALARM_DIMENSION_VALUE:
            found.append((DIMENSIONS, at + (name,), f"dimension value '{value}': 1-{quotas.ALARM_DIMENSION_VALUE} ASCII "
                                        "characters, not blank"))
    return found


def _unit(unit: str | None, at: Path) -> list[Found]:
    """PutMetricAlarm Unit and MetricStat.Unit are one of CloudWatch's StandardUnit values (botocore
    cloudwatch model)."""
    units = quotas.units("cloudwatch")
    if unit is None or unit in units:
        return []
    return [(UNIT, at, f"'{unit}' is not a CloudWatch unit; allowed: {', '.join(units)}")]


def _low_samples(alarm: Alarm) -> list[Found]:
    """EvaluateLowSampleCountPercentile is "used only for alarms based on percentiles" (PutMetricAlarm,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html): the
    alarm's `stat`, or that of the metric a metric-math alarm watches, is a percentile (p99, p99.9)."""
    if alarm.evaluate_low_sample_count_percentiles is None:
        return []
    stat = alarm.stat
    if alarm.metrics is not None:
        watched = {query.id: query for query in alarm.metrics}.get(alarm_metrics.returned(alarm.metrics) or "")
        stat = watched.stat if watched is not None and watched.expression is None else None
    try:
        if stat is not None and percentile(stat) is not None:
            return []
    except AlarmError:
        pass
    return [(LOW_SAMPLES, ("evaluate_low_sample_count_percentiles",), "only for an alarm on a percentile (stat: p99, say): "
                                                         "PutMetricAlarm uses it only for percentiles")]


def _statistic(stat: str, at: Path) -> list[Found]:
    """Statistic is one of five; ExtendedStatistic a percentile p0-p100 or another form (PutMetricAlarm)."""
    if stat in alarm_spec.STATISTICS or EXTENDED.fullmatch(stat):
        return []
    try:
        if percentile(stat) is not None:
            return []
    except AlarmError:
        pass
    return [(STATISTIC, at, f"'{stat}' is not a statistic; allowed: {', '.join(alarm_spec.STATISTICS)}, "
                 "a percentile such as p99 or p99.9, or another extended statistic (tm99, TM(10%:90%), IQM)")]


def _period(period: int, at: Path) -> list[Found]:
    """Period 10, 20, 30 or a multiple of 60 (PutMetricAlarm API reference)."""
    if period not in HIGH_RESOLUTION and (period <= 0 or period % 60):
        return [(PERIOD, at, f"period {period}: AWS allows 10, 20, 30 or a multiple of 60 seconds")]
    return []


def _window(alarm: Alarm, period: int) -> list[Found]:
    """Period x EvaluationPeriods at most 7 days, or 1 day when Period is under an hour (PutMetricAlarm)."""
    window, limit = period * alarm.evaluation_periods, (DAY if period < HOUR else WEEK)
    if period > 0 and window > limit:
        return [(WINDOW, ("evaluation_periods",), f"period x evaluation_periods is {window} s; AWS allows at most "
                 f"{limit} s ({'1 day when the period is under an hour' if limit == DAY else '7 days'})")]
    return []


def _m_of_n(alarm: Alarm) -> list[Found]:
    """DatapointsToAlarm at most EvaluationPeriods (PutMetricAlarm API reference)."""
    if alarm.datapoints_to_alarm is not None and alarm.datapoints_to_alarm > alarm.evaluation_periods:
        return [(M_OF_N, ("datapoints_to_alarm",), f"{alarm.datapoints_to_alarm} is more than evaluation_periods "
                                           f"({alarm.evaluation_periods}): M of N needs M <= N")]
    return []


def _threshold(place: Place, alarm: Alarm) -> list[Found]:
    """Threshold is a double; `N%` is a share of the container's CPU or memory limit, read at plan time
    from the service's task definition (monitor/resolved/thresholds.py)."""
    if alarm.threshold is None:
        return []   # _required says so
    if not isinstance(alarm.threshold, str):   # PutMetricAlarm's Threshold is a double; NaN never settles
        return [] if math.isfinite(alarm.threshold) else [(THRESHOLD, ("threshold",), f"{alarm.threshold} is not a finite number")]
    if alarm.tests:
        return [(THRESHOLD, ("tests",), f"'{alarm.threshold}' becomes a number only at plan time, from the task definition; "
                             "alarm tests need a number threshold")]
    share = percent(alarm.threshold)
    if share is None:
        return [(THRESHOLD, ("threshold",), f"'{alarm.threshold}' is not a number, nor a share of a limit such as 90%")]
    field = limited_field(alarm.metric)
    storage = field == "storage" and alarm.namespace == alarm_metrics.INSIGHTS
    if alarm.metrics is not None or field is None or (alarm.namespace is not None and not storage):
        return [(THRESHOLD, ("threshold",), f"'{alarm.threshold}': a share of the container's limit needs a CPU or memory "
                                 "metric of this container (CpuUtilized, MemoryUtilized), or the task's "
                                 "EphemeralStorageUtilized (namespace ECS/ContainerInsights); give a number")]
    if not place.service.task_definition:
        return [(THRESHOLD, ("threshold",), f"'{alarm.threshold}' is a share of the container's limit, which comes from a "
                                 f"task definition: give service '{place.service.name}' its task_definition")]
    return [] if share > 0 else [(THRESHOLD, ("threshold",), f"'{alarm.threshold}': a share above 0% of the limit")]


EXAMPLE_BAND = "ANOMALY_DETECTION_BAND(m1, 2)"   # shown only where the config has no band of its own


def _band(alarm: Alarm) -> list[Found]:
    """Anomaly detection as AWS takes it (PutMetricAlarm ThresholdMetricId and ComparisonOperator): the
    three band comparisons go with `threshold_metric_id` and only with it; it names the `metrics` entry
    `ANOMALY_DETECTION_BAND(m1, N)` around a metric entry of the alarm; and it takes no `threshold`
    (PutMetricAlarm Threshold: "should not be used for alarms based on anomaly detection models"), nor
    does a band expression go with a static threshold: it is watched through `threshold_metric_id`.
    AWS's refusals, and the emulator's: monitor/emulator/bands.py."""
    band_comparison = alarm.comparison in BAND_COMPARISONS
    entries = [query for query in alarm.metrics or [] if alarm_metrics.band_of(query.expression)]
    bands = [query.id for query in entries]
    if alarm.threshold_metric_id is None:
        if band_comparison:
            return [(BAND, ("comparison",), f"{alarm.comparison} compares with an anomaly-detection band: give "
                                      f"threshold_metric_id, {_band_entry(entries)}")]
        if bands:
            return [(BAND, ("threshold",), f"metrics entry '{bands[0]}' is an anomaly-detection band: an alarm on it gives "
                                     f"threshold_metric_id: {bands[0]} and a band comparison "
                                     f"({', '.join(BAND_COMPARISONS)}), not a static threshold")]
        return []
    found: list[Found] = []
    if not band_comparison:
        found.append((BAND, ("comparison",), f"an alarm on an anomaly-detection band compares with "
                                       f"{', '.join(BAND_COMPARISONS)}; got '{alarm.comparison}'"))
    if alarm.threshold is not None:
        found.append((BAND, ("threshold",), "an alarm with threshold_metric_id takes no threshold: the band is its threshold"))
    if alarm.tests:
        found.append((BAND, ("tests",), "an anomaly-detection alarm cannot be tested offline: its band is CloudWatch's model"))
    if alarm.metrics is None:
        return found + [(BAND, ("threshold_metric_id",), "give 'metrics': the metric and a band over it, e.g. "
                                                         f"{EXAMPLE_BAND}")]
    if alarm.threshold_metric_id not in bands:
        found.append((BAND, ("threshold_metric_id",), f"'{alarm.threshold_metric_id}' is no ANOMALY_DETECTION_BAND entry of "
                                                f"'metrics' (bands: {', '.join(bands) or 'none'})"))
    elif not alarm_metrics.returning_ids(alarm):
        found.append((BAND, ("threshold_metric_id",), f"band '{alarm.threshold_metric_id}' is drawn around no metric entry "
                                                "of this alarm"))
    return found


def _band_entry(entries: list) -> str:
    """The band entry threshold_metric_id names: the config's own, quoted as written, or an example."""
    if not entries:
        return f"the id of a metrics entry such as {EXAMPLE_BAND} (there is none yet)"
    quoted = " or ".join(f"'{query.id}' ({query.expression.strip()})" for query in entries)
    return f"the id of the metrics entry that draws the band: {quoted}"


# --- metric math ------------------------------------------------------------------------------

def _math(config: Config, place: Place, alarm: Alarm) -> list[Found]:
    """`metrics` replaces the alarm's own metric keys; its entries are PutMetricAlarm's Metrics."""
    found: list[Found] = [(MATH, (key,), f"'{key}' does not go with 'metrics': each metrics entry names its own "
                                   "metric, stat and period") for key in SINGLE_KEYS if key in alarm.model_fields_set]
    queries = alarm.metrics or []
    if not queries:
        return found + [(MATH, ("metrics",), "give at least one entry: the metrics and expressions the alarm uses")]
    metrics = [query for query in queries if query.expression is None]
    expressions = [query for query in queries if query.expression is not None]
    if not metrics and not any(alarm_metrics.insights_query(query.expression) for query in queries):
        # An expression with no metric under it needs a Period of its own, which AWS otherwise refuses
        # ("Period must not be null"): ecs-monitor sends one only with a Metrics Insights query (SELECT ...).
        found.append((MATH, ("metrics",), "give at least one metric entry, or a Metrics Insights query (expression: "
                                    "SELECT ..., with its period): the other expressions compute on the metrics' "
                                    "periods"))
    if len(metrics) > quotas.ALARM_METRICS:
        found.append((MATH, ("metrics",), f"{len(metrics)} metrics; an alarm uses at most {quotas.ALARM_METRICS} "
                                    f"(and {quotas.ALARM_EXPRESSIONS} expressions)"))
    if len(expressions) > quotas.ALARM_EXPRESSIONS:
        found.append((MATH, ("metrics",), f"{len(expressions)} expressions; an alarm uses at most "
                                    f"{quotas.ALARM_EXPRESSIONS} (and {quotas.ALARM_METRICS} metrics)"))
    ids = [query.id for query in queries]
    for number, query in enumerate(queries):
        found += _query(config, place, query, ("metrics", number), ids[:number], ids)
    found += _returned(queries) + _cycles(queries)
    resolved = [metric for metric in alarm_metrics.math_metrics(config, place, alarm).values()
                if isinstance(metric, Metric)]
    regions = sorted({metric.region or config.region or "the config's Region" for metric in resolved})
    if len({metric.region for metric in resolved}) > 1:
        found.append((MATH_REGIONS, ("metrics",), f"its metrics are published in {' and '.join(regions)}; an alarm sees only "
                                    "the metrics of its own Region"))
    periods = [query.period for query in queries if query.expression is None or alarm_metrics.insights_query(query.expression)]
    return found + _window(alarm, max(periods, default=60))


def _query(config: Config, place: Place, query: MetricQuery, at: Path, before: list[str],
           ids: list[str]) -> list[Found]:
    found: list[Found] = []
    if not METRIC_ID.fullmatch(query.id) or len(query.id) > quotas.METRIC_ID:
        found.append((QUERY, at + ("id",), f"id '{query.id}': a lower-case letter, then letters, digits and '_' "
                                    f"(at most {quotas.METRIC_ID} characters)"))
    elif query.id in before:
        found.append((QUERY, at + ("id",), f"id '{query.id}' is used by an entry before this one; each id once"))
    if query.expression is None and query.metric is None:
        return found + [(QUERY, at, "give 'expression' or 'metric'")]
    if query.expression is not None and query.metric is not None:
        return found + [(QUERY, at + ("expression",), "give 'expression' or 'metric', not both")]
    if query.metric is not None:
        return (found + _names_metric(config, place, query, at) + _statistic(query.stat, at + ("stat",))
                + _period(query.period, at + ("period",)) + _unit(query.unit, at + ("unit",)))
    insights = alarm_metrics.insights_query(query.expression)
    found += [(QUERY, at + (key,), f"an expression takes no '{key}': the metrics it uses carry their own")
              for key in QUERY_METRIC_KEYS if key in query.model_fields_set and not (insights and key == "period")]
    if insights:
        found += _period(query.period, at + ("period",))
    if not 1 <= len(query.expression) <= quotas.METRIC_EXPRESSION:
        return found + [(QUERY, at + ("expression",), f"an expression is 1-{quotas.METRIC_EXPRESSION} characters; "
                                               f"this one is {len(query.expression)}")]
    for name, offset in references(query.expression):
        if name == query.id:
            found.append((QUERY, at + ("expression",), f"'{name}' is this expression's own id", offset))
        elif name not in ids:
            found.append((QUERY, at + ("expression",), f"'{name}' is no id of this alarm's metrics (ids: {', '.join(ids)})",
                          offset))
    return found


def references(expression: str) -> list[tuple[str, int]]:
    """The ids an expression uses, each with its 1-based offset; none for a Metrics Insights query
    (SELECT ...), whose words are its own (CloudWatch User Guide, Metrics Insights query syntax)."""
    if expression.lstrip().upper().startswith("SELECT"):
        return []
    return [(match.group("word"), match.start() + 1) for match in EXPRESSION_TOKEN.finditer(expression)
            if match.group("word") and match.group("word")[0].islower() and not match.group("call")]


def _returned(queries: list[MetricQuery]) -> list[Found]:
    """Exactly one query returns data (PutMetricAlarm: "Exactly one element of the metrics list should
    return data"); unset everywhere, the one expression does, or with no expression the one metric."""
    if any((query.expression is None) == (query.metric is None) for query in queries):
        return []   # an entry that is neither or both is reported as such
    if any(alarm_metrics.band_of(query.expression) for query in queries):
        return []   # the band and its metric return data: _band checks the pair
    chosen = [number for number, query in enumerate(queries) if query.return_data]
    if len(chosen) > 1:
        return [(RETURNED, ("metrics", number, "return_data"), "another entry returns data already: exactly one does, the "
                                                     "one the alarm watches") for number in chosen[1:]]
    if alarm_metrics.returned(queries) is None:
        return [(RETURNED, ("metrics",), "say which entry the alarm watches with return_data: true (with no return_data, "
                               "the one expression is watched, or with no expression the one metric)")]
    return []


def _cycles(queries: list[MetricQuery]) -> list[Found]:
    """An expression cannot use its own result, through other expressions either."""
    uses = {query.id: [name for name, _ in references(query.expression)] for query in queries
            if query.expression is not None}
    found: list[Found] = []
    for number, query in enumerate(queries):
        if query.expression is None:
            continue
        path = _loop(query.id, uses)
        if path and len(path) > 2:
            found.append((CYCLE, ("metrics", number, "expression"), f"'{query.id}' uses its own result: "
                                                             f"{' -> '.join(path)}"))
    return found


def _loop(start: str, uses: dict[str, list[str]]) -> list[str] | None:
    def walk(path: list[str]) -> list[str] | None:
        for name in uses.get(path[-1], []):
            if name == start:
                return path + [name]
            if name in uses and name not in path:
                found = walk(path + [name])
                if found:
                    return found
        return None
    return walk([start])


# --- composite alarms ---------------------------------------------------------------------------

def _composite(config: Config, place: Place, alarm: Alarm, named: dict[str, Alarm]) -> list[Found]:
    found: list[Found] = [(COMPOSITE_KEYS_CHECK, (key,), f"a composite alarm (alarm_rule) takes no '{key}'" +
                           (": alarm tests need a metric" if key == "tests" else ""))
                          for key in sorted(alarm.model_fields_set - set(COMPOSITE_KEYS))]
    found += [(COMPOSITE_ACTION, (field, n), f"'{arn}': a composite alarm can't take EC2 or Auto Scaling actions")
              for field in alarm_spec.ACTION_KEYS for n, arn in enumerate(getattr(alarm, field))
              if (parsed := action_arns.parse(arn)) and parsed.kind in action_arns.NOT_FOR_COMPOSITES]
    parsed = composites.rule(alarm)
    if isinstance(parsed, RuleError):
        return found + [(RULE, ("alarm_rule",), parsed.message, parsed.offset + 1)]
    known = ", ".join(name for name in named if name != alarm.name) or "none"
    ours = composites.full_names(config)
    for reference in parsed.references:
        if reference.name in (alarm.name, alarm_metrics.alarm_name(config, place, alarm)):
            found.append((RULE, ("alarm_rule",), "a composite alarm cannot name itself", reference.start + 1))
        elif reference.name not in named and reference.quoted:
            # A quoted name not of this container is sent as written (PutCompositeAlarm AlarmRule takes
            # "either alarm names or ARNs"): another container's alarm by its full name is fine.
            if reference.name not in ours:
                found.append((ELSEWHERE, ("alarm_rule",), f"'{reference.name}' is no alarm of this config: it is sent as "
                                               "written, and must exist in AWS in this alarm's Region",
                              reference.start + 1))
        elif reference.name not in named:
            found.append((RULE, ("alarm_rule",), f"no alarm '{reference.name}' in container '{place.container.name}' "
                                           f"(its alarms: {known})", reference.start + 1))
    if any(f[1] == ("alarm_rule",) and f[0].severity == ERROR for f in found):
        return found
    return found + _rule_limits(config, place, alarm, named, parsed)


def _rule_limits(config: Config, place: Place, alarm: Alarm, named: dict[str, Alarm], parsed) -> list[Found]:
    found: list[Found] = []
    loop = composites.cycle(alarm.name, named)
    if loop:
        found.append((RULE_CYCLE, ("alarm_rule",), f"the rule names itself through {' -> '.join(loop)}: AWS can then delete "
                                       "none of them"))
    if len(parsed.names) > quotas.RULE_CHILDREN:
        found.append((RULE_LIMITS, ("alarm_rule",), f"it names {len(parsed.names)} alarms; AWS allows at most "
                                       f"{quotas.RULE_CHILDREN}"))
    if parsed.elements > quotas.RULE_ELEMENTS:
        found.append((RULE_LIMITS, ("alarm_rule",), f"it has {parsed.elements} elements (alarms, TRUE, FALSE, parentheses); AWS "
                                       f"allows at most {quotas.RULE_ELEMENTS}"))
    full = alarm_rule.rewrite(parsed, lambda name: alarm_metrics.alarm_name(config, place, named[name])
                              if name in named else None)
    if len(full) > quotas.ALARM_RULE:
        found.append((RULE_LIMITS, ("alarm_rule",), f"with the alarms' full names the rule is {len(full)} characters; AWS allows "
                                       f"at most {quotas.ALARM_RULE}"))
    regions = {region for name in parsed.names if name in named
               for region in composites.regions(config, place, name, named, frozenset({alarm.name}))}
    if len(regions) > 1:
        shown = " and ".join(sorted(region or config.region or "the config's Region" for region in regions))
        found.append((RULE_REGIONS, ("alarm_rule",), f"it names alarms made in {shown}; a composite alarm names alarms of its own "
                                       "Region only"))
    return found


# --- for every alarm -----------------------------------------------------------------------------

def _actions(alarm: Alarm, region: str | None) -> list[Found]:
    """At most 5 actions a state (botocore cloudwatch model, ResourceList), each a form PutMetricAlarm
    lists, in the alarm's own Region where the form has one (monitor/alarms/actions.py)."""
    found: list[Found] = []
    for field in alarm_spec.ACTION_KEYS:
        arns = getattr(alarm, field)
        if len(arns) > MAX_ACTIONS:
            found.append((ACTIONS, (field,), f"{len(arns)} actions; AWS allows at most {MAX_ACTIONS} a state"))
        found += [(ACTION if said[1] == ERROR else ACTION_SERVICE, (field, n), said[0]) for n, arn in enumerate(arns)
                  if (said := action_arns.problem(arn, region))]
    return found


def _description(alarm: Alarm) -> list[Found]:
    if alarm.description and len(alarm.description) > MAX_DESCRIPTION:
        return [(DESCRIPTION, ("description",), f"{len(alarm.description)} characters; AWS allows at most {MAX_DESCRIPTION}")]
    return []
