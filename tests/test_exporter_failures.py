"""AWS failing under a running exporter: errors, throttling, an endpoint that never answers.
/metrics keeps answering with the last good snapshot, `ecs_monitor_up` drops to 0, and comes back."""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from prometheus_client.parser import text_string_to_metric_families

from monitor.aws import retries
from monitor.aws.clients import Clients, Target
from monitor.config.model import Exporter
from monitor.exporter import queries
from monitor.exporter.collector import registry
from monitor.exporter.refresh import QueryPlan, Refresher
from monitor.exporter.server import make_server

REGION = "eu-south-1"
THROTTLED = (400, "Throttling", "Rate exceeded")
BROKEN = (500, "InternalFailure", "The request processing has failed")


class Proxy:
    """Forwards to the emulator, or fails as told: `mode` is "ok", a (status, code, message) or "hang"."""

    def __init__(self, upstream: str):
        self.mode, self.release = "ok", threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):   # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if proxy.mode == "hang":
                    proxy.release.wait(30)
                    return
                if proxy.mode != "ok":
                    status, code, message = proxy.mode
                    # as CloudWatch's JSON protocol words an error (botocore parsers.py, BaseJSONParser)
                    self._reply(status, json.dumps({"__type": code, "message": message}).encode(),
                                {"Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": f"{code};Sender"})
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                request = urllib.request.Request(upstream + self.path, body, headers, method="POST")
                with urllib.request.urlopen(request) as answer:
                    self._reply(answer.status, answer.read(), dict(answer.headers.items()))

            def _reply(self, status, data, headers):
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "server", "date", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fast_failures(monkeypatch):
    """Retry budgets and timeouts small enough for a test; the policy is the same."""
    monkeypatch.setattr(retries, "READ_TIMEOUT", 1)
    monkeypatch.setattr(retries, "THROTTLED_ATTEMPTS", 2)
    monkeypatch.setattr(retries, "SERVER_ATTEMPTS", 1)
    monkeypatch.setattr(retries, "SILENT_ATTEMPTS", 1)


@pytest.fixture
def running(emulator, fast_failures):
    """An exporter's refresher and HTTP server, reading through a proxy to the emulator."""
    proxy = Proxy(emulator.url)
    seed = Clients(Target(REGION, endpoint_url=emulator.url, local=True))
    seed.cloudwatch.put_metric_data(Namespace="Custom/ECS/c/s/app", MetricData=[
        {"MetricName": "Latency", "Value": 250.0, "Unit": "Milliseconds"}])
    query = queries.Query("Custom/ECS/c/s/app", "Latency", (), "Average", queries.FILTERS, "ecs_filter_latency_seconds",
                          "Milliseconds", (("ecs_cluster", "c"), ("ecs_service", "s"), ("ecs_container", "app")))
    made = Clients(Target(REGION, endpoint_url=proxy.url, local=True))
    refresher = Refresher(made, QueryPlan(Exporter(delay=0), (query,)), clock=lambda: __import__("time").time() + 60)
    server = make_server("127.0.0.1:0", registry(lambda: refresher.current), lambda: refresher.ready)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    yield proxy, refresher, f"http://127.0.0.1:{server.server_address[1]}"
    proxy.release.set()
    server.shutdown()
    proxy.server.shutdown()


def scrape(url: str) -> dict[str, float]:
    """GET /metrics with a client timeout: a scrape that waited for AWS would fail here."""
    with urllib.request.urlopen(url + "/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {s.name: s.value for family in text_string_to_metric_families(text) for s in family.samples
            if not s.labels or s.name.startswith("ecs_filter")}


def status(url: str, path: str) -> int:
    try:
        with urllib.request.urlopen(url + path, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("failure", [THROTTLED, BROKEN], ids=["throttling", "server-error"])
def test_errors_keep_the_last_snapshot_and_up_recovers(running, failure):
    proxy, refresher, url = running
    assert status(url, "/ready") == 503 and status(url, "/healthz") == 200
    assert refresher.refresh()
    assert status(url, "/ready") == 200
    assert scrape(url)["ecs_filter_latency_seconds"] == 0.25
    proxy.mode = failure
    assert not refresher.refresh()
    found = scrape(url)
    assert found["ecs_monitor_up"] == 0.0 and found["ecs_filter_latency_seconds"] == 0.25
    assert status(url, "/ready") == 200   # stale data is still data: ready stays
    assert refresher.current.health.errors[("GetMetricData", failure[1])] >= 1
    proxy.mode = "ok"
    assert refresher.refresh()
    assert scrape(url)["ecs_monitor_up"] == 1.0


def test_an_endpoint_that_never_answers_does_not_hold_up_scrapes(running):
    proxy, refresher, url = running
    assert refresher.refresh()
    proxy.mode = "hang"
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(refresher.refresh()))
    worker.start()
    found = scrape(url)   # while the refresh waits for the endpoint
    assert found["ecs_filter_latency_seconds"] == 0.25 and found["ecs_monitor_up"] == 1.0
    worker.join(30)
    assert outcome == [False]
    assert scrape(url)["ecs_monitor_up"] == 0.0
    assert refresher.current.health.errors[("GetMetricData", "ReadTimeoutError")] >= 1
    proxy.mode = "ok"
    assert refresher.refresh() and scrape(url)["ecs_monitor_up"] == 1.0


def test_failures_back_off_and_a_success_resets_the_wait(running):
    proxy, refresher, _ = running
    proxy.mode = BROKEN
    refresher.refresh()
    refresher.refresh()
    assert refresher.current.health.failures == 2
    assert refresher.retry_at > __import__("time").monotonic()
    refresher.due()   # backing off: skipped
    assert refresher.current.health.refreshes == {"error": 2}
    proxy.mode = "ok"
    refresher.refresh()
    assert refresher.current.health.failures == 0
