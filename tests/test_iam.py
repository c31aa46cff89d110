"""`--print-iam-policy` on plan and apply, held against every call those commands make on the emulator.

Each AWS call a command makes goes through the clients of monitor/aws/clients.py; a botocore hook
on them records it as an IAM action with its parameters. Every recorded call must be allowed by
the policy the same command prints for the same config: its action in a statement whose
resources cover what the call names (the ECS clusters and services), or `*`.
"""

from __future__ import annotations

import json
import shutil
from fnmatch import fnmatchcase
from pathlib import Path

import botocore.session
import pytest
from test_cli_e2e import REGIONS, ROOT, Account

from monitor.aws import iam
from monitor.aws.clients import Clients, Target
from monitor.cli import main
from monitor.exporter import iam as exporter_iam
from monitor.exporter import metricdata
from monitor.resolved import load
from monitor.sync import iam as sync_iam

ACCOUNT = "123456789012"   # moto's default account: any account matches the policies' `*`


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, dict]]:
    """Every AWS call made through monitor's clients from now on: (IAM action, API parameters)."""
    seen: list[tuple[str, dict]] = []
    made = Clients._client

    def recording(self, service):
        client = made(self, service)
        client.meta.events.register("before-parameter-build", lambda params, model, **_: seen.append(
            (iam.action(model.service_model.service_name, model.name), dict(params))))
        return client

    monkeypatch.setattr(Clients, "_client", recording)
    return seen


@pytest.fixture
def aws(emulator) -> Account:
    return Account(emulator.url, next(REGIONS))   # shared with the other end-to-end modules: a fresh Region


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of `monitor ARGV` run in this process."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def printed(capsys, command: str, config: Path, aws: Account) -> dict:
    code, out, err = run(capsys, command, "-c", str(config), "--region", aws.region, "--print-iam-policy")
    assert code == 0, err
    return json.loads(out)


def resources(action: str, params: dict, region: str) -> list[str]:
    """The ARNs an ECS call is authorized on (Service Authorization Reference: cluster and service
    resource types); `*` stands for every other call, whose policy resource must then be `*`."""
    cluster = f"arn:aws:ecs:{region}:{ACCOUNT}:cluster/"
    service = f"arn:aws:ecs:{region}:{ACCOUNT}:service/"
    if action == "ecs:DescribeClusters":
        return [cluster + name for name in params["clusters"]]
    if action == "ecs:UpdateCluster":
        return [cluster + params["cluster"]]
    if action == "ecs:DescribeServices":
        return [f"{service}{params['cluster']}/{name}" for name in params["services"]]
    return ["*"]


def allowed(policy: dict, action: str, resource: str) -> bool:
    for statement in policy["Statement"]:
        scope = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if statement["Effect"] == "Allow" and action in statement["Action"]:
            if any(fnmatchcase(resource, pattern) for pattern in scope):
                return True
    return False


def assert_covered(policy: dict, calls: list[tuple[str, dict]], region: str) -> set[str]:
    """Every call allowed by the policy; returns the actions seen."""
    assert calls, "the command made no AWS call: nothing was checked"
    denied = [(action, resource) for action, params in calls if action not in iam.NEEDS_NO_PERMISSION
              for resource in resources(action, params, region) if not allowed(policy, action, resource)]
    assert not denied, f"calls the printed policy does not allow: {denied}"
    seen = {action for action, _ in calls}
    calls.clear()
    return seen


def actions(policy: dict) -> set[str]:
    return {action for statement in policy["Statement"] for action in statement["Action"]}


def command(capsys, calls, aws, config: Path, *argv: str, policy: str = "apply") -> set[str]:
    """Run one command against the emulator; every call it made is allowed by its printed policy."""
    wanted = printed(capsys, policy, config, aws)
    assert not calls, "printing the policy called AWS"
    code, out, err = run(capsys, *argv, "-c", str(config), "--endpoint-url", aws.url, "--region", aws.region)
    assert code == 0, out + err
    return assert_covered(wanted, calls, aws.region)


def edit(config: Path, old: str, new: str) -> None:
    text = config.read_text()
    assert text.count(old) == 1, old
    config.write_text(text.replace(old, new))


# --- the example, through every kind of change ---


