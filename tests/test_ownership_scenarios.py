"""Adversarial end-to-end scenarios for ownership and metric identity, from the documented behaviour (README: names, ownership, metric identity).

Written from the contract, not from the implementation: no test knows how a filter's name or
its metric namespace is built. Everything is asserted through behaviour -- the `plan --output
json` document, `apply --yes`, `destroy --yes`, `plan --prune` -- and through what the emulator
holds, read back with plain boto3. Where a test needs one of our names (scenario 5), it takes it
from the emulator after an apply.

The contract rules under test:
- "A resource is ours only when it carries our prefix *and* names a cluster of this config:
  plan, --prune and destroy touch nothing else, on any log group. Anything else is never
  modified or deleted, even if its name collides."
- Every resource "names its cluster unambiguously" (ECS names contain '-').
- "Each container's metrics are distinct by default: two containers never publish into one
  metric unless the config says so."
- "Two configs that share a prefix and a cluster are a misconfiguration, and the plan says so
  when it can see it."

One emulator process serves the module; every test works in a Region of its own (taken from the
end of the Region list, so the other end-to-end module, which takes them from the start, never
meets these). The CLI runs in-process through `monitor.cli.main`, and as a subprocess where the
exit code is the point.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import yaml

from monitor.cli import main

from test_cli_e2e import Result

FAKE = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
# eu-west-1 is test_emulator's, us-east-1 the in-process moto tests', ap-northeast-1 the example's.
RESERVED = {"eu-west-1", "us-east-1", "ap-northeast-1"}
REGIONS = iter(sorted(set(boto3.Session().get_available_regions("logs"))
                      & set(boto3.Session().get_available_regions("ecs")) - RESERVED, reverse=True))
PREFIX = "monitor"   # the contract's default prefix; every config here leaves `prefix` out


# --- the emulator, and one fresh Region per test ---


@dataclass
class Account:
    url: str
    region: str
    folder: Path


@pytest.fixture
def aws(emulator, tmp_path) -> Account:
    region = next(REGIONS, None)
    assert region, "no unused Region left"
    account = Account(emulator.url, region, tmp_path)
    assert all_filters(account) == {} and not client(account, "ecs").list_clusters()["clusterArns"], \
        f"{region} is not fresh: another test module uses it"
    return account


# --- helpers: configs, the CLI, the emulator ---


def client(aws: Account, service: str):
    return boto3.client(service, endpoint_url=aws.url, region_name=aws.region, **FAKE)


def write(aws: Account, name: str, text: str) -> Path:
    """A config file from YAML text; its clusters and log groups are created in the Region."""
    path = aws.folder / name
    path.write_text(textwrap.dedent(text))
    seed(aws, path)
    return path


def seed(aws: Account, config: Path) -> None:
    """What a real account would already hold: the config's clusters and app log groups."""
    doc = yaml.safe_load(config.read_text())
    ecs, logs = client(aws, "ecs"), client(aws, "logs")
    existing = groups(aws)
    for cluster in doc["clusters"]:
        ecs.create_cluster(clusterName=cluster["name"])
        for service in cluster.get("services", []):
            for container in service.get("containers", []):
                group = container.get("log_group")
                if group and group not in existing:
                    logs.create_log_group(logGroupName=group)
                    existing.add(group)


def groups(aws: Account) -> set[str]:
    pages = client(aws, "logs").get_paginator("describe_log_groups").paginate()
    return {group["logGroupName"] for page in pages for group in page["logGroups"]}




