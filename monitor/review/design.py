"""The service design checks over one task definition and its service's config entry. Pure.

Sizing reuses monitor/taskdefs/sizing.py's checks (the Fargate table, what RegisterTaskDefinition
refuses, what makes a limit mislead), with their codes; each is given its usual fix here.
The other checks and their sources:
- a sidecar without a hard limit (`memory`): a container's memory past its soft limit comes from
  the task's, which the app needs too ("Container definitions", Memory:
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html);
  how sidecars are recognised: monitor/review/images.py;
- logging: only the `awslogs` driver and FireLens (`awsfirelens`) write to CloudWatch Logs, where
  metric filters run ("LogConfiguration":
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html); Security
  Hub ECS.9, "ECS task definitions should have a logging configuration"
  (https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-9);
- plaintext secrets: monitor/review/environment.py (Security Hub ECS.8);
- tracing, where the service's `apm` asks for it: the X-Ray daemon or the ADOT collector as a
  sidecar ("Running the X-Ray daemon on Amazon ECS":
  https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html), or the Datadog Agent
  (https://docs.datadoghq.com/integrations/ecs_fargate/).
"""

from __future__ import annotations

from monitor.config.model import Service
from monitor.problems import Path
from monitor.review import environment, images
from monitor.review.findings import INFO, WARNING, Finding, Rule
from monitor.taskdefs import logconfig, sizing

Hit = tuple[Rule, str | None, str]   # rule, container (None: the whole task), message

# The usual fix of each sizing check; the code, title and source are the check's (`validate` reports it too).
SIZING_FIXES = (
    (sizing.FARGATE_SIZE, "use a task cpu and memory pair from Fargate's table"),
    (sizing.OVER_TASK, "lower the container's memory/memoryReservation, or raise the task's memory"),
    (sizing.CPU_SUM, "lower the containers' cpu to add up to the task's cpu at most, or raise the task's cpu"),
    (sizing.RESERVATION_OVER_HARD, "set memoryReservation below the container's memory"),
    (sizing.RESERVED_SUM, "lower the containers' memoryReservation (else memory), or raise the task's memory"),
    (sizing.HARD_SUM, "size the task's memory for every container at its hard limit, or lower the limits"),
    (sizing.LIMITLESS, "give the container a memoryReservation (what it needs), and a memory (hard limit) "
                       "if it must not crowd out the others"),
    (sizing.NO_HEADROOM, "leave room above memoryReservation: raise the hard limit or the task's memory, "
                         "or lower the reservations"),
)
SIZING = {check: Rule(check.code, check.severity, check.title, fix, source=check.source) for check, fix in SIZING_FIXES}
SIDECAR_LIMIT = Rule("ECS-SIZE-008", WARNING, "sidecar without a hard memory limit",
                     "give the sidecar a memory (hard limit) so it cannot take the app's memory")
NO_LOGGING = Rule("ECS-LOG-001", WARNING, "container without a log configuration",
                  "add a logConfiguration: the awslogs driver, or awsfirelens with the cloudwatch_logs output",
                  "ECS.9")
OTHER_LOGGING = Rule("ECS-LOG-002", WARNING, "container logs neither through awslogs nor FireLens",
                     "log with the awslogs driver, or awsfirelens with the cloudwatch_logs output")
NO_APM = Rule("ECS-APM-001", INFO, "no tracing sidecar where the config asks for one",
              "add the tracing sidecar to the task definition, or drop `apm` from the service")
RULES = (*SIZING.values(), SIDECAR_LIMIT, NO_LOGGING, OTHER_LOGGING, NO_APM)

APM_SIDECAR = {
    images.XRAY: ("the X-Ray daemon or the ADOT collector", "add public.ecr.aws/xray/aws-xray-daemon (or "
                  "public.ecr.aws/aws-observability/aws-otel-collector) as a sidecar, essential: false"),
    images.DATADOG: ("the Datadog Agent", "add public.ecr.aws/datadog/agent as a sidecar with "
                     "DD_APM_ENABLED=true, essential: false"),
}


