"""Scale benchmark: API calls and wall time of plan and apply for a large config.

    python benchmarks/bench_apply.py [--services 200] [--clusters 1] [--foreign 0]

Generates 200 services x 3 containers (each container on its own log group) with 4 app
filters and 4 performance metrics per container, serves an embedded emulator seeded with
the clusters and log groups, and measures, through `Clients.calls`:
  1. the first apply (plan + apply),   2. a no-op plan,   3. a no-op apply (plan + empty apply).
`--foreign N` first puts N filters of another team on log groups outside the config (100 a
group), to show what they cost the reads. Prints PASS/FAIL lines for the budget; exits 1 if any
check fails. Run by hand, not by pytest.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from monitor import kinds
from monitor.aws import connect as workflow, emulator
from monitor.sync import flow
from monitor.sync.apply import Outcome, apply
from monitor.aws.clients import Clients, Target
from monitor.config.walk import containers
from monitor.kinds import log_group, metric_filter
from monitor.sync.plan import Plan

REGION = "ap-northeast-1"
CONTAINERS = ("app", "nginx", "worker")
PERFORMANCE = ["CpuUtilized", "MemoryUtilized", "NetworkRxBytes", "NetworkTxBytes"]
APP_FILTERS = [
    {"use": "http-5xx-json"},
    {"use": "http-4xx-json"},
    {"use": "log-error-json", "name": "errors"},
    {"name": "slow-requests", "pattern": "{ $.duration > 1000 }", "metric": "SlowRequests",
     "value": 1, "unit": "Count", "default": 0,
     "tests": [{"log": '{"duration": 1500}', "value": 1}, {"log": '{"duration": 10}', "match": False}]},
]
WRITE_VERBS = ("Put", "Create", "Delete", "Update", "Tag", "Untag", "Register", "Deregister")
DESCRIBE_CLUSTERS = "DescribeClusters"
PAGE = 50          # DescribeMetricFilters and DescribeLogGroups: at most 50 a page
MAX_PER_GROUP = 100


# --- the config ---


def generate(services: int, clusters: int) -> dict:
    """`services` services spread over `clusters` clusters, 3 containers each, one log group per container."""
    return {"version": 1, "region": REGION, "prefix": "monitor", "namespace": "Bench/ECS",
            "clusters": [{"name": f"bench-{c}", "container_insights": "enabled",
                          "services": [_service(c, s) for s in range(services) if s % clusters == c]}
                         for c in range(clusters)]}


def _service(cluster: int, number: int) -> dict:
    name = f"svc-{number:03d}"
    return {"name": name, "containers": [
        {"name": container, "log_group": f"/ecs/bench-{cluster}/{name}/{container}",
         "performance_metrics": PERFORMANCE, "filters": APP_FILTERS} for container in CONTAINERS]}


def write_config(folder: Path, services: int, clusters: int) -> Path:
    path = folder / "monitor.yaml"
    path.write_text(yaml.safe_dump(generate(services, clusters), sort_keys=False))
    return path


# --- measuring ---


@dataclass
class Phase:
    """One measured step: its API calls by operation and its wall time."""

    name: str
    calls: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def writes(self) -> Counter:
        return Counter({op: n for op, n in self.calls.items() if op.startswith(WRITE_VERBS)})

    @property
    def reads(self) -> Counter:
        return self.calls - self.writes

    def report(self) -> None:
        total = sum(self.calls.values())
        print(f"\n{self.name}: {total} API calls in {self.seconds:.2f} s "
              f"({sum(self.reads.values())} reads, {sum(self.writes.values())} writes)")
        for operation, count in sorted(self.calls.items()):
            print(f"    {operation:<24} {count:>6}")


def measured_plan(loaded, clients: Clients, name: str) -> tuple[Plan, Phase]:
    start = time.perf_counter()
    result = flow.make_plan(loaded, clients)
    return result, Phase(name, Counter(clients.calls), time.perf_counter() - start)


def measured_apply(clients: Clients, result: Plan, name: str) -> tuple[list[Outcome], Phase]:
    before = Counter(clients.calls)
    start = time.perf_counter()
    outcomes = apply(clients, result)
    return outcomes, Phase(name, clients.calls - before, time.perf_counter() - start)


def fresh_clients(url: str) -> Clients:
    """New clients per step, so each step's counter starts at zero."""
    return Clients(Target(REGION, endpoint_url=url, local=True))


