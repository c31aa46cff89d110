"""Files read with a size bound, checked before any parsing, and a word on what an oversized file seems to be.

A config or a task definition is a few kilobytes. A log or a dump given by mistake (`-c app.log`)
would otherwise be parsed in full, for minutes and gigabytes, before being refused; here at most
`limit + 1` bytes are ever read, so a file of any size (or an endless one such as /dev/zero) is
refused at once, with a guess at what it is so the mistake is plain.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

HEAD = 4096   # bytes looked at to tell what a file seems to be
TIMESTAMP = re.compile(rb"\s*[\[(]?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\d{10,13}\b|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|"
                       rb"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d|\d{1,3}(\.\d{1,3}){3} )")

JSON_LINE = re.compile(rb"\s*\{.*\}\s*$")
YAML_LINE = re.compile(rb"\s*(#|- |[\w\"'.-]+:(\s|$))")


class TooLarge(ValueError):
    """A file over its bound; the message says how large, what it seems to be, and the bound."""


def read_text(path: str | Path, limit: int, what: str) -> str:
    """The file's UTF-8 text when it has at most `limit` bytes; else TooLarge, having read no more.

    OSError and UnicodeDecodeError propagate, for the caller to place.
    """
    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
        total = os.fstat(stream.fileno()).st_size
    if len(data) > limit:
        has = f"has {size(total)}" if total > limit else f"is larger than {size(limit)}"   # /dev/zero: no size
        raise TooLarge(f"the file {has} and {guess(data[:HEAD])}; {what} is a few kilobytes, and at most "
                       f"{size(limit)} is read: is this the file you meant?")
    return data.decode("utf-8")


def guess(head: bytes) -> str:
    """What a file seems to be, from its first bytes: binary, JSON, a log, or text."""
    if b"\0" in head or not _is_text(head):
        return "seems to be binary data"
    lines = [line for line in head.splitlines()[:20] if line.strip()]
    if _most(lines, TIMESTAMP):
        return "looks like a log (its lines start with timestamps)"
    if len(lines) > 1 and _most(lines, JSON_LINE):
        return "looks like a log of JSON lines"
    if head.lstrip()[:1] in (b"{", b"["):
        return "looks like a JSON document (a dump or an API answer?)"
    if _most(lines, YAML_LINE):
        return "looks like YAML"
    return "seems to be text of some other kind"


def _most(lines: list[bytes], pattern: re.Pattern) -> bool:
    return bool(lines) and sum(1 for line in lines if pattern.match(line)) * 2 > len(lines)


def _is_text(head: bytes) -> bool:
    """UTF-8 with few control characters; a character cut at the end of `head` is no evidence."""
    text = head.decode("utf-8", errors="ignore")
    if len(text.encode("utf-8")) < len(head) - 3:
        return False
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return controls * 100 <= len(text)


def size(count: int) -> str:
    """Bytes as people say them: 512 KiB, 6.2 MiB."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
