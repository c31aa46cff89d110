"""The plan: a pure diff of desired against actual resources. No AWS, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.problems import ERROR, INFO, Check, Problem
from monitor.state.resources import Actual, Resource

ACTIONS = ("create", "update", "delete")
# octodns-style safety: pruning more than this share of what we own needs --force.
MAX_SAFE_DELETES = 10
MAX_SAFE_DELETE_SHARE = 0.3


@dataclass(frozen=True)
class Change:
    """One call's worth of work: create, update or delete one resource."""

    kind: str
    id: str
    action: str
    before: dict | None
    after: dict | None
    fields: tuple[str, ...] = ()   # the dotted fields an update changes
    params: dict = field(default_factory=dict)   # create-only parameters, e.g. tags
    parent: tuple[str, str] | None = None   # the resource it needs, e.g. a filter's log group
    handle: str | None = None   # the live resource's AWS identifier (an ARN), for updates and deletes
    region: str | None = None   # where to make the call; None: the home Region
    rank: int = 0   # within its kind: after lower ranks when made, before them when deleted


@dataclass(frozen=True)
class Outcome:
    """What applying one change did: "ok", "error" or "skipped", and why when not ok."""

    change: Change
    result: str
    message: str | None = None

    @property
    def failed(self) -> bool:
        return self.result != "ok"


KEPT = Check("PLN-010", INFO, "owned resources not in the config, kept without --prune")
TWICE = Check("CFG-026", ERROR, "two entries of the config that make one AWS resource")
NOT_OURS = Check("PLN-011", ERROR, "a resource of the config's name that exists but is not ours (left alone)")
CHECKS = (KEPT, TWICE, NOT_OURS)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    findings: list[Problem] = field(default_factory=list)
    owned: int = 0   # owned resources that exist now, for the delete-share check
    replaced: int = 0   # deletes of parts of a resource the plan makes anew (a compiled filter's)
    desired: list[Resource] = field(default_factory=list)   # what the plan was made for, task definitions read

    @property
    def summary(self) -> dict[str, int]:
        counts = {action: 0 for action in ACTIONS}
        for change in self.changes:
            counts[change.action] += 1
        return {**counts, "unchanged": self.unchanged}

    @property
    def errors(self) -> list[Problem]:
        return [f for f in self.findings if f.severity == ERROR]

    def unsafe(self) -> str | None:
        """Why this plan deletes too much to run without --force, if it does."""
        deletes = self.summary["delete"] - self.replaced   # a compiled filter's old parts are not losses
        if deletes > MAX_SAFE_DELETES and deletes > MAX_SAFE_DELETE_SHARE * max(self.owned, 1):
            return (f"the plan deletes {deletes} of {self.owned} owned resources "
                    f"(more than {MAX_SAFE_DELETES} and {MAX_SAFE_DELETE_SHARE:.0%})")
        return None


def plan(desired: list[Resource], actual: Actual, kinds: tuple[str, ...], prune: bool = False,
         findings: list[Problem] | None = None, late: tuple[str, ...] = ()) -> Plan:
    """Changes in one fixed order: deletes in reverse kind order, then creates and updates in kind order,
    then the deletes of the `late` kinds, in reverse kind order.

    A late kind's objects may be named by another's updates: a composite alarm's rule names metric
    alarms, and AWS deletes no alarm a composite still names, so a rule that stops naming an alarm is
    updated before that alarm goes. Within a kind, ranks rise for creates and updates, fall for deletes.
    """
    result = Plan(findings=list(findings or []), desired=list(desired))
    wanted = unique_keys(desired)
    for resource in desired:
        _compare(resource, actual.resources.get(resource.key), result)
    stale = [r for r in actual.resources.values() if r.key not in wanted and r.owned and r.prunable]
    result.owned = sum(1 for r in actual.resources.values() if r.owned and r.prunable)
    families = {r.family for r in desired if r.family}
    parts = [r for r in stale if r.family in families]   # pieces of a resource the plan remakes
    stale = [r for r in stale if r.family not in families]
    result.replaced = len(parts)
    result.changes += [_delete(r) for r in parts + (stale if prune else [])]
    if stale and not prune:
        shown = ", ".join(r.id for r in stale[:5]) + (" ..." if len(stale) > 5 else "")
        result.findings.append(KEPT.problem((), f"{len(stale)} owned resource(s) are not in the config and are kept; "
                                           "--prune deletes them. If another config uses this prefix for the "
                                           f"same cluster, they are its own: give each config its prefix. {shown}"))
    result.changes.sort(key=lambda change: _order(change, kinds, late))
    return result


