"""Task definition JSON files: the one reader, for validate, plan --local, review and the emulator.

Either shape AWS's tools use. Pure (reads files).

- what `aws ecs register-task-definition --cli-input-json` takes: the task definition's own
  keys (`family`, `containerDefinitions`, ...), the task's `cpu` and `memory` as CPU units and MiB
  ("1024"), or as vCPU and GB ("1 vCPU", "0.5 GB"), which registration converts
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html, cpu, memory);
- what `aws ecs describe-task-definition` prints: `{"taskDefinition": {...}, "tags": [...]}`
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html).
Both load as DescribeTaskDefinition's `taskDefinition`: task sizes as strings of units and MiB.
"""

from __future__ import annotations

import re
from pathlib import Path

from monitor import bounded, jsonfile

FOLDER = "task-definitions"   # beside the config
GIB, VCPU = 1024, 1024   # MiB in a GB, CPU units in a vCPU, as registration counts them
UNITS = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>vcpu|gb)?", re.IGNORECASE)
# A task definition is at most 64 KiB (Amazon ECS service quotas, "Task definition size",
# https://docs.aws.amazon.com/general/latest/gr/ecs-service.html); indented JSON of one fits in 1 MiB.
MAX_BYTES = 1 << 20


class TaskFileError(ValueError):
    """A file that is not a task definition in either shape: `str()` is `FILE[:LINE:COL]: why`."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None, column: int | None = None):
        where = f"{path}:{line}:{column}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")
        self.path, self.reason, self.line, self.column = str(path), reason, line, column


def read(path: str | Path) -> object:
    """The JSON document in a task-definitions file, read within MAX_BYTES and jsonfile.MAX_DEPTH.

    Raises TaskFileError for an unreadable file, one too large (saying what it seems to be), one
    that is not UTF-8, or invalid or too deeply nested JSON, with its line and column.
    """
    try:
        return jsonfile.read(path, MAX_BYTES, "a task definition")
    except OSError as error:
        raise TaskFileError(path, f"cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise TaskFileError(path, f"not UTF-8 text (byte {error.start + 1}): is it a task definition?") from None
    except bounded.TooLarge as error:
        raise TaskFileError(path, str(error), 1, 1) from None
    except jsonfile.TooDeep as error:
        raise TaskFileError(path, error.message, error.line, error.column) from None
    except jsonfile.JsonError as error:
        raise TaskFileError(path, f"not valid JSON: {error.message}", error.line, error.column) from None


def load(path: str | Path) -> dict:
    """The task definition in a JSON file, as DescribeTaskDefinition's `taskDefinition`.

    Raises TaskFileError as read() does, and for a document of neither shape.
    """
    return task_definition(read(path), str(path))


def task_definition(data: object, name: str = "task definition") -> dict:
    """Either shape (module docstring) as a `taskDefinition`; TaskFileError when it is neither."""
    found = data.get("taskDefinition", data) if isinstance(data, dict) else None
    if not isinstance(found, dict) or not isinstance(found.get("containerDefinitions"), list):
        raise TaskFileError(name, "not a task definition: expected the register-task-definition input "
                                  "(with 'family' and 'containerDefinitions') or the describe-task-definition output "
                                  "(with 'taskDefinition')")
    if not found.get("family") or not all(isinstance(c, dict) and c.get("name") for c in found["containerDefinitions"]):
        raise TaskFileError(name, "a task definition needs a 'family', and a 'name' for every container definition")
    return {**found, **_sizes(found, name)}


def _sizes(found: dict, name: str) -> dict[str, str]:
    """The task's `cpu` and `memory` in CPU units and MiB, as registration stores them."""
    sizes = {}
    for key, scale, unit in (("cpu", VCPU, "vcpu"), ("memory", GIB, "gb")):
        value = found.get(key)
        if value is None:
            continue
        match = UNITS.fullmatch(str(value).strip())
        if not match or (match["unit"] and match["unit"].lower() != unit):
            raise TaskFileError(name, f"task {key} {value!r} is neither a number nor in {unit.upper()}")
        number = float(match["number"]) * (scale if match["unit"] else 1)
        sizes[key] = str(int(number))
    return sizes


# What DescribeTaskDefinition adds to a registered task definition; RegisterTaskDefinition refuses them
# (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html).
DESCRIBED_ONLY = ("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
                  "registeredAt", "registeredBy", "deregisteredAt")


def beside(config_path: str | Path) -> list[Path]:
    """The `task-definitions/*.json` files beside the config, in name order."""
    return sorted((Path(config_path).resolve().parent / FOLDER).glob("*.json"))


def of_families(config_path: str | Path, families: set[str]) -> list[dict]:
    """The task definitions beside the config whose family is one of `families`, each as `load` gives it.

    Raises TaskFileError for a file that is not a task definition in either shape.
    """
    found = [load(path) for path in beside(config_path)] if families else []
    return [definition for definition in found if definition["family"] in families]


def named(config_path: str | Path, families: set[str]) -> list[Path]:
    """The files beside the config whose task definition's family is one of `families` (those `of_families` reads).

    Raises TaskFileError for a file that is not a task definition in either shape.
    """
    return [path for path in (beside(config_path) if families else []) if load(path)["family"] in families]


def registration(definition: dict) -> dict:
    """A task definition as RegisterTaskDefinition's input: the describe-only keys left out."""
    return {key: value for key, value in definition.items() if key not in DESCRIBED_ONLY}
