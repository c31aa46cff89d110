"""CloudWatch dashboards, generated from the dashboards/ templates; ours by the record in their header.

Read: ListDashboards pages narrowed by `DashboardNamePrefix=<prefix>-`, then one GetDashboard per
listed name, whose body's header record (monitor/dashboards/owner.py) says whether it is ours (our
prefix and Region, clusters of this config or retired ones): a record naming another dashboard
marks a console copy of ours, which is the user's.
A dashboard named like a desired one that is not ours is reported, never overwritten. Bodies are
compared as parsed JSON: GetDashboard promises no whitespace.
Apply: PutDashboard replaces the whole body ("If you update a dashboard, the entire contents are
replaced"); its Tags apply only when it creates the dashboard ("If you specify Tags when updating
an existing dashboard, the tag updates are ignored"), PutDashboard API reference,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html. Deletes
go 100 names a DeleteDashboards call ("You can specify up to 100 dashboards to delete").
"""

from __future__ import annotations

import json
from dataclasses import replace

import botocore.exceptions as bx

from monitor import jsonfile
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.config import facts as live
from monitor.dashboards import checks, owner, per_service
from monitor.kinds import dashboard_spec
from monitor.names.ownership import MARKER_TAG, PREFIX_TAG
from monitor.problems import WARNING, Check, Problem
from monitor.state.plan import Change
from monitor.resolved.model import Model
from monitor.state.resources import Actual, Resource, Stray

KIND = checks.KIND
DELETE_BATCH = 100   # DeleteDashboards: "up to 100 dashboards"
BATCH = {"delete": DELETE_BATCH}
# Every plan lists the dashboards under the prefix, `dashboards:` or not: one of ours left by an
# earlier config is found for --prune and destroy. PutDashboard's Tags (on create) are granted
# cloudwatch:TagResource, as the alarms' are: its API reference does not say, and AWS asks it of
# every other CloudWatch create with tags.
PERMISSIONS = iam.Permissions("dashboards", read=("cloudwatch:ListDashboards", "cloudwatch:GetDashboard"),
                              make=("cloudwatch:PutDashboard", "cloudwatch:TagResource"),
                              delete=("cloudwatch:DeleteDashboards",), when="the config has `dashboards:`")


def makes(model: Model) -> bool:
    """Whether the config has dashboards (the IAM policy's make actions)."""
    config = model.config
    return bool(config.dashboards)

NOT_JSON = Check("PLN-004", WARNING, "a dashboard in AWS whose body is not JSON (left alone)")
CHECKS = (NOT_JSON,)


def desired(model: Model) -> list[Resource]:
    """One dashboard per `dashboards:` entry whose template resolved, or one a service with `per: service`;
    validation reports the rest."""
    config = model.config
    tags = {**config.tags, **MARKER_TAG, PREFIX_TAG: config.prefix}
    params = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
    origins = dashboard_spec.alarm_origins(model) if config.dashboards else None
    return [Resource(KIND, per_service.name(config.prefix, entry.name, only),
                     dashboard_spec.body(model, entry, only, origins), origin=("dashboards", n), params=params,
                     made_for=only)
            for n, entry in enumerate(config.dashboards) if entry.widgets is not None
            for only in per_service.instances(config, entry)]


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """Every dashboard listed under our prefix, read once; ours only by its header's record."""
    config = model.config
    clusters = config.owned_clusters   # a retired cluster's share of a dashboard is ours to remove
    region = live.of(config).region
    wanted = per_service.names(config)
    for name in _listed(clients, config.prefix):
        spec = _body(clients, name, actual)
        if spec is None:
            continue
        record = owner.read(spec)
        ours = owner.owns(config.prefix, region, clusters, record, name)
        # A record from before it named its dashboard: ours to rewrite only under a name this config
        # makes (the put adds the name), never to delete, since a console copy carries it as well.
        legacy = (not ours and record is not None and record.name is None and name in wanted
                  and owner.owns(config.prefix, region, clusters, replace(record, name=name), name))
        actual.add(Resource(KIND, name, spec, owned=ours or legacy, prunable=ours,
                            note=None if ours or legacy else owner.whose(record, name, config.prefix, region, clusters)))
        if not (ours or legacy) and record is not None and record.prefix == config.prefix \
                and record.region == region and record.name in (None, name):
            actual.strays += [Stray(KIND, name, cluster) for cluster in record.clusters if cluster not in clusters]


def _listed(clients: Clients, prefix: str) -> list[str]:
    """Dashboard names under `<prefix>-`, through the paginator (1,000 a page)."""
    pages = clients.cloudwatch.get_paginator("list_dashboards").paginate(
        DashboardNamePrefix=owner.dashboard_name(prefix, ""))
    return [entry["DashboardName"] for page in pages for entry in page.get("DashboardEntries", [])]


def _body(clients: Clients, name: str, actual: Actual) -> dict | None:
    """The parsed body; one deleted since the listing is gone, one that is not JSON is not ours."""
    try:
        text = clients.cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"]
    except bx.ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceNotFound":
            return None
        raise
    try:
        found = jsonfile.loads(text)   # AWS's text, read with a depth bound as any JSON here
    except jsonfile.JsonError as error:
        actual.problems.append(NOT_JSON.problem((), f"dashboard {name} has a body that is not JSON we can read "
                                                    f"({error}); it is left alone"))
        return {}
    return found if isinstance(found, dict) else {}


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    return []


def apply(clients: Clients, changes: list[Change]) -> dict[str, str]:
    """Deletes in one call (apply.batches cuts them at 100); puts one at a time.

    Returns the warnings PutDashboard answered with, by dashboard, for the outcome to show.
    """
    deletes = [change.id for change in changes if change.action == "delete"]
    if deletes:
        clients.cloudwatch.delete_dashboards(DashboardNames=deletes)
    notes = {}
    for change in changes:
        if change.action in ("create", "update"):
            if messages := _put(clients, change):
                notes[change.id] = messages
    return notes


def _put(clients: Clients, change: Change) -> str | None:
    """PutDashboard, with AWS's validation messages (DataPath: Message) in the error or the result."""
    tags = change.params.get("Tags") if change.action == "create" else None
    try:
        answer = clients.cloudwatch.put_dashboard(DashboardName=change.id, DashboardBody=json.dumps(change.after),
                                                  **({"Tags": tags} if tags else {}))
    except bx.ClientError as error:
        said = _messages(error.response.get("dashboardValidationMessages")
                         or error.response.get("DashboardValidationMessages") or [])
        if said:
            error.response.setdefault("Error", {})["Message"] = f"{error.response['Error'].get('Message')}: {said}"
        raise
    return _messages(answer.get("DashboardValidationMessages") or []) or None


def _messages(messages: list[dict]) -> str:
    return "; ".join(f"{m.get('DataPath', '')}: {m.get('Message', '')}" for m in messages)
