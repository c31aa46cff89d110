"""The metric data behind deployed alarms: one GetMetricData query group per distinct series. Read only.

GetMetricData "can retrieve as many as 500 different metrics in a single request, with a total of
as many as 100,800 data points"; past `MaxDatapoints` (default and most: 100,800) the answer is
paged with `NextToken` (CloudWatch API reference, GetMetricData:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html). So:
- alarms watching the same series (metric, dimensions, statistic, period, unit; or the same
  metric-math queries) share one query group, fetched once;
- groups are packed into calls of at most 500 queries; a math alarm's queries stay in one call,
  since an expression can only name queries of its own request;
- every call's pages are followed (`NextToken`), each at most 100,800 data points, and the time
  range is split so that no single query asks for more than 100,800 points.
Retention, from the same page: 60 s data is kept 15 days, under 60 s only 3 hours, and a start
time more than 3 hours ago needs a period that is a multiple of 60. A high-resolution alarm (period
under 60 s) is therefore replayed over the last 3 hours only (`span`).
Anomaly-detection alarms (`ThresholdMetricId`) have no series of their own here: `group` gives None.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.aws.clients import Clients

MAX_QUERIES = 500        # MetricDataQuery structures a GetMetricData call may hold
MAX_DATAPOINTS = 100_800  # data points a GetMetricData page holds at most (MaxDatapoints)
HIGH_RESOLUTION_KEPT = timedelta(hours=3)   # how long data under 60 s is kept at its resolution
QUERY_KEYS = ("Id", "MetricStat", "Expression", "Period", "AccountId", "ReturnData")   # what changes the data
IDENTIFIER = re.compile(r'"[^"]*"|\b[a-z][A-Za-z0-9_]*\b')   # a quoted string, or a word that may be a query id

Points = dict[datetime, float]   # a series as CloudWatch returned it: period start -> value


@dataclass(frozen=True)
class Group:
    """The queries one alarm's series needs; `result` is the Id of the one whose values the alarm evaluates."""

    queries: tuple[dict, ...]
    result: str
    period: int   # seconds

    @property
    def key(self) -> str:
        """Equal for alarms that watch the same series: the dedup key."""
        return json.dumps(self.queries, sort_keys=True)


def group(alarm: dict) -> Group | None:
    """The query group for a DescribeAlarms `MetricAlarms` item; None for an anomaly-detection alarm."""
    if alarm.get("ThresholdMetricId"):
        return None
    if alarm.get("Metrics"):
        queries = tuple({key: query[key] for key in QUERY_KEYS if key in query} for query in alarm["Metrics"])
        returned = [q for q in queries if q.get("ReturnData", True)]
        result = (returned or queries)[-1]
        return Group(queries, result["Id"], result.get("Period") or _stat_period(queries))
    stat = {"Metric": {"Namespace": alarm["Namespace"], "MetricName": alarm["MetricName"],
                       "Dimensions": sorted(alarm.get("Dimensions", []), key=lambda d: (d["Name"], d["Value"]))},
            "Period": alarm["Period"], "Stat": alarm.get("Statistic") or alarm["ExtendedStatistic"]}
    if alarm.get("Unit"):
        stat["Unit"] = alarm["Unit"]
    return Group(({"Id": "m", "MetricStat": stat, "ReturnData": True},), "m", alarm["Period"])


def _stat_period(queries: tuple[dict, ...]) -> int:
    return next(q["MetricStat"]["Period"] for q in queries if "MetricStat" in q)


def span(period: int, now: datetime, days: int) -> tuple[datetime, datetime]:
    """[start, end) to replay: `days` back to the last whole hour (UTC), or the last 3 hours to the
    last whole minute for a period under 60 s. One span for all standard-resolution alarms keeps
    them in the same calls; GetMetricData's page asks for start and end on "the beginning and end of
    an hour" for better performance."""
    if period < 60:
        end = _floor(now, 60)
        return end - HIGH_RESOLUTION_KEPT, end
    end = _floor(now, 3600)
    return end - timedelta(days=days), end


def _floor(moment: datetime, period: int) -> datetime:
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % period, moment.tzinfo)


def batches(groups: list[Group]) -> list[list[Group]]:
    """Groups packed in order into calls of at most MAX_QUERIES queries, no group split across calls."""
    calls: list[list[Group]] = [[]]
    for item in groups:
        if calls[-1] and sum(len(g.queries) for g in calls[-1]) + len(item.queries) > MAX_QUERIES:
            calls.append([])
        calls[-1].append(item)
    return [call for call in calls if call]


def windows(start: datetime, end: datetime, period: int) -> list[tuple[datetime, datetime]]:
    """[start, end) cut so that one query of `period` seconds asks for at most MAX_DATAPOINTS points."""
    step = timedelta(seconds=MAX_DATAPOINTS * period)
    cuts = []
    while start < end:
        cuts.append((start, min(start + step, end)))
        start += step
    return cuts


def fetch(clients: Clients, groups: list[Group], now: datetime, days: int) -> dict[str, Points]:
    """Each distinct group's result series, by Group.key, over its `span`; duplicates are fetched once.

    Calls GetMetricData ceil(queries / 500) times per span and window, plus one per further page.
    AWS errors propagate.
    """
    unique = {g.key: g for g in groups}
    spans: dict[tuple[datetime, datetime], list[Group]] = defaultdict(list)
    for item in unique.values():
        spans[span(item.period, now, days)].append(item)
    found: dict[str, Points] = {key: {} for key in unique}
    for (start, end), members in spans.items():
        for cut in windows(start, end, min(g.period for g in members)):
            for call in batches(members):
                for item, points in zip(call, _call(clients, call, *cut)):
                    found[item.key] |= points
    return found


def _call(clients: Clients, call: list[Group], start: datetime, end: datetime) -> list[Points]:
    """One request (and its pages): each group's result series, in the order of `call`."""
    queries = [query for number, item in enumerate(call) for query in _renamed(item, f"g{number}_")]
    pages = clients.cloudwatch.get_paginator("get_metric_data").paginate(
        MetricDataQueries=queries, StartTime=start, EndTime=end, ScanBy="TimestampAscending",
        PaginationConfig={"PageSize": MAX_DATAPOINTS})
    series: dict[str, Points] = defaultdict(dict)
    for page in pages:
        for result in page.get("MetricDataResults", []):
            series[result["Id"]] |= dict(zip(result.get("Timestamps", []), result.get("Values", [])))
    return [series[f"g{number}_{item.result}"] for number, item in enumerate(call)]


def _renamed(item: Group, prefix: str) -> list[dict]:
    """The group's queries with ids unique in the call; expressions name the renamed ids; only the result returns data."""
    ids = {query["Id"] for query in item.queries}

    def rename(match: re.Match) -> str:
        word = match.group(0)
        return prefix + word if word in ids else word

    renamed = []
    for query in item.queries:
        copy = {**query, "Id": prefix + query["Id"], "ReturnData": query["Id"] == item.result}
        if "Expression" in copy:
            copy["Expression"] = IDENTIFIER.sub(rename, copy["Expression"])
        renamed.append(copy)
    return renamed
