"""The one-way flow: config -> desired (pure) -> actual (reads) -> plan (pure)."""

from __future__ import annotations

from dataclasses import replace

from monitor import kinds
from monitor.aws.clients import Clients
from monitor.config.model import Config
from monitor.config.walk import task_families
from monitor.dashboards import checks as dashboard_checks
from monitor.exporter import rules as exporter_rules
from monitor.kinds import alarm, alarm_advice, alarm_checks, composite_alarm, dashboard_spec, filter_checks, strays
from monitor.offline import alarm_logs
from monitor.problems import ERROR, WARNING, Check, Mark, Problem, Source, demoted, placed, silence
from monitor.resolved import Loaded, account, edges, load, model, taskdefs
from monitor.resolved.model import Model
from monitor.state.plan import Plan, duplicates, plan
from monitor.state.resources import Actual
from monitor.taskdefs import files as taskfiles

TASK_FILE = Check("TSK-006", ERROR, "a file in task-definitions/ that is not a task definition",
                  source="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html")
CHECKS = (TASK_FILE,)


def validate(path: str) -> Loaded:
    """The config's own problems, then what only the desired state shows: clashes and quotas.

    Each check runs on the config without the parts that hold an error (Loaded.sound), so that one
    run reports every problem but those that only a fix of another can show."""
    loaded = load(path)
    sound = loaded.sound()
    if sound.config is not None:
        resolved = model.of(sound.config)
        found = exporter_rules.check(sound.config, sound.source)   # expressions name what `use:` resolved
        found += offline_checks(resolved) + filter_checks.limits(kinds.desired(resolved), Actual())
        found += alarm_logs.check(sound)   # log samples are named relative to the config file
        found += _task_definition_files(sound, sound.config)
        loaded.problems += [sound.placed(placed(p, loaded.source)) for p in found]
    loaded.problems = silence(loaded.problems, ignored(loaded.config))
    return loaded


def ignored(config: Config | None) -> list[str]:
    """The codes the config's `ignore:` silences (none before the config has loaded)."""
    return config.ignore if config is not None else []


def _task_definition_files(loaded: Loaded, config: Config) -> list[Problem]:
    """The sizing of the task definitions in task-definitions/ beside the config (an invalid Fargate
    size, limits past the task's), so that validate says it before the plan reads them from AWS."""
    try:
        return taskdefs.offline(config, taskfiles.of_families(loaded.source.name, task_families(config)))
    except taskfiles.TaskFileError as error:
        return [_in_file(error)]


def _in_file(error: taskfiles.TaskFileError) -> Problem:
    """A task-definitions file's problem at its own line and column, as a config's problems are placed."""
    if error.line is None:
        return TASK_FILE.problem((), str(error))
    return TASK_FILE.problem((), error.reason, source=Source(name=error.path), mark=Mark(error.line, error.column))


def offline_checks(resolved: Model) -> list[Problem]:
    """What the config alone shows; the quotas are checked apart, against the live groups at plan time.
    Validate runs them on the file's config, the plan on what the task definitions resolved."""
    wanted = kinds.desired(resolved)
    return (duplicates(wanted) + filter_checks.generated_patterns(wanted) + filter_checks.namespaces(resolved)
            + filter_checks.collisions(resolved) + filter_checks.shared_groups(resolved) + alarm_checks.check(resolved)
            + alarm_advice.check(resolved) + dashboard_checks.bodies(wanted))


def _added_by_task_definitions(loaded: Loaded, resolved: Model) -> list[Problem]:
    """The offline checks' findings that only what the task definitions resolved causes: validate
    reported the rest, and `loaded` (a validated config) keeps them."""
    if resolved.config == loaded.config:
        return []
    known = {replace(p, source=None) for p in loaded.problems if p.source in (None, loaded.source)}
    return [p for p in offline_checks(resolved) if p not in known]


def make_plan(loaded: Loaded, clients: Clients, prune: bool = False, destroy: bool = False) -> Plan:
    """Read what AWS has for the config's scope and diff it against what the config wants.

    `loaded` is a validated config (sync.flow.validate). Task definitions may name log groups the
    config did not; what that adds to the offline checks (a group now shared, say) is reported
    here, with the task definitions' sizing problems; the rest validate already printed. Destroy
    needs no task definition (ours is found by name, in every Region read), so it reads none for
    sizing, and one it cannot read, of a service already deleted say, is a warning there, not a stop.
    """
    resolved, findings = scope(loaded, clients, destroy)
    wanted = [] if destroy else kinds.desired(resolved)
    actual = kinds.read(clients, resolved)
    findings += actual.problems   # what reading found odd in AWS's answers, whichever kind read it
    if not destroy:
        findings += _added_by_task_definitions(loaded, resolved) + kinds.check(resolved, wanted, actual, prune)
    findings += strays.warnings(resolved.config, actual.strays) + alarm.unowned(resolved.config.prefix, wanted, actual)
    made = plan(wanted, actual, kinds.NAMES, prune=prune or destroy, findings=findings, late=kinds.LATE)
    made.findings += composite_alarm.blocked(made, actual)
    made.findings = silence(made.findings, ignored(loaded.config))
    return made


def scope(loaded: Loaded, clients: Clients, destroy: bool = False) -> tuple[Model, list[Problem]]:
    """The model of the config as the plan sees it, built once: log groups read from task definitions,
    the home Region and, when something shows alarms by ARN, the account; and what reading the task
    definitions found."""
    config, findings = taskdefs.resolve(clients, loaded.config, sizes=not destroy)
    if not destroy and edges.needed(config):
        config, found = edges.gather(clients, config)
        findings += found
    config = account.gather(clients, config, arns=not destroy and dashboard_spec.needs_account(config))
    if destroy:
        findings = [demoted(p, WARNING) for p in findings]
    return model.of(config), findings


def reread(loaded: Loaded, clients: Clients, destroy: bool = False) -> Actual:
    """What AWS has now in the scope a plan of this config reads: a saved plan's check before it is applied."""
    return kinds.read(clients, scope(loaded, clients, destroy)[0])
