"""The read-only IAM policy the exporter needs, from the actions its readers declare. Pure.

- cloudwatch:GetMetricData (monitor/exporter/metricdata.py): every refresh, on `*`.
- ecs:DescribeServices (monitor/resolved/services.py): at start and reload, for the services whose
  `task_definition` the config leaves out, on those services' ARNs (monitor/resolved/limits.py).
- ecs:DescribeTaskDefinition (monitor/resolved/taskdefs.py): at start and reload, for the containers'
  limits, on `*`.
"""

from __future__ import annotations

from monitor.aws.iam import Grant, document
from monitor.config.model import Config
from monitor.exporter import metricdata
from monitor.resolved import limits, services, taskdefs


def policy(config: Config, region: str | None = None) -> dict:
    """An IAM policy document (JSON-ready) for the exporter of `config`; `region` (else the config's, else
    any) scopes the services' ARNs."""
    read = limits.paths(config)
    unnamed = services.described(config, read)
    return document([
        Grant("ReadMetrics", metricdata.PERMISSIONS.read_if),
        Grant("FindTaskDefinitions", services.PERMISSIONS.read_if if unnamed else (),
              services.arns(unnamed, region or config.region)),
        Grant("ReadContainerLimits", taskdefs.PERMISSIONS.read_if if read else ()),
    ])
