"""The one flow of `plan`, `apply` and `destroy`: read -> plan -> show -> safety checks -> apply.

octodns's `Manager.sync` is the model. The Manager prints nothing: the CLI hands it `Hooks` that
show the target, the plan and each result, and ask the question; it returns what happened, and
raises `Refused` (a user error: nothing was changed) or `monitor.sync.apply.Interrupted`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from monitor.aws.clients import Clients, Target
from monitor.commands.connect import connect
from monitor.cost.estimate import Estimate
from monitor.resolved import Loaded
from monitor.state.plan import Outcome, Plan
from monitor.sync import flow, saved, where
from monitor.sync.apply import apply
from monitor.sync.where import Where


def _nothing(*_: object) -> None:
    return None


@dataclass
class Hooks:
    """What the CLI does at each step: show the target (first, before anything is read), show the
    plan, answer the question (True goes on), and report each change's result as it is known."""

    target: Callable[[Where], None] = _nothing
    show: Callable[[Planned], None] = _nothing
    confirm: Callable[[str], bool] = lambda question: False
    progress: Callable[[Outcome], None] = _nothing


@dataclass
class Planned:
    """A plan, the target it was made for, and for `plan` its cost: (delta, the whole config's)."""

    plan: Plan
    where: Where
    cost: tuple[Estimate, Estimate] | None = None


@dataclass
class Applied:
    """What an apply did; `outcomes` is None when nothing was applied (errors, or no changes)."""

    planned: Planned
    outcomes: list[Outcome] | None = field(default=None)


class Refused(Exception):
    """A safety check said no, or the user did: nothing was changed. `code` is the exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class Manager:
    """plan, apply and destroy of one loaded (valid) config against one target."""

    def __init__(self, loaded: Loaded, target: Target, local: bool = False, hooks: Hooks | None = None):
        self.loaded, self.target, self.local = loaded, target, local
        self.hooks = hooks or Hooks()

    @contextmanager
    def _session(self) -> Iterator[tuple[Clients, Where]]:
        with connect(self.target, self.loaded, self.local) as clients:
            found = where.identify(clients)
            self.hooks.target(found)
            yield clients, found

    def plan(self, prune: bool = False, destroy: bool = False) -> Planned:
        """Read and diff; the cost of the changes and of the whole config come with it."""
        with self._session() as (clients, found):
            result = flow.make_plan(self.loaded, clients, prune=prune, destroy=destroy)
            return Planned(result, found, _cost(self.loaded, clients, result))

    def apply(self, prune: bool = False, destroy: bool = False, force: bool = False, ask: bool = True) -> Applied:
        """Plan, show, check, ask (unless not `ask`), apply. A plan with errors or no changes applies nothing."""
        with self._session() as (clients, found):
            planned = Planned(flow.make_plan(self.loaded, clients, prune=prune, destroy=destroy), found)
            self.hooks.show(planned)
            if planned.plan.errors or not planned.plan.changes:
                return Applied(planned)
            if not destroy:
                _check(planned.plan, force)
            if ask and not self.hooks.confirm(question(found, destroy)):
                raise Refused("cancelled; nothing was changed")
            return Applied(planned, apply(clients, planned.plan, report=self.hooks.progress))

    def apply_saved(self, plan: saved.Saved, force: bool = False) -> Applied:
        """Exactly the saved plan, without re-planning or asking, once nothing it touches has moved.

        Refused, before any write, when the config file changed, the account or Region differ, or
        a resource the plan touches is no longer what the plan saw (monitor.sync.saved).
        """
        if plan.digest != saved.digest(self.loaded.source.text):
            raise Refused(_not_the_plans(plan.config_path, self.loaded.source.name))
        with self._session() as (clients, found):
            if moved := plan.where.differences(found):
                raise Refused(f"the plan was made for {plan.where.words()}, not {found.words()} "
                              f"({'; '.join(moved)}); nothing was changed")
            if moved := saved.moved(plan.plan, flow.reread(self.loaded, clients, plan.destroy)):
                raise Refused(f"{len(moved)} resource(s) the plan touches moved since it was made; nothing was "
                              "changed: plan again\n  " + "\n  ".join(_shown(moved)))
            planned = Planned(plan.plan, found)
            self.hooks.show(planned)
            if not plan.destroy:
                _check(plan.plan, force)
            return Applied(planned, apply(clients, plan.plan, report=self.hooks.progress))

    def save(self, planned: Planned, path: str, prune: bool = False, destroy: bool = False) -> None:
        """Write `planned` to `path` as a saved plan (monitor.sync.saved). Raises OSError."""
        found = saved.Saved(planned.plan, planned.where, self.loaded.source.name,
                            saved.digest(self.loaded.source.text), prune, destroy)
        Path(path).write_text(saved.to_json(found), encoding="utf-8")


def load_saved(path: str) -> saved.Saved:
    """The saved plan in `path`. Raises OSError, or saved.SavedPlanError for a file that is not one."""
    return saved.read(Path(path).read_text(encoding="utf-8"))


def _not_the_plans(recorded: str, given: str) -> str:
    """Why a config whose digest is not the plan's is refused: the plan's own file changed, or it is another file."""
    if _same_file(recorded, given):
        return f"{given} changed since the plan was made (its SHA-256 differs); nothing was changed: plan again"
    return (f"the plan was made from {recorded}, and -c names another file, {given} (its SHA-256 is not the "
            f"plan's); nothing was changed: apply with -c {recorded}, or plan again with {given}")


def _same_file(recorded: str, given: str) -> bool:
    try:
        return Path(recorded).resolve() == Path(given).resolve()
    except OSError:
        return recorded == given


def _shown(lines: list[str], most: int = 20) -> list[str]:
    return lines[:most] + ([f"... and {len(lines) - most} more"] if len(lines) > most else [])


def question(found: Where, destroy: bool) -> str:
    """`Apply these changes to account 123456789012, Region eu-west-1?`: the prompt repeats the target."""
    return f"{'Destroy these resources in' if destroy else 'Apply these changes to'} {found.words()}?"


def _check(plan: Plan, force: bool) -> None:
    """octodns's safety check: a plan that deletes a large share of what we own needs --force."""
    if (reason := plan.unsafe()) and not force:
        raise Refused(f"{reason}; check the plan and re-run with --force")


def _cost(loaded: Loaded, clients: Clients, result: Plan) -> tuple[Estimate, Estimate]:
    """The plan's cost delta and the whole config's estimate (of what the plan was made for, `N%`
    thresholds resolved), with the task counts read from ECS."""
    from monitor.cost import estimate, hints
    from monitor.resolved.services import desired_counts
    home = clients.region or loaded.config.region or "us-east-1"
    given = hints.given(loaded.config, desired_counts(clients, loaded.config))
    return estimate.plan_delta(result, home, given), estimate.estimate(result.desired, home, given)
