"""Log groups as real task definitions name them: awslogs-region, FireLens, create-group, the
service's own task definition, and AWS failures that stay AWS errors; and the sizing
findings of every task definition the config names."""

from __future__ import annotations

import json
from types import SimpleNamespace

import boto3
import botocore.exceptions as bx
import pytest
import yaml
from botocore.stub import Stubber
from moto import mock_aws

from monitor.aws.clients import Clients, Target
from monitor.aws.errors import explain
from monitor.config.model import Cluster, Config, Container, Service
from monitor.emulator.server import install_fidelity_patches
from monitor.kinds import filter_checks
from monitor.problems import placed
from monitor.resolved import taskdefs
from monitor.state.resources import Actual, Resource
from monitor.sync.apply import apply
from monitor.sync.flow import make_plan, validate
from monitor.taskdefs import logconfig

HOME, AWAY = "us-east-1", "eu-west-1"
CLUSTER = "honban"
SESSION = boto3.Session(region_name=HOME)
ERRORS = {"name": "errors", "pattern": '{ $.level = "error" }', "metric": "Errors"}
OUR_TAGS = {"managed-by": "ecs-monitor", "ecs-monitor:prefix": "monitor", "ecs-monitor:cluster": CLUSTER}


def clients() -> Clients:
    return Clients(Target(HOME), _session=SESSION)


def awslogs(group: str, **options: str) -> dict:
    return {"logDriver": "awslogs", "options": {"awslogs-group": group, **options}}


def firelens(group: str, **options: str) -> dict:
    return {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "log_group_name": group,
                                                     "region": AWAY, **options}}


def register(ecs, family: str, *logging: dict, router: dict | None = None) -> None:
    """A task definition with containers app, app2, ... logging as given, and a FireLens router if asked."""
    definitions = [{"name": "app" if n == 0 else f"app{n + 1}", "image": "app:1", "memory": 256,
                    "logConfiguration": item} for n, item in enumerate(logging)]
    if router is not None:
        definitions.append({"name": "log_router", "image": "fluent-bit:1", "memory": 64,
                            "firelensConfiguration": {"type": "fluentbit", **router}})
    ecs.register_task_definition(family=family, containerDefinitions=definitions)


def services(*names: str, task_definition: str | None = None, containers: int = 1) -> list[dict]:
    items = [{"name": name, "containers": [{"name": "app" if n == 0 else f"app{n + 1}", "filters": [ERRORS]}
                                           for n in range(containers)]} for name in names]
    return [{**item, "task_definition": task_definition} if task_definition else item for item in items]


def document(service_list: list[dict]) -> str:
    return yaml.safe_dump({"version": 1, "region": HOME,
                           "clusters": [{"name": CLUSTER, "services": service_list}]}, sort_keys=False)


@pytest.fixture
def aws():
    with mock_aws():
        install_fidelity_patches()
        made = SimpleNamespace(ecs=boto3.client("ecs", region_name=HOME), logs=boto3.client("logs", region_name=HOME),
                               away=boto3.client("logs", region_name=AWAY))
        made.ecs.create_cluster(clusterName=CLUSTER)
        yield made


@pytest.fixture
def configure(write_config):
    def load(text: str):
        loaded = validate(str(write_config(text)))
        assert loaded.ok, loaded.problems
        return loaded
    return load


def converge(loaded, **options):
    """Apply, then the plan is empty."""
    first = make_plan(loaded, clients(), **options)
    assert first.errors == []
    assert [o for o in apply(clients(), first) if o.failed] == []
    again = make_plan(loaded, clients(), **options)
    assert (again.changes, again.errors) == ([], [])
    return first


def filters_in(logs, group: str) -> list[str]:
    return [f["filterName"] for f in logs.describe_metric_filters(logGroupName=group)["metricFilters"]]


# --- 1. awslogs-region ---------------------------------------------------------------------

def test_a_group_in_another_region_gets_its_filters_there(aws, configure):
    aws.away.create_log_group(logGroupName="/ecs/web")
    register(aws.ecs, "web", awslogs("/ecs/web", **{"awslogs-region": AWAY}))
    applied = converge(configure(document(services("web", task_definition="web"))))
    [change] = applied.changes
    assert (change.id, change.region) == (f"{AWAY}:/ecs/web:monitor/honban/web/app/errors", AWAY)
    assert filters_in(aws.away, "/ecs/web") == ["monitor/honban/web/app/errors"]
    assert aws.logs.describe_log_groups()["logGroups"] == []   # nothing in the home Region


