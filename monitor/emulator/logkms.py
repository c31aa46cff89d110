"""CloudWatch Logs retention and KMS keys in the emulator, as AWS has them.

moto (5.2) has no AssociateKmsKey or DisassociateKmsKey, and PutRetentionPolicy takes any number
of days. AWS: AssociateKmsKey sets a group's `kmsKeyId` (a KMS key ARN), DisassociateKmsKey
removes it (CloudWatch Logs API reference, AssociateKmsKey, DisassociateKmsKey);
PutRetentionPolicy takes only the values its `retentionInDays` lists (monitor/config/log_groups.py
reads them from botocore's model) and answers InvalidParameterException for others.
"""

from __future__ import annotations

import functools

from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
from moto.logs.responses import LogsResponse

from monitor.config.log_groups import KMS_KEY, retention_values


def install() -> None:
    """Add the two calls and the retention check to moto's LogsResponse."""
    LogsResponse.associate_kms_key = _associate
    LogsResponse.disassociate_kms_key = _disassociate
    LogsResponse.put_retention_policy = _checked_retention(LogsResponse.put_retention_policy)


def _group(response: LogsResponse):
    name = response._get_param("logGroupName")
    group = response.logs_backend.groups.get(name)
    if group is None:
        raise ResourceNotFoundException("The specified log group does not exist.")
    return group


def _associate(self: LogsResponse) -> str:
    key = self._get_param("kmsKeyId")
    if not isinstance(key, str) or not KMS_KEY.fullmatch(key):
        raise InvalidParameterException(f"Specified KmsKeyId is not a valid KMS key ARN: {key}")
    _group(self).kms_key_id = key
    return ""


def _disassociate(self: LogsResponse) -> str:
    _group(self).kms_key_id = None
    return ""


def _checked_retention(put):
    @functools.wraps(put)
    def checked(self: LogsResponse) -> str:
        days = self._get_param("retentionInDays")
        if days not in retention_values():
            raise InvalidParameterException(f"1 validation error detected: Value '{days}' at 'retentionInDays' "
                                            "failed to satisfy constraint: Member must satisfy enum value set")
        return put(self)
    return checked
