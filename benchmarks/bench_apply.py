"""Scale benchmark: API calls and wall time of plan and apply for a large config.

    python benchmarks/bench_apply.py [--services 200] [--clusters N] [--foreign 0]

Generates 200 services x 3 containers (each container on its own log group) with 4 app
filters, 4 performance metrics and 2 alarms per container (one on a filter metric, Sum > 10,
and the `memory-high` preset, 80% of what the container can use), one task definition per service
(registered in the emulator and named by `task_definition:`, so the percent thresholds resolve)
and one dashboard (the built-in `service` template) per cluster. A dashboard can be scoped to
clusters only, not to a service, so "a dashboard per service" means one service per cluster:
`--clusters` defaults to `--services`. Fewer clusters put more services on each dashboard (the
template's widgets reach AWS's 500 a dashboard at about 40 services).

Serves an embedded emulator seeded with the clusters, log groups and task definitions, and
measures, through `Clients.calls`:
  1. the first apply (plan + apply),   2. a no-op plan,   3. a no-op apply (plan + empty apply),
  4. destroy (plan + apply), which must delete in batches.
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
from monitor.aws.clients import Clients, Target
from monitor.commands import connect as workflow
from monitor.config.walk import containers
from monitor.dashboards import owner
from monitor.emulator import server as emulator
from monitor.kinds import alarm, dashboard, log_group, metric_filter
from monitor.state.plan import Plan
from monitor.sync import flow
from monitor.sync.apply import Outcome, apply
from monitor.resolved import model as resolved_model

REGION = "ap-northeast-1"
PREFIX = "monitor"
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
# Two alarms a container: one on a filter metric, one on a performance metric sized from the task definition.
ALARMS = [
    {"name": "slow-requests-high", "metric": "SlowRequests", "stat": "Sum", "period": 60, "comparison": ">",
     "threshold": 10, "evaluation_periods": 5, "datapoints_to_alarm": 3, "treat_missing_data": "notBreaching"},
    {"use": "memory-high"},
]
# One Fargate task a service (1 vCPU, 2 GiB): the app has a soft limit, the sidecars hard ones.
TASK_CPU, TASK_MEMORY = "1024", "2048"
SIZES = {"app": {"cpu": 512, "memoryReservation": 1024}, "nginx": {"cpu": 128, "memory": 256},
         "worker": {"cpu": 256, "memory": 512}}
PERCENT = 0.8   # memory-high: 80% of the hard limit, else of what the task leaves the container
WRITE_VERBS = ("Put", "Create", "Delete", "Update", "Tag", "Untag", "Register", "Deregister")
FILTER_READS = ("DescribeMetricFilters", "DescribeLogGroups", "ListTagsForResource")   # the last: log groups'
ALARM_READS = ("DescribeAlarms", "GetResources")
DASHBOARD_READS = ("ListDashboards", "GetDashboard")
APART = ("DescribeClusters", "DescribeServices", "DescribeTaskDefinition", "GetCallerIdentity")
PAGE = 50          # DescribeMetricFilters and DescribeLogGroups: at most 50 a page
MAX_PER_GROUP = 100
ALARMS_PAGE = 100  # DescribeAlarms MaxRecords, tag:GetResources ResourcesPerPage
DASHBOARDS_PAGE = 1000   # ListDashboards: 1,000 a page
DELETE_BATCH = 100       # DeleteAlarms and DeleteDashboards: 100 names a call


# --- the config ---


def generate(services: int, clusters: int | None = None) -> dict:
    """`services` services spread over `clusters` clusters (default: one each), 3 containers each, one log
    group per container, 2 alarms per container, a task definition per service and a dashboard per cluster."""
    clusters = clusters or services
    return {"version": 1, "region": REGION, "prefix": PREFIX, "namespace": "Bench/ECS",
            "clusters": [{"name": _cluster(c), "container_insights": "enabled",
                          "services": [_service(c, s) for s in range(services) if s % clusters == c]}
                         for c in range(clusters)],
            "dashboards": [{"name": _cluster(c), "template": "service", "clusters": [_cluster(c)]}
                           for c in range(clusters)]}


def _cluster(number: int) -> str:
    return f"bench-{number}"


def _service(cluster: int, number: int) -> dict:
    name = f"svc-{number:03d}"
    return {"name": name, "task_definition": task_family(name), "containers": [
        {"name": container, "log_group": f"/ecs/{_cluster(cluster)}/{name}/{container}",
         "performance_metrics": PERFORMANCE, "filters": APP_FILTERS, "alarms": ALARMS} for container in CONTAINERS]}


def task_family(service: str) -> str:
    return f"bench-{service}"


def task_definition(service: str) -> dict:
    """RegisterTaskDefinition's parameters for the service's task: 3 containers sized as SIZES says."""
    return {"family": task_family(service), "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": TASK_CPU, "memory": TASK_MEMORY,
            "containerDefinitions": [{"name": name, "image": f"bench/{name}:1", "essential": name == "app",
                                      **SIZES[name]} for name in CONTAINERS]}


def thresholds() -> set[float]:
    """The memory-high thresholds the task definitions make: 80% of each container's hard limit, else of the
    task's memory less the other containers' hard limits (or reservations)."""
    def usable(name: str) -> int:
        others = sum(s.get("memory") or s.get("memoryReservation") or 0 for n, s in SIZES.items() if n != name)
        return SIZES[name].get("memory") or int(TASK_MEMORY) - others
    return {round(PERCENT * usable(name), 6) for name in SIZES}


def write_config(folder: Path, services: int, clusters: int | None) -> Path:
    path = folder / "monitor.yaml"
    path.write_text(yaml.safe_dump(generate(services, clusters), sort_keys=False))
    return path


def register_task_definitions(url: str, config) -> int:
    """One task definition per service, registered outside the measured clients."""
    ecs = fresh_clients(url).ecs
    names = [service.name for cluster in config.clusters for service in cluster.services]
    for name in names:
        ecs.register_task_definition(**task_definition(name))
    return len(names)


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


def measured_plan(loaded, clients: Clients, name: str, destroy: bool = False) -> tuple[Plan, Phase]:
    start = time.perf_counter()
    result = flow.make_plan(loaded, clients, destroy=destroy)
    return result, Phase(name, Counter(clients.calls), time.perf_counter() - start)


def measured_apply(clients: Clients, result: Plan, name: str) -> tuple[list[Outcome], Phase]:
    before = Counter(clients.calls)
    start = time.perf_counter()
    outcomes = apply(clients, result)
    return outcomes, Phase(name, clients.calls - before, time.perf_counter() - start)


def fresh_clients(url: str) -> Clients:
    """New clients per step, so each step's counter starts at zero."""
    return Clients(Target(REGION, endpoint_url=url, local=True))


