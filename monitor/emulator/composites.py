"""Composite alarm dependencies in the emulator, enforced as AWS enforces them.

- DeleteAlarms refuses to delete an alarm that a composite alarm not deleted by the same call
  names in its rule, with "ValidationError: Cannot delete X as there are composite alarm(s)
  depending on them", and then deletes nothing of that call (DeleteAlarms API reference,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html, and the
  field reports of cloud-custodian and aws-nuke). moto deleted it and left the composite dangling.
- PutCompositeAlarm refuses a rule that names an alarm that does not exist: "Could not save the
  composite alarm as alarms [X] in the alarm rule do not exist" (as CloudFormation users met it,
  https://github.com/awsdocs/aws-cloudformation-user-guide/issues/911). moto saved it.

Both hook moto's internals (CloudWatchBackend.delete_alarms, CloudWatchResponse.put_composite_alarm,
the latter wired by monitor/emulator/server.py), installed after server.py's own patches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.models import CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse

from monitor.alarms import rule as composite_rule

Wrapped = Callable[..., Any]


def install() -> None:
    """Wrap the two calls; server.install_fidelity_patches runs this once per process."""
    CloudWatchBackend.delete_alarms = _refusing_dependents(CloudWatchBackend.delete_alarms)
    CloudWatchResponse.put_composite_alarm = _requiring_children(CloudWatchResponse.put_composite_alarm)


def _refusing_dependents(delete: Wrapped) -> Wrapped:
    @functools.wraps(delete)
    def checked(self: CloudWatchBackend, alarm_names: list[str]) -> None:
        going = set(alarm_names)
        held = sorted({name for alarm in self.alarms.values()
                       if alarm.rule is not None and alarm.name not in going
                       for name in composite_rule.alarm_names(alarm.rule or "") & going})
        if held:
            raise ValidationError(f"Cannot delete {', '.join(held)} as there are composite alarm(s) "
                                  "depending on them")
        delete(self, alarm_names)

    return checked


def _requiring_children(put: Wrapped) -> Wrapped:
    @functools.wraps(put)
    def checked(self: CloudWatchResponse) -> Any:
        name = self._get_param("AlarmName")
        missing = sorted(child for child in composite_rule.alarm_names(self._get_param("AlarmRule") or "")
                         if child != name and child not in self.cloudwatch_backend.alarms)
        if missing:
            raise ValidationError(f"Could not save the composite alarm as alarms [{', '.join(missing)}] in the "
                                  "alarm rule do not exist")
        return put(self)

    return checked
