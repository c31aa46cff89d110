"""The exporter at 10,000 series: scrape cost against a floor measured in the same run, refresh
cost, and resident memory over 1,000 refreshes.

- Scrape: generate_latest over the exporter's registry (the snapshot's families plus its own
  health metrics) against generate_latest over prometheus_client Gauges holding 10,000 plain
  samples of the same shape (5 gauges x 2,000 label sets). Target: <= 1.5x.
- Refresh: building one snapshot from 10,000 readings of 5 periods each (CloudWatch is not
  called: GetMetricData is replaced by a function returning the datapoints).
- Memory: RSS after 100 and after 1,000 refreshes, the window moving a minute each time, so
  counters keep adding; it must not grow.

    .venv/bin/python benchmarks/bench_exporter.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prometheus_client import CollectorRegistry, Gauge, generate_latest  # noqa: E402

from monitor.aws.clients import Clients, Target  # noqa: E402
from monitor.config.model import Exporter  # noqa: E402
from monitor.exporter import (
    metricdata,
    queries,  # noqa: E402
)
from monitor.exporter.collector import registry  # noqa: E402
from monitor.exporter.refresh import QueryPlan, Refresher  # noqa: E402

CONTAINERS = 2_000
METRICS = (("Requests", "Count", True), ("Errors", "Count", True), ("Latency", "Milliseconds", False),
           ("Queue", "None", False), ("Payload", "Bytes", False))
SCRAPES = 30


def the_queries() -> tuple[queries.Query, ...]:
    found = []
    for n in range(CONTAINERS):
        labels = (("ecs_cluster", "prod"), ("ecs_service", f"svc-{n // 10}"), ("container", f"app-{n % 10}"))
        for metric, unit, counter in METRICS:
            family = f"ecs_filter_{metric.lower()}" + ("_total" if counter else "")
            found.append(queries.Query(f"Custom/ECS/prod/svc-{n // 10}/app-{n % 10}", metric, (),
                                       "Sum" if counter else "Average", queries.FILTERS, family, unit, labels,
                                       counter, (metric,), help=f"{metric}."))
    return tuple(found)


def fake_fetch(clients, batch):
    """Every query gets a datapoint in each period of its window."""
    span = batch.window
    points = tuple((t, float(t % 7 + 1)) for t in range(span.start, span.end, span.period))
    return metricdata.Fetched({i: points for i in range(len(batch.queries))}, len(batch.queries))


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def timed(function, times: int) -> float:
    """Median seconds of `times` runs."""
    found = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        found.append(time.perf_counter() - started)
    return statistics.median(found)


def floor_registry() -> CollectorRegistry:
    plain = CollectorRegistry()
    for metric, _, _ in METRICS:
        gauge = Gauge(f"plain_{metric.lower()}", f"{metric}.", ("ecs_cluster", "ecs_service", "container"),
                      registry=plain)
        for n in range(CONTAINERS):
            gauge.labels("prod", f"svc-{n // 10}", f"app-{n % 10}").set(n)
    return plain


def main() -> int:
    metricdata.fetch = fake_fetch
    clock = [1_800_000_000.0]
    refresher = Refresher(Clients(Target("us-east-1")), QueryPlan(Exporter(delay=0), the_queries()), clock=lambda: clock[0])

    def refresh():
        clock[0] += 60
        assert refresher.refresh(), refresher.current.health.error

    refresh_seconds = timed(refresh, 20)
    ours, plain = registry(lambda: refresher.current), floor_registry()
    series = refresher.current.snapshot.series
    scrape, floor = timed(lambda: generate_latest(ours), SCRAPES), timed(lambda: generate_latest(plain), SCRAPES)
    for _ in range(80):
        refresh()
    gc.collect()
    before = rss_kib()
    for _ in range(900):
        refresh()
    gc.collect()
    after = rss_kib()
    ratio = scrape / floor
    print(f"series: {series}")
    print(f"scrape: {scrape * 1000:.1f} ms; generate_latest over {CONTAINERS * len(METRICS)} plain gauges: "
          f"{floor * 1000:.1f} ms; ratio {ratio:.2f}x (target <= 1.5x)")
    print(f"refresh (10,000 readings, GetMetricData stubbed): {refresh_seconds * 1000:.1f} ms")
    print(f"RSS after 100 refreshes: {before / 1024:.1f} MiB; after 1,000: {after / 1024:.1f} MiB "
          f"({(after - before) / 1024:+.1f} MiB)")
    grew = after > before * 1.05
    return 1 if ratio > 1.5 or grew else 0


if __name__ == "__main__":
    sys.exit(main())
