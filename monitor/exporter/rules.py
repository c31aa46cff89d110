"""The `exporter:` section's rules beyond its shape: address, periods, derived names and expressions.

Derived metric names follow Prometheus's rules (https://prometheus.io/docs/practices/naming/)
and must not take a name the exporter gives a metric or label of its own; each expression must
parse (its column is reported) and name only metrics this config produces. Both checks are the
expression language's (monitor/expressions).
"""

from __future__ import annotations

from collections import Counter

from monitor import expressions
from monitor.config.model import Config
from monitor.exporter import naming, queries
from monitor.problems import ERROR, WARNING, Check, Problem, Source

MINUTE = 60
MAX_WINDOW = 1440   # periods a refresh reads: a day of minutes
GET_METRIC_DATA_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html"

LISTEN = Check("EXP-001", ERROR, "an exporter address that is not host:port")
PERIOD = Check("EXP-002", ERROR, "an exporter period that is not whole minutes", source=GET_METRIC_DATA_DOC)
WINDOW = Check("EXP-003", ERROR, "an exporter window of more than a day of periods")
INTERVAL = Check("EXP-004", WARNING, "an exporter refresh that reads (and pays for) the same periods again",
                 source=GET_METRIC_DATA_DOC)
OWN_NAME = Check("EXP-005", ERROR, "a derived name in the exporter's own namespace")
DUPLICATE = Check("EXP-006", ERROR, "a derived name declared twice")
CHECKS = (LISTEN, PERIOD, WINDOW, INTERVAL, OWN_NAME, DUPLICATE)


# Series Prometheus adds to every scrape itself (https://prometheus.io/docs/concepts/jobs_instances/):
# a derived metric of that name would clash with them.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
                     "scrape_samples_post_metric_relabeling", "scrape_series_added"}


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
    found: list[tuple[Check, tuple, str]] = []
    try:
        parse_listen(settings.listen)
    except ValueError as error:
        found.append((LISTEN, ("listen",), str(error)))
    if settings.period % MINUTE:
        found.append((PERIOD, ("period",), f"{settings.period} is not a multiple of 60: CloudWatch keeps standard-resolution "
                                   "data in periods of whole minutes"))
    if settings.window > MAX_WINDOW:
        found.append((WINDOW, ("window",), f"{settings.window} periods per refresh; at most {MAX_WINDOW}"))
    if settings.interval < settings.period:
        found.append((INTERVAL, ("interval",), f"a refresh every {settings.interval} s reads the same {settings.period}-second "
                                     "periods several times, and GetMetricData bills each read"))
    return ([check.problem(("exporter",) + path, message, source=source) for check, path, message in found]
            + _derived(config, source))


def _derived(config: Config, source: Source) -> list[Problem]:
    """Each entry's name and expression through the language's own checks (placed at file:line:col,
    the column inside `expr`), with the exporter's metric and label names taken; then duplicates."""
    built = queries.build(config).items
    taken = {q.family for q in built} | _own_names() | set(expressions.LABEL_NAMES) | PROMETHEUS_SERIES
    known = sorted({alias for q in built for alias in q.aliases})
    counts = Counter(entry.name for entry in config.exporter.derived)
    found = []
    for number, entry in enumerate(config.exporter.derived):
        at = ("exporter", "derived", number)
        found += expressions.derived_problems(entry.name, entry.expr, known, at, source, taken)
        if entry.name.startswith(naming.SELF + "_"):
            found.append(OWN_NAME.problem(at + ("name",), f"'{entry.name}': names starting with '{naming.SELF}_' are the "
                                 "exporter's own metrics", source=source))
        elif counts[entry.name] > 1:
            found.append(DUPLICATE.problem(at + ("name",), f"'{entry.name}' is declared {counts[entry.name]} times",
                                 source=source))
    return found


def _own_names() -> set[str]:
    """The ratio and limit families the exporter makes beside those of its queries."""
    return {f"{naming.PREFIX}_container_{resource}_{what}" for resource in ("cpu", "memory")
            for what in ("utilization_ratio", "limit_cores", "limit_bytes")}
