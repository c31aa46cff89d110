"""A proxy or load balancer in front of the endpoint: its 5xx answers in plain text or HTML are retried.

A tiny HTTP server on 127.0.0.1 stands in front of the suite's emulator (moto's ThreadedMotoServer)
and answers every other request itself with a 500 or 502 that no AWS API would write; the rest it
passes on. botocore's XML parsers (the query protocol of STS, which plan reads for the account)
raised on such bodies at once; now they are retried like any 5xx, and a plan goes through.
"""

from __future__ import annotations

import http.client
import json
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from botocore.retries import standard

from monitor.aws import retries
from monitor.cli import main
from test_cli_e2e import REGIONS, Account

PLAIN = (500, "text/plain", b"Internal Server Error")
HTML = (502, "text/html", b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                          b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
CONFIG = """\
version: 1
prefix: proxied
clusters:
  - name: behind-proxy
    services:
      - name: api
        containers:
          - name: app
            log_group: /ecs/behind-proxy/app
            filters: [{name: errors, pattern: ERROR, metric: Errors}]
            alarms: [{name: errors-high, metric: Errors, stat: Sum, comparison: '>', threshold: 1,
                      treat_missing_data: notBreaching}]
dashboards: [{name: ops}]
"""


def handler(upstream: str, answers: Iterator):
    """Answers from `answers` (None: pass the request on to `upstream`)."""
    target = urlsplit(upstream)

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):   # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answer = next(answers)
            status, kind, data = answer if answer else self._forward(body)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST

        def _forward(self, body: bytes) -> tuple[int, str, bytes]:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            connection.request(self.command, self.path, body, headers)
            reply = connection.getresponse()
            answer = (reply.status, reply.getheader("Content-Type", "application/octet-stream"), reply.read())
            connection.close()
            return answer

        def log_message(self, *args):
            pass
    return Proxy


@contextmanager
def proxy(upstream: str, answers: Iterator) -> Iterator[str]:
    lock, shared = threading.Lock(), iter(answers)

    def next_answer(_=None):
        with lock:
            return next(shared)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(upstream, map(next_answer, itertools.count())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)


@pytest.fixture
def account(emulator, tmp_path):
    aws = Account(emulator.url, next(REGIONS))
    aws.client("ecs").create_cluster(clusterName="behind-proxy")
    aws.client("logs").create_log_group(logGroupName="/ecs/behind-proxy/app")
    config = tmp_path / "monitor.yaml"
    config.write_text(CONFIG)
    return aws, config


def test_a_plan_goes_through_a_proxy_that_fails_every_other_request(account, no_backoff, capsys):
    aws, config = account
    failing = itertools.cycle([PLAIN, None, HTML, None])
    with proxy(aws.url, failing) as url:
        code = main(["plan", "-c", str(config), "--endpoint-url", url, "--region", aws.region, "--output", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["summary"]["create"] >= 3   # filter, alarm, dashboard (and more)


def test_a_proxy_that_always_fails_is_named_with_what_it_answered(account, no_backoff, capsys):
    aws, config = account
    with proxy(aws.url, itertools.repeat(HTML)) as url:
        code = main(["plan", "-c", str(config), "--endpoint-url", url, "--region", aws.region])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: GetCallerIdentity: {url} answered HTTP 502 Bad Gateway (text/html): "
                          '"<!DOCTYPE html> <html><head><title>502 Bad Gateway')
    assert f"({retries.SERVER_ATTEMPTS} tries)" in err


@pytest.mark.parametrize("service, call", [("sts", "get_caller_identity"), ("logs", "describe_log_groups"),
                                           ("cloudwatch", "describe_alarms")])
@pytest.mark.parametrize("answer", [PLAIN, HTML, (503, "text/plain", b""), (599, "application/json", b"{}")],
                         ids=["plain-500", "html-502", "empty-503", "json-599"])
def test_every_5xx_is_tried_as_often_as_the_readme_says(emulator, no_backoff, service, call, answer):
    from monitor.aws.clients import Clients, Target
    import botocore.exceptions as bx
    with proxy(emulator.url, itertools.repeat(answer)) as url:
        client = getattr(Clients(Target("us-east-1", endpoint_url=url, local=True)), service)
        with pytest.raises(bx.ClientError) as raised:
            getattr(client, call)()
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] + 1 == retries.SERVER_ATTEMPTS
    assert raised.value.response[retries.ANSWER].startswith(f"HTTP {answer[0]} ")
