"""`log_groups:` retention and encryption for the groups ecs-monitor creates. Pure but for botocore's model.

PutRetentionPolicy takes only some numbers of days; botocore's CloudWatch Logs model lists them
in the `Days` shape's documentation ("Possible values are: 1, 3, 5, ..."), the text of the API
reference (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
They are read from there, so a botocore that knows a new value accepts it; the list below is the
fallback when the model says nothing readable. `kms_key_id` is a KMS key ARN (CreateLogGroup
`kmsKeyId`: "The Amazon Resource Name (ARN) of the KMS key to use when encrypting log data").
"""

from __future__ import annotations

import functools
import re

import botocore.loaders

from monitor.config.model import Config, Container, LogGroups

FALLBACK = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
            3653)
KMS_KEY = re.compile(r"arn:[\w-]+:kms:[\w-]+:\d{12}:key/[\w-]+")


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
