"""Saved plans (`plan --out FILE`, `apply FILE`), Markdown and compact plans, and the target in every
plan: the CLI in this process against a `monitor emulator` process of this module's own, one Region
a test, so no other test's state is seen."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import boto3
import pytest

import emulator_process
from monitor.cli import main

CLUSTER = "shop"
GROUP = "/ecs/shop/web"
ALARM = "monitor/shop/web/app/errors-high"
FILTER = "monitor/shop/web/app/errors"
CONFIG = f"""\
version: 1
clusters:
  - name: {CLUSTER}
    services:
      - name: web
        containers:
          - name: app
            log_group: {GROUP}
            filters:
              - {{name: errors, pattern: ERROR, metric: Errors}}
            alarms:
              - {{name: errors-high, metric: Errors, stat: Sum, period: 60, comparison: ">", threshold: 5,
                 evaluation_periods: 1, treat_missing_data: notBreaching}}
"""
REGIONS = iter(["eu-west-2", "eu-west-3", "eu-north-1", "ca-central-1", "sa-east-1", "ap-south-1",
                "ap-southeast-1", "ap-southeast-2", "us-west-1", "us-west-2", "us-east-2", "eu-central-1",
                "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "eu-west-1"])


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    running = emulator_process.start(None, tmp_path_factory.mktemp("emulator"))
    yield running
    assert running.stop() == 0


class Account:
    def __init__(self, url: str, region: str):
        self.url, self.region = url, region

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.url, region_name=self.region, aws_access_key_id="testing",
                            aws_secret_access_key="testing", aws_session_token="testing")

    def alarm(self, name: str) -> dict | None:
        found = self.client("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
        return found[0] if found else None

    def filters(self) -> set[str]:
        return {f["filterName"] for f in self.client("logs").describe_metric_filters(logGroupName=GROUP)["metricFilters"]}


@pytest.fixture
def aws(served) -> Account:
    account = Account(served.url, next(REGIONS))
    account.client("ecs").create_cluster(clusterName=CLUSTER)
    account.client("logs").create_log_group(logGroupName=GROUP)
    return account


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "monitor.yaml"
    path.write_text(textwrap.dedent(CONFIG))
    return path


@pytest.fixture
def cli(capsys):
    def call(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return call


def remote(aws: Account, config: Path) -> list[str]:
    return ["-c", str(config), "--endpoint-url", aws.url, "--region", aws.region]


def test_a_saved_plan_is_applied_exactly_without_asking(cli, aws, config, tmp_path):
    saved = tmp_path / "plan.json"
    code, out, _ = cli("plan", *remote(aws, config), "--out", str(saved))
    assert code == 0 and f"Saved the plan to {saved}" in out
    document = json.loads(saved.read_text())
    assert (document["format"], document["format_version"]) == ("ecs-monitor-plan", 1)
    assert document["target"] == {"account": "123456789012", "region": aws.region, "endpoint": aws.url}
    assert len(document["config"]["sha256"]) == 64 and document["summary"]["create"] == 2
    assert all(change["before"] is None for change in document["changes"])   # it saw none of what it creates

    code, out, err = cli("apply", str(saved), *remote(aws, config))   # no --yes, and stdin is no terminal
    assert code == 0, out + err
    assert out.startswith(f"Target: account 123456789012, Region {aws.region}, endpoint {aws.url}\n")
    assert "Applying the saved plan " in out and "Applied: 2 ok, 0 failed." in out
    assert out.count(f"create alarm {ALARM}") == 1   # its result: the plan was reviewed when it was made
    assert aws.alarm(ALARM)["Threshold"] == 5.0 and aws.filters() == {FILTER}
    assert cli("plan", *remote(aws, config), "--detailed-exitcode")[0] == 0


def test_a_saved_plan_is_refused_when_what_it_touches_moved(cli, aws, config, tmp_path):
    assert cli("apply", *remote(aws, config), "--yes")[0] == 0
    config.write_text(config.read_text().replace("threshold: 5", "threshold: 9").replace(
        "pattern: ERROR", "pattern: FATAL"))
    saved = tmp_path / "plan.json"
    assert cli("plan", *remote(aws, config), "--out", str(saved))[0] == 0
    [update] = [c for c in json.loads(saved.read_text())["changes"] if c["kind"] == "alarm"]
    assert update["before"]["Threshold"] == 5.0 and update["after"]["Threshold"] == 9.0
    live = aws.alarm(ALARM)   # someone moves the threshold by hand after the review
    aws.client("cloudwatch").put_metric_alarm(**{k: live[k] for k in (
        "AlarmName", "MetricName", "Namespace", "Statistic", "Period", "EvaluationPeriods", "ComparisonOperator",
        "TreatMissingData")}, Threshold=6.0)

    code, out, err = cli("apply", str(saved), *remote(aws, config))
    assert code == 1
    assert err.startswith("error: 1 resource(s) the plan touches moved since it was made; nothing was changed")
    assert f"alarm {ALARM}: changed since the plan (Threshold)" in err
    assert aws.alarm(ALARM)["Threshold"] == 6.0
    filter_pattern = aws.client("logs").describe_metric_filters(logGroupName=GROUP)["metricFilters"][0]
    assert filter_pattern["filterPattern"] == "ERROR"   # the filter's update was not made either


def test_a_saved_plan_is_refused_in_another_region_or_account(cli, aws, config, tmp_path):
    saved = tmp_path / "plan.json"
    assert cli("plan", *remote(aws, config), "--out", str(saved))[0] == 0
    other = next(REGIONS)
    code, _, err = cli("apply", str(saved), "-c", str(config), "--endpoint-url", aws.url, "--region", other)
    assert code == 1
    assert f"(Region {aws.region} -> {other}); nothing was changed" in err
    document = json.loads(saved.read_text())
    document["target"]["account"] = "111122223333"   # as if made with the other account's credentials
    saved.write_text(json.dumps(document))
    code, _, err = cli("apply", str(saved), *remote(aws, config))
    assert code == 1 and "account 111122223333 -> 123456789012" in err
    assert aws.alarm(ALARM) is None and aws.filters() == set()


def test_a_saved_plan_is_refused_once_the_config_changed(cli, aws, config, tmp_path):
    saved = tmp_path / "plan.json"
    assert cli("plan", *remote(aws, config), "--out", str(saved))[0] == 0
    config.write_text(config.read_text() + "# reviewed\n")
    code, out, err = cli("apply", str(saved), *remote(aws, config))
    assert code == 1 and out == ""   # refused before anything is read
    assert err == (f"error: {config} changed since the plan was made (its SHA-256 differs); nothing was changed: "
                   "plan again\n")
    assert aws.alarm(ALARM) is None


@pytest.mark.parametrize("text, words", [("{}", 'no "format": "ecs-monitor-plan"'), ("not json", "not JSON"),
                                         ('{"format": "ecs-monitor-plan", "format_version": 99}',
                                          "format_version 99 is not 1")])
def test_a_file_that_is_no_saved_plan_is_one_line(cli, config, tmp_path, text, words):
    path = tmp_path / "plan.json"
    path.write_text(text)
    code, out, err = cli("apply", str(path), "-c", str(config))
    assert (code, out) == (1, "") and err.startswith(f"error: {path}: ") and words in err
    assert err.count("\n") == 1


def test_a_plan_with_errors_is_not_saved(cli, aws, config, tmp_path):
    config.write_text(config.read_text().replace(GROUP, "/ecs/shop/missing"))
    saved = tmp_path / "plan.json"
    code, _, err = cli("plan", *remote(aws, config), "--out", str(saved))
    assert code == 1 and f"not saved to {saved}" in err and not saved.exists()


def test_markdown_plan_has_a_row_per_change_and_folds_update_diffs(cli, aws, config):
    code, out, _ = cli("plan", *remote(aws, config), "--output", "markdown")
    assert code == 0
    assert "**Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged.**" in out
    assert f"| metric_filter | `{GROUP}:{FILTER}` | create |" in out and f"| alarm | `{ALARM}` | create |" in out
    assert "Cost: +$" in out and f"Target: account 123456789012, Region {aws.region}" in out
    assert cli("apply", *remote(aws, config), "--yes")[0] == 0
    config.write_text(config.read_text().replace("threshold: 5", "threshold: 9"))
    code, out, _ = cli("plan", *remote(aws, config), "--output", "markdown")
    assert f"| alarm | `{ALARM}` | update |" in out
    assert f"<details><summary>update alarm <code>{ALARM}</code>: 1 field(s)</summary>" in out
    assert "Threshold: 5.0 -> 9.0" in out.split("<details>")[1]


def test_the_text_plan_is_compact_and_verbose_lists_every_field(cli, aws, config):
    code, out, _ = cli("plan", *remote(aws, config))
    assert f"+ create alarm {ALARM}  Errors Sum > 5.0 (1 of 1 x 60s)" in out.splitlines()
    assert f'+ create metric_filter {GROUP}:{FILTER}  Errors = 1 in Custom/ECS/shop/web/app on "ERROR"' in out
    assert "    Threshold: 5.0" not in out
    code, out, _ = cli("plan", *remote(aws, config), "--verbose")
    assert f"+ create alarm {ALARM}" in out.splitlines() and "    Threshold: 5.0" in out.splitlines()


def test_json_plan_and_apply_carry_the_target(cli, aws, config):
    code, out, err = cli("plan", *remote(aws, config), "--output", "json")
    target = {"account": "123456789012", "region": aws.region, "endpoint": aws.url}
    assert code == 0 and json.loads(out)["target"] == target
    assert err.startswith(f"Target: account 123456789012, Region {aws.region}")   # beside JSON, on stderr
    code, out, _ = cli("apply", *remote(aws, config), "--yes", "--output", "json")
    assert code == 0 and json.loads(out)["target"] == target
    assert {c["result"] for c in json.loads(out)["changes"]} == {"ok"}


def test_apply_prints_the_plan_once(cli, aws, config):
    code, out, _ = cli("apply", *remote(aws, config), "--yes")
    assert code == 0
    assert out.count(f"create alarm {ALARM}") == 2   # the plan's line, then its result; no second plan
    assert out.count("Plan: 2 to create") == 1


def test_a_saved_destroy_plan_deletes_what_it_listed(cli, aws, config, tmp_path):
    assert cli("apply", *remote(aws, config), "--yes")[0] == 0
    saved = tmp_path / "destroy.json"
    code, out, _ = cli("plan", *remote(aws, config), "--destroy", "--out", str(saved))
    assert code == 0 and "Plan: 0 to create, 0 to update, 2 to delete" in out
    assert json.loads(saved.read_text())["destroy"] is True
    code, out, err = cli("apply", str(saved), *remote(aws, config))
    assert code == 0, out + err
    assert aws.alarm(ALARM) is None and aws.filters() == set()


def test_apply_of_a_saved_plan_without_c_reads_the_config_the_plan_was_made_from(cli, aws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d3.yaml").write_text(textwrap.dedent(CONFIG))
    Path("monitor.yaml").write_text(textwrap.dedent(CONFIG).replace("threshold: 5", "threshold: 7"))   # another config
    where = ["--endpoint-url", aws.url, "--region", aws.region]
    assert cli("plan", "-c", "d3.yaml", *where, "--out", "plan.json")[0] == 0
    assert json.loads(Path("plan.json").read_text())["config"]["path"] == "d3.yaml"
    code, out, err = cli("apply", "plan.json", *where)   # no -c: d3.yaml, not monitor.yaml
    assert code == 0, out + err
    assert aws.alarm(ALARM)["Threshold"] == 5.0


def test_a_saved_plan_applied_with_c_naming_another_file_says_so(cli, aws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d3.yaml").write_text(textwrap.dedent(CONFIG))
    Path("monitor.yaml").write_text(textwrap.dedent(CONFIG).replace("threshold: 5", "threshold: 7"))
    where = ["--endpoint-url", aws.url, "--region", aws.region]
    assert cli("plan", "-c", "d3.yaml", *where, "--out", "plan.json")[0] == 0
    code, out, err = cli("apply", "plan.json", "-c", "monitor.yaml", *where)
    assert (code, out) == (1, "")
    assert err == ("error: the plan was made from d3.yaml, and -c names another file, monitor.yaml (its SHA-256 is "
                   "not the plan's); nothing was changed: apply with -c d3.yaml, or plan again with monitor.yaml\n")
    assert "changed since" not in err and aws.alarm(ALARM) is None


def test_a_saved_plan_whose_config_is_not_found_asks_for_it(cli, aws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("d3.yaml").write_text(textwrap.dedent(CONFIG))
    where = ["--endpoint-url", aws.url, "--region", aws.region]
    assert cli("plan", "-c", "d3.yaml", *where, "--out", "plan.json")[0] == 0
    Path("d3.yaml").rename("moved.yaml")
    Path("monitor.yaml").write_text(textwrap.dedent(CONFIG))   # there, but never read in place of the plan's
    code, out, err = cli("apply", "plan.json", *where)
    assert (code, out) == (2, "")
    assert err == "error: the plan was made from d3.yaml, which is not found from here: give it with -c FILE\n"
    code, out, err = cli("apply", "plan.json", "-c", "moved.yaml", *where)   # the same text under a new name
    assert code == 0, out + err
