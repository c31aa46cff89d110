"""Saved plans, as Terraform users know them: `plan --out FILE` writes one, `apply FILE` applies it.

The file is JSON (one document, UTF-8):

    {"format": "ecs-monitor-plan", "format_version": 1, "tool_version": "0.2.0",
     "created": "2026-12-07T19:52:00Z", "prune": false, "destroy": false,
     "config": {"path": "monitor.yaml", "sha256": "<hex digest of the config file's text>"},
     "target": {"account": "123456789012", "region": "eu-west-1", "endpoint": null},
     "summary": {"create": 1, "update": 0, "delete": 0, "unchanged": 7},
     "owned": 8, "replaced": 0,
     "changes": [{"kind": "alarm", "id": "...", "action": "update", "before": {...}, "after": {...},
                  "fields": [...], "params": {...}, "parent": null, "handle": "arn:...", "region": null,
                  "rank": 0}]}

`before` is what the plan saw of the resource (null for a create: it saw none), in the same spec
projection the diff compares; `after` is what it makes. A reader refuses another `format` or a
`format_version` it does not know. Like Terraform's stale-plan check, a saved plan is refused,
never applied in part, when its config file changed, when the account or Region differ, or when
any resource it touches is no longer what it saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from monitor import __version__
from monitor.state.plan import Change, Plan, changed_fields
from monitor.state.resources import Actual
from monitor.sync.where import Where, from_dict

FORMAT = "ecs-monitor-plan"
FORMAT_VERSION = 1
SHOWN_FIELDS = 3   # the changed fields named for a resource that moved


class SavedPlanError(ValueError):
    """A file that is not a saved plan this version can apply; the message says why."""


@dataclass(frozen=True)
class Saved:
    """A plan with what it was made for: its config (path and digest), target and options."""

    plan: Plan
    where: Where
    config_path: str
    digest: str
    prune: bool = False
    destroy: bool = False
    created: str = ""


def digest(text: str) -> str:
    """The SHA-256 of the config file's text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document(saved: Saved) -> dict:
    """The saved plan as the JSON document above."""
    plan = saved.plan
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "tool_version": __version__,
            "created": saved.created or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "prune": saved.prune, "destroy": saved.destroy,
            "config": {"path": saved.config_path, "sha256": saved.digest}, "target": saved.where.as_dict(),
            "summary": plan.summary, "owned": plan.owned, "replaced": plan.replaced,
            "changes": [_plain(asdict(change)) for change in plan.changes]}


def to_json(saved: Saved) -> str:
    return json.dumps(document(saved), indent=2) + "\n"


def _plain(value: object) -> object:
    """JSON's own shapes (tuples as lists), so a value read back compares equal to one written."""
    return json.loads(json.dumps(value))


def read(text: str) -> Saved:
    """A saved plan from its JSON text. Raises SavedPlanError naming what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SavedPlanError(f"not a saved plan: not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SavedPlanError(f"not a saved plan: no \"format\": \"{FORMAT}\" (write one with `monitor plan --out FILE`)")
    if data.get("format_version") != FORMAT_VERSION:
        raise SavedPlanError(f"format_version {data.get('format_version')!r} is not {FORMAT_VERSION}, the one this "
                             f"version ({__version__}) applies: plan again with this version")
    try:
        changes = [_change(item) for item in data["changes"]]
        plan = Plan(changes, unchanged=data["summary"]["unchanged"], owned=data["owned"], replaced=data["replaced"])
        return Saved(plan, from_dict(data["target"]), data["config"]["path"], data["config"]["sha256"],
                     bool(data["prune"]), bool(data["destroy"]), data.get("created", ""))
    except (KeyError, TypeError, ValueError) as error:
        raise SavedPlanError(f"a saved plan, but damaged: {type(error).__name__} {error}") from None


def _change(item: dict) -> Change:
    parent = item.get("parent")
    return Change(item["kind"], item["id"], item["action"], item["before"], item["after"],
                  tuple(item.get("fields") or ()), item.get("params") or {}, tuple(parent) if parent else None,
                  item.get("handle"), item.get("region"), int(item.get("rank") or 0))


def moved(plan: Plan, actual: Actual) -> list[str]:
    """What moved since the plan, one line per resource it touches that is no longer what it saw:
    created, deleted, changed (naming the fields), or no longer ours. Empty: the plan still holds."""
    found = []
    for change in plan.changes:
        live = actual.resources.get((change.kind, change.id))
        now = _plain(live.spec) if live is not None else None
        if now != change.before:
            found.append(f"{change.kind} {change.id}: {_how(change.before, now)}")
        elif live is not None and not live.owned:
            found.append(f"{change.kind} {change.id}: no longer carries our ownership marker")
    return found


def _how(saw: dict | None, now: dict | None) -> str:
    if saw is None:
        return "created since the plan"
    if now is None:
        return "deleted since the plan"
    fields = changed_fields(saw, now)
    more = f" and {len(fields) - SHOWN_FIELDS} more" if len(fields) > SHOWN_FIELDS else ""
    return f"changed since the plan ({', '.join(fields[:SHOWN_FIELDS])}{more})"
