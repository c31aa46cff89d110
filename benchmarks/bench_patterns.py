"""Throughput of the filter-pattern engine against floors measured in the same run.

Three streams of log lines (JSON access logs, Container Insights performance events, plain text)
are generated in chunks, so memory stays flat whatever --lines is; generation is not timed. Each
pattern is timed over the same chunks as its floor: json.loads for JSON patterns, one precompiled
re.search for text patterns. Targets: JSON <= 1.5x its floor, terms <= 2x theirs.

    .venv/bin/python benchmarks/bench_patterns.py --lines 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.patterns import parse  # noqa: E402

CHUNK = 10_000
PATHS = ["/api/orders", "/api/orders/{n}", "/api/users/{n}", "/health", "/static/app.js", "/api/cart"]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
STATUSES = [200] * 80 + [201] * 5 + [304] * 5 + [404] * 6 + [500] * 3 + [503]
CONTAINERS = ["web", "worker", "sidecar", "envoy"]
LEVELS = ["INFO"] * 85 + ["DEBUG"] * 8 + ["WARN"] * 5 + ["ERROR"] * 2

# (stream, pattern, floor) - the floor is what the pattern is compared with.
SUITE = [
    ("access", '{ $.status >= 500 }', "json"),
    ("access", '{ $.status >= 500 && $.path = "/api/*" }', "json"),
    ("access", "{ $.latency_ms > 250 || $.status = 503 }", "json"),
    ("insights", '{ $.Type = "Container" && $.ContainerName = "web" }', "json"),
    ("insights", '{ $.Type = "Container" && $.MemoryUtilized > 400 }', "json"),
    ("insights", '{ $.Type = "Task" && $.KnownStatus != "RUNNING" }', "json"),
    ("text", "ERROR", "regex"),
    ("text", "ERROR -healthcheck", "regex"),
    ("text", "?ERROR ?WARN", "regex"),
    ("text", '"Request failed" timeout', "regex"),
    ("text", r"%status=5\d\d%", "regex"),
    ("apache", "[ip, id, user, timestamp, request, status_code = 5*, size]", "regex"),
    ("apache", "[..., status_code = 404, size > 1000]", "regex"),
]
TARGETS = {"json": 1.5, "terms": 2.0}


def access_line(rng: random.Random, n: int) -> str:
    """A JSON access log record, as an app behind a load balancer writes it."""
    path = rng.choice(PATHS).format(n=rng.randrange(10_000))
    return (f'{{"time":"2024-05-01T12:{n // 60 % 60:02d}:{n % 60:02d}.{n % 1000:03d}Z","level":"info",'
            f'"method":"{rng.choice(METHODS)}","path":"{path}","status":{rng.choice(STATUSES)},'
            f'"latency_ms":{rng.expovariate(1 / 40):.2f},"bytes":{rng.randrange(100, 90_000)},'
            f'"ip":"10.0.{rng.randrange(256)}.{rng.randrange(256)}","request_id":"{rng.getrandbits(64):016x}",'
            f'"user_agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0"}}')


def insights_line(rng: random.Random, n: int) -> str:
    """A Container Insights performance event, shaped like the sample in AWS's "Container Insights performance log events for Amazon ECS"."""
    kind = rng.choices(["Container", "Task", "Service", "Cluster"], [70, 20, 8, 2])[0]
    head = (f'{{"Version":"0","Type":"{kind}","ClusterName":"honban","Timestamp":{1654023960000 + n * 1000},'
            f'"TaskId":"{rng.getrandbits(128):032x}","TaskDefinitionFamily":"app","TaskDefinitionRevision":"7",'
            f'"ServiceName":"app",')
    if kind == "Container":
        return head + (f'"ContainerName":"{rng.choice(CONTAINERS)}","Image":"209640446841.dkr.ecr.us-east-2.'
                       f'amazonaws.com/app:latest","ContainerKnownStatus":"RUNNING",'
                       f'"CpuUtilized":{rng.uniform(0, 256):.12f},"CpuReserved":256,'
                       f'"MemoryUtilized":{rng.randrange(50, 512)},"MemoryReserved":512,"StorageReadBytes":0,'
                       f'"StorageWriteBytes":0,"NetworkRxBytes":{rng.randrange(10**6)},"NetworkRxDropped":0,'
                       f'"NetworkRxErrors":0,"NetworkRxPackets":{rng.randrange(10**5)},"NetworkTxBytes":'
                       f'{rng.randrange(10**6)},"NetworkTxDropped":0,"NetworkTxErrors":0,"NetworkTxPackets":1899}}')
    if kind == "Task":
        status = rng.choice(["RUNNING"] * 19 + ["STOPPED"])
        return head + (f'"KnownStatus":"{status}","LaunchType":"FARGATE","AvailabilityZone":"ap-northeast-1a",'
                       f'"CpuUtilized":{rng.uniform(0, 512):.6f},"CpuReserved":512,"MemoryUtilized":'
                       f'{rng.randrange(100, 1024)},"MemoryReserved":1024,"CloudWatchMetrics":[{{"Namespace":'
                       f'"ECS/ContainerInsights","Metrics":[{{"Name":"CpuUtilized","Unit":"None"}}],'
                       f'"Dimensions":[["ClusterName"],["ServiceName","ClusterName"]]}}]}}')
    return head + f'"DesiredTaskCount":2,"RunningTaskCount":{rng.randrange(3)},"PendingTaskCount":0}}'


