"""Resources of our prefix that name a cluster this config neither has nor retired: a warning. Pure.

They are another config's (two configs may share a prefix and log groups, with clusters `web`
and `web-api`), or this config's from before a cluster block was deleted, still paging. Which
of the two, only the user knows: the plan never changes or deletes them, and says how to do
either, `retired_clusters` (a deliberate statement that they were this config's) or `destroy`
with the config that made them.
"""

from __future__ import annotations

from collections import defaultdict

from monitor.config.model import Config
from monitor.problems import WARNING, Check, Problem
from monitor.state.resources import Stray

STRAYS = Check("PLN-017", WARNING, "resources of our prefix naming a cluster this config neither has nor retired")
CHECKS = (STRAYS,)
SHOWN = 5   # paging alarms named in a warning; the rest are counted
NOUNS = {"metric_filter": "metric filter", "alarm": "alarm", "composite_alarm": "composite alarm",
         "dashboard": "dashboard", "log_group": "log group"}


def warnings(config: Config, strays: list[Stray]) -> list[Problem]:
    """One warning a cluster: how many of each kind name it, the alarms still paging, the remedy."""
    by_cluster: dict[str, list[Stray]] = defaultdict(list)
    for stray in strays:
        by_cluster[stray.cluster].append(stray)
    return [_warning(config.prefix, cluster, found) for cluster, found in sorted(by_cluster.items())]


def _warning(prefix: str, cluster: str, found: list[Stray]) -> Problem:
    counts: dict[str, int] = defaultdict(int)
    for stray in found:
        counts[stray.kind] += 1
    listed = ", ".join(f"{n} {NOUNS.get(kind, kind)}{'s' if n > 1 else ''}" for kind, n in counts.items())
    paging = sorted(stray.id for stray in found if stray.paging)
    still = (f"; still paging: {', '.join(paging[:SHOWN])}" + (f" and {len(paging) - SHOWN} more" if len(paging) > SHOWN
                                                             else "")) if paging else ""
    return STRAYS.problem((), f"cluster {cluster} is not in this config, yet {listed} of prefix {prefix} name it{still}. "
                       "They are left alone. If the cluster was this config's, list it under retired_clusters: "
                       "apply --prune and destroy then delete them; if another config made them, they are its "
                       "own: run destroy with that config to remove them")
