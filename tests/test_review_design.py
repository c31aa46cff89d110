"""The service design checks as pure tables: each fault found with its code, a sound task definition
gives nothing above info; the finding value; the task definition file loader with both JSON shapes."""

from __future__ import annotations

import json

import pytest

from monitor.config.model import Config, Service
from monitor.review import collect, design, ecr, environment, findings, images
from monitor.review.findings import Finding, at_least
from monitor.taskdefs import files as taskfiles
from monitor.taskdefs import sizing

ECR_APP = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.4"
AWSLOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "us-east-1"}}
FIRELENS = {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "log_group_name": "/ecs/app"}}
APP = {"name": "app", "image": ECR_APP, "essential": True, "memoryReservation": 768, "memory": 1536,
       "logConfiguration": AWSLOGS, "environment": [{"name": "LOG_LEVEL", "value": "info"}],
       "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}]}
ROUTER = {"name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
          "essential": True, "memory": 128, "memoryReservation": 64, "firelensConfiguration": {"type": "fluentbit"},
          "logConfiguration": AWSLOGS}
XRAY = {"name": "xray", "image": "public.ecr.aws/xray/aws-xray-daemon:3", "essential": False, "cpu": 32,
        "memory": 128, "memoryReservation": 32, "logConfiguration": AWSLOGS}


def task(*containers: dict, cpu: str | None = "1024", memory: str | None = "2048", **extra) -> dict:
    """A Fargate task definition as DescribeTaskDefinition returns it; by default the sound one."""
    found = {"family": "web", "revision": 7, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
             "containerDefinitions": [dict(c) for c in containers or (APP, ROUTER, XRAY)], **extra}
    return found | {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def changed(which: str, **keys) -> dict:
    """The sound task's container `which` with `keys` changed (None removes a key)."""
    base = {"app": APP, "log_router": ROUTER, "xray": XRAY}[which]
    return {k: v for k, v in {**base, **keys}.items() if v is not None}


def sound_but(which: str, **keys) -> dict:
    return task(*[changed(c["name"], **keys) if c["name"] == which else c for c in (APP, ROUTER, XRAY)])


# --- a sound task definition ------------------------------------------------------------------

def test_a_sound_task_definition_gives_nothing_above_info():
    assert design.check(task()) == []
    assert at_least(design.check(task(), Service(name="web", apm="datadog")), "warning") == []


# --- sizing: sizing.py's rules, each with its code --------------------------------------------

@pytest.mark.parametrize("definition, code, said", [
    (task(cpu="256", memory="4096"), "ECS-SIZE-001", "does not go with cpu 256 on Fargate"),
    (task(cpu="3072"), "ECS-SIZE-001", "task cpu 3072 is not a Fargate size"),
    (task(memory=None), "ECS-SIZE-001", "a Fargate task needs a task-level cpu and memory"),
    (sound_but("app", memory=4096, memoryReservation=None), "ECS-SIZE-002",
     "container 'app' memory is 4096 MiB, more than the task's 2048 MiB"),
    (sound_but("app", cpu=2048), "ECS-SIZE-003", "the containers' cpu add up to 2080 CPU units, more than the task's 1024"),
    (sound_but("app", memory=512), "ECS-SIZE-004", "container 'app' reserves 768 MiB (memoryReservation), more than "
                                                   "its hard limit of 512 MiB"),
    (sound_but("app", memory=None, memoryReservation=2000), "ECS-SIZE-005", "the containers reserve 2096 MiB in all"),
    (sound_but("app", memory=2000), "ECS-SIZE-006", "hard limits add up to 2256 MiB"),
    (sound_but("app", memory=None, memoryReservation=None), "ECS-SIZE-007",
     "container 'app' has neither memory nor memoryReservation"),
    (sound_but("app", memory=768), "ECS-SIZE-009", "container 'app' has a soft limit of 768 MiB (memoryReservation) "
                                                   "and no headroom above it"),
], ids=["fargate-pair", "fargate-cpu", "fargate-unsized", "over-task", "cpu-sum", "soft-over-hard", "reserved-sum",
        "hard-sum", "main-without-limit", "no-headroom"])
def test_each_sizing_fault_has_its_code(definition, code, said):
    [found] = design.check(definition)
    assert (found.code, found.subject) == (code, "web:7") and said in found.message
    assert found.severity == ("error" if code <= "ECS-SIZE-005" else "warning")


@pytest.mark.parametrize("sidecar, kind", [
    (changed("log_router", memory=None), "log router"),
    (changed("xray", memory=None), "agent"),
    ({"name": "envoy", "image": "840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.27",
      "memoryReservation": 64, "logConfiguration": AWSLOGS}, "proxy"),
    ({"name": "dd", "image": "gcr.io/datadoghq/agent:7", "logConfiguration": AWSLOGS}, "agent"),
    ({"name": "cwagent", "image": "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest",
      "logConfiguration": AWSLOGS}, "agent"),
    ({"name": "helper", "image": "busybox", "essential": False, "logConfiguration": AWSLOGS},
     "non-essential container"),
], ids=["firelens", "xray", "envoy", "datadog", "cloudwatch-agent", "non-essential"])
def test_a_sidecar_without_a_hard_limit_is_found(sidecar, kind):
    found = [f for f in design.check(task(APP, sidecar)) if f.code == "ECS-SIZE-008"]
    assert [(f.subject, f.severity) for f in found] == [(f"web:7/{sidecar['name']}", "warning")]
    assert found[0].message.startswith(f"the {kind} '{sidecar['name']}' has no hard memory limit")


def test_the_configs_containers_are_main_whatever_their_image():
    agent_as_app = changed("xray", memory=None, essential=True)
    assert "ECS-SIZE-008" in codes(design.check(task(APP, agent_as_app)))
    assert "ECS-SIZE-008" not in codes(design.check(task(APP, agent_as_app), Service(name="web", containers=[
        {"name": "app"}, {"name": "xray"}])))


# --- secrets ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, value, code", [
    ("DB_PASSWORD", "hunter2", "ECS-SECRET-001"),
    ("db_password", "hunter2", "ECS-SECRET-001"),
    ("STRIPE_API_KEY", "sk_live_abc", "ECS-SECRET-001"),
    ("GITHUB_TOKEN", "ghp_abc", "ECS-SECRET-001"),
    ("CLIENT_SECRET", "abc", "ECS-SECRET-001"),
    ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "ECS-SECRET-001"),
    ("ECS_ENGINE_AUTH_DATA", "{}", "ECS-SECRET-001"),
    ("SIGNING_KEY", "abc", "ECS-SECRET-001"),
    ("DATABASE_URL", "postgres://app:hunter2@db.internal:5432/app", "ECS-SECRET-002"),
])
def test_a_plaintext_secret_is_found_and_its_value_never_shown(name, value, code):
    definition = sound_but("app", environment=[{"name": name, "value": value}])
    [found] = design.check(definition)
    assert (found.code, found.severity, found.control, found.subject) == (code, "error", "ECS.8", "web:7/app")
    assert name in found.message and value not in found.message + found.fix + json.dumps(found.to_dict())
    assert "`secrets`" in found.fix and "Secrets Manager" in found.fix and "SSM Parameter Store" in found.fix


