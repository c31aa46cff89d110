"""Prometheus names for CloudWatch metrics: base units, `_ratio`, `_total` only on counters. Pure.

Conventions: https://prometheus.io/docs/practices/naming/ ("Metric names": base units such as
seconds and bytes, ratios 0..1 with `_ratio`, `_total` for accumulating counts; "Labels") and
https://prometheus.io/docs/instrumenting/writing_exporters/ ("Naming", "Labels": avoid `type`,
and label names that clash with target labels such as `job`, `instance` and `namespace`).
`promtool check metrics` also refuses `_count`, `_sum` and `_bucket` on gauges and counters.

CloudWatch units are the StandardUnit values of the PutMetricData API reference
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html). ECS CPU
units are 1/1024 of a vCPU, and ECS memory is in MiB (Amazon ECS Developer Guide, "Task
definition parameters": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "ecs"
SELF = "ecs_monitor"   # the exporter's own metrics
RESERVED_ENDINGS = ("_total", "_count", "_sum", "_bucket", "_created", "_info")
# `ecs_container`, not `container`: Kubernetes service discovery and cAdvisor use `container` as a
# target label, which would overwrite ours on ingestion (writing_exporters.md, "Target labels, not static scraped labels").
CLUSTER, SERVICE, CONTAINER = "ecs_cluster", "ecs_service", "ecs_container"
ACCOUNT = "aws_account_id"   # on metrics read through a cluster's or the exporter's `role_arn`
NAMESPACE = "cloudwatch_namespace"   # for a metric outside the container's own namespace
CPU_UNITS = "ECS CPU units"
MIB = "ECS MiB"
KIB = 1024


@dataclass(frozen=True)
class Unit:
    """How a CloudWatch unit reads in Prometheus: multiply by `scale`, name it with `suffix`."""

    scale: float
    suffix: str


_BYTES = {"Bytes": 1, "Kilobytes": KIB, "Megabytes": KIB ** 2, "Gigabytes": KIB ** 3, "Terabytes": KIB ** 4,
          "Bits": 1 / 8, "Kilobits": 1e3 / 8, "Megabits": 1e6 / 8, "Gigabits": 1e9 / 8, "Terabits": 1e12 / 8}
UNITS: dict[str, Unit] = {
    "Seconds": Unit(1, "seconds"), "Milliseconds": Unit(1e-3, "seconds"), "Microseconds": Unit(1e-6, "seconds"),
    "Percent": Unit(0.01, "ratio"), "Count/Second": Unit(1, "per_second"), "Count": Unit(1, ""), "None": Unit(1, ""),
    # CPU as cores (1 vCPU = 1,024 ECS CPU units), the unit kube-state-metrics and cAdvisor's users read CPU
    # amounts in; `vcpus` is no Prometheus unit. A core busy for a second is a CPU-second.
    CPU_UNITS: Unit(1 / 1024, "cores"), MIB: Unit(KIB ** 2, "bytes"),
    **{name: Unit(scale, "bytes") for name, scale in _BYTES.items()},
    **{f"{name}/Second": Unit(scale, "bytes_per_second") for name, scale in _BYTES.items()},
}


def unit(name: str | None) -> Unit:
    """The Prometheus reading of a CloudWatch (or ECS) unit; an unknown or absent unit is taken as is."""
    return UNITS.get(name or "None", UNITS["None"])


def snake(name: str) -> str:
    """`NginxHttp5xxByStatus` -> `nginx_http5xx_by_status`; anything not [a-z0-9_] becomes `_`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", spaced.lower())).strip("_")


def metric_name(area: str, name: str, suffix: str, counter: bool = False) -> str:
    """`ecs_<area>_<snake name>_<suffix>[_total]`, the unit said once and last: `BytesSent` in Bytes is
    `sent_bytes`, not `bytes_sent_bytes` (naming.md: "a suffix describing the unit", and `_total` after it)."""
    base = snake(name)
    if suffix:
        first = suffix.split("_")[0]
        words = [word for word in base.split("_") if word != first]
        base = "_".join(words + [suffix]) if words else suffix
    for ending in RESERVED_ENDINGS:   # `ErrorCount` as a gauge would read as a summary's count
        if base.endswith(ending):
            base = base[: -len(ending)] + "_" + ending.strip("_") + "s" if not counter else base
    name_ = f"{PREFIX}_{area}_{base}"
    return f"{name_}_total" if counter and not name_.endswith("_total") else name_