# --- the checks ---


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, ok: bool, text: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'}: {text}")
        self.failed += not ok


def read_budget(plan_phase: Phase, filters: int, groups: int) -> tuple[int, int, int]:
    """(reads counted against the budget, the budget, DescribeClusters calls reported apart)."""
    clusters = plan_phase.reads[DESCRIBE_CLUSTERS]
    counted = sum(plan_phase.reads.values()) - clusters
    return counted, math.ceil(filters / PAGE) + groups, clusters


def describe_pages(per_group: Counter, groups: list[str]) -> tuple[int, int]:
    """DescribeMetricFilters pages for two designs: per log group in scope, and one Region-wide listing."""
    per_scope = sum(max(1, math.ceil(per_group[g] / PAGE)) for g in groups)
    return per_scope, max(1, math.ceil(sum(per_group.values()) / PAGE))


def seed_foreign(url: str, count: int) -> int:
    """`count` filters someone else owns, on log groups the config does not name."""
    logs = fresh_clients(url).logs
    for number in range(count):
        group = f"/other-team/group-{number // MAX_PER_GROUP:04d}"
        if number % MAX_PER_GROUP == 0:
            logs.create_log_group(logGroupName=group)
        logs.put_metric_filter(logGroupName=group, filterName=f"other-{number:05d}", filterPattern="ERROR",
                               metricTransformations=[{"metricName": "OtherErrors", "metricNamespace": "Other",
                                                       "metricValue": "1"}])
    return count


def live_filters(url: str) -> Counter:
    """Filters per log group as AWS reports them, read outside the measured clients."""
    clients = fresh_clients(url)
    pages = clients.logs.get_paginator("describe_metric_filters").paginate()
    return Counter(item["logGroupName"] for page in pages for item in page["metricFilters"])


# --- the run ---


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--services", type=int, default=200)
    options.add_argument("--clusters", type=int, default=1)
    options.add_argument("--foreign", type=int, default=0, help="filters of another team elsewhere in the Region")
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        return run(write_config(Path(folder), args.services, args.clusters), args.foreign)