@pytest.mark.parametrize("name, value", [
    ("LOG_LEVEL", "debug"), ("DB_PASSWORD", ""), ("KEYCLOAK_URL", "https://auth.example.com"),
    ("API_KEY", "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf"),
    ("HOME_URL", "https://example.com/a:b"),
])
def test_what_holds_no_secret_is_not_a_finding(name, value):
    assert design.check(sound_but("app", environment=[{"name": name, "value": value}])) == []


# --- logging ------------------------------------------------------------------------------------

@pytest.mark.parametrize("logging, code, control", [
    (None, "ECS-LOG-001", "ECS.9"),
    ({"logDriver": "json-file"}, "ECS-LOG-002", None),
    ({"logDriver": "splunk", "options": {"splunk-url": "https://splunk"}}, "ECS-LOG-002", None),
])
def test_a_container_whose_logs_no_metric_filter_sees_is_found(logging, code, control):
    [found] = design.check(sound_but("app", logConfiguration=logging))
    assert (found.code, found.severity, found.control, found.subject) == (code, "warning", control, "web:7/app")
    assert "no metric filter can see its logs" in found.message


def test_firelens_logging_counts_as_logging():
    assert design.check(sound_but("app", logConfiguration=FIRELENS)) == []


# --- tracing (apm) ------------------------------------------------------------------------------

@pytest.mark.parametrize("apm, sidecar, expected", [
    ("xray", XRAY, []),
    ("xray", changed("xray", image="public.ecr.aws/aws-observability/aws-otel-collector:v0.40"), []),
    ("xray", None, ["ECS-APM-001"]),
    ("datadog", XRAY, ["ECS-APM-001"]),
    ("datadog", changed("xray", image="public.ecr.aws/datadog/agent:7", name="datadog-agent"), []),
    (None, None, []),
], ids=["xray-daemon", "adot", "xray-missing", "datadog-missing", "datadog", "not-asked"])
def test_the_apm_sidecar_the_config_asks_for(apm, sidecar, expected):
    definition = task(*[c for c in (APP, ROUTER, sidecar) if c])
    path = ("clusters", 0, "services", 2)
    found = design.check(definition, Service(name="web", apm=apm), "honban/web", path + ("task_definition",), path)
    assert codes(found) == expected
    assert all((f.severity, f.path, f.subject) == ("info", path + ("apm",), "honban/web") for f in found)