# --- the live state, read outside the measured clients ---


def live_alarms(url: str) -> int:
    pages = fresh_clients(url).cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=f"{PREFIX}/", AlarmTypes=alarm.TYPES)
    return sum(len(page.get("MetricAlarms", [])) + len(page.get("CompositeAlarms", [])) for page in pages)


def live_dashboards(url: str) -> int:
    pages = fresh_clients(url).cloudwatch.get_paginator("list_dashboards").paginate(
        DashboardNamePrefix=owner.dashboard_name(PREFIX, ""))
    return sum(len(page.get("DashboardEntries", [])) for page in pages)


def live_filters(url: str) -> Counter:
    """Filters per log group as AWS reports them."""
    clients = fresh_clients(url)
    pages = clients.logs.get_paginator("describe_metric_filters").paginate()
    return Counter(item["logGroupName"] for page in pages for item in page["metricFilters"])


@dataclass(frozen=True)
class Owned:
    """What the config's prefix owns before a plan: its alarms and dashboards."""

    alarms: int
    dashboards: int

    @classmethod
    def read(cls, url: str) -> Owned:
        return cls(live_alarms(url), live_dashboards(url))


# --- the checks ---


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, ok: bool, text: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'}: {text}")
        self.failed += not ok


def _sum(counter: Counter, operations: tuple[str, ...]) -> int:
    return sum(counter[op] for op in operations)


