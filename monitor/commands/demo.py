"""`monitor demo`: the guided tour, each step a real command against one embedded emulator.

The tour is data: the CLI runs each step's argv as the user would type it and prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.aws.clients import Clients, Target
from monitor.aws.connect import LOCAL_REGION, local_emulator, seed
from monitor.config import catalogue
from monitor.kinds import log_group
from monitor.sync.flow import validate

EXAMPLE = "config.example.yaml"


@dataclass(frozen=True)
class Step:
    text: str
    argv: list[str]


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


def steps(config: str, url: str) -> list[Step]:
    remote = ["-c", config, "--endpoint-url", url]
    sample = str(sample_logs() / "filter-log-events.json")
    return [
        Step("Validate the config offline: schema, AWS rules, quotas. Nothing is sent to AWS.",
             ["validate", "-c", config]),
        Step("Test the filters offline: every `tests:` case of the config and the catalogue.",
             ["test", "-c", config]),
        Step("Replay captured logs (the JSON `aws logs filter-log-events` prints) through the app's filters:"
             " what each would have published, per minute.",
             ["replay", "-c", config, "--log-group", "/ecs/honban/awesome-app", sample]),
        Step("Plan: read the live state and diff it against the config.", ["plan", *remote]),
        Step("Apply: make exactly the calls the plan needs.", ["apply", *remote, "--yes"]),
        Step("Plan again: everything is in place, so there is nothing to do (exit 0).",
             ["plan", *remote, "--detailed-exitcode"]),
    ]


@contextmanager
def tour(config: str, region: str | None) -> Iterator[Tour]:
    """Start the emulator with the config's clusters and log groups; stop it when done.

    Clients for its URL use fake credentials (aws.clients.LOCAL_ENDPOINTS), so the user's own
    are never read or sent, and nothing in the environment is changed.
    """
    loaded = validate(config)
    region = region or (loaded.config.region if loaded.config else None) or LOCAL_REGION
    clusters, groups = seed(loaded) if loaded.ok else ([], [])
    with local_emulator().start(region, clusters, groups) as running:
        yield Tour(config, region, running.url, clusters, groups, steps(config, running.url))


def created(tour: Tour) -> list[str]:
    """What now exists in the emulator, read back as any AWS client would."""
    clients = Clients(Target(tour.region, endpoint_url=tour.url, local=True))
    lines = []
    for cluster in clients.ecs.describe_clusters(clusters=tour.clusters, include=["SETTINGS"])["clusters"]:
        settings = {s["name"]: s["value"] for s in cluster.get("settings", [])}
        lines.append(f"cluster {cluster['clusterName']}: containerInsights={settings.get('containerInsights')}")
    paginator = clients.logs.get_paginator("describe_metric_filters")
    for group in log_group.scope(validate(tour.config).config):
        items = [f for page in paginator.paginate(logGroupName=group) for f in page["metricFilters"]]
        lines.append(f"{group}: {len(items)} metric filter(s)")
        lines += [f"    {item['filterName']} -> namespace {item['metricTransformations'][0]['metricNamespace']}, "
                  f"metric {item['metricTransformations'][0]['metricName']}" for item in items]
    alarms = [a for page in clients.cloudwatch.get_paginator("describe_alarms").paginate() for a in page["MetricAlarms"]]
    lines.append(f"{len(alarms)} alarm(s)")
    return lines + [f"    {a['AlarmName']} on " + (f"namespace {a['Namespace']}, metric {a['MetricName']}"
                                                   if "MetricName" in a else "metric math") for a in alarms]
