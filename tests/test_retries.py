"""Retries by kind of failure: throttling often, a silent endpoint briefly, a quota never."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import botocore.exceptions as bx
import pytest
from botocore.awsrequest import AWSResponse
from botocore.retries import standard

from monitor.aws import retries
from monitor.aws.clients import Clients, Target
from monitor.cli import main

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


# --- an endpoint that accepts connections and never answers: one budget per command ---


@dataclass
class Silent:
    """A local TCP server that accepts and never answers; `accepted` counts the connections (the tries)."""

    url: str
    held: list

    @property
    def accepted(self) -> int:
        return len(self.held)

    def settled(self, expected: int, within: float = 5.0) -> int:
        """The connections accepted, once the server thread has taken `expected` of them from the backlog
        (a connection is made before the thread accepts it) or `within` seconds have passed."""
        deadline = time.monotonic() + within
        while self.accepted < expected and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.accepted


@contextmanager
def silent_endpoint(lifetime: float = 90) -> Iterator[Silent]:
    """It closes itself after `lifetime` seconds."""
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
        yield Silent(f"http://127.0.0.1:{server.getsockname()[1]}", held)
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def short_timeouts(monkeypatch, no_backoff):
    """The seam: seconds instead of tens of seconds, the same budgets in proportion (10 s : 30 s)."""
    monkeypatch.setattr(retries, "READ_TIMEOUT", 0.4)
    monkeypatch.setattr(retries, "CONNECT_TIMEOUT", 0.4)
    monkeypatch.setattr(retries, "SILENT_BUDGET", 1.2)


COMMANDS = [["plan"], ["apply", "--yes"], ["destroy", "--yes"], ["review", "--deployed"], ["exporter", "--once"],
            ["test-filter", "ERROR", "--aws"]]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv))
def test_the_first_silent_call_ends_the_command_in_one_line(argv, example_config, short_timeouts, capsys,
                                                           monkeypatch, tmp_path):
    """However many calls the command has left (the exporter's task definitions, then GetMetricData),
    it gives up after the first call's tries, naming the endpoint once."""
    events = tmp_path / "events.log"
    events.write_text("ERROR one\n")
    monkeypatch.setattr("sys.stdin", open(events))
    config = [] if argv[0] == "test-filter" else ["-c", str(example_config)]
    with silent_endpoint() as silent:
        code = main([*argv, *config, "--endpoint-url", silent.url])
        tries = silent.settled(retries.SILENT_ATTEMPTS)
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"error: no answer from {silent.url}/ within 0.4 s (2 tries)"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert tries == retries.SILENT_ATTEMPTS


def test_the_budget_caps_the_tries_of_one_call(short_timeouts, monkeypatch):
    monkeypatch.setattr(retries, "SILENT_BUDGET", 0.6)   # room for one 0.4 s wait, not two
    with silent_endpoint() as silent:
        clients = Clients(Target("us-east-1", endpoint_url=silent.url))
        with pytest.raises(bx.ReadTimeoutError):
            clients.logs.describe_log_groups()
        with pytest.raises(bx.ReadTimeoutError):   # later calls fail at once, the same way
            clients.cloudwatch.describe_alarms()
        assert silent.settled(1) == 1


def test_each_daemon_refresh_has_a_budget_of_its_own(short_timeouts):
    from monitor.config.model import Exporter
    from monitor.exporter import queries
    from monitor.exporter.refresh import QueryPlan, Refresher
    query = queries.Query("Custom/ECS/c/s/app", "Latency", (), "Average", queries.FILTERS, "ecs_filter_latency_seconds",
                          "Milliseconds", (("ecs_cluster", "c"), ("ecs_service", "s"), ("container", "app")))
    with silent_endpoint() as silent:
        refresher = Refresher(Clients(Target("us-east-1", endpoint_url=silent.url)), QueryPlan(Exporter(delay=0), (query,)))
        refresher.due()
        first = silent.settled(retries.SILENT_ATTEMPTS)
        refresher.retry_at = 0   # the backoff is over
        refresher.due()
        second = silent.settled(2 * retries.SILENT_ATTEMPTS)
    assert not refresher.current.health.up and silent.url in refresher.current.health.error
    assert (first, second) == (retries.SILENT_ATTEMPTS, 2 * retries.SILENT_ATTEMPTS)
