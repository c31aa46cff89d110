"""`monitor test` for alarms: each `tests:` case's series through monitor.alarms' evaluator. No AWS.

Alarms start in INSUFFICIENT_DATA; `expect` is the state after the last period, or one state a
period (the evaluator's rules and their sources are in monitor/alarms/semantics.py). A case may
name a log sample instead of a series (monitor/offline/alarm_logs.py). The catalogues' alarms
(presets, and filter definitions' recommended alarms) run their cases too; a preset's `N%`
threshold is tested against a limit of 100, so its series are percentages of the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.alarms import AlarmError, evaluate
from monitor.config.model import Alarm, AlarmCase
from monitor.config.walk import containers
from monitor.offline import alarm_logs
from monitor.offline.cases import case_position
from monitor.problems import Path, Source
from monitor.resolved import Loaded
from monitor.resolved import metrics as alarm_metrics
from monitor.resolved.thresholds import percent

Series = list[float | None]


@dataclass(frozen=True)
class AlarmCaseResult:
    label: str
    source: Source
    path: Path
    number: int
    case: AlarmCase
    failures: tuple[str, ...]
    series: tuple[float | None, ...] = ()   # what was evaluated: the case's own, or the one its log sample made
    builtin: bool = False   # a catalogue alarm's case, not the config's own

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return case_position(self.source, self.path, self.number)

    @property
    def shown(self) -> str:
        shown = "series: [" + ", ".join("null" if v is None else f"{v:g}" for v in self.series) + "]"
        return shown if self.case.logs is None else f"logs: {self.case.logs} -> {shown}"


def run(loaded: Loaded) -> list[AlarmCaseResult]:
    """Every case of every alarm in the config, in file order, then the catalogues' alarms."""
    found = []
    for place in containers(loaded.config):
        for number, alarm in enumerate(place.container.alarms):
            label = f"{place.cluster.name}/{place.service.name}/{place.container.name}/alarm {alarm.name}"
            path = place.path + ("alarms", number)
            for n, case in enumerate(alarm.tests if not alarm.composite else ()):   # validate refuses those
                series, problem = _series(loaded, place, alarm, case)
                failures = (problem,) if problem else judge(alarm, case, series)
                found.append(AlarmCaseResult(label, loaded.source, path, n, case, failures, tuple(series)))
    return found + catalogue(loaded)


def catalogue(loaded: Loaded) -> list[AlarmCaseResult]:
    """The presets' cases, then those of each filter definition's recommended alarms."""
    owners = [(f"preset {name}", preset.source, (), preset.alarm) for name, preset in sorted(loaded.presets.items())]
    owners += [(f"catalogue {name}:{alarm.name}", definition.source, ("alarms", number), alarm)
               for name, definition in sorted(loaded.catalogue.items())
               for number, alarm in enumerate(definition.filter.alarms)]
    return [AlarmCaseResult(label, source, path, n, case, judge(_nominal(alarm), case, case.series or []),
                            tuple(case.series or []), builtin=True)
            for label, source, path, alarm in owners for n, case in enumerate(alarm.tests)]


def _nominal(alarm: Alarm) -> Alarm:
    """A catalogue alarm's `N%` threshold against a limit of 100: its series are percentages of the limit."""
    share = percent(alarm.threshold) if alarm.threshold is not None else None
    return alarm if share is None else alarm.model_copy(update={"threshold": share})


def _series(loaded: Loaded, place, alarm: Alarm, case: AlarmCase) -> tuple[Series, str | None]:
    """The case's series, or the one its log sample makes, or why there is none."""
    if case.logs is None:
        return case.series or [], None
    try:
        return alarm_logs.series(loaded, place, alarm, case.logs), None
    except (OSError, ValueError) as error:
        return [], f"the log sample gives no series: {error}"


def judge(alarm: Alarm, case: AlarmCase, series: Series) -> tuple[str, ...]:
    """What is wrong with the states the series gives, or () when they are as expected."""
    if isinstance(alarm.threshold, str):
        return (f"threshold {alarm.threshold!r} is not a number",)
    if isinstance(case.expect, list) and len(case.expect) != len(series):
        return (f"expect has {len(case.expect)} states for {len(series)} periods",)
    try:
        states = [str(state) for state in evaluate(series, _definition(alarm), case.sample_counts)]
    except AlarmError as error:
        return (f"the alarm cannot be evaluated: {error}",)
    expected = case.expect if isinstance(case.expect, list) else [case.expect]
    actual = states if isinstance(case.expect, list) else states[-1:]
    if actual == expected:
        return ()
    return (f"expected {', '.join(expected)}, got {', '.join(actual) or 'no state (empty series)'}",)


def _definition(alarm: Alarm) -> dict:
    """The alarm in the evaluator's terms (Alarm.from_mapping). A metric-math alarm's series is the
    values of the query it watches: the statistic (a percentile's rules) is that query's, if a metric.
    EvaluateLowSampleCountPercentile `ignore` holds the state over a period with too few samples for
    its percentile (PutMetricAlarm; CloudWatch User Guide, "Percentile-based alarms and low data
    samples", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#percentiles-with-low-samples),
    so such a case gives each period's `sample_counts`."""
    statistic, namespace = alarm.stat, alarm.namespace
    if alarm.metrics is not None:
        watched = {query.id: query for query in alarm.metrics}.get(alarm_metrics.returned(alarm.metrics) or "")
        metric = watched is not None and watched.expression is None
        statistic, namespace = (watched.stat, watched.namespace) if metric else (None, None)
    return {"comparison": alarm.comparison, "threshold": alarm.threshold,
            "evaluation_periods": alarm.evaluation_periods, "datapoints_to_alarm": alarm.datapoints_to_alarm,
            "treat_missing_data": alarm.treat_missing_data, "statistic": statistic, "namespace": namespace,
            "evaluate_low_sample_count_percentile": alarm.evaluate_low_sample_count_percentiles or "evaluate"}
