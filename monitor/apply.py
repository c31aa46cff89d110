"""Apply a plan: only the calls it needs, in its order, going on past independent failures."""

from __future__ import annotations

from dataclasses import dataclass

import botocore.exceptions as bx

from monitor.aws import Clients, explain
from monitor.kinds import BY_NAME
from monitor.plan import Change, Plan


@dataclass(frozen=True)
class Outcome:
    change: Change
    result: str            # "ok" | "error" | "skipped"
    message: str | None = None

    @property
    def failed(self) -> bool:
        return self.result != "ok"


def apply(clients: Clients, plan: Plan) -> list[Outcome]:
    """Each change in turn; a change on a log group whose creation failed is skipped, not tried."""
    failed: set[str] = set()
    outcomes = []
    for change in plan.changes:
        if _group(change) in failed:
            outcomes.append(Outcome(change, "skipped", f"log group {_group(change)} could not be created"))
            continue
        outcome = _run(clients, change)
        if outcome.failed:
            failed.add(change.id)
        outcomes.append(outcome)
    return outcomes


def _run(clients: Clients, change: Change) -> Outcome:
    try:
        BY_NAME[change.kind].apply(clients, change)
    except bx.ClientError as error:
        detail = error.response.get("Error", {})
        return Outcome(change, "error", explain(error) or f"{detail.get('Code')}: {detail.get('Message')}")
    except bx.BotoCoreError as error:
        return Outcome(change, "error", explain(error) or str(error))
    return Outcome(change, "ok")


def _group(change: Change) -> str | None:
    spec = change.after or change.before or {}
    return spec.get("logGroupName")
