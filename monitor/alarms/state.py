"""The three states of a metric alarm [A1]."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """An alarm state, spelled as DescribeAlarms spells StateValue."""

    OK = "OK"
    ALARM = "ALARM"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"
