"""The one-way flow: config -> desired (pure) -> actual (reads) -> plan (pure)."""

from __future__ import annotations

from monitor import kinds
from monitor.aws import taskdefs
from monitor.aws.clients import Clients
from monitor.config import Loaded, load
from monitor.kinds import metric_filter
from monitor.problems import placed
from monitor.sync.plan import Plan, plan
from monitor.sync.resources import Actual


def validate(path: str) -> Loaded:
    """The config's own problems, then the per-log-group limits only the desired state shows."""
    loaded = load(path)
    if loaded.ok:
        wanted = kinds.desired(loaded.config)
        loaded.problems += [placed(p, loaded.source) for p in metric_filter.limits(wanted, Actual())]
    return loaded


def make_plan(loaded: Loaded, clients: Clients, prune: bool = False, destroy: bool = False) -> Plan:
    """Read what AWS has for the config's scope and diff it against what the config wants."""
    config, findings = taskdefs.resolve(clients, loaded.config)
    wanted = [] if destroy else kinds.desired(config)
    actual = kinds.read(clients, config)
    findings += [] if destroy else kinds.check(config, wanted, actual, prune)
    return plan(wanted, actual, kinds.NAMES, prune=prune or destroy, findings=findings)