def test_every_call_of_plan_apply_prune_and_destroy_is_in_the_printed_policy(tmp_path, aws, calls, capsys):
    config = tmp_path / "monitor.yaml"
    shutil.copy(ROOT / "config.example.yaml", config)
    aws.seed(config)
    seen = command(capsys, calls, aws, config, "plan", policy="plan")
    assert all(iam.is_read(action) for action in seen)
    seen |= command(capsys, calls, aws, config, "apply", "--yes")
    # Update: tags (log group, alarms, composite alarm), a threshold, a pattern; delete a filter and an alarm.
    edit(config, "  team: platform\n  env: honban\n", "  team: sre\n")
    edit(config, "threshold: 5\n", "threshold: 7\n")
    edit(config, "pattern: '{ $.status >= 100 && $.duration > 1000 }'", "pattern: '{ $.duration > 2000 }'")
    edit(config, "              - use: java-exception           # metric JavaExceptions: one per stack trace\n", "")
    edit(config, "              - use: out-of-memory:seen       # any OutOfMemoryError at all\n", "")
    seen |= command(capsys, calls, aws, config, "apply", "--yes", "--prune")
    # Container Insights changes; the dashboard leaves the config: --prune deletes it.
    edit(config, "container_insights: enabled", "container_insights: enhanced")
    config.write_text(config.read_text().split("\ndashboards:\n")[0])
    seen |= command(capsys, calls, aws, config, "apply", "--yes", "--prune", "--force")
    seen |= command(capsys, calls, aws, config, "destroy", "--yes")
    writes = {"ecs:UpdateCluster", "logs:CreateLogGroup", "logs:TagResource", "logs:UntagResource",
              "logs:PutMetricFilter", "logs:DeleteMetricFilter", "cloudwatch:PutMetricAlarm",
              "cloudwatch:PutCompositeAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource",
              "cloudwatch:DeleteAlarms", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"}
    assert writes <= seen, f"changes this test meant to make were not made: {writes - seen}"


MADE_HERE = """version: 1
prefix: iam
tags: {team: platform}
clusters:
  - name: iamc
    container_insights: enabled
    services:
      - name: api                  # no task_definition: DescribeServices names it
        containers:
          - name: app              # no log_group: the task definition's awslogs options, which create it
            filters: [{name: errors, pattern: ERROR, metric: Errors}]
            alarms:
              - {name: errors-high, metric: Errors, stat: Sum, period: 60, comparison: ">", threshold: 5,
                 evaluation_periods: 1, treat_missing_data: notBreaching}
              - {name: page, alarm_rule: ALARM(errors-high)}
      - name: web
        containers:
          - name: app
            log_group: /ecs/iamc/web
            create_log_group: true
            filters: [{name: errors, pattern: ERROR, metric: Errors}]
dashboards:
  - {name: iam-overview, template: service}
"""


def test_log_groups_read_from_task_definitions_and_made_here_are_in_the_policy(tmp_path, aws, calls, capsys):
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="iamc")
    logging = {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/iamc/api", "awslogs-region": aws.region,
                                                   "awslogs-create-group": "true", "awslogs-stream-prefix": "api"}}
    ecs.register_task_definition(family="iam-api", containerDefinitions=[
        {"name": "app", "image": "nginx", "memory": 512, "logConfiguration": logging}])
    ecs.create_service(cluster="iamc", serviceName="api", taskDefinition="iam-api", desiredCount=1)
    config = tmp_path / "monitor.yaml"
    config.write_text(MADE_HERE)
    policy = printed(capsys, "plan", config, aws)
    assert {"ecs:DescribeServices", "ecs:DescribeTaskDefinition"} <= actions(policy)
    seen = command(capsys, calls, aws, config, "plan", policy="plan")
    seen |= command(capsys, calls, aws, config, "apply", "--yes")
    seen |= command(capsys, calls, aws, config, "destroy", "--yes")
    assert {"ecs:DescribeServices", "ecs:DescribeTaskDefinition", "logs:CreateLogGroup", "cloudwatch:PutCompositeAlarm",
            "cloudwatch:PutDashboard", "sts:GetCallerIdentity"} <= seen


def test_the_exporter_calls_only_what_its_printed_policy_allows(tmp_path, aws, calls, capsys):
    config = tmp_path / "monitor.yaml"
    shutil.copy(ROOT / "config.example.yaml", config)
    aws.seed(config)
    code, out, _ = run(capsys, "exporter", "-c", str(config), "--region", aws.region, "--print-iam-policy")
    assert code == 0 and not calls
    policy = json.loads(out)
    code, out, err = run(capsys, "exporter", "-c", str(config), "--endpoint-url", aws.url, "--region", aws.region,
                         "--once")
    assert code == 0, err
    assert assert_covered(policy, calls, aws.region) == {"cloudwatch:GetMetricData", "ecs:DescribeServices",
                                                         "ecs:DescribeTaskDefinition"}   # services: their target groups


# --- the policies themselves ---


def policy_of(write_config, text: str, writes: bool = False) -> dict:
    loaded = load(write_config(text))
    assert loaded.ok, loaded.problems
    return sync_iam.policy(loaded.config, writes=writes)