def run(path: Path, foreign: int = 0) -> int:
    start = time.perf_counter()
    loaded = flow.validate(str(path))
    if not loaded.ok:
        print("\n".join(str(p) for p in loaded.problems), file=sys.stderr)
        return 1
    desired = kinds.desired(loaded.config)
    filters = [r for r in desired if r.kind == metric_filter.KIND]
    groups = log_group.scope(loaded.config)
    clusters, app_groups = workflow.seed(loaded)
    print(f"config: {len(list(containers(loaded.config)))} containers, {len(app_groups)} app log groups, "
          f"{len(groups)} log groups in scope, {len(filters)} metric filters "
          f"({sum(1 for f in filters if '/performance' in f.group)} performance), {len(clusters)} cluster(s); "
          f"loaded and validated in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    with emulator.start(REGION, clusters, app_groups) as running:
        print(f"emulator seeded in {time.perf_counter() - start:.2f} s"
              + (f", with {seed_foreign(running.url, foreign)} foreign filters" if foreign else ""))
        return measure(loaded, running.url, len(filters), groups)


def measure(loaded, url: str, filters: int, groups: list[str]) -> int:
    """`filters` is what the config wants; the budget counts those, as the config sets the scale."""
    checks = Checks()
    first = first_apply(loaded, url, checks)
    per_group = live_filters(url)
    noop_plan = no_op_plan(loaded, url, checks, "2. no-op plan")
    noop_apply = no_op_apply(loaded, url, checks)
    print()
    budget_checks(checks, first, noop_plan, noop_apply, filters, groups, per_group)
    print(f"\n{'ALL PASS' if not checks.failed else f'{checks.failed} FAILED'}")
    return 1 if checks.failed else 0


def plan_and_apply(loaded, url: str, name: str):
    """One apply as the CLI runs it: a plan, then its changes, each phase measured and reported."""
    clients = fresh_clients(url)
    result, plan_phase = measured_plan(loaded, clients, f"{name} - plan")
    outcomes, apply_phase = measured_apply(clients, result, f"{name} - apply")
    plan_phase.report()
    apply_phase.report()
    return result, outcomes, plan_phase, apply_phase


def first_apply(loaded, url: str, checks: Checks) -> tuple[Phase, Phase]:
    result, outcomes, plan_phase, apply_phase = plan_and_apply(loaded, url, "1. first apply")
    print(f"    plan: {result.summary}; total {plan_phase.seconds + apply_phase.seconds:.2f} s")
    checks.check(not result.errors, f"first plan has no errors {[f.message for f in result.errors][:3]}")
    failed = [o for o in outcomes if o.failed]
    checks.check(not failed, f"first apply: {len(outcomes) - len(failed)} ok, {len(failed)} failed "
                             f"{[o.message for o in failed][:3]}")
    checks.check(sum(apply_phase.writes.values()) == len(result.changes),
                 f"first apply makes one write call per change ({sum(apply_phase.writes.values())} "
                 f"calls, {len(result.changes)} changes)")
    return plan_phase, apply_phase


def no_op_plan(loaded, url: str, checks: Checks, name: str) -> Phase:
    result, phase = measured_plan(loaded, fresh_clients(url), name)
    phase.report()
    checks.check(not result.changes, f"{name}: no changes after the first apply ({result.summary})")
    return phase


def no_op_apply(loaded, url: str, checks: Checks) -> tuple[Phase, Phase]:
    result, outcomes, plan_phase, apply_phase = plan_and_apply(loaded, url, "3. no-op apply")
    print(f"    total {plan_phase.seconds + apply_phase.seconds:.2f} s")
    writes = plan_phase.writes + apply_phase.writes
    checks.check(not writes and not outcomes, f"no-op apply makes zero write calls ({dict(writes)})")
    return plan_phase, apply_phase


def budget_checks(checks: Checks, first, noop_plan: Phase, noop_apply, filters: int, groups: list[str],
                  per_group: Counter) -> None:
    for phase in (first[0], noop_plan, noop_apply[0]):
        counted, budget, clusters = read_budget(phase, filters, len(groups))
        checks.check(counted <= budget, f"{phase.name}: {counted} read calls <= ceil({filters}/{PAGE}) + "
                                        f"{len(groups)} log groups = {budget} "
                                        f"(+ {clusters} DescribeClusters, not counted)")
        checks.check(not phase.writes, f"{phase.name}: plan makes no write calls ({dict(phase.writes)})")
    per_scope, region_wide = describe_pages(per_group, groups)
    print(f"INFO: {sum(per_group.values())} filters in the Region; no-op plan made {noop_plan.reads['DescribeMetricFilters']} DescribeMetricFilters calls; "
          f"reading per log group in scope would take {per_scope}, one Region-wide listing {region_wide}")
    fullest, most = per_group.most_common(1)[0] if per_group else ("-", 0)
    checks.check(most <= MAX_PER_GROUP, f"no log group has more than {MAX_PER_GROUP} filters "
                                        f"(fullest: {fullest} with {most})")
    in_scope = sum(n for g, n in per_group.items() if g in set(groups))
    checks.check(in_scope == filters, f"{in_scope} filters exist on the config's log groups, {filters} wanted "
                                      f"({sum(per_group.values())} in the Region)")


if __name__ == "__main__":
    sys.exit(main())
