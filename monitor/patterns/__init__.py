"""The CloudWatch Logs filter-pattern language, parsed and evaluated in pure Python (no AWS).

    >>> parse('{ $.latency > 1000 }').evaluate('{"latency": 1500}', value="$.latency").value
    1500.0

Undocumented behaviour is decided in monitor.patterns.semantics, whose SOURCES list resolves the
[S#] tags used throughout this package; AWS's quotas are in monitor.patterns.limits.
"""

from monitor.patterns.errors import PatternError, PatternWarning
from monitor.patterns.pattern import Pattern, Result, parse

__all__ = ["Pattern", "PatternError", "PatternWarning", "Result", "parse"]