def test_apm_takes_only_xray_or_datadog():
    assert Service(name="web", apm="xray").apm == "xray"
    with pytest.raises(ValueError):
        Service(name="web", apm="newrelic")


# --- images -------------------------------------------------------------------------------------

@pytest.mark.parametrize("image, expected", [
    (ECR_APP, images.EcrImage("123456789012", "us-east-1", "team/app")),
    ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + "a" * 64,
     images.EcrImage("123456789012", "eu-west-1", "app")),
    ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app", images.EcrImage("123456789012", "us-gov-west-1", "app")),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1", images.EcrImage("123456789012", "cn-north-1", "app")),
    ("123456789012.dkr-ecr.ap-northeast-1.on.aws/app:1", images.EcrImage("123456789012", "ap-northeast-1", "app")),
    ("public.ecr.aws/nginx/nginx:1.25", None),
    ("nginx:1.25", None),
    ("localhost:5000/app:1", None),
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/app", None),
])
def test_ecr_image_uris(image, expected):
    assert images.ecr(image) == expected


# --- findings ------------------------------------------------------------------------------------

def test_every_code_is_unique_and_well_formed():
    table = findings.catalogue(design.RULES, environment.RULES, ecr.RULES, collect.RULES)
    assert all(code.count("-") == 2 and code.split("-")[2].isdigit() for code in table)
    with pytest.raises(ValueError, match="ECS-LOG-001 is used by two rules"):
        findings.catalogue(design.RULES, [design.NO_LOGGING])


def test_a_finding_becomes_a_problem_at_its_config_path_and_sorts_worst_first():
    info = design.NO_APM.finding("honban/web", "m", path=("clusters", 0, "services", 0, "apm"))
    error = environment.SECRET_NAME.finding("web:7/app", "m")
    assert findings.ordered([info, error]) == [error, info]
    assert (info.as_problem().severity, info.as_problem().path) == ("info", ("clusters", 0, "services", 0, "apm"))
    assert info.to_dict()["path"] == "clusters[0].services[0].apm" and error.to_dict()["control"] == "ECS.8"
    assert at_least([info, error], "warning") == [error] and at_least([info, error], "info") == [info, error]


# --- task definition files -------------------------------------------------------------------------

REGISTER = {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "1 vCPU",
            "memory": "2 GB", "containerDefinitions": [APP, ROUTER, XRAY]}
DESCRIBE = {"taskDefinition": task(), "tags": [{"key": "team", "value": "platform"}]}


@pytest.mark.parametrize("document, label", [(REGISTER, "web"), (DESCRIBE, "web:7"),
                                             ({**REGISTER, "cpu": 1024, "memory": 2048}, "web")],
                         ids=["register-input", "describe-output", "numbers"])
def test_both_json_shapes_load_as_a_task_definition(tmp_path, document, label):
    file = tmp_path / "web.json"
    file.write_text(json.dumps(document))
    loaded = taskfiles.load(file)
    assert (loaded["cpu"], loaded["memory"], loaded["family"]) == ("1024", "2048", "web")
    assert collect.from_files([file]) == []
    assert sizing.label(loaded) == label


def test_a_file_finding_names_the_file_and_the_services_config_line(tmp_path):
    file = tmp_path / "web.json"
    file.write_text(json.dumps({**REGISTER, "memory": "0.5GB", "containerDefinitions": [changed(
        "app", memory=None, memoryReservation=None, environment=[{"name": "API_TOKEN", "value": "t0k3n"}])]}))
    config = Config(version=1, clusters=[{"name": "honban", "services": [
        {"name": "other"}, {"name": "svc", "task_definition": "arn:aws:ecs:us-east-1:1:task-definition/web:3"}]}])
    found = collect.from_files([file], config)
    assert [(f.code, f.subject, f.source) for f in found] == [("ECS-SIZE-001", "web", str(file)),
                                                              ("ECS-SECRET-001", "web/app", str(file))]
    assert {f.path for f in found} == {("clusters", 0, "services", 1, "task_definition")}


@pytest.mark.parametrize("text, said", [
    ("{", ":1:2: not valid JSON"),
    ('{"services": []}', "not a task definition"),
    ('{"containerDefinitions": [{"name": "app"}]}', "needs a 'family'"),
    ('{"family": "web", "cpu": "1 GB", "containerDefinitions": [{"name": "app"}]}', "task cpu '1 GB'"),
])
def test_a_file_of_neither_shape_says_why(tmp_path, text, said):
    file = tmp_path / "bad.json"
    file.write_text(text)
    with pytest.raises(taskfiles.TaskFileError, match=f"^{file}"):
        taskfiles.load(file)
    with pytest.raises(taskfiles.TaskFileError) as raised:
        taskfiles.load(file)
    assert said in str(raised.value)
