"""What a live analysis of `monitor review --deployed` is given, apart from the analyses themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.aws.clients import Clients
from monitor.resolved import Loaded
from monitor.review.alarm_table import Row
from monitor.state.resources import Resource


@dataclass(frozen=True)
class Deployed:
    """What a live analysis is given: clients (read only), the config, every alarm as DescribeAlarms
    returned it (`metric_alarms`, `composite_alarms`), their review rows, the config's desired alarms
    as PutMetricAlarm specs (Resource.spec; `id` is the alarm name) and the time of the review (UTC)."""

    clients: Clients
    loaded: Loaded
    metric_alarms: list[dict]
    composite_alarms: list[dict]
    rows: list[Row]
    desired: list[Resource]
    now: datetime