def monitor(*argv: str) -> Result:
    """`monitor ARGV` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:   # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    return Result(code, out.getvalue(), err.getvalue())


def monitor_process(*argv: str) -> Result:
    """`python -m monitor ARGV` as a script would run it: fake credentials, stdin not a terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({key.upper(): value for key, value in FAKE.items()},
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    done = subprocess.run([sys.executable, "-m", "monitor", *argv], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


def at(aws: Account, config: Path) -> list[str]:
    return ["-c", str(config), "--endpoint-url", aws.url, "--region", aws.region]


def plan(aws: Account, config: Path, *extra: str) -> dict:
    """`plan --output json`; the document, after checking it is one and the plan did not fail."""
    result = monitor("plan", *at(aws, config), "--output", "json", *extra)
    assert result.code == 0, f"plan {config.name} {extra}: exit {result.code}\n{result.text}"
    return result.json


def apply(aws: Account, config: Path, *extra: str) -> dict:
    result = monitor("apply", *at(aws, config), "--yes", "--output", "json", *extra)
    assert result.code == 0, f"apply {config.name} {extra}: exit {result.code}\n{result.text}"
    return result.json


def destroy(aws: Account, config: Path) -> dict:
    result = monitor("destroy", *at(aws, config), "--yes", "--output", "json")
    assert result.code == 0, f"destroy {config.name}: exit {result.code}\n{result.text}"
    return result.json


def all_filters(aws: Account, group: str | None = None) -> dict[tuple[str, str], dict]:
    """Every metric filter in the Region (or on one log group), by (log group, filter name)."""
    paginator = client(aws, "logs").get_paginator("describe_metric_filters")
    pages = paginator.paginate(**({"logGroupName": group} if group else {}))
    return {(item["logGroupName"], item["filterName"]): item for page in pages for item in page["metricFilters"]}


def identities(aws: Account, group: str | None = None) -> set[tuple[str, str, str, str, str]]:
    """(logGroupName, filterName, pattern, metricNamespace, metricName) of every filter held."""
    return {(item["logGroupName"], item["filterName"], item.get("filterPattern", ""),
             metric["metricNamespace"], metric["metricName"])
            for item in all_filters(aws, group).values() for metric in item["metricTransformations"]}


def on_group(found: set[tuple], group: str) -> set[tuple]:
    return {item for item in found if item[0] == group}


def touching(document: dict, group: str) -> list[dict]:
    """The plan's changes to metric filters on one log group (ids are `group:name`)."""
    return [c for c in document["changes"] if c["kind"] == "metric_filter" and c["id"].startswith(f"{group}:")]


def assert_no_changes(document: dict, why: str) -> None:
    assert document["changes"] == [], f"{why}: {[(c['action'], c['id']) for c in document['changes']]}"
    assert {document["summary"][a] for a in ("create", "update", "delete")} == {0}, why


def put_foreign(aws: Account, group: str, name: str) -> None:
    """A filter made by hand, straight through the API."""
    client(aws, "logs").put_metric_filter(
        logGroupName=group, filterName=name, filterPattern="DISK FULL",
        metricTransformations=[{"metricName": "DiskFull", "metricNamespace": "Team/Other", "metricValue": "1"}])


# --- 1. a name prefix that is also another cluster's name ---


def test_destroy_of_cluster_web_api_keeps_cluster_web_service_api_x(aws):
    """Fault: prefix ambiguity. `monitor-web-api-x-app-errors` is both (web, api-x, app) and
    (web-api, x, app): a config for cluster `web-api` must never claim cluster `web`'s filters,
    not by destroy and not by --prune, although they sit on a log group it does not name."""
    w = write(aws, "w.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api-x
                containers:
                  - name: app
                    log_group: /ecs/w
                    filters:
                      - name: errors
                        pattern: ERROR
                        metric: Errors
        """)
    a = write(aws, "a.yaml", """\
        version: 1
        clusters:
          - name: web-api
            services:
              - name: x
                containers:
                  - name: app
                    log_group: /ecs/a
                    filters:
                      - name: errors
                        pattern: ERROR
                        metric: Errors
        """)
    apply(aws, w)
    w_filters = identities(aws, "/ecs/w")
    assert len(w_filters) == 1
    apply(aws, a)
    assert len(identities(aws, "/ecs/a")) == 1

    destroyed = destroy(aws, a)
    assert touching(destroyed, "/ecs/w") == [], "destroy with config A planned changes on W's log group"
    assert identities(aws, "/ecs/w") == w_filters, "destroy with config A deleted cluster web's filters"
    assert identities(aws, "/ecs/a") == set()
    assert_no_changes(plan(aws, w), "W's plan after A was destroyed")

    apply(aws, a)
    pruned = plan(aws, a, "--prune")
    assert touching(pruned, "/ecs/w") == [], "plan --prune with config A would touch /ecs/w"
    assert_no_changes(pruned, "A's plan --prune right after applying A")


# --- 2. one log group shared by two configs' sidecars ---


WEB_WITH_XRAY = """\
    version: 1
    clusters:
      - name: web
        services:
          - name: api
            containers:
              - name: app
                log_group: /ecs/web/app
                filters:
                  - name: errors
                    pattern: ERROR
                    metric: Errors
              - name: xray-daemon
                log_group: /ecs/xray-daemon
                filters:
                  - name: dropped
                    pattern: '"Segment batch dropped"'
                    metric: SegmentsDropped
    """


def test_shared_log_group_destroy_and_prune_leave_the_other_config_alone(aws):
    """Fault: ownership by prefix alone. On a log group two configs share, `destroy` and
    `apply --prune` of config `web` must delete only cluster web's filters, never batch's,
    although both carry the default prefix."""
    web = write(aws, "web.yaml", WEB_WITH_XRAY)
    batch = write(aws, "batch.yaml", """\
        version: 1
        clusters:
          - name: batch
            services:
              - name: job
                containers:
                  - name: xray-daemon
                    log_group: /ecs/xray-daemon
                    filters:
                      - name: dropped
                        pattern: '"Segment batch dropped"'
                        metric: SegmentsDropped
        """)
    apply(aws, web)
    web_filters = identities(aws)
    assert len(web_filters) == 2
    apply(aws, batch)
    batch_filters = identities(aws) - web_filters
    assert len(batch_filters) == 1 and len(on_group(identities(aws), "/ecs/xray-daemon")) == 2

    destroy(aws, web)
    assert identities(aws) == batch_filters, "destroy web: web's filters gone, batch's intact"
    assert_no_changes(plan(aws, batch), "batch's plan after web was destroyed")

    # Again with --prune: web drops its xray filter; batch's must stay.
    apply(aws, web)
    assert identities(aws) == web_filters | batch_filters
    web.write_text(textwrap.dedent(WEB_WITH_XRAY).split("          - name: xray-daemon")[0])
    assert "xray" not in web.read_text()
    pruned = plan(aws, web, "--prune")
    assert len(touching(pruned, "/ecs/xray-daemon")) == 1, pruned["changes"]
    apply(aws, web, "--prune")
    assert identities(aws) == on_group(web_filters, "/ecs/web/app") | batch_filters
    assert_no_changes(plan(aws, batch), "batch's plan after web's apply --prune")
    assert_no_changes(plan(aws, web, "--prune"), "web's plan --prune after its apply --prune")


# --- 3. three containers whose dash-joined names coincide ---


def test_three_placements_with_coinciding_dashed_names_get_three_filters(aws):
    """Fault: name collisions. (web, api, app-worker), (web, api-app, worker) and (web-api, app,
    worker) are three distinct containers; joined with '-' they give one name, so today one filter
    overwrites the others and every plan rewrites it. Refusing the config is no answer either."""
    config = write(aws, "monitor.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api
                containers:
                  - name: app-worker
                    log_group: /ecs/shared
                    filters:
                      - {name: errors, pattern: ERROR, metric: Errors}
              - name: api-app
                containers:
                  - name: worker
                    log_group: /ecs/shared
                    filters:
                      - {name: errors, pattern: FATAL, metric: Errors}
          - name: web-api
            services:
              - name: app
                containers:
                  - name: worker
                    log_group: /ecs/shared
                    filters:
                      - {name: errors, pattern: PANIC, metric: Errors}
        """)
    valid = monitor("validate", "-c", str(config))
    assert valid.code == 0, f"three distinct containers refused:\n{valid.text}"
    first = plan(aws, config)
    assert first["summary"]["create"] == 3 and len({c["id"] for c in first["changes"]}) == 3, first["changes"]
    apply(aws, config)

    held = all_filters(aws, "/ecs/shared")
    assert len(held) == 3, f"one filter per placement, each its own name: {sorted(n for _, n in held)}"
    assert {item["filterPattern"] for item in held.values()} == {"ERROR", "FATAL", "PANIC"}
    assert_no_changes(plan(aws, config), "second plan")
    assert_no_changes(plan(aws, config), "third plan (no flip-flop)")
    assert len(all_filters(aws, "/ecs/shared")) == 3


# --- 4. cluster names that extend each other, on one log group ---


WEB = """\
    version: 1
    clusters:
      - name: web
        services:
          - name: api
            containers:
              - name: app
                log_group: /ecs/shared
                filters:
                  - {name: errors, pattern: ERROR, metric: Errors}
    """
WEB_API = """\
    version: 1
    clusters:
      - name: web-api
        services:
          - name: app
            containers:
              - name: app
                log_group: /ecs/shared
                filters:
                  - {name: errors, pattern: ERROR, metric: Errors}
    """


@pytest.mark.parametrize("destroyed", ["web", "web-api"])
def test_destroying_one_of_web_and_web_api_on_a_shared_group_keeps_the_other(aws, destroyed):
    """Fault: prefix ambiguity and ownership by prefix alone, in both directions. `web` is a
    prefix of `web-api` (and `monitor-web-api-app-...` reads as either): destroying either config
    must leave the other's filters on the shared log group intact and its plan empty."""
    configs = {"web": write(aws, "web.yaml", WEB), "web-api": write(aws, "web-api.yaml", WEB_API)}
    held = {}
    for name, config in configs.items():
        before = identities(aws)
        apply(aws, config)
        held[name] = identities(aws) - before
        assert len(held[name]) == 1, f"{name}: {held[name]}"
    [kept] = set(configs) - {destroyed}

    destroy(aws, configs[destroyed])
    assert identities(aws) == held[kept], f"after destroying {destroyed}, only {kept}'s filters remain"
    assert_no_changes(plan(aws, configs[kept]), f"{kept}'s plan after destroying {destroyed}")
    assert_no_changes(plan(aws, configs[kept], "--prune"), f"{kept}'s plan --prune")


# --- 5. foreign filters on our own log group ---


def test_lookalike_filters_on_our_group_are_never_touched(aws):
    """Fault: ownership by prefix alone. On our own log group, a hand-made copy of our filter's
    name under another prefix, and one under our prefix that names a cluster the config does not
    have (`zzz`), are not ours: destroy and plan/apply --prune leave both alone."""
    config = write(aws, "monitor.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api
                containers:
                  - name: app
                    log_group: /ecs/web
                    filters:
                      - {name: errors, pattern: ERROR, metric: Errors}
        """)
    apply(aws, config)
    [(_, ours)] = all_filters(aws, "/ecs/web")
    assert ours.startswith(PREFIX), f"our filter {ours!r} does not start with the prefix"
    cluster_at = ours.find("web", len(PREFIX))
    assert cluster_at >= 0, f"our filter {ours!r} does not name its cluster"
    team = "team" + ours[len(PREFIX):]
    other_cluster = ours[:cluster_at] + "zzz" + ours[cluster_at + len("web"):]
    for name in (team, other_cluster):
        put_foreign(aws, "/ecs/web", name)
    foreign = {key: item for key, item in all_filters(aws, "/ecs/web").items() if key[1] != ours}
    assert len(foreign) == 2

    planned = plan(aws, config)
    assert_no_changes(planned, "plan with two look-alikes present")
    pruned = plan(aws, config, "--prune")
    assert_no_changes(pruned, f"plan --prune must not touch {team!r} nor {other_cluster!r}")
    apply(aws, config, "--prune")
    destroyed = destroy(aws, config)
    assert [c["id"] for c in destroyed["changes"]] == [f"/ecs/web:{ours}"]
    assert all_filters(aws, "/ecs/web") == foreign


# --- 6. metric identity ---


def test_two_services_using_one_catalogue_filter_publish_two_metrics(aws):
    """Fault: metric identity. Two services' containers that both `use: http-5xx-json` publish, by
    default, into one (namespace, metric, dimensions) and their counts are summed together:
    each container's metrics must be distinct unless the config says otherwise."""
    config = write(aws, "monitor.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api
                containers:
                  - name: app
                    log_group: /ecs/web/api
                    filters:
                      - use: http-5xx-json
              - name: admin
                containers:
                  - name: app
                    log_group: /ecs/web/admin
                    filters:
                      - use: http-5xx-json
        """)
    apply(aws, config)
    held = list(all_filters(aws, "/ecs/web/api").values()) + list(all_filters(aws, "/ecs/web/admin").values())
    assert len(held) == 2
    published = {(m["metricNamespace"], m["metricName"], frozenset(m.get("dimensions") or {}))
                 for item in held for m in item["metricTransformations"]}
    assert len(published) == 2, f"both services publish into one metric: {published}"


SAME_METRIC = """\
version: 1
namespace: Custom/ECS
clusters:
  - name: web
    services:
      - name: api
        containers:
          - name: app
            log_group: /ecs/web/app
            filters:
              - use: http-5xx-json
                namespace: Custom/ECS
          - name: proxy
            log_group: /ecs/web/proxy
            filters:
              - name: upstream-5xx
                pattern: '{ $.status >= 500 }'
                metric: Http5xx
                namespace: Custom/ECS
"""
POSITION = re.compile(r"[\w./-]*\.yaml:(\d+):(\d+)")


def test_an_inline_filter_into_the_catalogue_filters_metric_is_refused_at_both_places(tmp_path):
    """Fault: metric identity. Container `app` (a catalogue filter) and container `proxy` (an
    inline filter) both name the namespace Custom/ECS and publish Http5xx into it: validate must
    refuse it (exit 1) and point at both places, as FILE:LINE:COL. Without the explicit
    namespaces the config is valid: by default each container's metrics are kept distinct."""
    config = tmp_path / "monitor.yaml"
    config.write_text(SAME_METRIC.replace("                namespace: Custom/ECS\n", ""))
    control = monitor("validate", "-c", str(config))
    assert control.code == 0, f"the same config without `namespace:` should be valid:\n{control.text}"
    config.write_text(SAME_METRIC)
    result = monitor("validate", "-c", str(config))
    assert result.code == 1, f"two containers into one metric accepted:\n{result.text}"
    positions = {(int(line), int(col)) for line, col in POSITION.findall(result.text)}
    assert len(positions) >= 2, f"want two distinct FILE:LINE:COL positions:\n{result.text}"
    assert "Http5xx" in result.text, f"the problem should name the metric:\n{result.text}"
    # Each side's place: its container's entry, from `- name:` to the end of its filter.
    lines = SAME_METRIC.splitlines()
    app = next(n for n, text in enumerate(lines, 1) if text.strip() == "- name: app")
    use = next(n for n, text in enumerate(lines, 1) if "use: http-5xx-json" in text)
    proxy = next(n for n, text in enumerate(lines, 1) if text.strip() == "- name: proxy")
    assert any(app <= line <= use for line, _ in positions), \
        f"no position on container app's filter (lines {app}-{use}):\n{result.text}"
    assert any(proxy <= line <= len(lines) for line, _ in positions), \
        f"no position on container proxy's filter (lines {proxy}-{len(lines)}):\n{result.text}"


# --- 7. two configs that share a prefix and a cluster ---


def test_a_second_config_for_the_same_cluster_is_not_silent(aws):
    """Fault: a misconfiguration the plan can see. Two configs both claim cluster `web` under one
    prefix on one log group; config 2's plan must mention config 1's filters (a finding, a
    conflict, or a prune candidate) instead of an empty plan with no findings -- and must not
    delete them without --prune."""
    one = write(aws, "one.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api
                containers:
                  - name: app
                    log_group: /ecs/web
                    filters:
                      - {name: errors, pattern: ERROR, metric: Errors}
        """)
    two = write(aws, "two.yaml", """\
        version: 1
        clusters:
          - name: web
            services:
              - name: api
                containers:
                  - name: app
                    log_group: /ecs/web
                    filters:
                      - {name: warnings, pattern: WARN, metric: Warnings}
        """)
    apply(aws, one)
    names = [name for _, name in all_filters(aws, "/ecs/web")]
    assert len(names) == 1

    document = plan(aws, two)
    assert not [c for c in document["changes"] if c["action"] == "delete"], "deletes without --prune"
    findings = " ".join(f["message"] for f in document.get("findings", []))
    assert all(name in findings for name in names), \
        f"config 2's plan is silent about config 1's filters {names}: findings {document.get('findings')}"
    text = monitor("plan", *at(aws, two))
    assert text.code == 0 and all(name in text.out for name in names), text.text


# --- 8. idempotence of every resource kind ---


def test_every_kind_applied_then_planned_has_no_changes(aws):
    """Fault: any kind that does not read back as it was written. A config using cluster_setting
    (container_insights), log_group (performance metrics on a cluster without its performance
    group) and metric_filter: after apply, `plan --detailed-exitcode` exits 0 with zero changes."""
    config = write(aws, "monitor.yaml", """\
        version: 1
        clusters:
          - name: web
            container_insights: enabled
            services:
              - name: api
                containers:
                  - name: app
                    log_group: /ecs/web/app
                    performance_metrics: [CpuUtilized, MemoryUtilized]
                    filters:
                      - use: http-5xx-json
                      - {name: errors, pattern: ERROR, metric: Errors, unit: Count, default: 0}
        """)
    first = plan(aws, config)
    assert {c["kind"] for c in first["changes"]} >= {"cluster_setting", "log_group", "metric_filter"}, \
        f"the config should exercise every kind: {[(c['kind'], c['id']) for c in first['changes']]}"
    applied = apply(aws, config)
    assert all(c["result"] == "ok" for c in applied["changes"])

    again = monitor_process("plan", *at(aws, config), "--detailed-exitcode")
    assert again.code == 0, f"plan after apply has changes:\n{again.text}"
    document = plan(aws, config)
    assert_no_changes(document, "plan after apply")
    assert document["summary"]["unchanged"] == first["summary"]["create"] + first["summary"]["update"]
