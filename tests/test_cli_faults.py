"""Faults a user causes with a keystroke or a pipe: Ctrl-C during apply, `| head`.

`python -m monitor` runs as a subprocess against a real emulator process, as in test_cli_e2e
(whose Regions, one per test, are shared with this module: moto keeps one state per process).
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from test_cli_e2e import Account, REGIONS, assert_no_traceback, remote, run, subprocess_env

GROUPS, PER_GROUP = 4, 75   # 300 metric filters: apply takes a few seconds, long enough to interrupt
DONE = re.compile(r"interrupted: at least (\d+) of (\d+) changes done; the one in flight may have been applied "
                  r"too; run apply again to finish \(plan first to see what is left\)")


def bulk_config(groups: int = GROUPS, per_group: int = PER_GROUP) -> str:
    lines = ["version: 1", "clusters:", "  - name: bulk", "    services:", "      - name: api", "        containers:"]
    for group in range(groups):
        lines += [f"          - name: c{group}", f"            log_group: /ecs/bulk/c{group}", "            filters:"]
        lines += [f"              - {{name: f{n:03d}, pattern: 'ERROR{n}', metric: Errors{n}}}" for n in range(per_group)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def bulk(tmp_path, emulator) -> tuple[Account, Path]:
    """A fresh Region holding the cluster and log groups of a config of 300 metric filters."""
    aws = Account(emulator.url, next(REGIONS))
    aws.client("ecs").create_cluster(clusterName="bulk")
    for group in range(GROUPS):
        aws.client("logs").create_log_group(logGroupName=f"/ecs/bulk/c{group}")
    config = tmp_path / "monitor.yaml"
    config.write_text(bulk_config())
    return aws, config


def start(*argv: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "monitor", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=subprocess_env(), text=True, **options)


def read_results(process: subprocess.Popen, wanted: int) -> list[str]:
    """Lines until `wanted` applied results ('... [ok]') have been printed."""
    results: list[str] = []
    while len(results) < wanted:
        line = process.stdout.readline()
        assert line, "apply ended before it could be interrupted"
        results += [line] if line.rstrip().endswith("[ok]") else []
    return results


def test_ctrl_c_during_apply_says_how_far_it_got_and_apply_again_finishes(bulk):
    aws, config = bulk
    process = start("apply", *remote(aws, config), "--yes")
    printed = read_results(process, 20)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    printed += [line for line in out.splitlines() if line.endswith("[ok]")]

    assert process.returncode == 130, out + err
    assert_no_traceback(out, err)
    [done] = DONE.findall(err)
    assert int(done[1]) == GROUPS * PER_GROUP
    assert len(printed) <= int(done[0]) <= len(printed) + 1   # the last may be done but not yet printed
    assert int(done[0]) < GROUPS * PER_GROUP

    again = run("apply", *remote(aws, config), "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    final = run("plan", *remote(aws, config), "--detailed-exitcode")
    assert final.returncode == 0 and "No changes" in final.stdout, final.stdout + final.stderr
    assert len(aws.all_filters()) == GROUPS * PER_GROUP


# --- | head: the reader goes away; monitor ends quietly, as Unix tools do ---


def head(process: subprocess.Popen, lines: int) -> tuple[list[str], str]:
    """Read `lines` lines, then close the pipe as `head` does; what was read and stderr."""
    got = [process.stdout.readline() for _ in range(lines)]
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=120)
    return got, err


def assert_quiet(process: subprocess.Popen, got: list[str], err: str) -> None:
    assert all(got), got
    assert "error:" not in err and "Exception ignored" not in err, err
    assert_no_traceback(err)
    assert process.returncode in (0, 141)   # 141: a tool ended by SIGPIPE, as a shell reports it


def test_demo_into_head(tmp_path):
    process = start("demo", cwd=tmp_path)
    assert_quiet(process, *head(process, 3))


def test_test_filter_into_head(tmp_path):
    events = tmp_path / "app.log"
    events.write_text("".join(f"ERROR number {n}\n" for n in range(50_000)))   # far more than a pipe holds
    process = start("test-filter", "ERROR", str(events))
    assert_quiet(process, *head(process, 1))
    assert process.returncode == 141


def test_destroy_json_into_head(bulk):
    aws, config = bulk
    assert run("apply", *remote(aws, config), "--yes").returncode == 0
    process = start("destroy", *remote(aws, config), "--yes", "--output", "json")   # a document of 300 changes
    got, err = head(process, 1)
    assert got == ["{\n"]
    assert_quiet(process, got, err)


# --- an endpoint that is no AWS API: a plain HTTP server answering 404 with an empty body ---


class NotFound(BaseHTTPRequestHandler):
    """What `python -m http.server` answers a POST to /: 404 (here with an empty body)."""

    def do_POST(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def not_aws():
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_endpoint_that_is_no_aws_api_is_a_clear_error(tmp_path, not_aws):
    """A dashboard showing alarms makes plan read the account first (sts:GetCallerIdentity, a
    query-protocol API): botocore cannot parse the empty 404 as XML (ResponseParserError)."""
    config = tmp_path / "monitor.yaml"
    config.write_text(bulk_config(1, 1).replace(
        "filters:", "alarms: [{name: e, metric: Errors0, stat: Sum, comparison: '>', threshold: 1}]\n"
                    "            filters:") + "dashboards: [{name: ops}]\n")
    result = run("plan", "-c", str(config), "--endpoint-url", not_aws, "--region", "us-east-1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result.stdout, result.stderr)
    assert not_aws in result.stderr and "AWS API" in result.stderr, result.stderr


# A sitecustomize that makes the CLI's first heavy import (botocore) slow, and says when it has begun:
# a Ctrl-C then lands inside the real chain of imports, as a quick Ctrl-C after typing a command does.
SLOW_IMPORT = '''
import sys, time

class SlowBotocore:
    def find_spec(self, name, path=None, target=None):
        if name == "botocore":
            sys.meta_path.remove(self)
            sys.stderr.write("importing botocore\\n")
            sys.stderr.flush()
            time.sleep(60)
        return None

sys.meta_path.insert(0, SlowBotocore())
'''


@pytest.mark.parametrize("command", [[sys.executable, "-m", "monitor"], [str(Path(sys.executable).with_name("monitor"))]],
                         ids=["python -m monitor", "console script"])
def test_ctrl_c_during_the_imports_is_one_line_and_exit_130(tmp_path, command):
    (tmp_path / "sitecustomize.py").write_text(SLOW_IMPORT)
    config = tmp_path / "monitor.yaml"
    config.write_text("version: 1\nclusters: []\n")
    process = subprocess.Popen([*command, "validate", "-c", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               env=subprocess_env(PYTHONPATH=str(tmp_path)))
    assert process.stderr.readline() == "importing botocore\n"   # inside `import monitor.cli`, not yet in main
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (130, "", "error: interrupted\n")
