"""GetMetricData for the exporter: one batch of queries in, each query's datapoints out.

Queries carry ids `q0`, `q1`, ... within their call (an Id "must start with a lowercase letter",
MetricDataQuery in the CloudWatch API reference,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html).
Pages are followed with botocore's paginator (NextToken); one query's datapoints may come in
several pages and are joined. Every page is a request for all the batch's metrics, which is
how `requested` counts them: CloudWatch bills GetMetricData per metric requested
(https://aws.amazon.com/cloudwatch/pricing/). AWS errors propagate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from monitor.aws import assume, iam
from monitor.aws.clients import Clients
from monitor.exporter.batches import Batch

Points = tuple[tuple[int, float], ...]   # (epoch seconds at the period's start, value), oldest first
# GetMetricData takes no resource-level permission: `*` (Service Authorization Reference, Amazon CloudWatch:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
PERMISSIONS = iam.Permissions("metric data", read_if=("cloudwatch:GetMetricData",), when="the exporter refreshes")


@dataclass(frozen=True)
class Fetched:
    """Each query's datapoints, by its index in the batch, and the metrics requested to get them."""

    points: dict[int, Points]
    requested: int


def fetch(clients: Clients, batch: Batch) -> Fetched:
    """Read one batch; raises botocore's errors as they come."""
    cloudwatch = assume.assumed(clients, batch.role).in_region(batch.region).cloudwatch
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    pages = cloudwatch.get_paginator("get_metric_data").paginate(
        MetricDataQueries=[_query(i, q, batch.window.period) for i, q in enumerate(batch.queries)],
        StartTime=_utc(batch.window.start), EndTime=_utc(batch.window.end), ScanBy="TimestampAscending")
    requested = 0
    for page in pages:
        requested += len(batch.queries)
        for result in page.get("MetricDataResults", []):
            index = int(result["Id"][1:])
            found[index] += [(int(t.timestamp()), float(v)) for t, v in zip(result["Timestamps"], result["Values"])]
    return Fetched({i: tuple(sorted(set(p))) for i, p in found.items()}, requested)


def _query(index: int, query, period: int) -> dict:
    metric = {"Namespace": query.namespace, "MetricName": query.metric,
              "Dimensions": [{"Name": k, "Value": v} for k, v in query.dimensions]}
    return {"Id": f"q{index}", "ReturnData": True,
            "MetricStat": {"Metric": metric, "Period": period, "Stat": query.stat}}


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)
