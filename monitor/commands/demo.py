"""`monitor demo`: the guided tour, each step a real command against one embedded emulator.

The tour is data: the CLI runs each step's argv as the user would type it, or, for a step that
plays an AWS client (the log driver sending logs, a reader of metrics and alarms), calls its
`look` with the running tour; either way it prints what comes back.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from monitor.aws.clients import Clients, Target
from monitor.commands.connect import LOCAL_REGION, start_seeded
from monitor.config import catalogue
from monitor.config.walk import containers
from monitor.kinds import log_group
from monitor.sync.flow import validate
from monitor.taskdefs import files as task_files
from monitor.resolved import model as resolved_model

EXAMPLE = "config.example.yaml"


@dataclass(frozen=True)
class Step:
    """A command (`argv`), or an AWS client's part (`look`: the tour in, lines to print out)."""

    text: str
    argv: list[str]
    look: Callable[[Tour], list[str]] | None = None


@dataclass(frozen=True)
class Sample:
    """A bundled log sample, sent to a container's log group with recent timestamps.

    Its lines are spread evenly over the last `minutes` whole minutes, oldest first: the
    sample's own clock times are not used. The timestamps are shaped, and the incident sample
    added, so that the example's http-5xx-high (Sum of Http5xx > 5 in 3 of 5 minutes) fires.
    """

    file: str
    container: str
    minutes: int


SAMPLES = (Sample("awesome-app.log", "awesome-app", 5), Sample("nginx.log", "nginx", 5),
           Sample("worker.log", "worker", 5), Sample("awesome-app-incident.log", "awesome-app", 3))
SHOWN_MINUTES = 8


@dataclass(frozen=True)
class Tour:
    """A running emulator seeded from the config, and the steps to run against it."""

    config: str
    region: str
    url: str
    clusters: list[str]
    groups: list[str]
    steps: list[Step]


def example_path(given: str | None) -> str:
    """The config the user named, the example in this folder, or the one shipped in the package."""
    if given:
        return given
    if Path(EXAMPLE).exists():
        return EXAMPLE
    return str(catalogue.builtin_directory().parent / EXAMPLE)


def sample_logs() -> Path:
    """The bundled log sample: beside the example in a checkout, or inside the package."""
    return catalogue.builtin_directory().parent / "examples" / "logs"


def steps(config: str, url: str, saved: str) -> list[Step]:
    remote = ["-c", config, "--endpoint-url", url]
    sample = str(sample_logs() / "filter-log-events.json")
    return [
        Step("Validate the config offline: schema, AWS rules, quotas. Nothing is sent to AWS.",
             ["validate", "-c", config]),
        Step("Test the filters and alarms offline: every `tests:` case of the config and the catalogue.",
             ["test", "-c", config]),
        Step("Replay captured logs (the JSON `aws logs filter-log-events` prints) through the app's filters:"
             " what each would have published, per minute.",
             ["replay", "-c", config, "--log-group", "/ecs/honban/awesome-app", sample]),
        Step("The task definitions the services run, registered in the emulator from task-definitions/ beside"
             " the config, as a deploy pipeline would have: their limits size the alarms' `N%` thresholds.",
             [], sizes),
        Step("Plan: read the live state and diff it against the config. It begins with the target (account,"
             " Region, endpoint) and is saved with --out, as a pull request would keep it for review.",
             ["plan", *remote, "--out", saved]),
        Step("Apply exactly the saved plan: no re-planning, no question, but refused if anything it touches "
             "moved since it was made.", ["apply", saved, *remote]),
        Step("Plan again: everything is in place, so there is nothing to do (exit 0).",
             ["plan", *remote, "--detailed-exitcode"]),
        Step("Send the bundled log samples with PutLogEvents, as the awslogs driver would, stamped over the "
             "last minutes (an incident in the last 3). The emulator runs each log group's metric filters.",
             [], send_samples),
        Step("Read back, with GetMetricData and DescribeAlarms, the metric each alarm watches and the alarm's state.",
             [], watched),
        Step("Serve them to Prometheus: one refresh of the exporter, printed as the exposition a scrape gets, "
             "with the derived metrics of the config's `exporter:` section.",
             ["exporter", *remote, "--once"]),
        Step("A look at what was created, read back as any AWS client would.", [], created),
        Step("Review the config as a pull-request reviewer would: every alarm in one table, the findings with "
             "their codes and fixes, and the monthly cost. The example has no action on its alarms on purpose: "
             "ALARM-ACTION-001. The task definitions are checked for the design points monitoring rests on.",
             ["review", "-c", config, "--task-definitions", *map(str, task_files.beside(config))]),
    ]


@contextmanager
def tour(config: str, region: str | None) -> Iterator[Tour]:
    """Start the emulator with the config's clusters and log groups; stop it when done.

    Clients for its URL use fake credentials (aws.clients.LOCAL_ENDPOINTS), so the user's own
    are never read or sent, and nothing in the environment is changed.
    """
    loaded = validate(config)
    region = region or (loaded.config.region if loaded.config else None) or LOCAL_REGION
    running, seeded = start_seeded(loaded, region)
    with running, tempfile.TemporaryDirectory(prefix="monitor-demo-") as folder:
        plan = str(Path(folder) / "plan.json")
        yield Tour(config, region, running.url, seeded.clusters, seeded.groups, steps(config, running.url, plan))


