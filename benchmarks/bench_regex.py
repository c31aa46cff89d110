"""Time per event of nested-wildcard `%regex%` patterns as the line grows: linear with RE2.

A backtracking engine (Python's re, the engine before RE2) tries every way to split the line
between the wildcards: `%.*.*.*.*x%` took 3.7 s on a 200-character line and over 30 s on 400.
RE2 reads the line once (https://github.com/google/re2/wiki/WhyRE2). Each pattern is timed
through monitor.patterns.parse, as every command and the emulator's log flow run it, on lines of
doubling length; the last column is the time per character, which stays flat when the growth is
linear. `--backtracking` also times Python's re on the short lines, for comparison (it stops at
the first line that takes over a second).

    .venv/bin/python benchmarks/bench_regex.py
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.patterns import parse  # noqa: E402

PATTERNS = ["%.*.*.*.*x%", "%.*.*.*.*.*.*.*.*x%", "%a*a*a*a*a*b%", r"%\w*\w*\w*\w*\x21%",
            "{ $.message = %.*.*.*.*x% }", "[level, message = %.*.*.*.*x%]"]
LENGTHS = [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 51_200, 102_400, 204_800]
BUDGET = 0.2   # seconds of timing per (pattern, length)


def event(pattern: str, length: int) -> str:
    """A line of `length` characters that the pattern does not match, shaped for its kind."""
    body = "a" * length
    if pattern.startswith("{"):
        return '{"message": "%s"}' % body
    if pattern.startswith("["):
        return f"INFO {body}"
    return body


def per_event(matches, line: str) -> float:
    """Seconds per call, repeated until BUDGET is spent."""
    calls, started = 0, time.perf_counter()
    while True:
        matches(line)
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= BUDGET:
            return elapsed / calls


def bench(pattern: str) -> None:
    matches = parse(pattern).matches
    print(f"\n{pattern}\n{'characters':>12} {'µs per event':>14} {'ns per character':>18}")
    for length in LENGTHS:
        seconds = per_event(matches, event(pattern, length))
        print(f"{length:>12,} {seconds * 1e6:>14.1f} {seconds * 1e9 / length:>18.2f}")


def backtracking(pattern: str = ".*.*.*.*x") -> None:
    """Python's re on the same lines, until one line takes over a second."""
    compiled = re.compile(pattern)
    print(f"\nPython re (backtracking), %{pattern}%\n{'characters':>12} {'seconds per event':>18}")
    for length in LENGTHS:
        started = time.perf_counter()
        compiled.search("a" * length)
        took = time.perf_counter() - started
        print(f"{length:>12,} {took:>18.3f}")
        if took > 1:
            return


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--backtracking", action="store_true", help="also time Python's re on short lines")
    options = arguments.parse_args()
    for pattern in PATTERNS:
        bench(pattern)
    if options.backtracking:
        backtracking()


if __name__ == "__main__":
    main()
