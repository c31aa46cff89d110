"""`monitor exporter --plan` as text and as JSON-ready data. Pure."""

from __future__ import annotations

import json

from monitor.cost.exporter import Budget
from monitor.output.cost import usd


def budget_text(budget: Budget, skipped: tuple[str, ...], shard: str) -> str:
    """Queries, calls and data points per refresh, metrics requested and dollars a month."""
    lines = [f"Exporter ({shard}): {budget.queries} queries per refresh, every {budget.interval} s",
             f"  {budget.calls} GetMetricData call(s) per refresh (at most 500 queries each, plus any NextToken pages)",
             f"  up to {budget.datapoints} data points per refresh",
             f"  {budget.metrics_a_month:,.0f} metrics requested a month ({budget.refreshes_a_month:,.0f} refreshes)",
             f"  {usd(budget.estimate.total)}/month for GetMetricData, whatever the number of Prometheus servers "
             "scraping (no free tier)"]
    lines += [f"  not exported: {reason}" for reason in skipped]
    lines += [f"  warning: {text}" for text in budget.estimate.warnings]
    return "\n".join(lines + [f"  prices: {budget.estimate.source} ({budget.estimate.as_of})"])


def budget_json(budget: Budget, skipped: tuple[str, ...], shard: str) -> str:
    return json.dumps({"shard": shard, "queries": budget.queries, "calls": budget.calls,
                       "datapoints": budget.datapoints, "interval": budget.interval,
                       "metrics_per_month": float(budget.metrics_a_month),
                       "usd_per_month": float(budget.estimate.total), "skipped": list(skipped)}, indent=2)


def rules_yaml(config) -> str:
    """The exporter's alerting rules as a Prometheus rule file (monitor/exporter/alerting.py)."""
    import yaml

    from monitor.exporter import alerting
    header = "# Prometheus alerting rules for ecs-monitor's exporter: `promtool check rules` this file.\n"
    return header + yaml.safe_dump(alerting.rules(config), sort_keys=False, width=120)
