"""The review's result as one value, and the alarm rows of the config or of the account. Pure.

Rows of the config come from the desired resources of every alarm kind (any spec with an
`AlarmName`: metric, metric-math and composite alarms alike), so a kind added later is
reviewed without a change here; an alarm whose `N%` threshold has no known limit still gets its
row, with no number. Rows of the account come from DescribeAlarms items; an alarm is ours by
the ownership rule (monitor/names/ownership.py), and then linked to its place in the config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor import kinds
from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.cost.estimate import Estimate
from monitor.kinds import alarm_spec
from monitor.names import ownership
from monitor.offline.alarm_cases import AlarmCaseResult
from monitor.problems import Path
from monitor.resolved import metrics as alarm_metrics
from monitor.review import alarm_findings as alarm_rules
from monitor.review import sources
from monitor.review.alarm_table import Case, Row, row
from monitor.review.findings import SEVERITIES, Finding, at_least, ordered
from monitor.review.live_drift import Drift
from monitor.review.live_history import History
from monitor.review.shares import Reaches, Share
from monitor.state.resources import Resource
from monitor.resolved import model as resolved_model

CONFIG, DEPLOYED = "config", "deployed"
UNOWNED = "unowned"


@dataclass(frozen=True)
class Report:
    """Everything `monitor review` found: the alarm table, the alarm and design findings, the cost.

    `mode` is `config` (offline) or `deployed` (the live account); `design_checked` says whether
    task definitions were read at all; `notes` are lines for the reader (what was not checked).
    """

    mode: str
    source: str
    region: str | None
    generated: datetime
    rows: tuple[Row, ...]
    findings: tuple[Finding, ...]
    design: tuple[Finding, ...]
    cost: Estimate
    design_checked: bool = True
    analyses: tuple[str, ...] = ()
    history: History | None = None   # --deployed: the replayed days of each alarm
    drift: Drift | None = None       # --deployed: the config's alarms against the deployed ones
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def every_finding(self) -> list[Finding]:
        return ordered(self.findings + self.design)

    def failing(self, severity: str) -> list[Finding]:
        """The findings that make `--fail-on severity` fail."""
        return at_least(self.every_finding, severity)

    def counts(self) -> dict[str, int]:
        found = self.every_finding
        return {severity: sum(f.severity == severity for f in found) for severity in SEVERITIES}


def desired_alarms(config: Config) -> list[Resource]:
    """The config's alarms of every kind, as their PutMetricAlarm / PutCompositeAlarm specs."""
    return [r for r in kinds.desired(resolved_model.of(config)) if "AlarmName" in r.spec]


def tests_by_alarm(results: list[AlarmCaseResult]) -> dict[Path, tuple[Case, ...]]:
    """The config's own alarm test results (not the catalogue's), by the alarm's path."""
    found: dict[Path, list[Case]] = {}
    for result in (r for r in results if not r.builtin):
        found.setdefault(result.path, []).append(Case(result.number, result.passed, result.failures))
    return {path: tuple(tests) for path, tests in found.items()}


def config_rows(config: Config, resolved: Config, shares: dict[Path, Share],
                tests: dict[Path, tuple[Case, ...]], reaches: Reaches | None = None) -> list[Row]:
    """A row for each alarm the config makes, in file order; `resolved` has the shares made numbers, `reaches`
    what each judged alarm's figure can reach (monitor/review/shares.py)."""
    reaches = reaches or {}
    known = sources.publishers(config)
    specs = [(r.origin, alarm_spec.put_parameters(r.spec, with_tags=False))   # the API's shape, as DescribeAlarms'
             for r in desired_alarms(resolved)] + _unresolved(resolved)
    return [row(spec, known, _container(config, path), path, shares.get(path), tests.get(path, ()), reaches.get(path))
            for path, spec in sorted(specs, key=lambda pair: _order(pair[0]))]


def live_rows(config: Config, items: list[dict], shares: dict[Path, Share],
              tests: dict[Path, tuple[Case, ...]], reaches: Reaches | None = None) -> list[Row]:
    """A row for each DescribeAlarms item (metric and composite), ours linked to the config; each of ours judged
    against what its container's figure can reach (`reaches`), at its deployed threshold."""
    reaches = reaches or {}
    known = sources.publishers(config)
    places = {r.id: r.origin for r in desired_alarms(config)} | {spec["AlarmName"]: p for p, spec in _unresolved(config)}
    clusters = frozenset(c.name for c in config.clusters)
    found = []
    for item in sorted(items, key=lambda i: i["AlarmName"]):
        name = item["AlarmName"]
        ours = ownership.owns(config.prefix, clusters, name, per_container=True)
        path = places.get(name, ()) if ours else ()
        found.append(row(item, known, _owner(name) if ours else _unowned(item), path, shares.get(path),
                         tests.get(path, ()), reaches.get(path)))
    return found


def alarm_findings(rows: list[Row], config: Config) -> list[Finding]:
    return ordered(alarm_rules.check(rows, config))


def priced(config: Config) -> list[Resource]:
    """What the estimate prices: the desired state, and the alarms it leaves out because their `N%`
    threshold is not a number yet (no task definition read): they cost the same whatever their threshold."""
    return kinds.desired(resolved_model.of(config)) + [Resource(alarm_spec.KIND, spec["AlarmName"], spec) for _, spec in _unresolved(config)]


def _unresolved(config: Config) -> list[tuple[Path, dict]]:
    """Alarms whose `N%` threshold could not be made a number: their spec with no Threshold."""
    found = []
    for place in containers(config):
        for number, alarm in enumerate(place.container.alarms):
            metric = alarm_metrics.resolve(config, place, alarm)
            if not isinstance(alarm.threshold, str) or not isinstance(metric, alarm_metrics.Metric):
                continue
            name = alarm_metrics.alarm_name(config, place, alarm)
            spec = alarm_spec.make_spec(name, metric, alarm.model_copy(update={"threshold": 0.0}), {})
            found.append((place.path + ("alarms", number), {**spec, "Threshold": None}))
    return found


def _container(config: Config, path: Path) -> str:
    """`cluster/service/container` of a config path; the cluster alone for a cluster-wide resource."""
    if len(path) < 2:
        return UNOWNED
    cluster = config.clusters[path[1]]
    if len(path) < 6:
        return cluster.name
    service = cluster.services[path[3]]
    return f"{cluster.name}/{service.name}/{service.containers[path[5]].name}"


def _order(path: Path) -> tuple:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


def _owner(name: str) -> str:
    found = ownership.owner(name)
    return "/".join(p for p in (found.cluster, found.service, found.container) if p)


def _unowned(item: dict) -> str:
    """`unowned (ClusterName=honban, ServiceName=web)`: whose it may be, by its dimensions."""
    dimensions = item.get("Dimensions") or [d for q in item.get("Metrics", []) if "MetricStat" in q
                                            for d in q["MetricStat"]["Metric"].get("Dimensions", [])]
    said = ", ".join(f"{d['Name']}={d['Value']}" for d in sorted(dimensions, key=lambda d: d["Name"]))
    return f"{UNOWNED} ({said})" if said else UNOWNED
