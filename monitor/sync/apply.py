"""Apply a plan: only the calls it needs, in its order, each result reported as it completes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import botocore.exceptions as bx

from monitor.aws.clients import Clients
from monitor.aws.errors import UNREADABLE, explain
from monitor.kinds import BY_NAME
from monitor.state.plan import Change, Outcome, Plan


class Interrupted(Exception):
    """Ctrl-C during apply: what was done until then, so the user hears it. Counted are the calls
    that returned; the one in flight when Ctrl-C came may have reached AWS and been applied, so the
    count is a floor, and said as one."""

    def __init__(self, done: list[Outcome], total: int):
        super().__init__(f"at least {len(done)} of {total} changes done; the one in flight may have been "
                         "applied too")
        self.done = done
        self.total = total


def apply(clients: Clients, plan: Plan, report: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Each batch in plan order; a change whose parent resource could not be made is skipped.

    `report` sees every outcome as soon as it is known. Ctrl-C raises Interrupted with the
    outcomes so far; the change in flight may or may not have reached AWS, and the next
    plan shows which.
    """
    outcomes: list[Outcome] = []
    failed: set[tuple[str, str]] = set()
    try:
        for batch in batches(plan.changes):
            for outcome in _run(clients, batch, failed):
                if outcome.failed:
                    failed.add((outcome.change.kind, outcome.change.id))
                outcomes.append(outcome)
                report(outcome)
    except KeyboardInterrupt:
        raise Interrupted(outcomes, len(plan.changes)) from None
    return outcomes


def batches(changes: list[Change]) -> Iterator[list[Change]]:
    """Runs of one kind, action and Region, cut at the kind's batch size for that action (default 1)."""
    batch: list[Change] = []
    for change in changes:
        size = getattr(BY_NAME[change.kind], "BATCH", {}).get(change.action, 1)
        if batch and (_run_of(batch[0]) != _run_of(change) or len(batch) >= size):
            yield batch
            batch = []
        batch.append(change)
    if batch:
        yield batch


def _run_of(change: Change) -> tuple[str, str, str | None]:
    return (change.kind, change.action, change.region)


def _run(clients: Clients, batch: list[Change], failed: set[tuple[str, str]]) -> list[Outcome]:
    skipped = [Outcome(c, "skipped", f"{c.parent[0]} {c.parent[1]} could not be created")
               for c in batch if c.parent in failed]
    todo = [c for c in batch if c.parent not in failed]
    if not todo:
        return skipped
    try:
        notes = BY_NAME[todo[0].kind].apply(clients.in_region(todo[0].region), todo) or {}   # warnings by id
    except bx.ClientError as error:
        detail = error.response.get("Error", {})
        message = explain(error) or f"{detail.get('Code')}: {detail.get('Message')}"
        return skipped + [Outcome(c, "error", message) for c in todo]
    except (bx.BotoCoreError, *UNREADABLE) as error:
        endpoint = getattr(getattr(clients, "target", None), "endpoint_url", None)
        return skipped + [Outcome(c, "error", explain(error, endpoint) or str(error)) for c in todo]
    return skipped + [Outcome(c, "ok", notes.get(c.id)) for c in todo]