def check(task_definition: dict, service: Service | None = None, subject: str | None = None, path: Path = (),
          service_path: Path = (), source: str | None = None) -> list[Finding]:
    """Every design finding of one task definition (DescribeTaskDefinition's `taskDefinition` shape).

    `service` is its config entry, if any: its containers are the main ones (else every essential
    container that is no sidecar), and its `apm` asks for a tracing sidecar. `subject` names what
    the findings are about (default `family:revision`), each container's as `subject/container`;
    `path` is the config key the task definition comes from, `service_path` the service's.
    """
    base = subject or sizing.label(task_definition)
    main = main_containers(task_definition, service)
    hits = (_sizing(task_definition, main) + _sidecars(task_definition, main) + _secrets(task_definition)
            + _logging(task_definition))
    found = [rule.finding(f"{base}/{name}" if name else base, message, path=path, source=source)
             for rule, name, message in hits]
    return found + _apm(task_definition, service, base, service_path + ("apm",) if service_path else path, source)


def containers(task_definition: dict) -> list[dict]:
    return task_definition.get("containerDefinitions") or []


def main_containers(task_definition: dict, service: Service | None) -> list[str]:
    """The config's containers when it names any, less those that are sidecars by what they are (an X-Ray
    daemon the config monitors is still a sidecar); else the essential ones that are no sidecar."""
    if service is not None and service.containers:
        by_name = {c.get("name"): c for c in containers(task_definition)}
        return [c.name for c in service.containers if not images.known_sidecar(by_name.get(c.name) or {})]
    return [c["name"] for c in containers(task_definition) if c.get("essential", True) and not images.sidecar(c)]


def _sizing(task_definition: dict, main: list[str]) -> list[Hit]:
    return [(SIZING[f.rule], None, f.message) for f in sizing.faults(task_definition, main)]


def _sidecars(task_definition: dict, main: list[str]) -> list[Hit]:
    """Each sidecar with no `memory`, in a task of two containers or more."""
    found = containers(task_definition)
    if len(found) < 2:
        return []
    memory = sizing.task_memory(task_definition)
    shared = f"the task's {memory} MiB" if memory else "the instance's memory"
    return [(SIDECAR_LIMIT, c["name"], f"the {images.sidecar(c)} '{c['name']}' has no hard memory limit (memory)"
             + (f", only a soft one of {c['memoryReservation']} MiB" if c.get("memoryReservation") else "")
             + f": if it grows, it takes the memory of the other containers, up to {shared}")
            for c in found if _is_sidecar(c, main) and not c.get("memory")]


def _is_sidecar(container: dict, main: list[str]) -> bool:
    """A sidecar by what it is (image, FireLens role), monitored or not; by `essential: false` only when the
    config does not monitor it (monitor/review/images.py)."""
    return bool(images.known_sidecar(container)) or (container["name"] not in main and bool(images.sidecar(container)))


def _secrets(task_definition: dict) -> list[Hit]:
    """Each plaintext secret, by name: never its value."""
    return [(rule, c["name"], f"environment variable '{name}' holds a secret in plain text"
             + (" (a password in a URL)" if rule is environment.SECRET_URL else ""))
            for c in containers(task_definition) for rule, name in environment.plaintext(c)]


def _logging(task_definition: dict) -> list[Hit]:
    """Containers whose output never reaches CloudWatch Logs, where metric filters run."""
    hits = []
    for c in containers(task_definition):
        driver = (c.get("logConfiguration") or {}).get("logDriver")
        if not driver:
            hits.append((NO_LOGGING, c["name"], f"container '{c['name']}' has no logConfiguration: no metric "
                         "filter can see its logs"))
        elif driver not in (logconfig.AWSLOGS, logconfig.FIRELENS):
            hits.append((OTHER_LOGGING, c["name"], f"container '{c['name']}' logs with the {driver} driver, not to "
                         "CloudWatch Logs: no metric filter can see its logs"))
    return hits


def _apm(task_definition: dict, service: Service | None, subject: str, path: Path, source: str | None) -> list[Finding]:
    """Info only: the config asks for tracing (`apm`) and no container brings it."""
    wanted = service.apm if service is not None else None
    if not wanted or any(images.tracing(c) == wanted for c in containers(task_definition)):
        return []
    what, fix = APM_SIDECAR[wanted]
    return [NO_APM.finding(subject, f"the service asks for apm: {wanted}, and no container runs {what}", fix,
                           path, source)]
