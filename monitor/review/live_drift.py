"""Drift between the config's alarms and the deployed ones: changed by hand, deleted by hand, and
alarms on our metrics that we do not own.

The comparison is `plan`'s own (monitor/state/plan.py over the alarm kind's specs,
monitor/kinds/alarm_spec.py `make_spec` and `to_spec`), so drift shows exactly what the next
`apply` would change back: an update is an alarm changed by hand (its fields), a create is one
deleted by hand (or never applied). Ownership is the one rule of monitor/names/ownership.py.
An alarm is "on our metrics" when a metric it watches (its own, or any in `Metrics`) is in a
namespace the config's filters publish to (the config's `namespace` and every filter's) or has a
ClusterName dimension naming one of the config's clusters, or, without ClusterName, a ServiceName
naming one of its services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.config.model import Config
from monitor.config.walk import containers
from monitor.kinds import alarm as alarm_kind
from monitor.names import ownership
from monitor.resolved.publishing import metric_namespace
from monitor.review.findings import INFO, WARNING, Finding, Rule
from monitor.state.plan import plan
from monitor.state.resources import Actual, Resource

CHANGED = Rule("ALARM-DRIFT-001", WARNING, "alarm changed by hand",
               "put the change in the config, or run `monitor apply` to undo it")
DELETED = Rule("ALARM-DRIFT-002", WARNING, "alarm in the config is not deployed (deleted by hand, or never applied)",
               "run `monitor apply` to make it again")
UNOWNED = Rule("ALARM-DRIFT-003", INFO, "alarm on our metrics that ecs-monitor does not own",
               "move it into the config, or leave it if another team owns it")
RULES = (CHANGED, DELETED, UNOWNED)


@dataclass(frozen=True)
class Drift:
    """What drifted: alarm name -> changed fields; names deleted; unowned alarms on our metrics."""

    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    unowned: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"changed": len(self.changed), "deleted": len(self.deleted), "unowned": len(self.unowned)}

    def to_dict(self) -> dict:
        return {"counts": self.counts, "changed": {name: list(f) for name, f in self.changed.items()},
                "deleted": self.deleted, "unowned": self.unowned}


def drift(desired: list[Resource], live: Actual, alarms: list[dict], config: Config) -> Drift:
    """Drift of the alarms: pure.

    desired: the config's resources (`monitor.kinds.desired` after `taskdefs.resolve`; other
    kinds are ignored). live: what `monitor.kinds.alarm.read` found (our alarms, with tags).
    alarms: every DescribeAlarms `MetricAlarms` item, for the unowned ones. config: the resolved
    config, for ownership and our metrics.
    """
    wanted = [r for r in desired if r.kind == alarm_kind.KIND]
    ours = Actual({key: r for key, r in live.resources.items() if key[0] == alarm_kind.KIND})
    changes = plan(wanted, ours, (alarm_kind.KIND,)).changes
    changed = {c.id: c.fields for c in changes if c.action == "update"}
    deleted = sorted(c.id for c in changes if c.action == "create")
    origins = {r.id: r.origin for r in wanted}
    by_name = {a["AlarmName"]: a for a in alarms}
    unowned = sorted(name for name, a in by_name.items() if not _owned(config, a) and on_our_metrics(config, a))
    findings = ([CHANGED.finding(name, f"differs from the config in {', '.join(fields)}", path=origins[name])
                 for name, fields in sorted(changed.items())]
                + [DELETED.finding(name, "is in the config but not deployed", path=origins[name]) for name in deleted]
                + [UNOWNED.finding(name, f"{why_ours(config, by_name[name])} but is not owned by it")
                   for name in unowned])
    return Drift(changed, deleted, unowned, findings)


def _owned(config: Config, alarm: dict) -> bool:
    clusters = frozenset(cluster.name for cluster in config.clusters)
    return ownership.owns(config.prefix, clusters, alarm["AlarmName"], per_container=True)


def on_our_metrics(config: Config, alarm: dict) -> bool:
    """Whether a metric the alarm watches is one of the config's (module docstring): pure."""
    return why_ours(config, alarm) is not None


def why_ours(config: Config, alarm: dict) -> str | None:
    """What ties the alarm to the config, said as it is (a namespace its filters publish into, one of its
    clusters or services), so that it never contradicts a finding that no filter publishes the metric."""
    namespaces = {config.namespace} | {metric_namespace(config, place, item)
                                       for place in containers(config) for item in place.container.filters}
    clusters = {cluster.name for cluster in config.clusters}
    services = {service.name for cluster in config.clusters for service in cluster.services}
    for metric in metrics(alarm):
        dimensions = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
        if dimensions.get("ClusterName") in clusters:
            return f"watches a metric of cluster '{dimensions['ClusterName']}' of this config"
        if metric.get("Namespace") in namespaces:
            return f"watches namespace '{metric.get('Namespace')}', which this config's filters publish into"
        if "ClusterName" not in dimensions and dimensions.get("ServiceName") in services:
            return f"watches a metric of service '{dimensions['ServiceName']}' of this config"
    return None


def metrics(alarm: dict) -> list[dict]:
    """The metrics an alarm watches, as {Namespace, MetricName, Dimensions}: its own, or its math queries'."""
    if "MetricName" in alarm:
        return [{key: alarm[key] for key in ("Namespace", "MetricName", "Dimensions") if key in alarm}]
    return [query["MetricStat"]["Metric"] for query in alarm.get("Metrics", []) if "MetricStat" in query]
