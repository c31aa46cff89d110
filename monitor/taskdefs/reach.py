"""What a container's CPU or memory figure can reach: the ceiling it cannot pass, and what it is sure to get. Pure.

From the Amazon ECS Developer Guide and API reference:
- A container with a hard limit (`memory`) is killed when it tries to use more ("Container definitions", Memory, in
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html;
  ContainerDefinition `memory`: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
- On Fargate the task-level `cpu` and `memory` are required, and they are the limit of the whole task, shared by
  all its containers ("Task size":
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size). A limit
  is the most a container or task can use: past the CPU limit it is throttled, past the memory limit stopped; a
  container may use more than it reserves ("bursting") only within the limits declared ("Best practices for
  Amazon ECS task sizes": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html).
So the ceiling of a container's memory is its hard limit, else the task's memory; of its CPU the task's CPU (a
container's `cpu` is a relative share on Linux, never a cap). Below the ceiling, a container with no hard limit is
sure of what the task leaves it when every other container holds what it may (monitor/taskdefs/sizing.py
`limits`, kind LEFT); it passes that only while the others use less than their hard limits or reservations. On EC2
with no task-level size a soft-limited container has no ceiling known here (the instance's memory), and none is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.taskdefs import sizing

FIELDS = ("cpu", "memory", "storage")
WHY = {sizing.HARD: "the container is killed past its hard limit",
       sizing.TASK: "the task-level size is the limit of the whole task, shared by all its containers"}


@dataclass(frozen=True)
class Reach:
    """The ceiling a container's figure cannot pass (`most`: a hard limit, or the task's size) and, where lower,
    what it is sure to get with every container busy (`sure`: what the task leaves it)."""

    field: str    # cpu, memory or storage
    most: sizing.Limit
    sure: sizing.Limit | None = None

    @property
    def why(self) -> str:
        """Why the figure cannot pass `most`, for a message."""
        return WHY.get(self.most.kind, "it is the limit")


def reach(task_definition: dict, container: str, field: str) -> Reach | None:
    """What the container's `field` (cpu, memory, or the task's storage) can reach; None where no ceiling is known.

    Raises KeyError, as sizing.limits does, for a container the task definition does not have.
    """
    if field == "storage":
        storage = sizing.storage(task_definition)
        return Reach(field, storage) if storage else None
    usable = getattr(sizing.limits(task_definition, container), field)
    if usable is not None and usable.kind in sizing.CEILINGS:
        return Reach(field, usable)
    most = sizing.task_limit(task_definition, field)
    if most is None:
        return None
    return Reach(field, most, usable if usable is not None and usable.kind == sizing.LEFT else None)
