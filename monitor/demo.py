"""`monitor demo`: the guided tour, each step a real command against one embedded emulator."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from monitor import workflow
from monitor.aws import FAKE_CREDENTIALS
from monitor.config import catalogue

EXAMPLE = "config.example.yaml"


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


def steps(config: str, url: str) -> list[tuple[str, list[str]]]:
    remote = ["-c", config, "--endpoint-url", url]
    sample = str(sample_logs() / "filter-log-events.json")
    return [
        ("Validate the config offline: schema, AWS rules, quotas. Nothing is sent to AWS.",
         ["validate", "-c", config]),
        ("Test the filters offline: every `tests:` case of the config and the catalogue.",
         ["test", "-c", config]),
        ("Replay captured logs (the JSON `aws logs filter-log-events` prints) through the app's filters:"
         " what each would have published, per minute.",
         ["replay", "-c", config, "--log-group", "/ecs/honban/awesome-app", sample]),
        ("Plan: read the live state and diff it against the config.", ["plan", *remote]),
        ("Apply: make exactly the calls the plan needs.", ["apply", *remote, "--yes"]),
        ("Plan again: everything is in place, so there is nothing to do (exit 0).",
         ["plan", *remote, "--detailed-exitcode"]),
    ]


def run(args) -> int:
    from monitor.cli import main   # the tour runs the very commands a user would type

    config = example_path(args.config)
    loaded = workflow.validate(config)
    region = args.region or (loaded.config.region if loaded.config else None) or workflow.LOCAL_REGION
    clusters, groups = workflow.seed(loaded) if loaded.ok else ([], [])
    _use_fake_credentials(region)
    with workflow.local_emulator().start(region, clusters, groups) as running:
        print(f"Started an embedded AWS emulator at {running.url} (region {region}),\n"
              f"with the clusters {clusters} and the log groups {groups} of {config}.\n")
        for number, (text, argv) in enumerate(steps(config, running.url), start=1):
            print(f"== Step {number}. {text}\n$ monitor {shlex.join(argv)}")
            code = main(argv)
            print()
            if code != 0:
                print(f"Step {number} ended with exit code {code}; the tour stops here.")
                return code
        _show(running.url, region, loaded)
    print("The tour is over. Point the same commands at your account with --profile/--region.")
    return 0


def _use_fake_credentials(region: str) -> None:
    """The tour talks only to the emulator: never with the user's real credentials."""
    os.environ.pop("AWS_PROFILE", None)
    for key, value in FAKE_CREDENTIALS.items():
        os.environ[key.upper()] = value
    os.environ["AWS_DEFAULT_REGION"] = region


def _show(url: str, region: str, loaded) -> None:
    """What now exists in the emulator, read back as any AWS client would."""
    from monitor.aws import Clients, Target
    from monitor.kinds import log_group

    clients = Clients(Target(region, endpoint_url=url, local=True))
    print("== A look at what was created")
    for cluster in clients.ecs.describe_clusters(clusters=[c.name for c in loaded.config.clusters],
                                                 include=["SETTINGS"])["clusters"]:
        settings = {s["name"]: s["value"] for s in cluster.get("settings", [])}
        print(f"cluster {cluster['clusterName']}: containerInsights={settings.get('containerInsights')}")
    paginator = clients.logs.get_paginator("describe_metric_filters")
    for group in log_group.scope(loaded.config):
        items = [f for page in paginator.paginate(logGroupName=group) for f in page["metricFilters"]]
        print(f"{group}: {len(items)} metric filter(s)")
        for item in items:
            metric = item["metricTransformations"][0]
            print(f"    {item['filterName']} -> {metric['metricNamespace']}/{metric['metricName']}")
    print()
