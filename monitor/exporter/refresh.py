"""The refresh: read every batch, build a snapshot, swap it in; on any failure keep the last one.

Everything a scrape reads is in one immutable `Current` (the snapshot and the exporter's
health), replaced by a single assignment, which is atomic in CPython: a scrape sees the old
state or the new one, never half of each. A failed refresh (an AWS error, throttling past
botocore's retries, an endpoint that does not answer, or anything else) keeps the last good
snapshot, marks the exporter down, and backs off: each failure in a row doubles the wait
before the next try, up to MAX_BACKOFF.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from monitor.aws.clients import Clients
from monitor.config.model import Exporter
from monitor.exporter import batches as packing
from monitor.exporter import metricdata
from monitor.exporter.queries import Query
from monitor.exporter.snapshot import EMPTY, DerivedRule, Reading, Snapshot, build
from monitor.names.identity import Identity
from monitor.taskdefs.sizing import Limits

MAX_BACKOFF = 600   # seconds
log = logging.getLogger("monitor.exporter")


@dataclass(frozen=True)
class QueryPlan:
    """What one config asks the exporter to do; rebuilt on every good reload."""

    settings: Exporter
    queries: tuple[Query, ...]
    rules: tuple[DerivedRule, ...] = ()
    limits: Mapping[Identity, Limits] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Health:
    """How the refreshes go, as the collector reports it; counters are copies taken after each refresh."""

    up: bool = False
    last_success: float | None = None   # epoch seconds
    duration: float | None = None       # seconds the last refresh took
    failures: int = 0                   # in a row
    refreshes: Mapping[str, int] = field(default_factory=dict)   # "ok" / "error" -> count
    requested: int = 0                  # metrics requested from GetMetricData, all refreshes
    calls: Mapping[str, int] = field(default_factory=dict)
    errors: Mapping[tuple[str, str], int] = field(default_factory=dict)
    error: str | None = None            # why the last refresh failed


@dataclass(frozen=True)
class Current:
    snapshot: Snapshot = EMPTY
    health: Health = Health()
    queries: int = 0
    reloads: Mapping[str, int] = field(default_factory=dict)   # "ok" / "error" -> count


class Refresher:
    """Owns the current state; `refresh` is the only writer, called from one thread at a time."""

    def __init__(self, clients: Clients, plan: QueryPlan, clock: Callable[[], float] = time.time,
                 quiet: bool = False):
        self.clients, self.plan, self.clock = clients, plan, clock
        self.quiet = quiet   # `--once`: the command says why the refresh failed, once
        self.current = Current(queries=len(plan.queries))
        self.retry_at = 0.0   # time.monotonic() before which a due refresh is skipped

    @property
    def ready(self) -> bool:
        """Ready once a refresh has succeeded: from then on there is a snapshot to serve."""
        return self.current.health.last_success is not None

    def due(self) -> None:
        """The scheduled job: refresh unless backing off."""
        if time.monotonic() >= self.retry_at:
            self.refresh()

    def refresh(self, own_budget: bool = True) -> bool:
        """One refresh; True when it succeeded. Never raises.

        Each refresh has a budget of its own against a silent endpoint (retries.Silence): the first
        silent call ends it, and the next refresh tries again. `--once` keeps its command's budget.
        """
        if own_budget:
            self.clients.silence.reset()
        started, plan, before = time.monotonic(), self.plan, self.current
        try:
            readings, requested = read(self.clients, plan, self.clock())
            snapshot = build(readings, plan.limits, plan.rules, before.snapshot)
            health = replace(before.health, up=True, last_success=time.time(), failures=0, error=None)
        except Exception as error:   # noqa: BLE001 - the daemon must outlive any failure of AWS or of ours
            requested, snapshot = 0, before.snapshot
            health = replace(before.health, up=False, failures=before.health.failures + 1, error=describe(error))
            self.retry_at = time.monotonic() + backoff(plan.settings.interval, health.failures)
            log.log(logging.DEBUG if self.quiet else logging.WARNING,"refresh failed (%d in a row), serving the last good snapshot: %s", health.failures,
                        health.error)
        outcome = "ok" if health.up else "error"
        health = replace(health, duration=time.monotonic() - started, requested=before.health.requested + requested,
                         refreshes={**health.refreshes, outcome: health.refreshes.get(outcome, 0) + 1},
                         calls=dict(self.clients.calls), errors=dict(self.clients.errors))
        self.current = replace(self.current, snapshot=snapshot, health=health, queries=len(plan.queries))
        return health.up

    def replan(self, plan: QueryPlan | None) -> None:
        """A new config's plan, used from the next refresh on (the snapshot stays until then); None: a
        reload that failed, counted, the old plan kept."""
        self.plan = plan or self.plan
        outcome = "ok" if plan else "error"
        reloads = {**self.current.reloads, outcome: self.current.reloads.get(outcome, 0) + 1}
        self.current = replace(self.current, queries=len(self.plan.queries), reloads=reloads)


def read(clients: Clients, plan: QueryPlan, now: float) -> tuple[list[Reading], int]:
    """Every batch of the plan, as readings, and the metrics requested; raises on the first failure."""
    readings, requested = [], 0
    for batch in packing.batches(plan.queries, plan.settings, now):
        fetched = metricdata.fetch(clients, batch)
        requested += fetched.requested
        readings += [Reading(q, batch.window, fetched.points.get(i, ())) for i, q in enumerate(batch.queries)]
    return readings, requested


def backoff(interval: int, failures: int) -> float:
    """Seconds to wait after `failures` failures in a row: interval, 2x, 4x ... up to MAX_BACKOFF."""
    return min(interval * 2 ** max(failures - 1, 0), max(MAX_BACKOFF, interval))


def describe(error: Exception) -> str:
    """One line about a failure, AWS's explanation first."""
    from monitor.aws.errors import explain
    return explain(error) or f"{type(error).__name__}: {error}"
