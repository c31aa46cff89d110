"""`monitor exporter`: from a config file to a plan of queries, and from a plan to an exposition.

The daemon itself is monitor/exporter/daemon.py; this module composes what it needs, so the
same steps serve `--once`, `--plan`, `--print-iam-policy`, the daemon and its reloads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from prometheus_client.exposition import generate_latest

from monitor.aws import retries
from monitor.aws.clients import Clients
from monitor.config.model import Config, Exporter
from monitor.exporter import batches as packing
from monitor.exporter import derive, queries
from monitor.exporter.collector import registry
from monitor.exporter.refresh import QueryPlan, Refresher, describe
from monitor.exporter.snapshot import DerivedRule
from monitor.output.plan import problems_text
from monitor.resolved import edges as service_edges
from monitor.resolved import limits as container_limits
from monitor.sync.flow import validate

log = logging.getLogger("monitor.exporter")


class Invalid(Exception):
    """A config that does not load; its message lists every problem, one a line."""


@dataclass(frozen=True)
class Shard:
    index: int = 1
    count: int = 1


def load_config(path: str) -> Config:
    """The validated config; raises Invalid with every problem."""
    loaded = validate(path)
    if not loaded.ok:
        raise Invalid(problems_text(loaded.problems) or f"{path} is not valid")
    return loaded.config


def settings(config: Config) -> Exporter:
    return config.exporter or Exporter()


def selected(config: Config, shard: Shard) -> list[queries.Query]:
    """The config's queries in this shard."""
    return packing.in_shard(queries.build(config).items, shard.index, shard.count)


def make_plan(config: Config, clients: Clients | None, shard: Shard) -> QueryPlan:
    """Queries, compiled derived rules and, with clients, the containers' limits read from ECS."""
    rules = tuple(DerivedRule(entry, derive.compile_expression(entry.expr)) for entry in settings(config).derived)
    if clients is not None and settings(config).service_metrics:
        config, _ = service_edges.gather(clients, config)   # each service's target group, for its metrics
    limits, notes = container_limits.read(clients, config) if clients is not None else ({}, [])
    for note in notes:
        log.warning("no utilization ratio: %s", note)
    skipped = queries.build(config).skipped
    return QueryPlan(settings(config), tuple(selected(config, shard)), rules, limits, tuple(notes) + skipped)


def first_plan(config: Config, clients: Clients, shard: Shard) -> QueryPlan:
    """The daemon's plan at start: without the containers' limits when the endpoint does not answer
    (the refreshes then fail and back off until it does; a reload reads the limits again)."""
    try:
        return make_plan(config, clients, shard)
    except retries.SILENT as error:
        log.warning("no utilization ratios until a reload: %s", describe(error))
        return make_plan(config, None, shard)


def loader(clients: Clients, shard: Shard):
    """What the daemon calls on reload: the file's path in, a plan out (or Invalid)."""
    return lambda path: make_plan(load_config(path), clients, shard)


def once(clients: Clients, plan: QueryPlan) -> tuple[bytes, str | None]:
    """One refresh, then its exposition; and why the refresh failed, if it did."""
    refresher = Refresher(clients, plan, quiet=True)
    refresher.refresh(own_budget=False)   # one budget for the whole command, the plan's reads included
    return generate_latest(registry(lambda: refresher.current)), refresher.current.health.error