def created(tour: Tour) -> list[str]:
    """What now exists in the emulator, read back as any AWS client would."""
    clients = _clients(tour)
    lines = []
    for cluster in clients.ecs.describe_clusters(clusters=tour.clusters, include=["SETTINGS"])["clusters"]:
        settings = {s["name"]: s["value"] for s in cluster.get("settings", [])}
        lines.append(f"cluster {cluster['clusterName']}: containerInsights={settings.get('containerInsights')}")
    paginator = clients.logs.get_paginator("describe_metric_filters")
    for group in log_group.scope(resolved_model.of(validate(tour.config).config)):
        items = [f for page in paginator.paginate(logGroupName=group) for f in page["metricFilters"]]
        lines.append(f"{group}: {len(items)} metric filter(s)")
        lines += [f"    {item['filterName']} -> namespace {item['metricTransformations'][0]['metricNamespace']}, "
                  f"metric {item['metricTransformations'][0]['metricName']}" for item in items]
    alarms = [a for page in clients.cloudwatch.get_paginator("describe_alarms").paginate() for a in page["MetricAlarms"]]
    lines.append(f"{len(alarms)} alarm(s)")
    return lines + [f"    {a['AlarmName']} on " + (f"namespace {a['Namespace']}, metric {a['MetricName']}"
                                                   if "MetricName" in a else "metric math") for a in alarms]


def sizes(tour: Tour) -> list[str]:
    """Each task definition the config names, read back with DescribeTaskDefinition: its sizes."""
    ecs = _clients(tour).ecs
    lines = []
    named = sorted({s.task_definition for c in validate(tour.config).config.clusters for s in c.services
                    if s.task_definition})
    for reference in named:
        made = ecs.describe_task_definition(taskDefinition=reference)["taskDefinition"]
        sizes = ", ".join(f"{c['name']} cpu {c.get('cpu', 0)}" + "".join(
            f", {key} {c[key]} MiB" for key in ("memory", "memoryReservation") if key in c)
            for c in made["containerDefinitions"])
        lines.append(f"{made['family']}:{made['revision']} (task cpu {made.get('cpu')}, memory {made.get('memory')} MiB):"
                     f" {sizes}")
    return lines


def send_samples(tour: Tour) -> list[str]:
    """PutLogEvents of each sample into its container's log group; one line per sample sent."""
    clients = _clients(tour)
    groups = {p.container.name: p.container.log_group for p in containers(validate(tour.config).config)}
    end = int(time.time()) // 60 * 60_000   # the last whole minute ends here (epoch ms)
    lines = []
    for sample in SAMPLES:
        messages = [m for m in (sample_logs() / sample.file).read_text().splitlines() if m.strip()]
        stream = f"demo/{sample.file}"
        clients.logs.create_log_stream(logGroupName=groups[sample.container], logStreamName=stream)
        clients.logs.put_log_events(logGroupName=groups[sample.container], logStreamName=stream,
                                    logEvents=_stamped(messages, end, sample.minutes))
        lines.append(f"{groups[sample.container]}: {len(messages)} events of {sample.file}, "
                     f"{_clock(end - sample.minutes * 60_000)} to {_clock(end)} UTC")
    return lines


def _stamped(messages: list[str], end: int, minutes: int) -> list[dict]:
    """The messages spread evenly over the `minutes` whole minutes before `end` (epoch ms)."""
    span = minutes * 60_000
    return [{"timestamp": end - span + i * span // len(messages), "message": m} for i, m in enumerate(messages)]


def watched(tour: Tour) -> list[str]:
    """Each alarm: its state; for one on a metric with data, the values per period and StateReason.

    The emulator evaluates alarms on one metric; metric-math and composite alarms keep the state
    they were created with (INSUFFICIENT_DATA), and are listed as such.
    """
    clients = _clients(tour)
    pages = clients.cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    lines = []
    for page in pages:
        for alarm in page["MetricAlarms"]:
            series = _series(clients, alarm) if "MetricName" in alarm else None
            if series is None or series.endswith("no datapoints"):
                kind = "on one metric, no datapoints" if series else "metric math, not evaluated by the emulator"
                lines.append(f"{alarm['AlarmName']}: {alarm['StateValue']} ({kind})")
                continue
            lines += [f"{alarm['AlarmName']}: {alarm['StateValue']}", f"    {series}",
                      f"    {alarm['StateReason']}"]
        lines += [f"{a['AlarmName']}: {a['StateValue']} (composite: {a['AlarmRule']}; not evaluated by the emulator)"
                  for a in page.get("CompositeAlarms", [])]
    return lines


def _series(clients: Clients, alarm: dict) -> str:
    """`Namespace MetricName Stat per Ns: HH:MM v, ...` read with GetMetricData."""
    stat = alarm.get("Statistic") or alarm.get("ExtendedStatistic")
    metric = {k: alarm[k] for k in ("Namespace", "MetricName", "Dimensions")}
    end = datetime.now(timezone.utc)
    start = datetime.fromtimestamp(end.timestamp() // 60 * 60 - SHOWN_MINUTES * 60, timezone.utc)
    query = {"Id": "watched", "MetricStat": {"Metric": metric, "Period": alarm["Period"], "Stat": stat}}
    result = clients.cloudwatch.get_metric_data(MetricDataQueries=[query], StartTime=start, EndTime=end,
                                                ScanBy="TimestampAscending")["MetricDataResults"][0]
    points = ", ".join(f"{t.strftime('%H:%M')} {v:g}" for t, v in zip(result["Timestamps"], result["Values"]))
    name = f"{alarm['Namespace']} {alarm['MetricName']} {stat} per {alarm['Period']}s"
    return f"{name}: {points or 'no datapoints'}"


def _clients(tour: Tour) -> Clients:
    return Clients(Target(tour.region, endpoint_url=tour.url, local=True))


def _clock(milliseconds: int) -> str:
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc).strftime("%H:%M")
