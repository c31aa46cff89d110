"""`monitor replay`: what the config's filters would have published on captured log events."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from monitor.patterns import parse

# `aws logs tail` prints `<ISO timestamp> <stream> <message>` (`--format short`: no stream).
TAIL_LINE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) (?:(\S*/\S*) )?(.*)")


@dataclass(frozen=True)
class Event:
    message: str
    timestamp: int | None = None   # epoch milliseconds, when the capture has one


def read_events(path: Path) -> Iterator[Event]:
    """Events from a file: `aws logs filter-log-events` JSON, `aws logs tail` lines, or plain lines."""
    with path.open(encoding="utf-8", errors="replace") as stream:
        head = stream.read(1)
        stream.seek(0)
        document = _events_document(path, stream) if head == "{" else None
        if document is not None:
            yield from (_document_event(path, item) for item in document)
            return
        stream.seek(0)
        for line in stream:
            yield _line_event(line.rstrip("\n"))


def _events_document(path: Path, stream) -> list | None:
    """The `events` of a filter-log-events answer; None when the file is JSON Lines instead.

    A file whose first line is a JSON value of its own is JSON Lines (one event a line); any
    other file starting with '{' is one document, and one that does not parse was cut short
    or damaged: replaying its lines as events would count garbage, so it is refused.
    """
    text = stream.read()
    try:
        document = json.loads(text)
    except ValueError as error:
        if _is_json(text.split("\n", 1)[0]):
            return None
        raise ValueError(f"{path}:{error.lineno}:{error.colno}: the JSON document breaks here ({error.msg}); "
                         "was the capture cut short?") from None
    events = document.get("events") if isinstance(document, dict) else None
    return events if isinstance(events, list) else None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _document_event(path: Path, item: object) -> Event:
    """One entry of `events`, checked: a capture edited by hand should say what is wrong."""
    if not isinstance(item, dict) or not isinstance(item.get("message"), str):
        raise ValueError(f"{path}: each entry of 'events' must be an object with a 'message' text")
    stamp = item.get("timestamp")
    return Event(item["message"], stamp if isinstance(stamp, int) else None)


def _line_event(line: str) -> Event:
    match = TAIL_LINE.fullmatch(line)
    if not match:
        return Event(line)
    stamp = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    return Event(match.group(3), int(stamp.timestamp() * 1000))


@dataclass
class Bucket:
    count: int = 0
    total: float = 0.0
    values: list[float] = field(default_factory=list)   # each datapoint published, for other statistics


@dataclass
class Series:
    """One filter's minutes: per minute, per dimension combination, the count and the sum."""

    spec: dict
    minutes: dict[int | None, dict[tuple, Bucket]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def metrics(self) -> set[tuple]:
        """Distinct dimension combinations: each one is a custom metric, billed on its own."""
        return {dims for buckets in self.minutes.values() for dims in buckets}


def on_group(specs: list[dict], group: str | None) -> list[dict]:
    """The filters on `group` (all when None); a group none is on is a typo, so name the real ones."""
    if group is None:
        return specs
    chosen = [spec for spec in specs if spec["logGroupName"] == group]
    if not chosen:
        groups = ", ".join(sorted({spec["logGroupName"] for spec in specs})) or "(none)"
        raise ValueError(f"no filter of the config is on log group {group}; its filters are on: {groups}")
    return chosen


def replay(specs: list[dict], events: Iterable[Event]) -> tuple[list[Series], int]:
    """Run each metric filter spec over the events, aggregating per minute as CloudWatch does."""
    series = [Series(spec) for spec in specs]
    compiled = [(s, parse(s.spec["filterPattern"]), s.spec["metricTransformations"][0]) for s in series]
    seen: set[int | None] = set()
    total = 0
    for event in events:
        total += 1
        minute = None if event.timestamp is None else event.timestamp // 60000 * 60000
        seen.add(minute)
        for item, pattern, metric in compiled:
            result = pattern.evaluate(event.message, metric["metricValue"], metric.get("dimensions") or {})
            if result.match and result.value is not None:
                bucket = item.minutes[minute].setdefault(tuple(sorted(result.dimensions.items())), Bucket())
                bucket.count += 1
                bucket.total += result.value
                bucket.values.append(result.value)
    _fill_defaults(series, seen)
    return series, total


def _fill_defaults(series: list[Series], minutes: set[int | None]) -> None:
    """A minute with events but no match publishes the default value, when there is one."""
    for item in series:
        default = item.spec["metricTransformations"][0].get("defaultValue")
        for minute in minutes:
            if default is not None and not item.minutes.get(minute):
                item.minutes[minute][()] = Bucket(0, default, [default])


def minute_text(minute: int | None) -> str:
    if minute is None:
        return "(no time)"
    return datetime.fromtimestamp(minute / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
