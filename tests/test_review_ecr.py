"""ECR scanning reads against moto, AccessDenied through a Stubber, and the live design read end to end."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from monitor.aws.clients import Clients, Target
from monitor.config.model import Config
from monitor.review import collect, ecr

REGION, ACCOUNT = "us-east-1", "123456789012"   # moto's default account
SESSION = boto3.Session(region_name=REGION)


def clients() -> Clients:
    return Clients(Target(REGION), _session=SESSION)


def uri(repository: str, account: str = ACCOUNT, region: str = REGION) -> str:
    return f"{account}.dkr.ecr.{region}.amazonaws.com/{repository}:1"


def use(repository: str, **where) -> ecr.Use:
    return ecr.Use(uri(repository, **where), f"honban/{repository}/app", ("clusters", 0, "services", 0, "name"))


@pytest.fixture
def registry():
    with mock_aws():
        made = boto3.client("ecr", region_name=REGION)
        made.create_repository(repositoryName="pushed", imageScanningConfiguration={"scanOnPush": True})
        made.create_repository(repositoryName="team/plain")
        yield made


# --- which repositories scan ------------------------------------------------------------------------

def test_a_repository_without_scan_on_push_is_found_and_one_that_scans_is_not(registry):
    found = ecr.scanning(clients(), [use("pushed"), use("team/plain"), use("team/plain"),
                                     ecr.Use("public.ecr.aws/nginx/nginx:1", "honban/web/nginx")])
    assert [(f.code, f.severity, f.control, f.subject) for f in found] == [
        ("ECR-SCAN-001", "warning", "ECR.1", f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/team/plain")]
    assert found[0].message.endswith("used by honban/team/plain/app") and found[0].path[-1] == "name"


def test_enhanced_scanning_scans_only_the_repositories_its_filters_match(registry):
    registry.put_registry_scanning_configuration(scanType="ENHANCED", rules=[
        {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "team/*", "filterType": "WILDCARD"}]}])
    [found] = ecr.scanning(clients(), [use("pushed"), use("team/plain")])
    assert found.subject.endswith("/pushed") and "enhanced scanning, and no filter matches it" in found.message


def test_a_basic_scan_on_push_filter_scans_the_repository(registry):
    registry.put_registry_scanning_configuration(scanType="BASIC", rules=[
        {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "plain", "filterType": "WILDCARD"}]}])
    assert ecr.scanning(clients(), [use("team/plain")]) == []


def test_a_missing_repository_is_found_and_the_rest_of_its_batch_still_read(registry):
    found = ecr.scanning(clients(), [use("pushed"), use("ghost"), use("team/plain")])
    assert [(f.code, f.subject.rsplit("/", 1)[-1]) for f in found] == [("ECR-REPO-001", "ghost"),
                                                                       ("ECR-SCAN-001", "plain")]


def test_an_image_in_another_accounts_registry_is_not_checked_and_not_read(registry):
    counted = clients()
    [found] = ecr.scanning(counted, [use("shared", account="210987654321")])
    assert (found.code, found.severity) == ("ECR-SCAN-002", "info")
    assert counted.calls["DescribeRepositories"] == 0


def test_describe_repositories_asks_100_names_a_call(registry):
    names = [f"r{n:03d}" for n in range(150)]
    for name in names:
        registry.create_repository(repositoryName=name, imageScanningConfiguration={"scanOnPush": True})
    counted = clients()
    assert ecr.scanning(counted, [use(name) for name in names]) == []
    assert counted.calls["DescribeRepositories"] == 2


@pytest.mark.parametrize("pattern, expected", [   # AWS's table, "Filter wildcards"
    ("prod", [True, True, True, True, True]),
    ("*prod", [True, True, False, False, False]),
    ("prod*", [True, False, True, False, True]),
    ("*prod*", [True, True, True, True, True]),
    ("prod*repo", [False, False, True, False, True]),
])
def test_filter_wildcards_match_as_aws_documents(pattern, expected):
    names = ["prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"]
    assert [ecr.matches(pattern, name) for name in names] == expected


# --- access denied is a finding ---------------------------------------------------------------------

@pytest.mark.parametrize("denied", ["get_registry_scanning_configuration", "describe_repositories"])
def test_access_denied_says_what_could_not_be_checked(denied):
    stubbed = clients()
    with Stubber(stubbed.ecr) as stub:
        if denied == "describe_repositories":
            stub.add_response("get_registry_scanning_configuration",
                              {"registryId": ACCOUNT, "scanningConfiguration": {"scanType": "BASIC", "rules": []}})
        stub.add_client_error(denied, "AccessDeniedException", "User is not authorized", http_status_code=400)
        [found] = ecr.scanning(stubbed, [use("team/plain")])
        stub.assert_no_pending_responses()
    assert (found.code, found.severity) == ("ECR-SCAN-003", "warning")
    operation = "".join(part.title() for part in denied.split("_"))
    assert f"could not be checked: access denied for {operation}" in found.message


def test_other_aws_errors_propagate():
    stubbed = clients()
    with Stubber(stubbed.ecr) as stub:
        stub.add_client_error("get_registry_scanning_configuration", "ValidationException", http_status_code=400)
        with pytest.raises(stubbed.ecr.exceptions.ClientError):
            ecr.scanning(stubbed, [use("team/plain")])


# --- the live read: services, task definitions, images -----------------------------------------------

def test_the_live_read_checks_each_services_task_definition_and_its_images_read_only(registry):
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="honban")
    app = {"name": "app", "image": uri("team/plain"), "memoryReservation": 256,
           "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}],
           "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}}
    ecs.register_task_definition(family="web", containerDefinitions=[app], requiresCompatibilities=["FARGATE"],
                                 networkMode="awsvpc", cpu="256", memory="512")
    ecs.create_service(cluster="honban", serviceName="web", taskDefinition="web:1", desiredCount=0)
    config = Config(version=1, clusters=[{"name": "honban", "services": [
        {"name": "web", "apm": "xray"}, {"name": "web-too", "task_definition": "web:1"}, {"name": "ghost"},
        {"name": "gone", "task_definition": "nope"}]}])
    counted = clients()
    found = collect.from_account(counted, config)
    assert sorted((f.code, f.subject) for f in found) == [
        ("ECR-SCAN-001", f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/team/plain"),
        ("ECS-APM-001", "honban/web"),
        ("ECS-READ-001", "honban/ghost"), ("ECS-READ-001", "honban/gone"),
        ("ECS-SECRET-001", "honban/web-too/app"), ("ECS-SECRET-001", "honban/web/app")]
    assert counted.calls["DescribeTaskDefinition"] == 3 and counted.calls["DescribeServices"] == 1   # web:1, its ARN, nope
    assert not [op for op in counted.calls if not op.startswith(("Describe", "Get", "List"))]


def test_without_describe_services_the_named_task_definitions_are_still_checked():
    config = Config(version=1, clusters=[{"name": "honban", "services": [
        {"name": "web"}, {"name": "api", "task_definition": "api:3"}]}])
    stubbed = clients()
    with Stubber(stubbed.ecs) as stub:
        stub.add_client_error("describe_services", "AccessDeniedException", http_status_code=400)
        stub.add_response("describe_task_definition", {"taskDefinition": {
            "family": "api", "revision": 3, "containerDefinitions": [{"name": "app", "image": "nginx"}]}},
            {"taskDefinition": "api:3"})
        found = collect.from_account(stubbed, config)
    assert [(f.code, f.subject, f.path) for f in found] == [
        ("ECS-READ-001", "honban/web", ("clusters", 0, "services", 0, "name")),
        ("ECS-LOG-001", "honban/api/app", ("clusters", 0, "services", 1, "task_definition"))]
    assert "access denied for DescribeServices" in found[0].message
