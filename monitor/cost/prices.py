"""The one price table: CloudWatch list prices per Region, in USD, with their source and date.

Source: https://aws.amazon.com/cloudwatch/pricing/ (read 2026-11-30). The stored copy of that
page gives the free tier word for word: 10 custom metrics, 10 alarm metrics ("only applicable
to Standard resolution alarms that list metrics directly"), 3 dashboards, 5 GB of logs, and
1 million API requests "not including GetMetricData" (so GetMetricData has no free tier).
Its paid-tier tables are drawn by script and were not in that copy. The paid prices here are
AWS's published us-east-1 list prices, cross-checked where a public page states them (all read
2026-11-30): custom metrics $0.30 a metric-month for the first 10,000
(https://signoz.io/guides/cloudwatch-pricing), then $0.10 / $0.05 / $0.02 for the next 240,000,
the next 750,000 and beyond 1,000,000; alarms $0.10 per standard-resolution alarm metric, $0.30
high resolution, $0.50 per composite alarm, an anomaly-detection alarm billed as 3 alarm metrics;
$3 per dashboard-month; GetMetricData $0.01 per 1,000 metrics requested; logs ingestion $0.50
per GB in us-east-1 (https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing) and $0.76
in ap-northeast-1 (https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/).
eu-west-1's $0.57 per GB could not be cross-checked on a stored page: check it on the pricing page.

Container Insights with enhanced observability on ECS is billed per metric it publishes. AWS's own
page says so: "Analyzing, optimizing, and reducing CloudWatch costs"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html, read
2026-12-07 from a stored copy of its text) lists "Container Insights with enhanced observability for
Amazon ECS" under UsageType `MetricsUsage`, Operation `MetricStorage:CI-ECS`, where the EKS version is
`ObservationUsage` (`ObservationCount:CI-EKS`): the pricing page's "tiered pricing model based on
observations" is EKS's, not ECS's. The rate, $0.07 a metric-month "across cluster, service,
task-def, task, and container" metrics, is not AWS's word: the stored copy of the pricing page
(https://aws.amazon.com/cloudwatch/pricing/) lacks its paid tables, so it comes from
https://fortem.dev/blog/ecs-fargate-monitoring/ (read 2026-12-07), the one public statement of it
found; check it on the pricing page. How many metrics that is comes from the metrics list of
enhanced observability (monitor/cost/usage.py, ENHANCED_*).
Standard Container Insights on ECS writes performance log events, billed as logs ingestion
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

SOURCE = "https://aws.amazon.com/cloudwatch/pricing/"
AS_OF = "2026-11-30"
FALLBACK_REGION = "us-east-1"
HOURS_A_MONTH = 730   # the month AWS's pricing examples use
ANOMALY_ALARM_METRICS = 3   # an anomaly-detection alarm: the metric and the band's two bounds


@dataclass(frozen=True)
class Tier:
    """`size` units at `price` each; None: every unit beyond the tiers before it."""

    size: int | None
    price: Decimal


@dataclass(frozen=True)
class FreeTier:
    """Account-wide monthly allowances: used once, whatever else in the account uses them."""

    metrics: int = 10
    alarm_metrics: int = 10   # standard resolution only
    dashboards: int = 3
    log_gb: int = 5


@dataclass(frozen=True)
class Prices:
    """One Region's list prices, USD per month (or per unit named)."""

    region: str
    metric_tiers: tuple[Tier, ...]
    alarm_standard: Decimal          # per alarm metric
    alarm_high_resolution: Decimal   # per alarm metric
    alarm_composite: Decimal         # per composite alarm
    dashboard: Decimal
    get_metric_data: Decimal         # per 1,000 metrics requested
    log_ingestion: Decimal           # per GB
    enhanced_metric: Decimal | None   # per enhanced Container Insights metric-month; None: not known
    free: FreeTier = FreeTier()


US_EAST_1 = Prices(
    region="us-east-1",
    metric_tiers=(Tier(10_000, Decimal("0.30")), Tier(240_000, Decimal("0.10")),
                  Tier(750_000, Decimal("0.05")), Tier(None, Decimal("0.02"))),
    alarm_standard=Decimal("0.10"), alarm_high_resolution=Decimal("0.30"), alarm_composite=Decimal("0.50"),
    dashboard=Decimal("3.00"), get_metric_data=Decimal("0.01"), log_ingestion=Decimal("0.50"),
    enhanced_metric=Decimal("0.07"))
ENHANCED_SOURCE = ("billed per metric-month (MetricStorage:CI-ECS, "
                   "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html, "
                   "read 2026-12-07); the rate from https://fortem.dev/blog/ecs-fargate-monitoring/ (read 2026-12-07), "
                   f"not AWS's: check it on {SOURCE}")

TABLE: dict[str, Prices] = {
    "us-east-1": US_EAST_1,
    "eu-west-1": replace(US_EAST_1, region="eu-west-1", log_ingestion=Decimal("0.57")),
    "ap-northeast-1": replace(US_EAST_1, region="ap-northeast-1", log_ingestion=Decimal("0.76")),
}


def for_region(region: str) -> tuple[Prices, str | None]:
    """The Region's prices, or us-east-1's with a warning saying so when the table lacks it."""
    if region in TABLE:
        return TABLE[region], None
    return TABLE[FALLBACK_REGION], (f"no prices for {region} in the table; {FALLBACK_REGION}'s are used, "
                                    f"check {SOURCE} for {region}")


def tiered(count: Decimal, tiers: tuple[Tier, ...]) -> list[tuple[Decimal, Decimal]]:
    """(units, unit price) for each tier `count` reaches, in order: 25,000 -> [(10,000, 0.30), (15,000, 0.10)]."""
    parts, left = [], count
    for tier in tiers:
        if left <= 0:
            break
        units = left if tier.size is None else min(left, Decimal(tier.size))
        parts.append((units, tier.price))
        left -= units
    return parts
