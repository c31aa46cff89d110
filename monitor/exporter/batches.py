"""How one refresh's queries become GetMetricData calls: windows, packing and shards. Pure.

GetMetricData (CloudWatch API reference,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html) takes
"as many as 500 different metrics in a single request, with a total of as many as 100,800 data
points", and one StartTime/EndTime per call; it answers "faster" when both "align with the
value of the metric's Period". So queries are grouped by Region and window (a window per delay),
and each group is packed into calls of at most 500 queries and 100,800 data points.

A window ends at the last period boundary at least `delay` seconds ago, so each of its periods
is complete; it spans `window` periods. Shards split queries by a SHA-256 of the service they
belong to: stable across processes and machines (Python's hash() of a str is salted per
process), and a service's metrics, which a derived expression combines, stay in one shard.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.config.model import Exporter
from monitor.exporter import naming
from monitor.exporter.queries import Query

MAX_QUERIES = 500
MAX_DATAPOINTS = 100_800


@dataclass(frozen=True)
class Window:
    """[start, end) in epoch seconds, both on period boundaries."""

    start: int
    end: int
    period: int

    @property
    def periods(self) -> int:
        return (self.end - self.start) // self.period


@dataclass(frozen=True)
class Batch:
    """One GetMetricData call's worth (before any NextToken pages): its Region, window and queries."""

    region: str | None
    window: Window
    queries: tuple[Query, ...]
    role: str | None = None   # read as this role (`role_arn`); None: the exporter's own credentials


def window(now: float, settings: Exporter, delay: int) -> Window:
    """The `settings.window` complete periods that end at least `delay` seconds before `now`."""
    period = settings.period
    end = int((now - delay) // period * period)
    return Window(end - settings.window * period, end, period)


def per_call(periods: int) -> int:
    """Queries one call can carry: 500, fewer when each returns many data points."""
    return max(1, min(MAX_QUERIES, MAX_DATAPOINTS // max(periods, 1)))


def batches(queries: Sequence[Query], settings: Exporter, now: float) -> list[Batch]:
    """The calls of one refresh, in a stable order: by Region, then window, then the queries' order."""
    groups: dict[tuple[str, str, int], list[Query]] = defaultdict(list)
    for query in queries:
        groups[(query.region or "", query.role or "", getattr(settings.delay, query.source))].append(query)
    found = []
    for (region, role, delay), members in sorted(groups.items()):
        span = window(now, settings, delay)
        size = per_call(span.periods)
        found += [Batch(region or None, span, tuple(members[i:i + size]), role or None)
                  for i in range(0, len(members), size)]
    return found


def shard_key(query: Query) -> str:
    """The service a query belongs to (`cluster/service`), else its namespace."""
    labels = dict(query.labels)
    if naming.SERVICE in labels:
        return f"{labels[naming.CLUSTER]}/{labels[naming.SERVICE]}"
    return labels.get(naming.NAMESPACE, query.namespace)


def shard_of(key: str, count: int) -> int:
    """1..count, the same for a key on every machine and every run."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(queries: Sequence[Query], index: int, count: int) -> list[Query]:
    """The queries of shard `index` of `count` (1-based)."""
    return [q for q in queries if shard_of(shard_key(q), count) == index]


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` with 1 <= I <= N; raises ValueError saying what is allowed."""
    index, sep, count = text.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise ValueError(f"--shard {text!r}: give I/N with 1 <= I <= N, e.g. 1/3")
    return int(index), int(count)
