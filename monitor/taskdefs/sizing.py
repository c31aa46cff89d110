"""Container CPU and memory limits, and the task sizes AWS allows, read from a task definition. Pure: no AWS.

The rules, from the Amazon ECS Developer Guide and API reference:
- Fargate task sizes, "Task CPU and memory":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
  also "Task size" in https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
  and https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html.
- Container `memory` (hard: the container is killed past it), `memoryReservation` (soft: usage may pass it,
  up to the hard limit or the task's memory) and `cpu` (CpuShares: a share, never a cap), "Container definitions":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html (Memory, cpu)
  and https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
- What AWS refuses at RegisterTaskDefinition (ClientException, as AWS words it): an invalid Fargate size ("Invalid
  'cpu' setting for task"), "The sum of all container 'cpu' values cannot be greater than the value of the task
  'cpu'", "The 'memory' setting for container ... is greater than for the task", "The sum of all container
  'memoryReservation' values cannot be greater than the value of the task 'memory'", and a `memoryReservation`
  above the container's `memory`. Those are errors here; the rest are warnings: AWS accepts them.
In DescribeTaskDefinition the task's `cpu` and `memory` are strings ("1024"); a container's `cpu` is an int (0
when unset) and its `memory` and `memoryReservation` are absent when unset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitor import quotas
from monitor.problems import ERROR, WARNING, Check, Problem

GIB = 1024   # MiB


def _gib(first: int, last: int, step: int = 1) -> tuple[int, ...]:
    return tuple(range(first * GIB, last * GIB + 1, step * GIB))


# Task cpu (CPU units) -> the task memory values (MiB) Fargate allows with it ("Task CPU and memory").
# 8192 and 16384 need Linux platform version 1.4.0 or later.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1 * GIB, 2 * GIB),
    512: _gib(1, 4),
    1024: _gib(2, 8),
    2048: _gib(4, 16),
    4096: _gib(8, 30),
    8192: _gib(16, 60, 4),
    16384: _gib(32, 120, 8),
}

CPU_UNITS, MIB = "CPU units", "MiB"
HARD, SOFT, SHARE, TASK, LEFT = "hard", "soft", "share", "task", "left"
CEILINGS = (HARD, TASK)   # a hard limit and the task's size cannot be passed; the rest can
KIND_TEXT = {HARD: "hard limit", SOFT: "soft limit", SHARE: "share, not a cap", TASK: "task limit",
             LEFT: "the task leaves it"}


@dataclass(frozen=True)
class Limit:
    """One limit of a container and where it comes from, so a percentage of it can say of what."""

    value: int
    unit: str     # CPU_UNITS or MIB
    kind: str     # HARD, SOFT, SHARE, TASK or LEFT
    source: str   # "1024 MiB hard limit (awesome-app:12)"


@dataclass(frozen=True)
class Limits:
    """A container's CPU and memory limit; None where the task definition sets neither."""

    cpu: Limit | None
    memory: Limit | None
    reservation: Limit | None = None   # the memory soft limit when a hard limit is also set: drawn beside it


def limits(task_definition: dict, container: str) -> Limits:
    """What the container can use, of which `N%` is a share.

    Memory: its hard limit (`memory`: killed past it) where it has one. Else what the task leaves it:
    the task's memory less what the other containers may hold, each its hard limit, else its
    reservation (a soft limit is what it keeps when memory is short; a hard limit is the most it
    takes). Never the container's own reservation: usage passes a soft limit by design
    (Container definitions, memoryReservation). The task's memory when no other container holds any;
    the soft limit only when the task has no memory (EC2) to leave. CPU likewise: the task's CPU less
    the other containers' `cpu`, for a container's `cpu` is a share, not a cap; its share only when the
    task sets no CPU (EC2).
    """
    found = _containers(task_definition).get(container)
    if found is None:
        raise KeyError(f"task definition '{label(task_definition)}' has no container '{container}'")
    others = {name: c for name, c in _containers(task_definition).items() if name != container}
    held = {name: c.get("memory") or c.get("memoryReservation") or 0 for name, c in others.items()}
    memory = [(found.get("memory"), HARD, ""), *_left(task_memory(task_definition), held, MIB),
              (found.get("memoryReservation"), SOFT, "")]
    cpu = [*_left(task_cpu(task_definition), {name: c.get("cpu") or 0 for name, c in others.items()}, CPU_UNITS),
           (found.get("cpu"), SHARE, "")]
    reserved = _first(task_definition, MIB, [(found.get("memoryReservation"), SOFT, "")]) if found.get("memory") else None
    return Limits(cpu=_first(task_definition, CPU_UNITS, cpu), memory=_first(task_definition, MIB, memory),
                  reservation=reserved)


