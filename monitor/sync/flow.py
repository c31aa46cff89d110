"""The one-way flow: config -> desired (pure) -> actual (reads) -> plan (pure)."""

from __future__ import annotations

from dataclasses import replace

from monitor import kinds
from monitor.aws import account, connect, taskdefs
from monitor.aws.clients import Clients
from monitor.config import Loaded, load
from monitor.config.model import Config
from monitor.dashboards import checks as dashboard_checks
from monitor.kinds import alarm_advice, alarm_checks, filter_checks
from monitor.offline import alarm_logs
from monitor.problems import Mark, Problem, Source, errors, placed
from monitor.review import taskfiles
from monitor.sync.plan import Plan, duplicates, plan
from monitor.sync.resources import Actual, Resource


def validate(path: str) -> Loaded:
    """The config's own problems, then what only the desired state shows: clashes and quotas."""
    loaded = load(path)
    blocking = [p for p in errors(loaded.problems) if p not in loaded.dashboard_problems]
    if loaded.config is not None and not blocking:
        # A broken dashboard entry hides no other problem: the rest are checked without dashboards.
        config = loaded.config if loaded.ok else loaded.config.model_copy(update={"dashboards": []})
        wanted = kinds.desired(config)
        found = offline_checks(config, wanted) + filter_checks.limits(wanted, Actual())
        found += alarm_logs.check(loaded)   # log samples are named relative to the config file
        found += _task_definition_files(loaded, config)
        loaded.problems += [placed(p, loaded.source) for p in found]
    return loaded


def _task_definition_files(loaded: Loaded, config: Config) -> list[Problem]:
    """The sizing of the task definitions in task-definitions/ beside the config (an invalid Fargate
    size, limits past the task's), so that validate says it before the plan reads them from AWS."""
    try:
        files = connect.task_definitions(loaded)
        return taskdefs.offline(config, [taskfiles.task_definition(d, d["family"]) for d in files])   # "1 vCPU" -> "1024"
    except taskfiles.TaskFileError as error:
        return [_in_file(error)]
    except ValueError as error:
        return [Problem((), str(error), "error")]


def _in_file(error: taskfiles.TaskFileError) -> Problem:
    """A task-definitions file's problem at its own line and column, as a config's problems are placed."""
    if error.line is None:
        return Problem((), str(error), "error")
    return Problem((), error.reason, "error", source=Source(name=error.path), mark=Mark(error.line, error.column))


def offline_checks(config: Config, wanted: list[Resource]) -> list[Problem]:
    """What the config alone shows; the quotas are checked apart, against the live groups at plan time."""
    return (duplicates(wanted) + filter_checks.generated_patterns(wanted) + filter_checks.namespaces(config)
            + filter_checks.collisions(config) + filter_checks.shared_groups(config) + alarm_checks.check(config)
            + alarm_advice.check(config) + dashboard_checks.bodies(wanted))


def _added_by_task_definitions(given: Config, resolved: Config, wanted: list[Resource]) -> list[Problem]:
    """The offline checks' findings that only the log groups read from task definitions cause."""
    if resolved == given:
        return []
    known = set(offline_checks(given, kinds.desired(given)))
    return [p for p in offline_checks(resolved, wanted) if p not in known]


def make_plan(loaded: Loaded, clients: Clients, prune: bool = False, destroy: bool = False) -> Plan:
    """Read what AWS has for the config's scope and diff it against what the config wants.

    Task definitions may name log groups the config did not; what that adds to the offline
    checks (a group now shared, say) is reported here, the rest validate already printed, with
    the task definitions' sizing problems. Destroy needs no task definition (ours is found by
    name, in every Region read), so it reads none for sizing, and one it cannot read, of a
    service already deleted say, is a warning there, not a stop.
    """
    config, findings = taskdefs.resolve(clients, loaded.config, sizes=not destroy)
    config = account.gather(clients, config, arns=not destroy)
    if destroy:
        findings = [replace(p, severity="warning") for p in findings]
    wanted = [] if destroy else kinds.desired(config)
    actual = kinds.read(clients, config)
    findings += actual.problems   # what reading found odd in AWS's answers, whichever kind read it
    if not destroy:
        findings += _added_by_task_definitions(loaded.config, config, wanted) + kinds.check(config, wanted, actual, prune)
    return plan(wanted, actual, kinds.NAMES, prune=prune or destroy, findings=findings, late=kinds.LATE)
