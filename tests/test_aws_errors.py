"""AWS errors a user can fix become one line naming the fix; the CLI never shows a traceback."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys

import botocore.exceptions as bx
import pytest

from monitor import cli
from monitor.commands import sync
from monitor.aws.errors import explain
from monitor.state.plan import Change, Plan
from monitor.sync import flow, where

TARGET = where.Where("123456789012", "ap-northeast-1")


def known_target(monkeypatch) -> None:
    """sts:GetCallerIdentity answered here: these tests fake the plan, and must never reach AWS."""
    monkeypatch.setattr(where, "identify", lambda clients: TARGET)


def client_error(code: str, operation: str = "DescribeClusters") -> bx.ClientError:
    return bx.ClientError({"Error": {"Code": code, "Message": f"{code} message"}}, operation)


@pytest.mark.parametrize("error, words", [
    pytest.param(bx.NoCredentialsError(), ["no AWS credentials", "--profile", "aws sso login"], id="no-credentials"),
    pytest.param(bx.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
                 ["no AWS credentials"], id="partial-credentials"),
    pytest.param(client_error("ExpiredToken"), ["expired", "aws sso login"], id="expired-token"),
    pytest.param(client_error("ExpiredTokenException"), ["expired"], id="expired-token-exception"),
    pytest.param(client_error("AccessDenied", "UpdateCluster"), ["access denied", "UpdateCluster", "AccessDenied"],
                 id="access-denied"),
    pytest.param(client_error("AccessDeniedException", "PutMetricFilter"), ["access denied", "PutMetricFilter"],
                 id="access-denied-exception"),
    pytest.param(client_error("UnrecognizedClientException", "DescribeLogGroups"),
                 ["did not recognise the credentials", "UnrecognizedClientException", "DescribeLogGroups",
                  "Region is enabled"], id="unrecognized-client"),
    pytest.param(client_error("InvalidClientTokenId"), ["did not recognise"], id="invalid-token-id"),
    pytest.param(bx.EndpointConnectionError(endpoint_url="https://logs.xx-nowhere-1.amazonaws.com/"),
                 ["cannot reach https://logs.xx-nowhere-1.amazonaws.com/", "--region", "--endpoint-url"],
                 id="wrong-region"),
    pytest.param(bx.ProfileNotFound(profile="nope"), ["nope", "--profile", "~/.aws/config"], id="profile-not-found"),
    pytest.param(bx.NoRegionError(), ["no AWS Region", "--region"], id="no-region"),
    pytest.param(bx.TokenRetrievalError(provider="sso", error_msg="expired"), ["SSO session has expired"],
                 id="sso-expired"),
    pytest.param(bx.ReadTimeoutError(endpoint_url="http://127.0.0.1:4566/"),
                 ["no answer from http://127.0.0.1:4566/", "--endpoint-url"], id="read-timeout"),
    pytest.param(bx.ConnectTimeoutError(endpoint_url="https://logs.us-east-1.amazonaws.com/"),
                 ["no connection to https://logs.us-east-1.amazonaws.com/", "network"], id="connect-timeout"),
])
def test_explain_gives_one_line_naming_the_fix(error, words):
    message = explain(error)
    assert message is not None
    assert "\n" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("error", [
    client_error("ThrottlingException"),
    client_error("ResourceNotFoundException"),
    ValueError("not an AWS error"),
], ids=["throttling", "not-found", "other"])
def test_explain_leaves_other_errors_alone(error):
    assert explain(error) is None


# --- through the CLI -----------------------------------------------------------------------

def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the CLI in this process; a refused connection is tried twice, with a short backoff."""

    def main(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return main


def assert_one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 1
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    assert err.strip().endswith(line)
    for word in words:
        assert word in line


@pytest.mark.parametrize("command", [["plan"], ["apply", "--yes"], ["destroy", "--yes"]], ids=lambda c: c[0])
def test_an_unknown_profile(run, example_config, command):
    code, _, err = run(*command, "-c", str(example_config), "--profile", "nope")
    assert_one_line_error(code, err, "nope", "--profile")


def test_no_credentials(run, example_config, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")   # no instance role to fall back on
    code, _, err = run("plan", "-c", str(example_config))
    assert_one_line_error(code, err, "no AWS credentials")


def test_an_unreachable_endpoint(run, example_config):
    url = f"http://127.0.0.1:{closed_port()}"
    code, _, err = run("plan", "-c", str(example_config), "--endpoint-url", url)
    assert_one_line_error(code, err, f"cannot reach {url}", "--region")


@pytest.mark.parametrize("error, words", [
    (client_error("ExpiredToken"), ["expired"]),
    (client_error("AccessDeniedException", "DescribeMetricFilters"), ["access denied", "DescribeMetricFilters"]),
    (client_error("UnrecognizedClientException"), ["did not recognise"]),
    (bx.EndpointConnectionError(endpoint_url="https://ecs.xx-nowhere-1.amazonaws.com/"),
     ["cannot reach https://ecs.xx-nowhere-1.amazonaws.com/"]),
    (client_error("ThrottlingException"), ["ThrottlingException"]),   # unexplained: still one line
], ids=["expired", "denied", "unrecognized", "wrong-region", "unexplained"])
def test_aws_errors_during_plan_are_one_line(run, example_config, monkeypatch, error, words):
    def fail(*_, **__):
        raise error
    monkeypatch.setattr(flow, "make_plan", fail)
    known_target(monkeypatch)
    code, out, err = run("plan", "-c", str(example_config))
    assert_one_line_error(code, err, *words)
    assert out == "Target: account 123456789012, Region ap-northeast-1\n"   # the plan begins with the target


def test_an_invalid_config_sends_nothing(run, write_config, monkeypatch):
    def connect(*_, **__):
        raise AssertionError("a client was made for an invalid config")
    monkeypatch.setattr(cli, "connect", connect)
    code, _, err = run("plan", "-c", str(write_config("version: 1\nclusters: [{name: 'bad name!'}]\n")))
    assert code == 1
    assert "not a valid ECS cluster name" in err and "nothing was sent to AWS" in err
    assert "Traceback" not in err


def test_a_missing_config_file_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate"]) == 2   # a usage error, as the README says
    assert capsys.readouterr().err == "error: no config file monitor.yaml (nor config.yaml): give one with -c FILE\n"
    assert cli.main(["plan", "-c", "nope.yaml"]) == 2
    assert capsys.readouterr().err == "error: no config file nope.yaml: give one with -c FILE\n"


def test_local_without_moto_names_the_extra_to_install(example_config, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "monitor.emulator.server", None)   # as if moto were not installed
    assert cli.main(["plan", "-c", str(example_config), "--local"]) == 1
    assert capsys.readouterr().err == "error: the embedded emulator needs moto: pip install 'ecs-monitor[local]'\n"


def test_the_commands_that_never_need_moto_do_not_import_it():
    code = "import sys, monitor.cli, monitor.sync.flow, monitor.commands.connect; print('moto' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("command", [["validate"], ["plan", "--local"]])
def test_an_unknown_profile_in_the_environment_does_not_break_offline_or_local_runs(example_config, command):
    """Nothing offline reads a profile, and the embedded emulator never uses the user's."""
    env = {**os.environ, "AWS_PROFILE": "nope"}
    done = subprocess.run([sys.executable, "-m", "monitor", *command, "-c", str(example_config)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


# --- usage errors and the prompt ------------------------------------------------------------

@pytest.mark.parametrize("where", ["--endpoint-url", "AWS_ENDPOINT_URL"])
def test_an_endpoint_without_a_scheme_is_a_usage_error(run, example_config, monkeypatch, where):
    argv = ["plan", "-c", str(example_config)]
    if where == "AWS_ENDPOINT_URL":
        monkeypatch.setenv("AWS_ENDPOINT_URL", "localhost:5000")
    else:
        argv += ["--endpoint-url", "localhost:5000"]
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err == f"error: {where} 'localhost:5000': not an http(s) URL with a host; write it like http://localhost:5000\n"


class Terminal(io.StringIO):
    """stdin as a terminal whose user typed `answer` ("": Ctrl-D)."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command, question", [
    ("apply", "Apply these changes to account 123456789012, Region ap-northeast-1?"),
    ("destroy", "Destroy these resources in account 123456789012, Region ap-northeast-1?")])
def test_ctrl_d_at_the_prompt_is_no(run, example_config, monkeypatch, command, question):
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(flow, "make_plan", lambda *_, **__: planned())
    known_target(monkeypatch)
    code, out, err = run(command, "-c", str(example_config))
    assert code == 1
    assert err == f"{question} Type 'yes' to go on: \nerror: cancelled; nothing was changed\n"
    assert question not in out   # the prompt is on stderr: stdout stays the plan and results only


def test_the_json_plan_is_shown_on_stderr_before_the_question_and_stdout_stays_json(run, example_config,
                                                                                    monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("no\n"))
    monkeypatch.setattr(flow, "make_plan", lambda *_, **__: planned())
    known_target(monkeypatch)
    code, out, err = run("apply", "-c", str(example_config), "--output", "json")
    assert code == 1 and out == ""
    assert err.index("- delete metric_filter /g:monitor-x") < err.index("Apply these changes to")
    assert err.startswith("Target: account 123456789012, Region ap-northeast-1\n")   # stdout stays JSON alone


@pytest.mark.parametrize("answer", ["y\n", "Y\n", "YES\n", "yes please\n", "ok\n", "\n"])
@pytest.mark.parametrize("command", ["apply", "destroy"])
def test_only_the_full_word_yes_goes_on(run, example_config, monkeypatch, command, answer):
    applied = []
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    monkeypatch.setattr(flow, "make_plan", lambda *_, **__: planned())
    monkeypatch.setattr(sync, "apply", lambda *args, **kwargs: applied.append(args) or [])
    known_target(monkeypatch)
    code, out, err = run(command, "-c", str(example_config))
    assert (code, applied) == (1, [])
    assert err.endswith("error: cancelled; nothing was changed\n")
    assert out.startswith("Target: account 123456789012, Region ap-northeast-1\n")


def test_yes_goes_on_and_the_prompt_names_the_target(run, example_config, monkeypatch):
    applied = []
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    monkeypatch.setattr(flow, "make_plan", lambda *_, **__: planned())
    monkeypatch.setattr(sync, "apply", lambda clients, plan, report: applied.append(plan) or [])
    known_target(monkeypatch)
    code, out, err = run("apply", "-c", str(example_config))
    assert code == 0 and len(applied) == 1
    assert err == "Apply these changes to account 123456789012, Region ap-northeast-1? Type 'yes' to go on: "


def planned() -> Plan:
    return Plan([Change("metric_filter", "/g:monitor-x", "delete", {"logGroupName": "/g", "filterName": "monitor-x"}, None)])


def test_an_answer_with_no_aws_error_is_one_line_naming_the_operation():
    error = bx.ClientError({"Error": {"Code": "500", "Message": "<!doctype html><html>...</html>"}},
                           "TestMetricFilter")
    assert explain(error) == ("TestMetricFilter got HTTP 500 with no AWS error in the answer: is the endpoint an "
                              "AWS API? (an emulator may not implement TestMetricFilter)")


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "http:///x"])
def test_a_malformed_endpoint_is_one_line_and_a_usage_error(run, example_config, url):
    code, out, err = run("plan", "-c", str(example_config), "--endpoint-url", url)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: --endpoint-url {url!r}: not ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_a_malformed_region_is_a_usage_error(run, example_config):
    code, out, err = run("plan", "-c", str(example_config), "--region", "us east 1")
    assert (code, out) == (2, "")
    assert err == "error: --region 'us east 1' does not look like an AWS Region, e.g. eu-west-1\n"


def test_access_denied_keeps_aws_words_on_which_policy_denied():
    error = bx.ClientError({"Error": {"Code": "AccessDeniedException", "Message": "with an explicit deny in a "
                                      "service control policy"}}, "DescribeLogGroups")
    assert explain(error) == ("access denied for DescribeLogGroups: grant it to the role or user running monitor "
                              "(AccessDeniedException: with an explicit deny in a service control policy)")
