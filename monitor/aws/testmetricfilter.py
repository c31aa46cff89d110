"""`test-filter --aws`: ask CloudWatch Logs' own TestMetricFilter, to check the local engine.

Where the documents leave the language open (see monitor/patterns/semantics.py), only AWS can
settle it; this runs the same events through TestMetricFilter and through the engine, and
shows where they disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor import quotas
from monitor.aws.clients import Clients
from monitor.patterns import Pattern

BATCH = quotas.TEST_EVENTS   # logEventMessages a TestMetricFilter call; each at least 1 character


@dataclass(frozen=True)
class Verdict:
    """AWS's answer for one event beside the engine's."""

    line: int
    message: str
    aws_match: bool
    aws_fields: dict[str, str]
    match: bool
    fields: dict[str, str]

    @property
    def agrees(self) -> bool:
        return self.aws_match == self.match and (not self.match or self.aws_fields == self.fields)


def compare(clients: Clients, pattern: Pattern, messages: list[tuple[int, str]]) -> list[Verdict]:
    """Every non-empty event, 50 a call; AWS refuses empty messages."""
    events = [(line, message) for line, message in messages if message]
    verdicts = []
    for start in range(0, len(events), BATCH):
        batch = events[start:start + BATCH]
        answers = _ask(clients, pattern.text, [message for _, message in batch])
        for (line, message), (aws_match, aws_fields) in zip(batch, answers):
            ours = pattern.evaluate(message)
            verdicts.append(Verdict(line, message, aws_match, aws_fields, ours.match, ours.fields))
    return verdicts


def _ask(clients: Clients, text: str, messages: list[str]) -> list[tuple[bool, dict[str, str]]]:
    """AWS's match and extracted values per message, in order.

    Matches are paired with events by message, in order: the documents disagree on whether
    eventNumber counts from 0 or from 1 (monitor/patterns/semantics.py, sources [S5] and [S7]).
    """
    matches = clients.logs.test_metric_filter(filterPattern=text, logEventMessages=messages)["matches"]
    answers: list[tuple[bool, dict[str, str]]] = [(False, {})] * len(messages)
    cursor = 0
    for found in matches:
        while cursor < len(messages) and messages[cursor] != found.get("eventMessage"):
            cursor += 1
        if cursor < len(messages):
            answers[cursor] = (True, found.get("extractedValues") or {})
            cursor += 1
    return answers
