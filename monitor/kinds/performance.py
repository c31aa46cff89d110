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
from monitor.config.rules import MAX_PATTERN

Pair = tuple[str, str]   # (service, container)


@dataclass(frozen=True)
class Compiled:
    metric: str
    part: int        # 1-based; more than one only when the pattern limit splits the selection
    pattern: str
    pairs: tuple[Pair, ...]


def compile_cluster(cluster: Cluster) -> list[Compiled]:
    """Every performance filter of one cluster, in a stable order."""
    wanted: dict[str, list[Pair]] = defaultdict(list)
    for service in cluster.services:
        for container in service.containers:
            for metric in container.performance_metrics:
                wanted[metric].append((service.name, container.name))
    return [Compiled(metric, part, pattern_for(chunk), tuple(chunk))
            for metric in sorted(wanted)
            for part, chunk in enumerate(split(wanted[metric]), start=1)]


def split(pairs: list[Pair]) -> list[list[Pair]]:
    """Greedy chunks whose patterns each fit in MAX_PATTERN characters."""
    chunks: list[list[Pair]] = [[]]
    for pair in pairs:
        if chunks[-1] and len(pattern_for(chunks[-1] + [pair])) > MAX_PATTERN:
            chunks.append([])
        chunks[-1].append(pair)
    return chunks


def pattern_for(pairs: list[Pair]) -> str:
    """`{ $.Type = "Container" && (($.ServiceName = "a" && ($.ContainerName = "x" || ...)) || ...) }`.

    `&&` binds tighter than `||` in filter patterns, so every alternative is parenthesised.
    """
    by_service: dict[str, list[str]] = defaultdict(list)
    for service, container in pairs:
        by_service[service].append(container)
    services = " || ".join(_service_term(s, names) for s, names in by_service.items())
    return f'{{ $.Type = "Container" && ({services}) }}'


def _service_term(service: str, containers: list[str]) -> str:
    names = " || ".join(f'$.ContainerName = "{name}"' for name in containers)
    names = f"({names})" if len(containers) > 1 else names
    return f'($.ServiceName = "{service}" && {names})'
