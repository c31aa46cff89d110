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
    """Our marker: the prefix and a dash at the start of the name."""
    return name.startswith(f"{prefix}-")
