"""Compile per-container performance metrics into as few metric filters as AWS allows.

One filter per (cluster, metric) selects every configured container in one pattern, grouped
by service; it splits only when the 1024-character pattern limit forces it. A filter per
container and metric would reach the quota of 100 filters per log group at 25 containers
with 4 metrics each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from monitor.config.model import Cluster
from monitor.patterns.limits import MAX_PATTERN_LENGTH as MAX_PATTERN

Selection = tuple[str, tuple[str, ...]]   # a service and the containers of it to select


@dataclass(frozen=True)
class Compiled:
    metric: str
    part: int        # 1-based; more than one only when the pattern limit splits the selection
    pattern: str
    selections: tuple[Selection, ...]


def compile_cluster(cluster: Cluster) -> list[Compiled]:
    """Every performance filter of one cluster, in a stable order."""
    wanted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for service in cluster.services:
        for container in service.containers:
            for metric in container.performance_metrics:
                wanted[metric][service.name].append(container.name)
    return [Compiled(metric, part, pattern_for(chunk), tuple(chunk))
            for metric in sorted(wanted)
            for part, chunk in enumerate(split([(s, tuple(c)) for s, c in wanted[metric].items()]), start=1)]


def split(selections: list[Selection]) -> list[list[Selection]]:
    """Greedy chunks of whole services whose patterns each fit in MAX_PATTERN characters."""
    chunks: list[list[Selection]] = [[]]
    for selection in (piece for whole in selections for piece in _fit(whole)):
        if chunks[-1] and len(pattern_for(chunks[-1] + [selection])) > MAX_PATTERN:
            chunks.append([])
        chunks[-1].append(selection)
    return chunks


def _fit(selection: Selection) -> list[Selection]:
    """A service whose containers alone pass the limit is selected in halves (long names, many sidecars)."""
    service, containers = selection
    if len(containers) == 1 or len(pattern_for([selection])) <= MAX_PATTERN:
        return [selection]
    half = len(containers) // 2
    return _fit((service, containers[:half])) + _fit((service, containers[half:]))


def pattern_for(selections: list[Selection]) -> str:
    """`{ $.Type = "Container" && ((<services> && <containers>) || ...) }`.

    Services that select the same containers share one term, so 200 services with the same
    three containers take a few filters, not one per container. `&&` binds tighter than `||`
    in filter patterns, and every alternative is parenthesised anyway.
    """
    by_containers: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for service, containers in selections:
        by_containers[containers].append(service)
    terms = [f"({_any('ServiceName', services)} && {_any('ContainerName', list(containers))})"
             for containers, services in by_containers.items()]
    return f'{{ $.Type = "Container" && ({" || ".join(terms)}) }}'


def _any(field: str, values: list[str]) -> str:
    """`$.F = "a"`, or `($.F = "a" || $.F = "b")` for several values."""
    text = " || ".join(f'$.{field} = "{value}"' for value in values)
    return f"({text})" if len(values) > 1 else text
