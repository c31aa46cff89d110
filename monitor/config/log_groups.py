"""`log_groups:` retention and encryption for the groups ecs-monitor creates. Pure but for botocore's model.

PutRetentionPolicy takes only some numbers of days; botocore's CloudWatch Logs model lists them
in the `Days` shape's documentation ("Possible values are: 1, 3, 5, ..."), the text of the API
reference (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
They are read from there, so a botocore that knows a new value accepts it; the list below is the
fallback when the model says nothing readable. `kms_key_id` is a KMS key ARN (CreateLogGroup
`kmsKeyId`: "The Amazon Resource Name (ARN) of the KMS key to use when encrypting log data"), of the
log group's own Region: the key policy lets the CloudWatch Logs service principal of the group's
Region (`logs.<region>.amazonaws.com`) use the key, and "This service principal must be in the same
AWS Region where the KMS key is stored" (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch
Logs using AWS Key Management Service", Step 2, KMS_REGION_DOC).
"""

from __future__ import annotations

import functools
import re

import botocore.loaders

from monitor.config.model import Config, Container, LogGroups

FALLBACK = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
            3653)
KMS_KEY = re.compile(r"arn:[\w-]+:kms:(?P<region>[\w-]+):\d{12}:key/[\w-]+")
KMS_REGION_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"


@functools.cache
def retention_values() -> tuple[int, ...]:
    """The retention periods (days) PutRetentionPolicy accepts, as botocore's model documents them."""
    model = botocore.loaders.create_loader().load_service_model("logs", "service-2")   # no profile, no credentials
    said = re.search(r"Possible values are:([\d,\sand]+)", model["shapes"]["Days"].get("documentation", ""))
    found = tuple(int(n) for n in re.findall(r"\d+", said.group(1))) if said else ()
    return found or FALLBACK


def settings(config: Config, container: Container | None = None) -> LogGroups:
    """The container's own `log_groups`, key by key over the top level's; for the performance group, the top level's."""
    top = config.log_groups or LogGroups()
    own = container.log_groups if container is not None else None
    if own is None:
        return top
    return top.model_copy(update=own.model_dump(exclude_unset=True))


def problems(given: LogGroups) -> list[tuple[str, str]]:
    """(key, message) for each bad value."""
    found = []
    allowed = retention_values()
    if given.retention_days is not None and given.retention_days not in allowed:
        close = min(allowed, key=lambda days: abs(days - given.retention_days))
        found.append(("retention_days", f"{given.retention_days} days is not a retention CloudWatch Logs accepts "
                                        f"(nearest: {close}); allowed: {', '.join(map(str, allowed))}; leave it out "
                                        "to keep events forever"))
    if given.kms_key_id is not None and not KMS_KEY.fullmatch(given.kms_key_id):
        found.append(("kms_key_id", f"'{given.kms_key_id}' is not a KMS key ARN "
                                    "(arn:aws:kms:<region>:<account>:key/<key id>)"))
    return found


def key_region(kms_key_id: str | None) -> str | None:
    """The Region in a KMS key ARN; None for no key, or one that is no ARN (`problems` says so)."""
    match = KMS_KEY.fullmatch(kms_key_id or "")
    return match.group("region") if match else None


def other_region(kms_key_id: str | None, group: str, region: str | None) -> str | None:
    """Why a key cannot encrypt `group` in `region` (None: it can, or either Region is not known offline)."""
    held = key_region(kms_key_id)
    if held is None or region is None or held == region:
        return None
    return (f"'{kms_key_id}' is a key of {held}, and log group {group} is in {region}: CloudWatch Logs uses a key "
            f"of the group's own Region (the key policy's principal logs.{region}.amazonaws.com must be in the key's "
            f"Region); give a key of {region} (arn:aws:kms:{region}:<account>:key/<key id>)")
