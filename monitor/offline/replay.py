"""`monitor replay`: what the config's filters would have published on captured log events."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from monitor import jsonfile
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
        document = jsonfile.loads(text)
    except jsonfile.TooDeep as error:
        raise ValueError(f"{path}:{error.line}:{error.column}: the JSON document is {error.message}") from None
    except jsonfile.JsonError as error:
        if _is_json(text.split("\n", 1)[0]):
            return None
        raise ValueError(f"{path}:{error.line}:{error.column}: the JSON document breaks here ({error.message}); "
                         "was the capture cut short?") from None
    events = document.get("events") if isinstance(document, dict) else None
    return events if isinstance(events, list) else None


def _is_json(text: str) -> bool:
    try:
        jsonfile.loads(text)
    except jsonfile.JsonError:
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


@dataclass(frozen=True)
class Datum:
    """One value a metric filter publishes: a match's value, or the default for an idle minute.

    spec: the filter (DescribeMetricFilters' shape); minute: epoch ms of the minute, None when
    the event had no time; timestamp: the event's epoch ms (the minute for a default value);
    dimensions: sorted (name, value) pairs; default: True for a defaultValue datum.
    """

    spec: dict
    minute: int | None
    timestamp: int | None
    dimensions: tuple
    value: float
    default: bool = False


def replay(specs: list[dict], events: Iterable[Event]) -> tuple[list[Series], int]:
    """Run each metric filter spec over the events, aggregating per minute as CloudWatch does."""
    series = {id(spec): Series(spec) for spec in specs}
    counted = _Counted(events)
    for datum in publish(specs, counted):
        bucket = series[id(datum.spec)].minutes[datum.minute].setdefault(datum.dimensions, Bucket())
        bucket.count += 0 if datum.default else 1
        bucket.total += datum.value
        bucket.values.append(datum.value)
    return list(series.values()), counted.total


def publish(specs: list[dict], events: Iterable[Event]) -> Iterator[Datum]:
    """What the filters publish for the events: each match as it comes, then the default values.

    A match whose value field is missing or not a number publishes nothing. A minute with events
    but nothing published by a filter gets that filter's defaultValue, once, when it has one
    (the choices are named in monitor.emulator.flow_semantics). Raises PatternError for a bad pattern.
    """
    compiled = [(spec, parse(spec["filterPattern"]), spec["metricTransformations"][0]) for spec in specs]
    seen: dict[int | None, int | None] = {}
    published: set[tuple[int, int | None]] = set()
    for event in events:
        minute = None if event.timestamp is None else event.timestamp // 60000 * 60000
        seen.setdefault(minute, minute)
        for index, (spec, pattern, metric) in enumerate(compiled):
            result = pattern.evaluate(event.message, metric["metricValue"], metric.get("dimensions") or {})
            if result.match and result.value is not None:
                published.add((index, minute))
                yield Datum(spec, minute, event.timestamp, tuple(sorted(result.dimensions.items())), result.value)
    for index, (spec, _, metric) in enumerate(compiled):
        default = metric.get("defaultValue")
        for minute in seen if default is not None else ():
            if (index, minute) not in published:
                yield Datum(spec, minute, minute, (), float(default), default=True)


class _Counted:
    """The events, counted as they pass."""

    def __init__(self, events: Iterable[Event]):
        self.events, self.total = events, 0

    def __iter__(self) -> Iterator[Event]:
        for event in self.events:
            self.total += 1
            yield event


def minute_text(minute: int | None) -> str:
    if minute is None:
        return "(no time)"
    return datetime.fromtimestamp(minute / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
