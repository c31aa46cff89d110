"""The kinds of resource, in the order they are created (deleted in reverse)."""

from __future__ import annotations

from monitor.aws.clients import Clients
from monitor.aws.iam import Grant
from monitor.kinds import (
    alarm,
    cluster_setting,
    composite_alarm,
    dashboard,
    log_group,
    metric_filter,
)
from monitor.problems import Problem
from monitor.resolved.model import Model
from monitor.state.resources import Actual, Resource

KINDS = (cluster_setting, log_group, metric_filter, alarm, composite_alarm, dashboard)
NAMES = tuple(kind.KIND for kind in KINDS)
# Kinds deleted after every create and update (monitor/state/plan.py): alarms a composite alarm may stop naming.
LATE = tuple(kind.KIND for kind in KINDS if getattr(kind, "DELETE_LATE", False))
BY_NAME = {kind.KIND: kind for kind in KINDS}


def desired(model: Model) -> list[Resource]:
    """What the config wants: each kind renders its part from the resolved model, once per model."""
    return model.config.once("desired", lambda: [resource for kind in KINDS for resource in kind.desired(model)])


def read(clients: Clients, model: Model) -> Actual:
    """Every kind reads its part of the live state; later kinds may use what earlier ones found."""
    actual = Actual()
    for kind in KINDS:
        kind.read(clients, model, actual)
    return actual


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return [finding for kind in KINDS for finding in kind.check(model, wanted, actual, prune)]


def grants(model: Model, region: str | None, writes: bool) -> list[Grant]:
    """The IAM grants of every kind's reads for `config`, with `writes` its makes and deletes too.

    Reads go under Sid `Read`, writes under `Write`, both on `*`, except for a kind that names
    its resources (`resources(config, region)`, region None for any): `Read<SCOPE>` and `Write<SCOPE>` on those.
    """
    found = []
    for kind in KINDS:
        wanted, made = kind.PERMISSIONS, kind.makes(model)
        reads = wanted.read + (wanted.read_if if made else ())
        changes = ((wanted.make if made else ()) + wanted.delete) if writes else ()
        scope = kind.resources(model, region) if hasattr(kind, "resources") else ("*",)
        suffix = getattr(kind, "SCOPE", "")
        found += [Grant(f"Read{suffix}", reads, scope), Grant(f"Write{suffix}", changes, scope)]
    return found