def text_line(rng: random.Random, n: int) -> str:
    """An application log line in plain text."""
    level = rng.choice(LEVELS)
    path = rng.choice(PATHS).format(n=rng.randrange(10_000))
    message = "Request failed: upstream timeout" if level == "ERROR" else "Request handled"
    return (f"2024-05-01T12:00:{n % 60:02d}.{n % 1000:03d}Z {level} [http-nio-8080-exec-{rng.randrange(16)}] "
            f"{message} method=GET path={path} status={rng.choice(STATUSES)} took={rng.randrange(1, 900)}ms")


def apache_line(rng: random.Random, n: int) -> str:
    """An Apache common log line, the docs' space-delimited example."""
    return (f'10.0.{rng.randrange(256)}.{rng.randrange(256)} - frank [10/Oct/2000:13:{n // 60 % 60:02d}:'
            f'{n % 60:02d} -0700] "GET {rng.choice(PATHS).format(n=n)} HTTP/1.1" {rng.choice(STATUSES)} '
            f"{rng.randrange(100, 9000)}")


MAKERS: dict[str, Callable[[random.Random, int], str]] = {
    "access": access_line, "insights": insights_line, "text": text_line, "apache": apache_line}
FLOORS: dict[str, Callable[[str], object]] = {"json": json.loads, "regex": re.compile("ERROR").search}


def chunks(stream: str, lines: int) -> Iterator[list[str]]:
    """The stream in lists of CHUNK lines; only one chunk is alive at a time."""
    rng, make = random.Random(stream), MAKERS[stream]
    for start in range(0, lines, CHUNK):
        yield [make(rng, n) for n in range(start, min(start + CHUNK, lines))]


def timed(test: Callable[[str], object], chunk: list[str], repeats: int) -> tuple[float, int]:
    """Best of `repeats` timings of test over the chunk (other processes only ever add time),
    and how many lines it accepted."""
    best, hits = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        hits = 0
        for line in chunk:
            if test(line):
                hits += 1
        best = min(best, time.perf_counter() - started)
    return best, hits


def run_stream(stream: str, lines: int, suite: list[tuple[str, str]], repeats: int) -> dict:
    """Time the floors and every pattern of one stream over the same chunks, interleaved."""
    tests = {floor: FLOORS[floor] for _, floor in suite} | {text: parse(text).matches for text, _ in suite}
    totals = {key: [0.0, 0] for key in tests}
    for chunk in chunks(stream, lines):
        for key, test in tests.items():
            _add(totals[key], timed(test, chunk, repeats))
    return totals


def _add(total: list, sample: tuple[float, int]) -> None:
    """Accumulate (seconds, hits)."""
    total[0] += sample[0]
    total[1] += sample[1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(lines: int, repeats: int) -> list[str]:
    """Run every stream and return the table rows; flags patterns over their target."""
    rows, misses = [], []
    for stream in MAKERS:
        suite = [(text, floor) for s, text, floor in SUITE if s == stream]
        totals = run_stream(stream, lines, suite, repeats)
        for floor in {floor for _, floor in suite}:
            rows.append(_row(stream, f"floor: {floor}", lines, totals[floor][0], None, totals[floor][1]))
        for text, floor in suite:
            seconds, hits = totals[text]
            ratio = seconds / totals[floor][0]
            rows.append(_row(stream, text, lines, seconds, ratio, hits))
            target = TARGETS.get(parse(text).kind)
            if target and ratio > target:
                misses.append(f"{text}: {ratio:.2f}x > {target}x")
    return rows + [f"over target: {', '.join(misses) or 'none'}"]


def _row(stream: str, label: str, lines: int, seconds: float, ratio: float | None, hits: int) -> str:
    """One line of the table."""
    shown = f"{ratio:5.2f}x" if ratio is not None else "   -  "
    return f"{stream:9} {label[:58]:58} {lines / seconds:>12,.0f} lines/s  {shown}  {hits:>9,} hits"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines per stream (default 1,000,000)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per chunk, best kept (default 3)")
    args = parser.parse_args()
    lines, repeats = args.lines, args.repeats
    warmup = max(CHUNK, lines // 10)
    print(f"warm-up run, {warmup:,} lines per stream ...")
    report(warmup, 1)
    print(f"peak RSS after {warmup:,} lines: {peak_rss_mb():.1f} MB")
    print(f"{'stream':9} {'pattern':58} {'throughput':>18}  ratio  {'matched':>14}")
    for row in report(lines, repeats):
        print(row)
    print(f"peak RSS after {lines:,} lines: {peak_rss_mb():.1f} MB (flat: lines are streamed in chunks of {CHUNK:,})")


if __name__ == "__main__":
    main()
