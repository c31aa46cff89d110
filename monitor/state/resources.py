"""The values the plan compares: resources as we want them and as AWS has them."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.problems import Path, Problem


@dataclass(frozen=True)
class Resource:
    """One AWS object, reduced to the fields we manage (`spec`), in one shape for both sides."""

    kind: str
    id: str
    spec: dict
    owned: bool = True        # carries our ownership marker
    prunable: bool = True     # may be deleted by --prune and destroy
    creatable: bool = True    # a cluster setting needs its cluster: a missing one is a finding, not a create
    group: str | None = None  # the log group a metric filter lives on
    parent: tuple[str, str] | None = None   # the key of a resource it needs (a filter's log group)
    claim: bool = True        # must be ours; False: someone else's copy satisfies us as it is
    family: str | None = None  # resources made as one (a compiled filter's parts): stale parts go with it
    handle: str | None = field(default=None, compare=False)   # AWS's identifier for writes (an ARN)
    origin: Path = ()         # where in the config it comes from, for messages
    params: dict = field(default_factory=dict, compare=False)   # sent on create only (tags)
    region: str | None = None   # None: the home Region, the one the clients talk to
    rank: int = 0   # within its kind: made after those of lower rank, deleted before them
    note: str | None = field(default=None, compare=False)   # not ours: whose it is instead, for the message
    # Which of its entry's instances makes it (a per-service dashboard: cluster and service), for messages.
    made_for: tuple[str, ...] | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


def regional(region: str | None, name: str) -> str:
    """A resource's id: its name, behind `<region>:` outside the home Region.

    Unambiguous because log group and metric filter names cannot contain `:` (CloudWatch
    Logs API reference, CreateLogGroup `logGroupName` and PutMetricFilter `filterName`).
    """
    return f"{region}:{name}" if region else name


@dataclass(frozen=True)
class Stray:
    """A resource of our prefix that names a cluster this config neither has nor retired.

    Another config's, or this one's from before the cluster left it: never changed or deleted,
    only counted in a warning (monitor/kinds/strays.py). `paging`: an alarm whose actions are on.
    """

    kind: str
    id: str
    cluster: str
    paging: bool = False


@dataclass
class Actual:
    """What AWS has, read fresh; `missing` names things the config needs that do not exist."""

    resources: dict[tuple[str, str], Resource] = field(default_factory=dict)
    missing: set[tuple[str, str]] = field(default_factory=set)
    settings: dict[str, str] = field(default_factory=dict)   # live containerInsights per cluster
    problems: list[Problem] = field(default_factory=list)   # what reading found odd in the answers; the plan reports them
    strays: list[Stray] = field(default_factory=list)   # of our prefix, naming a cluster the config does not name
    # Every composite alarm of each Region read (None: the home Region), by name: the alarm names
    # its rule gives. AWS deletes no alarm a composite names (monitor/kinds/composite_alarm.py).
    composites: dict[str | None, dict[str, frozenset[str]]] = field(default_factory=dict)

    def add(self, resource: Resource) -> None:
        self.resources[resource.key] = resource
