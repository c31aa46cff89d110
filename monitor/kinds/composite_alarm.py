"""CloudWatch composite alarms: a container's `alarms:` entries with an `alarm_rule`.

Named and owned as metric alarms are (`<prefix>/<cluster>/<service>/<container>/<alarm>`), made
after them (this kind follows `alarm` in monitor/kinds KINDS) and deleted before them, each in the
Region of the alarms its rule names (monitor/kinds/composite_spec.py). They are read by
monitor/kinds/alarm.py from the same DescribeAlarms pages and tag:GetResources pages as the
metric alarms, so they cost no read of their own.

PutCompositeAlarm creates or replaces; like PutMetricAlarm it ignores Tags on update ("If you are
using this operation to update an existing alarm, any tags you specify in this parameter are
ignored", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html),
so tag changes go through TagResource/UntagResource. DeleteAlarms "can include no more than one
composite alarm" a call (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html):
one a call, highest rank first, and all before the metric alarms' deletes.
"""

from __future__ import annotations

from monitor import quotas
from monitor.alarms import rule as alarm_rule
from monitor.aws import iam
from monitor.aws.clients import Clients
from monitor.kinds import alarm, alarm_spec, composite_spec, log_group
from monitor.problems import ERROR, Check, Problem
from monitor.resolved.model import Model
from monitor.state.plan import Change, Plan
from monitor.state.resources import Actual, Resource, regional

KIND = composite_spec.KIND
BATCH = {"delete": quotas.DELETE_COMPOSITE_ALARMS}
DELETE_LATE = True   # with the metric alarms, and before them (reverse kind order)
# Read with the metric alarms (monitor/kinds/alarm.py). PutCompositeAlarm must be allowed on `*` ("You
# can't create a composite alarms if your cloudwatch:PutCompositeAlarm permission has a narrower scope"),
# and its Tags on create need cloudwatch:TagResource (PutCompositeAlarm API reference).
PERMISSIONS = iam.Permissions("composite alarms", make=("cloudwatch:PutCompositeAlarm", "cloudwatch:TagResource",
                                                        "cloudwatch:UntagResource"),
                              delete=("cloudwatch:DeleteAlarms",), when="a container has an `alarm_rule` alarm")


def makes(model: Model) -> bool:
    """Whether the config has a composite alarm (the IAM policy's make actions)."""
    return bool(model.composite_alarms())

TYPE_CHANGE = Check("PLN-002", ERROR, "an alarm whose type (metric or composite) differs in AWS",
                    source=quotas.PUT_COMPOSITE_ALARM_DOC)
STILL_NAMED = Check("PLN-014", ERROR, "an alarm to delete that a composite alarm outside the deletion names",
                    source="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html")
CHECKS = (TYPE_CHANGE, STILL_NAMED)


def desired(model: Model) -> list[Resource]:
    """Rendered once per model (dashboards ask for them too, for their alarm widgets)."""
    return model.config.once((KIND, "desired"), lambda: _desired(model))


def _desired(model: Model) -> list[Resource]:
    found = []
    for entry in model.composite_alarms():
        made = composite_spec.make(entry, log_group.tags(model.config, entry.place.cluster.name))
        if made is not None:
            spec, region, rank = made
            found.append(Resource(KIND, regional(region, spec["AlarmName"]), spec, region=region, rank=rank,
                                  origin=entry.path))
    return found


def read(clients: Clients, model: Model, actual: Actual) -> None:
    """Nothing of its own: alarm.read adds the composite alarms from its DescribeAlarms pages."""


def check(model: Model, wanted: list[Resource], actual: Actual, prune: bool = False) -> list[Problem]:
    """An alarm name is one alarm in a Region, metric or composite: one that changes type would be
    put over the other's name, which CloudWatch refuses, before the old one is deleted."""
    found = []
    for resource in wanted:
        other = alarm.KIND if resource.kind == KIND else KIND
        if (other, resource.id) in actual.resources:
            now, then = ("composite", "metric") if resource.kind == KIND else ("metric", "composite")
            found.append(TYPE_CHANGE.problem(resource.origin, f"alarm {resource.id} is a {then} alarm in AWS and a {now} alarm in "
                                                  "the config; CloudWatch has one alarm a name: give this one "
                                                  "another name, or remove it, apply with --prune, and add it back"))
    return found


def blocked(plan: Plan, actual: Actual) -> list[Problem]:
    """The plan's alarm deletes that AWS would refuse, each an error naming the composite in the way.

    DeleteAlarms fails with "ValidationError: Cannot delete X as there are composite alarm(s)
    depending on them" while any composite alarm's rule names X, and then deletes nothing of that
    call (DeleteAlarms API reference; field reports of cloud-custodian and aws-nuke). So in each
    Region every composite there (actual.composites, read whole) that outlives the plan is taken
    with its rule as the plan leaves it: deleted ones drop out, created and updated ones count
    with their new rule, since the plan makes those before its alarm deletes (DELETE_LATE).
    """
    found = []
    for region, composites in actual.composites.items():
        here = [change for change in plan.changes
                if change.region == region and change.kind in (alarm.KIND, KIND)]
        going = {change.before["AlarmName"] for change in here if change.action == "delete"}
        after = dict(composites)
        after |= {change.after["AlarmName"]: alarm_rule.alarm_names(change.after["AlarmRule"])
                  for change in here if change.kind == KIND and change.action != "delete"}
        for name, names in sorted(after.items()):
            if name in going:
                continue
            for child in sorted(names & going):
                found.append(STILL_NAMED.problem((), f"alarm {regional(region, child)} cannot be deleted: composite alarm {name} "
                                         "names it in its rule, and AWS deletes no alarm a composite names "
                                         f"(DeleteAlarms: ValidationError). Change {name}'s rule or delete it "
                                         "first; nothing is deleted until then"))
    return found


def apply(clients: Clients, changes: list[Change]) -> None:
    for change in changes:
        if change.action == "delete":
            clients.cloudwatch.delete_alarms(AlarmNames=[change.before["AlarmName"]])
        elif change.action == "create":
            clients.cloudwatch.put_composite_alarm(**alarm_spec.put_parameters(change.after, with_tags=True))
        else:
            alarm.update(clients, change, clients.cloudwatch.put_composite_alarm)
