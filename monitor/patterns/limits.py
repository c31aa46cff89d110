"""AWS's documented quotas on one filter pattern, enforced by parse() so every command agrees.

Each limit lives here and only here; monitor.config.rules imports them. [S#] tags refer to the
SOURCES list in monitor/patterns/semantics.py.
"""

from __future__ import annotations

from typing import Any

from monitor import quotas
from monitor.patterns.errors import PatternError

MAX_PATTERN_LENGTH = quotas.FILTER_PATTERN
"""filterPattern is 0..1024 characters in PutMetricFilter and TestMetricFilter [S10]."""

MAX_REGEX_PER_PATTERN = 2
"""At most two regular expressions in a JSON or space-delimited pattern [S4][S10]."""

REGEX_QUOTA_KINDS = ("json", "delimited")
"""The pattern kinds the regex quota applies to [S4]; a standalone %regex% is one regex."""

MAX_WILDCARD_SELECTORS = 3
"""At most three wildcard selectors (`$.*`, `[*]`) in one compound JSON pattern [S1][S2]."""

MAX_WILDCARDS_PER_SELECTOR = 1
"""At most one wildcard in one property selector [S1][S2]."""


def check_length(text: str) -> None:
    """Refuse a pattern longer than AWS stores, pointing at the first character too many."""
    if len(text) > MAX_PATTERN_LENGTH:
        raise PatternError(f"a filter pattern is at most {MAX_PATTERN_LENGTH} characters, "
                           f"this one has {len(text)}", MAX_PATTERN_LENGTH + 1)


def check_quotas(kind: str, matcher: Any) -> None:
    """Refuse what PutMetricFilter refuses: too many regexes or wildcard selectors, at the first extra one."""
    regexes, wildcards = matcher.regex_at, matcher.wildcards_at
    if kind in REGEX_QUOTA_KINDS and len(regexes) > MAX_REGEX_PER_PATTERN:
        raise PatternError(f"{len(regexes)} regular expressions; AWS allows at most {MAX_REGEX_PER_PATTERN} "
                           "in a JSON or space-delimited pattern", regexes[MAX_REGEX_PER_PATTERN] + 1)
    if len(wildcards) > MAX_WILDCARD_SELECTORS:
        raise PatternError(f"{len(wildcards)} wildcard selectors; AWS allows at most {MAX_WILDCARD_SELECTORS} "
                           "in one pattern", wildcards[MAX_WILDCARD_SELECTORS] + 1)