def test_awslogs_region_equal_to_the_home_region_is_the_home_region(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register(aws.ecs, "web", awslogs("/ecs/web", **{"awslogs-region": HOME}))
    applied = converge(configure(document(services("web", task_definition="web"))))
    assert [c.id for c in applied.changes] == ["/ecs/web:monitor/honban/web/app/errors"]


def test_a_group_missing_in_its_region_names_the_region(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")   # the same name, in the wrong Region
    register(aws.ecs, "web", awslogs("/ecs/web", **{"awslogs-region": AWAY}))
    [error] = make_plan(configure(document(services("web", task_definition="web"))), clients()).errors
    assert f"log group '/ecs/web' in {AWAY} does not exist" in error.message


def test_quotas_count_per_region_and_group():
    """95 filters on /ecs/web at home do not fill /ecs/web in another Region."""
    def filters(region, count, owned):
        return [Resource("metric_filter", f"{region}:{n}:{owned}", {"filterPattern": "ERROR"}, owned=owned,
                         group="/ecs/web", parent=("log_group", f"{region}:/ecs/web"), region=region,
                         origin=("c", 0, "filters", n)) for n in range(count)]
    actual = Actual()
    for resource in filters(None, 95, False):
        actual.add(resource)
    assert filter_checks.limits(filters(AWAY, 6, True), actual) == []
    [error] = filter_checks.limits(filters(None, 6, True), actual)
    assert "would have 101 metric filters" in error.message


def test_clients_in_another_region_share_the_session_and_the_call_counter():
    home = clients()
    away = home.in_region(AWAY)
    assert (away.logs.meta.region_name, away.calls is home.calls, away._session is home._session) == (AWAY, True, True)
    assert home.in_region(None) is home and home.in_region(HOME) is home and home.in_region(AWAY) is away


# --- 2. FireLens ---------------------------------------------------------------------------

def test_a_firelens_group_round_trip(aws, configure):
    aws.away.create_log_group(logGroupName="/ecs/firelens")
    register(aws.ecs, "web", firelens("/ecs/firelens"), router={})
    converge(configure(document(services("web", task_definition="web"))))
    assert filters_in(aws.away, "/ecs/firelens") == ["monitor/honban/web/app/errors"]


@pytest.mark.parametrize("options", [{"log_group_name": "/ecs/$(ecs_task_id)"}, {"log_group_name": "/ecs/${TASK}"},
                                     {"log_group_template": "/ecs/$kubernetes['ns']"}], ids=["paren", "brace", "template"])
def test_a_firelens_template_names_no_single_group(aws, configure, options):
    register(aws.ecs, "web", firelens("/ecs/firelens", **options), router={})
    [error] = make_plan(configure(document(services("web", task_definition="web"))), clients()).errors
    assert "names no single log group" in error.message
    assert error.path == ("clusters", 0, "services", 0, "containers", 0)


@pytest.mark.parametrize("metadata, hinted", [({}, True), ({"enable-ecs-log-metadata": "false"}, False)])
def test_containers_sharing_a_firelens_group_are_told_to_use_container_name(aws, configure, metadata, hinted):
    aws.away.create_log_group(logGroupName="/ecs/firelens")
    register(aws.ecs, "web", firelens("/ecs/firelens"), firelens("/ecs/firelens"), router={"options": metadata})
    findings = make_plan(configure(document(services("web", task_definition="web", containers=2))), clients()).findings
    [warning] = [f for f in findings if f.severity == "warning" and "is shared with" in f.message]
    assert warning.path == ("clusters", 0, "services", 0, "containers", 1, "log_group")
    assert ("`dimensions: {ContainerName: $.container_name}`" in warning.message) is hinted


@pytest.mark.parametrize("logging, expected", [
    (awslogs("/g"), logconfig.LogTarget("/g")),
    (awslogs("/g", **{"awslogs-region": AWAY, "awslogs-create-group": "true"}), logconfig.LogTarget("/g", AWAY, True)),
    (firelens("/g", auto_create_group="true"), logconfig.LogTarget("/g", AWAY, True, True)),
    ({"logDriver": "awsfirelens", "options": {"Name": "cloudwatch", "log_group_name": "/g", "region": AWAY}},
     logconfig.LogTarget("/g", AWAY, False, True)),
], ids=["awslogs", "awslogs-region-create", "cloudwatch_logs", "cloudwatch"])
def test_log_targets(logging, expected):
    assert logconfig.target({"app": {"logConfiguration": logging}}, "app") == expected


@pytest.mark.parametrize("logging", [{"logDriver": "splunk", "options": {}},
                                     {"logDriver": "awsfirelens", "options": {"Name": "datadog"}}, {}])
def test_other_log_destinations_are_refused(logging):
    assert "does not send its logs to CloudWatch Logs" in logconfig.target({"app": {"logConfiguration": logging}}, "app")


# --- 3. awslogs-create-group ---------------------------------------------------------------

def test_a_group_the_task_would_create_is_created_once_tagged_and_never_deleted(aws, configure):
    register(aws.ecs, "web", awslogs("/ecs/web", **{"awslogs-create-group": "true"}),
             awslogs("/ecs/web", **{"awslogs-create-group": "true"}))
    loaded = configure(document(services("web", task_definition="web", containers=2)))
    applied = converge(loaded)
    assert [(c.action, c.kind, c.id) for c in applied.changes][:1] == [("create", "log_group", "/ecs/web")]
    assert [c.kind for c in applied.changes].count("log_group") == 1
    [group] = aws.logs.describe_log_groups(logGroupNamePrefix="/ecs/web")["logGroups"]
    assert aws.logs.list_tags_for_resource(resourceArn=group["logGroupArn"])["tags"] == OUR_TAGS
    destroyed = make_plan(loaded, clients(), destroy=True)
    assert {c.kind for c in destroyed.changes} == {"metric_filter"}


def test_a_firelens_auto_created_group_in_another_region_is_created_there(aws, configure):
    register(aws.ecs, "web", firelens("/ecs/firelens", auto_create_group="true"), router={})
    applied = converge(configure(document(services("web", task_definition="web"))))
    assert [(c.kind, c.id) for c in applied.changes][0] == ("log_group", f"{AWAY}:/ecs/firelens")
    assert aws.away.describe_log_groups(logGroupNamePrefix="/ecs/firelens")["logGroups"]


# --- 4. the service's own task definition --------------------------------------------------

def test_the_task_definition_comes_from_the_service_ten_services_a_call(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register(aws.ecs, "web", awslogs("/ecs/web"))
    names = [f"svc{n:02d}" for n in range(11)]
    for name in names:
        aws.ecs.create_service(cluster=CLUSTER, serviceName=name, taskDefinition="web", desiredCount=0)
    loaded = configure(document(services(*names) + services("given", task_definition="web")))
    counted = clients()
    result = make_plan(loaded, counted)
    assert result.errors == [] and len(result.changes) == 12
    assert (counted.calls["DescribeServices"], counted.calls["DescribeTaskDefinition"]) == (2, 2)


def test_a_service_that_does_not_exist_is_an_error_at_its_name(aws, configure):
    [error] = make_plan(configure(document(services("ghost"))), clients()).errors
    assert error.path == ("clusters", 0, "services", 0, "name")
    assert "give the containers a 'log_group' or the service a 'task_definition'" in error.message


def test_an_inactive_service_is_not_read():
    stubbed = clients()
    with Stubber(stubbed.ecs) as ecs:
        ecs.add_response("describe_services", {"services": [{"serviceName": "web", "status": "INACTIVE",
                                                             "taskDefinition": "arn:aws:ecs:x"}], "failures": []},
                         {"cluster": CLUSTER, "services": ["web"]})
        config = Config(version=1, clusters=[Cluster(name=CLUSTER, services=[Service(name="web", containers=[
            Container(name="app", filters=[ERRORS])])])])
        _, [error] = taskdefs.resolve(stubbed, config)
    assert "service 'web' was not found" in error.message


# --- 5. AWS failures are AWS errors; a missing task definition is one finding per service --

@pytest.mark.parametrize("code", ["AccessDeniedException", "ExpiredTokenException"])
def test_denied_or_expired_propagates_as_an_aws_error(code):
    stubbed = clients()
    config = Config(version=1, clusters=[Cluster(name=CLUSTER, services=[
        Service(name=name, task_definition="web", containers=[Container(name="app", filters=[ERRORS])])
        for name in ("a", "b")])])
    with Stubber(stubbed.ecs) as ecs:
        ecs.add_client_error("describe_task_definition", code, http_status_code=400)
        with pytest.raises(bx.ClientError) as raised:
            taskdefs.resolve(stubbed, config)
    assert explain(raised.value).count("\n") == 0 and ("denied" in explain(raised.value)
                                                       or "expired" in explain(raised.value))


def test_a_missing_family_is_one_finding_per_service_at_its_own_line(aws, configure):
    loaded = configure(document(services("a", "b", task_definition="nope")))
    counted = clients()
    errors = make_plan(loaded, counted).errors
    assert [e.path for e in errors] == [("clusters", 0, "services", s, "task_definition") for s in (0, 1)]
    assert all("task definition 'nope' could not be read" in e.message for e in errors)
    assert counted.calls["DescribeTaskDefinition"] == 1


# --- teardown and Regions the config no longer names ----------------------------------------

def test_destroy_needs_no_task_definition_of_a_service_already_deleted(aws, configure):
    """The usual teardown order: the service goes first (Terraform, CDK), then its monitoring."""
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register(aws.ecs, "web", awslogs("/ecs/web"))
    aws.ecs.create_service(cluster=CLUSTER, serviceName="web", taskDefinition="web", desiredCount=0)
    loaded = configure(document(services("web")))
    converge(loaded)
    aws.ecs.delete_service(cluster=CLUSTER, service="web", force=True)
    assert make_plan(loaded, clients()).errors   # a plan needs to know where the logs go
    destroyed = make_plan(loaded, clients(), destroy=True)
    assert destroyed.errors == [] and [f.severity for f in destroyed.findings] == ["warning"]
    assert [(c.action, c.id) for c in destroyed.changes] == [("delete", "/ecs/web:monitor/honban/web/app/errors")]


def test_regions_sweeps_a_region_the_log_groups_left(aws, configure):
    """A new revision moved the logs home: the filter left in the old Region is found when the config says to look."""
    aws.away.create_log_group(logGroupName="/ecs/web")
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register(aws.ecs, "web", awslogs("/ecs/web", **{"awslogs-region": AWAY}))
    converge(configure(document(services("web", task_definition="web"))))
    register(aws.ecs, "web", awslogs("/ecs/web"))   # revision 2 logs to the home Region
    unswept = configure(document(services("web", task_definition="web")))
    assert [c.action for c in make_plan(unswept, clients(), prune=True).changes] == ["create"]
    swept = configure(document(services("web", task_definition="web")).replace("clusters:", f"regions: [{AWAY}]\nclusters:"))
    converge(swept, prune=True)
    assert filters_in(aws.away, "/ecs/web") == []
    assert filters_in(aws.logs, "/ecs/web") == ["monitor/honban/web/app/errors"]


def test_a_log_region_that_repeats_the_config_region_is_the_same_group_for_validate(configure):
    text = document([{"name": "web", "containers": [
        {"name": "app", "log_group": "/ecs/web", "log_region": HOME, "filters": [ERRORS]},
        {"name": "app2", "log_group": "/ecs/web", "filters": [ERRORS]}]}])
    warnings = [p.message for p in validate_problems(text, configure)]
    assert any("is shared with container 'app'" in message for message in warnings)


def validate_problems(text: str, configure):
    return configure(text).problems

# --- 6. sizing: every named task definition is read once, its problems at the naming line ---

def register_sized(ecs, family: str, cpu: str, memory: str) -> None:
    """A Fargate task definition of the given size; moto takes sizes AWS would refuse."""
    ecs.register_task_definition(family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                 cpu=cpu, memory=memory, containerDefinitions=[
                                     {"name": "app", "image": "app:1", "logConfiguration": awslogs("/ecs/web")}])


def logged(service: dict) -> dict:
    """The service with a log group on each container: its task definition is read for sizing alone."""
    return {**service, "containers": [{**c, "log_group": "/ecs/web"} for c in service["containers"]]}


def test_a_size_fargate_does_not_offer_is_an_error_at_the_task_definition_line(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register_sized(aws.ecs, "web", cpu="256", memory="4096")
    loaded = configure(document([logged(s) for s in services("web", task_definition="web")]))
    [error] = make_plan(loaded, clients()).errors
    assert error.path == ("clusters", 0, "services", 0, "task_definition")
    assert "task definition 'web:1': task memory 4096 MiB does not go with cpu 256 on Fargate" in error.message
    line = next(n for n, text in enumerate(loaded.source.text.splitlines(), 1) if "task_definition:" in text)
    assert placed(error, loaded.source).position().line == line


def test_each_named_task_definition_is_read_once_and_unnamed_services_cost_nothing(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register_sized(aws.ecs, "web", cpu="256", memory="512")
    register_sized(aws.ecs, "api", cpu="512", memory="512")
    named = services("a", "b", task_definition="web") + services("c", task_definition="api:1") + services("d")
    counted = clients()
    result = make_plan(configure(document([logged(s) for s in named])), counted)
    assert (counted.calls["DescribeTaskDefinition"], counted.calls["DescribeServices"]) == (2, 0)
    assert [(e.path[3], "does not go with cpu 512" in e.message) for e in result.errors] == [(2, True)]


def test_a_missing_task_definition_read_for_sizing_alone_is_a_warning(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    result = make_plan(configure(document([logged(s) for s in services("web", task_definition="nope")])), clients())
    [warning] = [f for f in result.findings if "could not be read" in f.message]
    assert (warning.severity, result.errors) == ("warning", [])
    assert "its container sizes are not checked" in warning.message


def test_destroy_neither_reads_task_definitions_for_sizing_nor_stops_at_their_sizes(aws, configure):
    aws.logs.create_log_group(logGroupName="/ecs/web")
    register_sized(aws.ecs, "web", cpu="256", memory="4096")
    loaded = configure(document([logged(s) for s in services("web", task_definition="web")]))
    assert [e.path[-1] for e in make_plan(loaded, clients()).errors] == ["task_definition"]
    counted = clients()
    destroyed = make_plan(loaded, counted, destroy=True)
    assert (destroyed.errors, counted.calls["DescribeTaskDefinition"]) == ([], 0)


def test_validate_checks_the_task_definitions_beside_the_config(write_config, tmp_path, capsys):
    """An invalid Fargate size in task-definitions/ fails validate at the service's task_definition line."""
    from monitor.cli import main
    folder = tmp_path / "task-definitions"
    folder.mkdir()
    (folder / "web.json").write_text(json.dumps({
        "family": "web", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "4096",
        "containerDefinitions": [{"name": "app", "image": "app", "memory": 512}]}))
    path = write_config("version: 1\nclusters:\n  - name: honban\n    services:\n      - name: web\n"
                        "        task_definition: web\n        containers:\n          - name: app\n")
    assert main(["validate", "-c", str(path)]) == 1
    out = capsys.readouterr().out
    assert "monitor.yaml:6:26: error: ECS-SIZE-001 clusters[0].services[0].task_definition:" in out and "4096" in out


def test_validate_reads_task_sizes_written_in_vcpu_and_gb(write_config, tmp_path, capsys):
    """RegisterTaskDefinition takes "1 vCPU" and "2 GB" as well as units: both are valid sizes."""
    from monitor.cli import main
    folder = tmp_path / "task-definitions"
    folder.mkdir()
    (folder / "web.json").write_text(json.dumps({
        "family": "web", "requiresCompatibilities": ["FARGATE"], "cpu": "1 vCPU", "memory": "2 GB",
        "containerDefinitions": [{"name": "app", "image": "app", "memoryReservation": 1024}]}))
    path = write_config("version: 1\nclusters:\n  - name: honban\n    services:\n      - name: web\n"
                        "        task_definition: web\n        containers:\n          - name: app\n")
    assert main(["validate", "-c", str(path)]) == 0, capsys.readouterr().out


# --- one reader of task-definitions/ files: validate, review, --local and the emulator agree ---

def _described(cpu: str) -> dict:
    """A file in the shape `aws ecs describe-task-definition` prints."""
    return {"taskDefinition": {"family": "web", "cpu": cpu, "memory": "512", "requiresCompatibilities": ["FARGATE"],
                               "networkMode": "awsvpc", "revision": 3, "status": "ACTIVE",
                               "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
                               "containerDefinitions": [{"name": "app", "image": "app:1", "essential": True}]},
            "tags": []}


def _config_with_file(write_config, document: dict) -> str:
    """A config naming task definition `web`, with `document` as task-definitions/web.json beside it."""
    path = write_config(yaml.safe_dump({"version": 1, "clusters": [{"name": CLUSTER, "services": [
        {"name": "web", "task_definition": "web", "containers": [
            {"name": "app", "log_group": "/ecs/web", "filters": [ERRORS]}]}]}]}))
    folder = path.parent / "task-definitions"
    folder.mkdir(exist_ok=True)
    (folder / "web.json").write_text(json.dumps(document))
    return str(path)


def test_a_described_task_definition_with_an_invalid_fargate_size_fails_validate_and_review(write_config, capsys):
    """One reader: the file that `validate` refuses is the one `review` refuses, in either shape."""
    from monitor.cli import main
    path = _config_with_file(write_config, _described("300"))
    found = [p for p in validate(path).problems if p.severity == "error"]
    assert found and "cpu 300" in found[0].message and found[0].path[-1] == "task_definition"
    capsys.readouterr()
    assert main(["review", "-c", path]) == 1
    assert "cpu 300 is not a Fargate size" in capsys.readouterr().err


def test_a_described_task_definition_registers_as_its_registration_input(write_config):
    from monitor.commands.connect import task_definitions
    loaded = validate(_config_with_file(write_config, _described("256")))
    assert loaded.ok
    [definition] = task_definitions(loaded)
    assert definition["family"] == "web" and definition["cpu"] == "256"
    assert not {"revision", "status", "taskDefinitionArn"} & set(definition)
    with mock_aws():
        boto3.client("ecs", region_name=HOME).register_task_definition(**definition)