def read_budget(plan_phase: Phase, filters: int, groups: int) -> tuple[int, int]:
    """(filter reads counted against the budget, the budget)."""
    return _sum(plan_phase.reads, FILTER_READS), math.ceil(filters / PAGE) + groups


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


def alarm_checks(checks: Checks, phase: Phase, owned: Owned, regions: int) -> None:
    """The alarm and dashboard reads of one plan against the budget, for what was owned when it ran."""
    n, d = owned.alarms, owned.dashboards
    pages = math.ceil(n / ALARMS_PAGE)
    calls = phase.reads
    checks.check(calls["DescribeAlarms"] <= regions * max(1, pages),
                 f"{phase.name}: {calls['DescribeAlarms']} DescribeAlarms <= {regions} Region(s) x "
                 f"max(1, ceil({n}/{ALARMS_PAGE})) = {regions * max(1, pages)}")
    checks.check(calls["GetResources"] <= regions * pages,
                 f"{phase.name}: {calls['GetResources']} tag:GetResources <= {regions} Region(s) x "
                 f"ceil({n}/{ALARMS_PAGE}) = {regions * pages}")
    listed = max(1, math.ceil(d / DASHBOARDS_PAGE))
    checks.check(calls["ListDashboards"] <= listed,
                 f"{phase.name}: {calls['ListDashboards']} ListDashboards <= max(1, ceil({d}/{DASHBOARDS_PAGE})) "
                 f"= {listed}")
    checks.check(calls["GetDashboard"] <= d, f"{phase.name}: {calls['GetDashboard']} GetDashboard <= {d} owned")


