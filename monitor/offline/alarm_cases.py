"""`monitor test` for alarms: each `tests:` case's series through monitor.alarms' evaluator. Pure.

Alarms start in INSUFFICIENT_DATA; `expect` is the state after the last period, or one state a
period (the evaluator's rules and their sources are in monitor/alarms/semantics.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.alarms import AlarmError, evaluate
from monitor.config import Loaded
from monitor.config.model import Alarm, AlarmCase
from monitor.config.walk import containers
from monitor.kinds import alarm_spec
from monitor.offline.cases import case_position
from monitor.problems import Path, Source


@dataclass(frozen=True)
class AlarmCaseResult:
    label: str
    source: Source
    path: Path
    number: int
    case: AlarmCase
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return case_position(self.source, self.path, self.number)

    @property
    def shown(self) -> str:
        return "series: [" + ", ".join("null" if v is None else f"{v:g}" for v in self.case.series) + "]"


def run(loaded: Loaded) -> list[AlarmCaseResult]:
    """Every case of every alarm in the config, in file order."""
    found = []
    for place in containers(loaded.config):
        for number, alarm in enumerate(place.container.alarms):
            label = f"{place.cluster.name}/{place.service.name}/{place.container.name}/alarm {alarm.name}"
            path = place.path + ("alarms", number)
            found += [AlarmCaseResult(label, loaded.source, path, n, case, judge(alarm, case))
                      for n, case in enumerate(alarm.tests) if not alarm.composite]   # validate refuses those
    return found


def judge(alarm: Alarm, case: AlarmCase) -> tuple[str, ...]:
    """What is wrong with the states the series gives, or () when they are as expected."""
    if isinstance(alarm.threshold, str):
        return (f"threshold {alarm.threshold!r} is not a number",)
    if isinstance(case.expect, list) and len(case.expect) != len(case.series):
        return (f"expect has {len(case.expect)} states for {len(case.series)} periods",)
    try:
        states = [str(state) for state in evaluate(case.series, _definition(alarm))]
    except AlarmError as error:
        return (f"the alarm cannot be evaluated: {error}",)
    expected = case.expect if isinstance(case.expect, list) else [case.expect]
    actual = states if isinstance(case.expect, list) else states[-1:]
    if actual == expected:
        return ()
    return (f"expected {', '.join(expected)}, got {', '.join(actual) or 'no state (empty series)'}",)


def _definition(alarm: Alarm) -> dict:
    """The alarm in the evaluator's terms (Alarm.from_mapping). A metric-math alarm's series is the
    values of the query it watches: the statistic (a percentile's rules) is that query's, if a metric."""
    statistic, namespace = alarm.stat, alarm.namespace
    if alarm.metrics is not None:
        watched = {query.id: query for query in alarm.metrics}.get(alarm_spec.returned(alarm.metrics) or "")
        metric = watched is not None and watched.expression is None
        statistic, namespace = (watched.stat, watched.namespace) if metric else (None, None)
    return {"comparison": alarm.comparison, "threshold": alarm.threshold,
            "evaluation_periods": alarm.evaluation_periods, "datapoints_to_alarm": alarm.datapoints_to_alarm,
            "treat_missing_data": alarm.treat_missing_data, "statistic": statistic, "namespace": namespace}