def _delete(resource: Resource) -> Change:
    return Change(resource.kind, resource.id, "delete", resource.spec, None, handle=resource.handle,
                  region=resource.region, rank=resource.rank)


def unique_keys(desired: list[Resource]) -> set[tuple[str, str]]:
    """The keys of the desired resources; two with one key would be two changes to one object.

    Raises ValueError naming the key: validation reports duplicates with both places first,
    so reaching this is a bug, not a config problem.
    """
    keys: set[tuple[str, str]] = set()
    for resource in desired:
        if resource.key in keys:
            raise ValueError(f"two desired resources share the key {resource.key}")
        keys.add(resource.key)
    return keys


def duplicates(desired: list[Resource]) -> list[Problem]:
    """Desired resources that share a key, each pointing at the first: validation's side of unique_keys.

    Two instances of one entry (two services of a `per: service` dashboard whose names join alike)
    have one place: the message names both instances and how to part them, and points nowhere else.
    """
    first: dict[tuple[str, str], Resource] = {}
    found = []
    for resource in desired:
        earlier = first.get(resource.key)
        if earlier is not None and earlier.origin == resource.origin and resource.made_for and earlier.made_for:
            found.append(TWICE.problem(resource.origin, _one_entry_twice(resource, earlier)))
        elif earlier is not None:
            found.append(TWICE.problem(resource.origin, f"this makes {resource.kind} {resource.id}{_for(resource)} a "
                                                        f"second time{_for(earlier, 'the first')}; each resource can "
                                                        "come from one place only",
                                       related=(earlier.origin,)))
        first.setdefault(resource.key, resource)
    return found


def _for(resource: Resource, which: str = "") -> str:
    if not resource.made_for:
        return ""
    cluster, service = resource.made_for
    return f" ({which + ' ' if which else ''}for cluster {cluster}, service {service})"


def _one_entry_twice(resource: Resource, earlier: Resource) -> str:
    (one, one_service), (other, other_service) = earlier.made_for, resource.made_for
    return (f"this makes {resource.kind} {resource.id} twice: for cluster {one}, service {one_service} and for "
            f"cluster {other}, service {other_service}, <prefix>-<name>-<cluster>-<service> gives that one name; split "
            f"the entry into two entries, each with its own `name:` and `clusters:` (one with clusters [{one}], one "
            f"with [{other}])")


def _compare(resource: Resource, live: Resource | None, result: Plan) -> None:
    if live is None and not resource.creatable:
        return   # the kind's check reports what is missing
    if live is None:
        result.changes.append(Change(resource.kind, resource.id, "create", None, resource.spec,
                                     params=resource.params, parent=resource.parent, region=resource.region,
                                     rank=resource.rank))
    elif not live.owned and not resource.claim:
        result.unchanged += 1   # e.g. a log group Container Insights made: it serves as it is
    elif not live.owned:
        why = live.note or "does not carry our ownership marker"
        result.findings.append(NOT_OURS.problem(resource.origin, f"{resource.kind} {resource.id} exists but {why}; "
                                                                 "it is left alone"))
    elif live.spec != resource.spec:
        fields = tuple(changed_fields(live.spec, resource.spec))
        result.changes.append(Change(resource.kind, resource.id, "update", live.spec, resource.spec, fields,
                                     params=resource.params, parent=resource.parent, handle=live.handle,
                                     region=resource.region, rank=resource.rank))
    else:
        result.unchanged += 1


def _order(change: Change, kinds: tuple[str, ...], late: tuple[str, ...] = ()) -> tuple[int, int, int, str]:
    position = kinds.index(change.kind)
    if change.action == "delete":
        return (2 if change.kind in late else 0, len(kinds) - position, -change.rank, change.id)
    return (1, position, change.rank, change.id)


def changed_fields(before: object, after: object, path: str = "") -> list[str]:
    """The dotted paths where two specs differ, e.g. `metricTransformations[0].metricValue`."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return [f for key in keys
                for f in changed_fields(before.get(key), after.get(key), f"{path}.{key}" if path else key)]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [f for i, (b, a) in enumerate(zip(before, after)) for f in changed_fields(b, a, f"{path}[{i}]")]
    return [] if before == after else [path]


def leaves(spec: object, path: str = "") -> list[str]:
    """Every dotted path to a plain value in a spec, for showing what a create sets."""
    if isinstance(spec, dict) and spec:
        return [f for key in spec for f in leaves(spec[key], f"{path}.{key}" if path else key)]
    if isinstance(spec, list) and spec:
        return [f for i, item in enumerate(spec) for f in leaves(item, f"{path}[{i}]")]
    return [path] if path else []
