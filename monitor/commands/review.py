"""`monitor review`: the alarm table, the alarm and design findings and the cost, as one Report.

Offline (`review`): the config's alarms (their specs, as `plan` would send them), the design
findings of the task definition files given (`--task-definitions`) and of those in
task-definitions/ beside the config that the services name (what `validate` reads; a file given
wins over one beside it of the same family), which also make `N%` thresholds numbers and say what
each container can use, and the estimate with assumed task counts. Live (`review --deployed`):
every alarm of the Region (monitor/review/deployed.py), the design findings of the services
the config names, the task counts read from ECS, and the live analyses. Read only either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from monitor.aws.clients import Clients
from monitor.config.walk import task_families
from monitor.cost import estimate, hints
from monitor.offline import alarm_cases
from monitor.resolved import Loaded
from monitor.resolved.services import desired_counts
from monitor.review import codes, collect, deployed, report, shares
from monitor.review.findings import Finding
from monitor.review.live_drift import Drift
from monitor.review.live_history import History
from monitor.review.report import Report
from monitor.taskdefs import files as taskfiles

DEFAULT_REGION = "us-east-1"   # what the estimate prices when neither the config nor --region names one
NO_DESIGN = ("service design not checked: give the services' task definitions with --task-definitions FILE... "
             "(or in task-definitions/ beside the config), or review the account with --deployed")


def offline(loaded: Loaded, task_files: Iterable[str] = (), region: str | None = None,
            now: datetime | None = None) -> Report:
    """The review of the config alone. Raises taskfiles.TaskFileError for a file that is not a task definition."""
    config, files = loaded.config, read_files(loaded, task_files)
    resolved, found, reaches = shares.resolve(config, shares.from_files(files, config))
    rows = report.config_rows(config, resolved, found, report.tests_by_alarm(alarm_cases.run(loaded)), reaches)
    home = region or config.region or DEFAULT_REGION
    return Report(report.CONFIG, loaded.source.name, home, now or _now(), tuple(rows),
                  kept(report.alarm_findings(rows, config), config.ignore),
                  kept(collect.from_files(files, config), config.ignore),
                  estimate.estimate(report.priced(resolved), home, hints.given(config)),
                  design_checked=bool(files), notes=() if files else (NO_DESIGN,))


def read_files(loaded: Loaded, given: Iterable[str]) -> list:
    """The files given, then those of task-definitions/ beside the config whose family a service names and no
    file given has: the one reader (monitor/taskdefs/files.py), matched as `validate` matches them."""
    given = list(given)
    families = task_families(loaded.config) - {taskfiles.load(file)["family"] for file in given}
    return given + taskfiles.named(loaded.source.name, families)


def live(loaded: Loaded, clients: Clients, now: datetime | None = None) -> Report:
    """The review of the account's alarms, whoever owns them, with the config as context. Read only."""
    config, when = loaded.config, now or _now()
    resolved, found, reaches = shares.resolve(config, shares.from_account(clients, config))
    metric, composite = deployed.read_alarms(clients)
    rows = report.live_rows(config, metric + composite, found, report.tests_by_alarm(alarm_cases.run(loaded)), reaches)
    context = deployed.Deployed(clients, loaded, metric, composite, rows, report.desired_alarms(resolved), when)
    results = deployed.run(context)
    findings = report.alarm_findings(rows, config) + results.findings
    home = clients.region or config.region or DEFAULT_REGION
    cost = estimate.estimate(report.priced(resolved), home, hints.given(config, desired_counts(clients, config)))
    return Report(report.DEPLOYED, loaded.source.name, home, when, tuple(rows), kept(findings, config.ignore),
                  kept(collect.from_account(clients, config), config.ignore), cost,
                  analyses=tuple(a.run.__name__ for a in deployed.ANALYSES),
                  history=results.summary(History), drift=results.summary(Drift))


def kept(findings: Iterable[Finding], ignore: list[str]) -> tuple[Finding, ...]:
    """The findings whose code the config's `ignore:` does not silence (a rule that may not be silenced stays)."""
    rules = codes.rules()
    return tuple(f for f in findings if f.code not in ignore or not rules[f.code].silenceable)


def _now() -> datetime:
    return datetime.now(timezone.utc)
