"""What a config's exporter costs: queries, calls and data points per refresh, and dollars a month. Pure.

GetMetricData is billed per metric requested, $0.01 per 1,000 with no free tier
(https://aws.amazon.com/cloudwatch/pricing/); the price comes from monitor/cost's one table.
Scrapes never call AWS, so the number of Prometheus servers scraping changes nothing here;
shards split the queries, so N exporters together cost what one would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitor.config.model import Exporter
from monitor.cost import estimate as costs
from monitor.cost.prices import HOURS_A_MONTH
from monitor.cost.usage import Hints
from monitor.exporter import batches as packing
from monitor.exporter.queries import Query


@dataclass(frozen=True)
class Budget:
    """One refresh's size and the month's bill; `calls` counts first pages (NextToken pages come on top)."""

    queries: int
    calls: int
    datapoints: int     # at most: every period of every window
    interval: int
    estimate: costs.Estimate

    @property
    def refreshes_a_month(self) -> Decimal:
        return Decimal(HOURS_A_MONTH * 3600) / Decimal(self.interval)

    @property
    def metrics_a_month(self) -> Decimal:
        return self.queries * self.refreshes_a_month


def budget(queries: list[Query], settings: Exporter, home: str, now: float = 0.0) -> Budget:
    """The size of one refresh of `queries` and what a month of them costs in `home`."""
    calls = packing.batches(queries, settings, now)
    points = sum(len(batch.queries) * batch.window.periods for batch in calls)
    hints = Hints(exporter_metrics=len(queries), exporter_interval=settings.interval)
    return Budget(len(queries), len(calls), points, settings.interval, costs.estimate([], home, hints))