def _left(total: int | None, held: dict[str, int], unit: str) -> list[tuple[int | None, str, str]]:
    """The task's `total` less what the others hold: (value, LEFT, how), or the whole task (TASK) when they hold none."""
    taken = {name: value for name, value in held.items() if value}
    if not total:
        return []
    if not taken:
        return [(total, TASK, "")]
    left = total - sum(taken.values())
    how = f" (task {total} {unit} less {', '.join(f'{name} {value}' for name, value in taken.items())})"
    return [(left, LEFT, how)] if left > 0 else [(total, TASK, "")]


def _first(task_definition: dict, unit: str, candidates: list[tuple[int | None, str, str]]) -> Limit | None:
    """The first candidate that is set; 0 is unset (a container's `cpu` reads 0 when not given)."""
    for value, kind, how in candidates:
        if value:
            source = f"{value} {unit} {KIND_TEXT[kind]}{how} ({label(task_definition)})"
            return Limit(int(value), unit, kind, source)
    return None


def task_limit(task_definition: dict, field: str) -> Limit | None:
    """The task's own `cpu` or `memory` as a limit (TASK): the most all its containers use together ("Task size")."""
    total, unit = (task_cpu(task_definition), CPU_UNITS) if field == "cpu" else (task_memory(task_definition), MIB)
    return _first(task_definition, unit, [(total, TASK, "")])


FARGATE_STORAGE_GIB = 20   # "Fargate task ephemeral storage": 20 GiB unless ephemeralStorage.sizeInGiB says more
GB = "GB"


def storage(task_definition: dict) -> Limit | None:
    """The task's ephemeral storage, in the unit EphemeralStorageUtilized is published in (Container Insights
    says Gigabytes; a GiB figure is used as is, as the console does): `ephemeralStorage.sizeInGiB`, else
    20 on Fargate; None on EC2, whose storage is the instance's."""
    size = (task_definition.get("ephemeralStorage") or {}).get("sizeInGiB")
    if size:
        return Limit(int(size), GB, TASK, f"{size} GiB ephemeral storage (ephemeralStorage.sizeInGiB, {label(task_definition)})")
    if is_fargate(task_definition):
        return Limit(FARGATE_STORAGE_GIB, GB, TASK,
                     f"{FARGATE_STORAGE_GIB} GiB ephemeral storage (Fargate's default, {label(task_definition)})")
    return None


def label(task_definition: dict) -> str:
    """`family:revision`, as the console and the CLI name a task definition."""
    family, revision = task_definition.get("family", "?"), task_definition.get("revision")
    return f"{family}:{revision}" if revision else family


def task_cpu(task_definition: dict) -> int | None:
    return _number(task_definition.get("cpu"))


def task_memory(task_definition: dict) -> int | None:
    return _number(task_definition.get("memory"))


def _number(text: object) -> int | None:
    """Registration turns "1 vCPU" and "1 GB" into units and MiB; anything else is unset."""
    return int(text) if str(text or "").isdigit() and int(text) > 0 else None


def is_fargate(task_definition: dict) -> bool:
    """Required for Fargate, or validated for it at registration (`compatibilities`, RegisterTaskDefinition)."""
    return any("FARGATE" in (task_definition.get(key) or []) for key in ("requiresCompatibilities", "compatibilities"))


def fargate_memory(cpu: int) -> tuple[int, ...]:
    """The task memory values (MiB) Fargate allows with `cpu`; none for a cpu it does not offer."""
    return FARGATE_SIZES.get(cpu, ())


def _containers(task_definition: dict) -> dict[str, dict]:
    return {c["name"]: c for c in task_definition.get("containerDefinitions", [])}


