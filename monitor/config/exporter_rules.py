"""The `exporter:` section's rules beyond its shape: address, periods, derived names and expressions.

Derived metric names follow Prometheus's rules (https://prometheus.io/docs/practices/naming/)
and must not take a name the exporter gives a metric of its own; each expression must compile
(its column is reported) and name only metrics this config produces.
"""

from __future__ import annotations

from collections import Counter

from monitor.config.model import Config
from monitor.exporter import derive, naming, queries
from monitor.problems import Problem, Source

MINUTE = 60
MAX_WINDOW = 1440   # periods a refresh reads: a day of minutes


def parse_listen(text: str) -> tuple[str, int]:
    """`host:port` (`[::1]:9108` for IPv6, `:9108` for every address, port 0 for any free one);
    raises ValueError saying what is wanted."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"'{text}' is not host:port with a port from 0 to 65535, e.g. 0.0.0.0:9108")
    return host.strip("[]") or "0.0.0.0", int(port)


def check(config: Config, source: Source) -> list[Problem]:
    """Every problem of the `exporter:` section, at its line; nothing when there is none."""
    settings = config.exporter
    if settings is None:
        return []
    found: list[tuple[tuple, str, str]] = []
    try:
        parse_listen(settings.listen)
    except ValueError as error:
        found.append((("listen",), str(error), "error"))
    if settings.period % MINUTE:
        found.append((("period",), f"{settings.period} is not a multiple of 60: CloudWatch keeps standard-resolution "
                                   "data in periods of whole minutes", "error"))
    if settings.window > MAX_WINDOW:
        found.append((("window",), f"{settings.window} periods per refresh; at most {MAX_WINDOW}", "error"))
    if settings.interval < settings.period:
        found.append((("interval",), f"a refresh every {settings.interval} s reads the same {settings.period}-second "
                                     "periods several times, and GetMetricData bills each read", "warning"))
    found += _derived(config)
    return [Problem(("exporter",) + path, message, severity, source=source) for path, message, severity in found]


def _derived(config: Config) -> list[tuple[tuple, str, str]]:
    built = queries.build(config).items
    taken = {q.family for q in built} | _own_names()
    known = sorted({alias for q in built for alias in q.aliases})
    counts = Counter(entry.name for entry in config.exporter.derived)
    found = []
    for number, entry in enumerate(config.exporter.derived):
        at = ("derived", number)
        if message := naming.name_problem(entry.name):
            found.append((at + ("name",), message, "error"))
        elif entry.name in taken or entry.name.startswith(naming.SELF + "_"):
            found.append((at + ("name",), f"'{entry.name}' is a name the exporter gives a metric of its own", "error"))
        elif counts[entry.name] > 1:
            found.append((at + ("name",), f"'{entry.name}' is declared {counts[entry.name]} times", "error"))
        found += _expression(entry.expr, at + ("expr",), known)
    return found


def _expression(text: str, at: tuple, known: list[str]) -> list[tuple[tuple, str, str]]:
    try:
        compiled = derive.compile_expression(text)
    except derive.ExpressionError as error:
        return [(at, f"column {error.column}: {error.message}", "error")]
    unknown = [name for name in compiled.names if name not in known]
    return [(at, f"'{name}' is not a metric this config produces; known: {', '.join(known) or 'none'}", "error")
            for name in unknown]


def _own_names() -> set[str]:
    """The ratio and limit families the exporter makes beside those of its queries."""
    return {f"{naming.PREFIX}_container_{resource}_{what}" for resource in ("cpu", "memory")
            for what in ("utilization_ratio", "limit_vcpus", "limit_bytes")}
