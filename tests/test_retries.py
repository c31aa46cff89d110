"""Retries by kind of failure: throttling often, a silent endpoint briefly, a quota never."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import botocore.exceptions as bx
import pytest
from botocore.awsrequest import AWSResponse
from botocore.retries import standard

from monitor.aws import retries
from monitor.aws.clients import Clients, Target

ROOT = Path(__file__).resolve().parents[1]
SPEC = {"logGroupName": "/ecs/app", "filterName": "monitor-x", "filterPattern": "ERROR",
        "metricTransformations": [{"metricName": "Errors", "metricNamespace": "Custom/ECS", "metricValue": "1"}]}


class Body:
    """The raw stream AWSResponse reads its content from."""

    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_):
        yield self._data


def answering(status: int, code: str):
    """A `before-send` hook: every attempt gets this AWS JSON error instead of going on the wire.

    The reply is parsed and judged by the needs-retry handlers exactly as a real one would be
    (botocore/endpoint.py `_do_get_response` emits before-send for each attempt).
    """
    attempts = []

    def reply(request, **_):
        attempts.append(request.url)
        body = json.dumps({"__type": code, "message": f"{code} from the test"}).encode()
        headers = {"x-amzn-RequestId": "test", "Content-Type": "application/x-amz-json-1.1"}
        return AWSResponse(request.url, status, headers, Body(body))
    return reply, attempts


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)


def put_filter_answered(status: int, code: str) -> tuple[bx.ClientError, int]:
    clients = Clients(Target("us-east-1", endpoint_url="http://127.0.0.1:9"))
    reply, attempts = answering(status, code)
    clients.logs.meta.events.register("before-send.cloudwatch-logs", reply)
    with pytest.raises(bx.ClientError) as raised:
        clients.logs.put_metric_filter(**SPEC)
    return raised.value, len(attempts)


@pytest.mark.parametrize("status, code, attempts", [
    (400, "LimitExceededException", 1),          # the 100-filters-per-group quota: final
    (400, "ThrottlingException", retries.THROTTLED_ATTEMPTS),
    (503, "ServiceUnavailableException", retries.SERVER_ATTEMPTS),
    (503, "InternalFailure", retries.SERVER_ATTEMPTS),
    (400, "InvalidParameterException", 1),       # the request is wrong: again is no better
], ids=["limit-exceeded", "throttling", "service-unavailable", "5xx", "invalid-parameter"])
def test_each_kind_of_failure_is_tried_as_often_as_it_deserves(no_backoff, status, code, attempts):
    error, made = put_filter_answered(status, code)
    assert error.response["Error"]["Code"] == code
    assert made == attempts


def test_botocore_alone_would_retry_limit_exceeded_as_throttling():
    """Why the policy exists: standard mode's own list counts the quota error as throttling."""
    context = standard.RetryContext(attempt_number=1, parsed_response={"Error": {"Code": "LimitExceededException"}})
    assert standard.ThrottledRetryableChecker().is_retryable(context)
    assert not retries.Budgeted(standard.ThrottlingErrorDetector(standard.RetryEventAdapter())).is_retryable(context)


def test_clients_wait_a_bounded_time_for_an_answer():
    client = Clients(Target("us-east-1", endpoint_url="http://127.0.0.1:9")).logs
    assert client.meta.config.read_timeout == retries.READ_TIMEOUT
    assert client.meta.config.connect_timeout == retries.CONNECT_TIMEOUT


# --- an endpoint that accepts connections and never answers ---


@contextmanager
def silent_endpoint(lifetime: float = 90) -> Iterator[str]:
    """A local TCP server that accepts and never answers; it closes itself after `lifetime` seconds."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop, held = threading.Event(), []
    deadline = time.monotonic() + lifetime

    def serve() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
        for connection in held:
            connection.close()
        server.close()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()


# `python -m monitor` with the read timeout cut from 10 s to half a second: the same two silent
# tries, one second of waiting instead of twenty.
SHORT_READ_TIMEOUT = ("import sys; from monitor.aws import retries; retries.READ_TIMEOUT = 0.5; "
                      "from monitor.cli import main; raise SystemExit(main())")


def test_an_endpoint_that_never_answers_is_named_in_one_line(example_config):
    with silent_endpoint() as url:
        done = subprocess.run([sys.executable, "-c", SHORT_READ_TIMEOUT, "plan", "-c", str(example_config),
                               "--endpoint-url", url], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60, cwd=ROOT)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: no answer from " + url)
    assert done.stderr.count("\n") == 1
