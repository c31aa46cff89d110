"""The monthly cost of resources, and of a plan's changes, as line items. Pure.

Prices come from the one table in `prices`; counts from `usage`. Every total is in USD per
month at list prices before tax, before any account-wide free tier; the free tier is shown
apart, subtracted once from this config's use as if nothing else in the account used it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from monitor.cost import usage
from monitor.cost.prices import AS_OF, SOURCE, Prices, for_region, tiered
from monitor.cost.usage import Hints, Use
from monitor.state.plan import Plan
from monitor.state.resources import Resource

ZERO = Decimal(0)


@dataclass(frozen=True)
class Item:
    what: str
    unit: str
    price: Callable[[Prices], Decimal | None]


ITEMS: dict[str, Item] = {
    "custom_metrics": Item("custom metrics", "metric", lambda p: None),   # tiered: see _tiers
    "alarm_standard": Item("standard-resolution alarms", "alarm metric", lambda p: p.alarm_standard),
    "alarm_high_resolution": Item("high-resolution alarms", "alarm metric", lambda p: p.alarm_high_resolution),
    "alarm_anomaly_standard": Item("anomaly-detection alarms", "alarm metric", lambda p: p.alarm_standard),
    "alarm_anomaly_high_resolution": Item("high-resolution anomaly-detection alarms", "alarm metric",
                                          lambda p: p.alarm_high_resolution),
    "alarm_composite": Item("composite alarms", "alarm", lambda p: p.alarm_composite),
    "dashboards": Item("dashboards", "dashboard", lambda p: p.dashboard),
    "get_metric_data": Item("exporter GetMetricData requests", "thousand metrics requested",
                            lambda p: p.get_metric_data),
    "insights_logs": Item("Container Insights performance log events", "GB ingested", lambda p: p.log_ingestion),
    "insights_enhanced": Item("Container Insights enhanced observability", "task", lambda p: None),
}
FREE_PREFIX = "free_tier_"
# (item, the free-tier allowance it draws on)
FREE = (("custom_metrics", lambda f: f.metrics), ("alarm_standard", lambda f: f.alarm_metrics),
        ("dashboards", lambda f: f.dashboards), ("insights_logs", lambda f: f.log_gb))
GENERAL = ("each metric, alarm and dashboard is counted for the whole month "
           "(CloudWatch prorates metrics and alarms by the hour they exist)",
           "GB = 10^9 bytes; a month = 730 hours")


@dataclass(frozen=True)
class Line:
    """One line item: `count` units of `unit` at `unit_price` USD, `monthly` USD per month."""

    item: str
    region: str
    count: Decimal
    unit_price: Decimal | None   # None: not priced (the table has no price for it)
    monthly: Decimal
    things: int = 0   # alarms, filters, tasks ... the count stands for

    @property
    def what(self) -> str:
        base = self.item.removeprefix(FREE_PREFIX)
        return ("free tier: " if base != self.item else "") + ITEMS[base].what

    @property
    def unit(self) -> str:
        return ITEMS[self.item.removeprefix(FREE_PREFIX)].unit


@dataclass(frozen=True)
class Estimate:
    """Line items and their total in USD per month, with what was assumed and what could not be priced."""

    lines: tuple[Line, ...]
    free_tier: tuple[Line, ...] = ()   # negative lines: the account-wide free tier, used once
    assumptions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = SOURCE
    as_of: str = AS_OF

    @property
    def total(self) -> Decimal:
        return sum((line.monthly for line in self.lines), ZERO)

    @property
    def after_free_tier(self) -> Decimal:
        return max(self.total + sum((line.monthly for line in self.free_tier), ZERO), ZERO)


def estimate(resources: Iterable[Resource], home: str, hints: Hints = Hints()) -> Estimate:
    """What the resources cost a month in USD, with the exporter's GetMetricData when hints give it.

    `home` is the Region of resources whose `region` is None. Unknown kinds cost nothing here.
    """
    uses = usage.count(resources, home, hints) + usage.exporter(home, hints)
    lines, warnings = price(uses)
    return Estimate(tuple(lines), tuple(free_tier(lines, home)), assumptions(uses), warnings)


def plan_delta(plan: Plan, home: str, hints: Hints = Hints()) -> Estimate:
    """What the plan's changes add to the monthly bill: creates and updates' new side, minus deletes and
    updates' old side, each side priced from zero (the first tier of a tiered price). No free tier.
    """
    added = [Resource(c.kind, c.id, c.after, region=c.region) for c in plan.changes if c.after is not None]
    removed = [Resource(c.kind, c.id, c.before, region=c.region) for c in plan.changes if c.before is not None]
    plus, minus = usage.count(added, home, hints), usage.count(removed, home, hints)
    (gained, warned), (lost, _) = price(plus), price(minus)
    return Estimate(tuple(_difference(gained, lost)), (), assumptions(plus + minus), warned)


def price(uses: list[Use]) -> tuple[list[Line], tuple[str, ...]]:
    """Lines per item and Region in the order first used; a tiered item gets a line per tier reached."""
    grouped: dict[tuple[str, str], list[Use]] = defaultdict(list)
    for use in uses:
        grouped[(use.item, use.region)].append(use)
    lines, warnings = [], []
    for (item, region), group in grouped.items():
        prices, warning = for_region(region)
        warnings += [warning] if warning and warning not in warnings else []
        quantity, things = sum((u.quantity for u in group), ZERO), sum(u.things for u in group)
        lines += _lines(item, region, quantity, things, prices)
    warnings += [f"{ITEMS[line.item].what} in {line.region}: no verified price in the table, "
                 f"not included in the total; see {SOURCE}" for line in lines if line.unit_price is None]
    return lines, tuple(warnings)


def _lines(item: str, region: str, quantity: Decimal, things: int, prices: Prices) -> list[Line]:
    if item == "custom_metrics":
        return [Line(item, region, units, unit, units * unit, int(units))
                for units, unit in tiered(quantity, prices.metric_tiers)]
    unit = ITEMS[item].price(prices)
    return [Line(item, region, quantity, unit, ZERO if unit is None else quantity * unit, things)]


def free_tier(lines: list[Line], home: str) -> list[Line]:
    """The free tier, used once, home Region first and cheapest tier first: negative lines."""
    ordered = sorted(lines, key=lambda line: (line.region != home, -(line.unit_price or ZERO)))
    credits = []
    for item, allowance in FREE:
        left = Decimal(allowance(for_region(home)[0].free))
        for line in (line for line in ordered if line.item == item and line.unit_price):
            used = min(left, line.count)
            if used > 0:
                credits.append(Line(FREE_PREFIX + item, line.region, -used, line.unit_price, -used * line.unit_price))
            left -= used
    return credits


def _difference(gained: list[Line], lost: list[Line]) -> list[Line]:
    """Line by line (item, Region, unit price): what is gained minus what is lost; no zero lines."""
    net: dict[tuple, list] = {}
    for sign, lines in ((1, gained), (-1, lost)):
        for line in lines:
            key = (line.item, line.region, line.unit_price)
            count, monthly, things = net.get(key, (ZERO, ZERO, 0))
            net[key] = (count + sign * line.count, monthly + sign * line.monthly, things + sign * line.things)
    return [Line(item, region, count, unit, monthly, things)
            for (item, region, unit), (count, monthly, things) in net.items() if count or monthly]


def assumptions(uses: list[Use]) -> tuple[str, ...]:
    """The bases of the counts, each once, then the general ones."""
    seen = []
    for use in uses:
        text = f"{ITEMS[use.item].what}: {use.basis}" if use.basis else ""
        if text and text not in seen:
            seen.append(text)
    return tuple(seen) + GENERAL