# Each rule, under the code `monitor validate` and `monitor review` both report it with.
_SIZES, _REGISTER = quotas.FARGATE_SIZES_DOC, quotas.TASK_DEFINITION_DOC
FARGATE_SIZE = Check("ECS-SIZE-001", ERROR, "task CPU/memory outside Fargate's table", source=_SIZES)
OVER_TASK = Check("ECS-SIZE-002", ERROR, "container memory limit above the task's memory", source=_REGISTER)
CPU_SUM = Check("ECS-SIZE-003", ERROR, "containers' cpu above the task's cpu", source=_REGISTER)
RESERVATION_OVER_HARD = Check("ECS-SIZE-004", ERROR, "soft limit above the container's hard limit", source=_REGISTER)
RESERVED_SUM = Check("ECS-SIZE-005", ERROR, "containers reserve more memory than the task has", source=_REGISTER)
HARD_SUM = Check("ECS-SIZE-006", WARNING, "containers' hard limits add up past the task's memory", source=_REGISTER)
LIMITLESS = Check("ECS-SIZE-007", WARNING, "main container with neither a hard nor a soft memory limit",
                  source=_REGISTER)
NO_HEADROOM = Check("ECS-SIZE-009", WARNING, "soft limit with no headroom left in the task", source=_REGISTER)
CHECKS = (FARGATE_SIZE, OVER_TASK, CPU_SUM, RESERVATION_OVER_HARD, RESERVED_SUM, HARD_SUM, LIMITLESS, NO_HEADROOM)


@dataclass(frozen=True)
class Fault:
    """One sizing rule broken: its check (above) and what is wrong."""

    rule: Check
    message: str

    @property
    def severity(self) -> str:
        return self.rule.severity


def problems(task_definition: dict, main: Iterable[str] | None = None) -> list[Problem]:
    """What AWS refuses at RegisterTaskDefinition (errors); else what makes a limit mislead (warnings).

    `main` names the containers that matter (those the config monitors); by default every
    essential container that is not a FireLens log router. The problems carry no path yet.
    """
    return [f.rule.problem((), f"task definition '{label(task_definition)}': {f.message}")
            for f in faults(task_definition, main)]


def faults(task_definition: dict, main: Iterable[str] | None = None) -> list[Fault]:
    """`problems`, each with the key of its rule; only what AWS refuses when it refuses anything."""
    refused = [(FARGATE_SIZE, _fargate_size), (CPU_SUM, _cpu_sum), (RESERVATION_OVER_HARD, _reservation_over_hard),
               (OVER_TASK, _over_task), (RESERVED_SUM, _reserved_sum)]
    errors = [Fault(rule, m) for rule, check in refused for m in check(task_definition)]
    if errors:
        return errors
    main = list(main) if main is not None else _main(task_definition)
    warned = [(HARD_SUM, _hard_sum(task_definition)), (LIMITLESS, _limitless(task_definition, main)),
              (NO_HEADROOM, _no_headroom(task_definition))]
    return [Fault(rule, m) for rule, messages in warned for m in messages]


def _fargate_size(task_definition: dict) -> list[str]:
    """Fargate takes only the table's cpu/memory pairs ("Task CPU and memory"; AWS: "Invalid 'cpu' setting")."""
    if not is_fargate(task_definition):
        return []
    cpu, memory = task_cpu(task_definition), task_memory(task_definition)
    if cpu is None or memory is None:
        return ["a Fargate task needs a task-level cpu and memory"]
    if cpu not in FARGATE_SIZES:
        return [f"task cpu {cpu} is not a Fargate size; Fargate offers {', '.join(map(str, FARGATE_SIZES))} CPU units"]
    if memory not in fargate_memory(cpu):
        return [f"task memory {memory} MiB does not go with cpu {cpu} on Fargate; with {cpu} CPU units "
                f"Fargate allows {allowed(fargate_memory(cpu))} MiB"]
    return []


def allowed(values: tuple[int, ...]) -> str:
    """`512, 1024, 2048`, or `4096-16384 in steps of 1024` for an even run."""
    steps = {b - a for a, b in zip(values, values[1:])}
    if len(values) > 3 and len(steps) == 1:
        return f"{values[0]}-{values[-1]} in steps of {steps.pop()}"
    return ", ".join(map(str, values))


def _cpu_sum(task_definition: dict) -> list[str]:
    """ContainerDefinition `cpu`: the containers' total within the task's (AWS: "The sum of all container 'cpu'...")."""
    cpu, shares = task_cpu(task_definition), sum(c.get("cpu") or 0 for c in _containers(task_definition).values())
    if cpu is None or shares <= cpu:
        return []
    return [f"the containers' cpu add up to {shares} CPU units, more than the task's {cpu}"]


