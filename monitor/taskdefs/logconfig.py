"""Where a container definition sends its logs, read from its `logConfiguration`. Pure: no AWS.

Two drivers write to CloudWatch Logs (Amazon ECS Developer Guide, "Using the awslogs log
driver" and "Example task definitions" for FireLens):
- `awslogs`: `awslogs-group`, `awslogs-region`, and `awslogs-create-group: "true"` when the
  driver creates the group on the task's first start;
- `awsfirelens` with the `cloudwatch_logs` output (or the older `cloudwatch` one):
  `log_group_name`, `region`, and `auto_create_group`. FireLens adds `ecs_cluster`,
  `ecs_task_arn` and `container_name` to each JSON record unless the log router's
  `firelensConfiguration` sets `enable-ecs-log-metadata` to "false".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AWSLOGS, FIRELENS = "awslogs", "awsfirelens"
FIRELENS_OUTPUTS = ("cloudwatch_logs", "cloudwatch")
# Fluent Bit booleans (Fluent Bit manual, "Configuration file: values"): true/on/yes.
FLUENT_TRUE = ("true", "on", "yes")
# `$(ecs_task_id)` (aws-for-fluent-bit `cloudwatch`) and `${...}` record accessors / variables.
TEMPLATE = re.compile(r"\$[({]")


@dataclass(frozen=True)
class LogTarget:
    """The group a container's logs go to, its Region (None: unsaid), and who makes it."""

    group: str
    region: str | None = None
    creates: bool = False    # the driver creates the group when the first task starts
    metadata: bool = False   # FireLens adds container_name, ecs_cluster, ecs_task_arn to each record


def target(definitions: dict[str, dict], name: str) -> LogTarget | str:
    """The container's log target, or why it names no single CloudWatch Logs group."""
    logging = definitions[name].get("logConfiguration") or {}
    driver, options = logging.get("logDriver"), logging.get("options") or {}
    if driver == AWSLOGS and options.get("awslogs-group"):
        return LogTarget(options["awslogs-group"], options.get("awslogs-region"),
                         options.get("awslogs-create-group", "").lower() == "true")
    if driver == FIRELENS and options.get("Name", "").lower() in FIRELENS_OUTPUTS:
        return _firelens(options, _metadata(definitions))
    return (f"container '{name}' does not send its logs to CloudWatch Logs in its task definition (the "
            f"awslogs driver, or awsfirelens with the cloudwatch_logs output); set 'log_group' in the config")


def _firelens(options: dict[str, str], metadata: bool) -> LogTarget | str:
    """FireLens names one group only without a template; `log_group_template` overrides the name."""
    group = options.get("log_group_name", "")
    if not group or TEMPLATE.search(group) or options.get("log_group_template"):
        shown = options.get("log_group_template") or group or "(none)"
        return (f"the FireLens output's log group '{shown}' is a template (or missing), so it names no single "
                "log group; set 'log_group' in the config")
    return LogTarget(group, options.get("region"), options.get("auto_create_group", "").lower() in FLUENT_TRUE,
                     metadata)


def _metadata(definitions: dict[str, dict]) -> bool:
    """On unless the log router (the container with `firelensConfiguration`) turns it off."""
    routers = [d["firelensConfiguration"] for d in definitions.values() if d.get("firelensConfiguration")]
    options = (routers[0].get("options") or {}) if routers else {}
    return options.get("enable-ecs-log-metadata", "true").lower() != "false"
