"""Names of the resources we create: every one starts with the config's prefix, our ownership marker."""

from __future__ import annotations


def filter_name(prefix: str, cluster: str, service: str, container: str, name: str) -> str:
    """An app-log filter, unique per container on a shared log group."""
    return f"{prefix}-{cluster}-{service}-{container}-{name}"


def performance_filter_name(prefix: str, cluster: str, metric: str, part: int) -> str:
    """A compiled performance filter; `part` counts from 1 and shows only when split."""
    suffix = f"-{part}" if part > 1 else ""
    return f"{prefix}-{cluster}-performance-{metric}{suffix}"


def owned(prefix: str, name: str) -> bool:
    """Our marker, as CONTRACT.md defines it: the prefix and a dash at the start of the name."""
    return name.startswith(f"{prefix}-")


def left_behind(prefix: str, ours: list[str], everyone: set[str], name: str) -> bool:
    """Whether a filter on a log group the config no longer names was made for one of our clusters.

    The longest cluster name that fits decides, so a config for `web` never claims the
    filters of a cluster `web-api` (`monitor-web-api-...`) made by another config.
    """
    fits = [c for c in set(ours) | everyone if name.startswith(f"{prefix}-{c}-")]
    return bool(fits) and max(fits, key=len) in ours