# --- the run ---


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--services", type=int, default=200)
    options.add_argument("--clusters", type=int, default=None, help="default: one cluster (and dashboard) a service")
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
    desired = kinds.desired(resolved_model.of(loaded.config))
    filters = [r for r in desired if r.kind == metric_filter.KIND]
    # Alarms with a percent threshold are made only once plan time reads the task definitions: count the config's.
    wanted = Owned(sum(len(p.container.alarms) for p in containers(loaded.config)),
                   sum(r.kind == dashboard.KIND for r in desired))
    groups = log_group.scope(resolved_model.of(loaded.config))
    clusters, app_groups = workflow.seed(loaded)
    print(f"config: {len(list(containers(loaded.config)))} containers, {len(app_groups)} app log groups, "
          f"{len(groups)} log groups in scope, {len(filters)} metric filters "
          f"({sum(1 for f in filters if '/performance' in f.group)} performance), {wanted.alarms} alarms, "
          f"{wanted.dashboards} dashboards, {len(clusters)} cluster(s); "
          f"loaded and validated in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    with emulator.start(REGION, clusters, app_groups) as running:
        tasks = register_task_definitions(running.url, loaded.config)
        print(f"emulator seeded with {tasks} task definitions in {time.perf_counter() - start:.2f} s"
              + (f", with {seed_foreign(running.url, foreign)} foreign filters" if foreign else ""))
        return measure(loaded, running.url, len(filters), groups, wanted)


def measure(loaded, url: str, filters: int, groups: list[str], wanted: Owned) -> int:
    """`filters` is what the config wants; the filter budget counts those, as the config sets the scale."""
    checks = Checks()
    regions = len(alarm.regions(fresh_clients(url), loaded.config))
    owned = [Owned.read(url)]
    first = first_apply(loaded, url, checks, wanted)
    per_group = live_filters(url)
    owned.append(Owned.read(url))
    checks.check(owned[-1] == wanted, f"after the first apply: {owned[-1]} exist, {wanted} wanted")
    noop_plan = no_op_plan(loaded, url, checks, "2. no-op plan")
    owned.append(Owned.read(url))
    noop_apply = no_op_apply(loaded, url, checks)
    owned.append(Owned.read(url))
    gone = destroy(loaded, url, checks, owned[-1])
    print()
    budget_checks(checks, first, noop_plan, noop_apply, filters, groups, per_group)
    for phase, had in zip((first[0], noop_plan, noop_apply[0], gone[0]), owned):
        alarm_checks(checks, phase, had, regions)
    print(f"INFO: calls not in the budget, by plan: "
          + "; ".join(f"{p.name}: {dict((op, p.reads[op]) for op in APART if p.reads[op])}"
                      for p in (first[0], noop_plan, noop_apply[0], gone[0])))
    print(f"\n{'ALL PASS' if not checks.failed else f'{checks.failed} FAILED'}")
    return 1 if checks.failed else 0


def plan_and_apply(loaded, url: str, name: str, destroy: bool = False):
    """One apply as the CLI runs it: a plan, then its changes, each phase measured and reported."""
    clients = fresh_clients(url)
    result, plan_phase = measured_plan(loaded, clients, f"{name} - plan", destroy)
    outcomes, apply_phase = measured_apply(clients, result, f"{name} - apply")
    plan_phase.report()
    apply_phase.report()
    return result, outcomes, plan_phase, apply_phase


def first_apply(loaded, url: str, checks: Checks, wanted: Owned) -> tuple[Phase, Phase]:
    result, outcomes, plan_phase, apply_phase = plan_and_apply(loaded, url, "1. first apply")
    print(f"    plan: {result.summary}; total {plan_phase.seconds + apply_phase.seconds:.2f} s")
    checks.check(not result.errors, f"first plan has no errors {[f.message for f in result.errors][:3]}")
    failed = [o for o in outcomes if o.failed]
    checks.check(not failed, f"first apply: {len(outcomes) - len(failed)} ok, {len(failed)} failed "
                             f"{[o.message for o in failed][:3]}")
    checks.check(sum(apply_phase.writes.values()) == len(result.changes),
                 f"first apply makes one write call per change ({sum(apply_phase.writes.values())} "
                 f"calls, {len(result.changes)} changes)")
    checks.check(apply_phase.writes["PutMetricAlarm"] == wanted.alarms
                 and apply_phase.writes["PutDashboard"] == wanted.dashboards,
                 f"first apply: {apply_phase.writes['PutMetricAlarm']} PutMetricAlarm for {wanted.alarms} alarms, "
                 f"{apply_phase.writes['PutDashboard']} PutDashboard for {wanted.dashboards} dashboards")
    made = {c.after["Threshold"] for c in result.changes
            if c.kind == alarm.KIND and c.action == "create" and c.id.endswith("/memory-high")}
    checks.check(made == thresholds(), f"memory-high thresholds come from the task definitions: {sorted(made)} "
                                       f"= 80% of what each container can use")
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


def destroy(loaded, url: str, checks: Checks, owned: Owned) -> tuple[Phase, Phase]:
    """Everything the config owns deleted; alarms and dashboards 100 names a call. (The CLI asks for
    --force before deleting this much; the benchmark applies the plan directly.)"""
    result, outcomes, plan_phase, apply_phase = plan_and_apply(loaded, url, "4. destroy", destroy=True)
    print(f"    plan: {result.summary}; total {plan_phase.seconds + apply_phase.seconds:.2f} s")
    failed = [o for o in outcomes if o.failed]
    checks.check(not failed, f"destroy: {len(outcomes) - len(failed)} ok, {len(failed)} failed "
                             f"{[o.message for o in failed][:3]}")
    for operation, count in (("DeleteAlarms", owned.alarms), ("DeleteDashboards", owned.dashboards)):
        batches = math.ceil(count / DELETE_BATCH)
        checks.check(apply_phase.writes[operation] == batches,
                     f"destroy: {apply_phase.writes[operation]} {operation} calls for {count} = "
                     f"ceil({count}/{DELETE_BATCH}) = {batches}")
    left = Owned.read(url)
    checks.check(left == Owned(0, 0), f"after destroy: {left} left")
    return plan_phase, apply_phase


def budget_checks(checks: Checks, first, noop_plan: Phase, noop_apply, filters: int, groups: list[str],
                  per_group: Counter) -> None:
    for phase in (first[0], noop_plan, noop_apply[0]):
        counted, budget = read_budget(phase, filters, len(groups))
        checks.check(counted <= budget, f"{phase.name}: {counted} filter read calls ({', '.join(FILTER_READS)}) "
                                        f"<= ceil({filters}/{PAGE}) + {len(groups)} log groups = {budget}")
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