def _reservation_over_hard(task_definition: dict) -> list[str]:
    """Container definitions: "memory must be greater than [or equal to] memoryReservation"."""
    return [f"container '{name}' reserves {c['memoryReservation']} MiB (memoryReservation), more than its hard "
            f"limit of {c['memory']} MiB (memory)" for name, c in _containers(task_definition).items()
            if c.get("memory") and (c.get("memoryReservation") or 0) > c["memory"]]


def _over_task(task_definition: dict) -> list[str]:
    """AWS: "The 'memory' setting for container ... is greater than for the task"; a reservation likewise."""
    memory = task_memory(task_definition)
    return [f"container '{name}' {key} is {c[key]} MiB, more than the task's {memory} MiB"
            for name, c in _containers(task_definition).items() for key in ("memory", "memoryReservation")
            if memory and (c.get(key) or 0) > memory]


def _reserved_sum(task_definition: dict) -> list[str]:
    """Container definitions: memory reserved for all containers (reservation, else hard limit) within the task's."""
    memory, reserved = task_memory(task_definition), _reserved(task_definition)
    if memory is None or sum(reserved.values()) <= memory or any(v > memory for v in reserved.values()):
        return []
    return [f"the containers reserve {sum(reserved.values())} MiB in all ({_each(reserved)}), more than "
            f"the task's {memory} MiB"]


def _reserved(task_definition: dict) -> dict[str, int]:
    """The containers that reserve memory, and how much."""
    found = {n: _reservation(c) for n, c in _containers(task_definition).items()}
    return {n: v for n, v in found.items() if v}


def _reservation(container: dict) -> int | None:
    """What a container reserves: `memoryReservation`, else `memory` (Container definitions, memoryReservation)."""
    return container.get("memoryReservation") or container.get("memory")


def _each(values: dict[str, int]) -> str:
    return ", ".join(f"{name} {value}" for name, value in values.items())


def _hard_sum(task_definition: dict) -> list[str]:
    """Hard limits past the task's memory: AWS accepts them, but they cannot all be reached at once."""
    memory = task_memory(task_definition)
    hard = {n: c["memory"] for n, c in _containers(task_definition).items() if c.get("memory")}
    if memory is None or sum(hard.values()) <= memory:
        return []
    return [f"the containers' hard limits add up to {sum(hard.values())} MiB ({_each(hard)}), more than the "
            f"task's {memory} MiB: the task's memory runs out before they all reach their limits, so a "
            f"percentage of a hard limit understates how close the task is to running out"]


def _main(task_definition: dict) -> list[str]:
    """Essential containers that are not a FireLens log router (`firelensConfiguration`)."""
    return [n for n, c in _containers(task_definition).items()
            if c.get("essential", True) and not c.get("firelensConfiguration")]


def _limitless(task_definition: dict, main: list[str]) -> list[str]:
    """Without a container limit the task's memory is the limit (Task size), and the sidecars use it too."""
    containers, memory = _containers(task_definition), task_memory(task_definition)
    if len(containers) < 2 or memory is None:
        return []
    bare = [n for n in main if n in containers and not _reservation(containers[n])]
    return [f"container '{name}' has neither memory nor memoryReservation, so its limit is the task's {memory} MiB, "
            f"which it shares with {', '.join(repr(n) for n in containers if n != name)}; give it a limit of its own"
            for name in bare]


def _no_headroom(task_definition: dict) -> list[str]:
    """A soft limit is worth having only with room above it: below the hard limit, within the task."""
    return [message for name in _containers(task_definition) for message in _headroom(task_definition, name)]


def _headroom(task_definition: dict, name: str) -> list[str]:
    """Usage may pass a soft limit up to the hard limit or the task's memory (memoryReservation): if there is room."""
    soft, ceiling = _containers(task_definition)[name].get("memoryReservation"), _ceiling(task_definition, name)
    if not soft or ceiling is None or ceiling[0] > soft:
        return []
    return [f"container '{name}' has a soft limit of {soft} MiB (memoryReservation) and no headroom above it "
            f"when every container is busy: {ceiling[1]} is {ceiling[0]} MiB"]


def _ceiling(task_definition: dict, name: str) -> tuple[int, str] | None:
    """The most the container gets when all are busy: its hard limit, or the task's memory the others leave."""
    hard, memory = _containers(task_definition)[name].get("memory"), task_memory(task_definition)
    others = sum(v for n, v in _reserved(task_definition).items() if n != name)
    found = [(hard, "its hard limit")] if hard else []
    found += [(memory - others, f"what the task's {memory} MiB leave after the other containers' reservations")] \
        if memory else []
    return min(found, default=None)