SMALL = """version: 1
region: eu-west-1
clusters:
  - name: prod
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/prod/web
            filters: [{name: errors, pattern: ERROR, metric: Errors}]
"""


def test_the_plan_policy_only_reads_and_the_apply_policy_adds_the_writes(write_config):
    plan, apply = (policy_of(write_config, SMALL, writes) for writes in (False, True))
    assert actions(plan) and all(iam.is_read(action) for action in actions(plan))
    assert actions(plan) < actions(apply)
    assert {action for action in actions(apply) if not iam.is_read(action)} == {
        "logs:PutMetricFilter", "logs:DeleteMetricFilter", "cloudwatch:DeleteAlarms", "cloudwatch:DeleteDashboards",
        "logs:DeleteLogGroup"}   # deletes find what an earlier config left: a retired cluster's groups


def test_a_config_asks_only_for_what_it_uses(write_config):
    """No task definition, service or cluster setting, no alarm or dashboard to make; still the reads and
    deletes that find and remove what an earlier config of the same prefix left."""
    found = actions(policy_of(write_config, SMALL, writes=True))
    assert not found & {"ecs:DescribeTaskDefinition", "ecs:DescribeServices", "ecs:UpdateCluster",
                        "logs:CreateLogGroup", "cloudwatch:PutMetricAlarm", "cloudwatch:PutCompositeAlarm",
                        "cloudwatch:PutDashboard", "logs:ListTagsForResource", "sts:GetCallerIdentity"}
    assert {"cloudwatch:ListDashboards", "cloudwatch:DescribeAlarms", "ecs:DescribeClusters"} <= found


def test_ecs_actions_name_the_clusters_and_services_in_the_region(write_config):
    text = SMALL.replace("    services:", "    container_insights: enabled\n    services:")
    statements = {s["Sid"]: s for s in policy_of(write_config, text, writes=True)["Statement"]}
    assert statements["ReadClusters"]["Resource"] == ["arn:aws:ecs:eu-west-1:*:cluster/prod"]
    assert statements["WriteClusters"] == {"Sid": "WriteClusters", "Effect": "Allow", "Action": ["ecs:UpdateCluster"],
                                           "Resource": ["arn:aws:ecs:eu-west-1:*:cluster/prod"]}
    assert statements["ReadServices"]["Resource"] == ["arn:aws:ecs:eu-west-1:*:service/prod/web"]   # task counts


def test_printing_the_policy_needs_a_valid_config_and_calls_nothing(write_config, calls, capsys):
    code, out, err = run(capsys, "apply", "-c", str(write_config("version: 1\nclusters: []\nnope: 1\n")),
                         "--print-iam-policy")
    assert code == 1 and "not valid" in err and not out
    code, out, _ = run(capsys, "plan", "-c", str(write_config(SMALL)), "--print-iam-policy", "--region", "cn-north-1")
    assert code == 0 and not calls
    statements = {statement["Sid"]: statement for statement in json.loads(out)["Statement"]}
    assert statements["ReadClusters"]["Resource"] == ["arn:aws-cn:ecs:cn-north-1:*:cluster/prod"]


def every_declared_action() -> set[str]:
    return {action for declared in sync_iam.declared() + [metricdata.PERMISSIONS] for action in declared.actions}


def test_every_declared_action_is_an_operation_of_its_service():
    """Typos would make a policy that allows nothing: each action names an operation in botocore's model."""
    session, services = botocore.session.get_session(), {prefix: name for name, prefix in iam.PREFIXES.items()}
    for action in every_declared_action():
        prefix, operation = action.split(":")
        assert operation in session.get_service_model(services.get(prefix, prefix)).operation_names, action


def test_the_readme_permissions_are_the_generated_ones():
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- iam:begin -->\n", 1)[1].split("\n<!-- iam:end -->", 1)[0]
    assert shown == sync_iam.markdown()
    assert all(f"`{action}`" in shown for action in every_declared_action() - {"cloudwatch:GetMetricData"})


def test_the_exporter_example_policy_is_the_printed_one(example_config):
    loaded = load(example_config)
    shipped = json.loads((ROOT / "examples" / "exporter" / "iam-policy.json").read_text())
    assert exporter_iam.policy(loaded.config) == shipped


def test_the_recorder_sees_calls(calls, emulator):
    """The hook the end-to-end tests rely on records the IAM action of a call made through Clients."""
    clients = Clients(Target("us-east-1", endpoint_url=emulator.url, local=True))
    clients.resourcegroupstaggingapi.get_resources(ResourceTypeFilters=["cloudwatch:alarm"])
    assert calls == [("tag:GetResources", {"ResourceTypeFilters": ["cloudwatch:alarm"]})]
