"""End to end with real Prometheus tools: `promtool check metrics` finds nothing to say about the
exposition, and a Prometheus server scraping the exporter (on the embedded emulator) answers a
query for a derived series. Debian's `prometheus` package provides both; `make test` installs it, and
a machine without it fails here rather than skipping."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
from datetime import datetime, timezone

import pytest

from monitor.aws.clients import Clients, Target
from test_exporter_daemon import free_port, get, wait_for

REGION = "ap-southeast-2"
CONFIG = f"""
version: 1
region: {REGION}
clusters:
  - name: prod
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/prod/app
            filters:
              - {{name: slow, pattern: '{{ $.duration > 1000 }}', metric: SlowRequests, unit: Count}}
exporter:
  interval: 1
  delay: 0
  derived:
    - {{name: web_slow_requests, expr: SlowRequests, help: Slow requests in the last complete minute.}}
"""


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: apt-get install prometheus (Debian's package; `make test` installs it)")
    return found


@pytest.fixture(scope="module")
def exporter(emulator, tmp_path_factory):
    """An exporter process over seeded data: 7 slow requests in every minute around now."""
    tmp_path = tmp_path_factory.mktemp("exporter")
    cloudwatch = Clients(Target(REGION, endpoint_url=emulator.url, local=True)).cloudwatch
    minute = int(datetime.now(timezone.utc).timestamp()) // 60 * 60
    cloudwatch.put_metric_data(Namespace="Custom/ECS/prod/web/app", MetricData=[
        {"MetricName": "SlowRequests", "Value": 7.0, "Unit": "Count",
         "Timestamp": datetime.fromtimestamp(minute + 60 * offset + 1, timezone.utc)} for offset in range(-10, 10)])
    path = tmp_path / "monitor.yaml"
    path.write_text(CONFIG)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "exporter", "-c", str(path), "--endpoint-url",
                                emulator.url, "--listen", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(url + "/ready")[0] == 200, "the exporter ready")
        yield port, url
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_promtool_finds_no_problem_in_the_exposition(exporter):
    _, url = exporter
    status, text = get(url + "/metrics")
    assert status == 200 and "web_slow_requests{" in text
    checked = subprocess.run([tool("promtool"), "check", "metrics"], input=text, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "" and checked.stderr.strip() == ""


def test_a_prometheus_server_scrapes_the_derived_series(exporter, tmp_path):
    port, _ = exporter
    web = free_port()
    settings = tmp_path / "prometheus.yml"
    settings.write_text(json.dumps({   # JSON is YAML
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "scrape_configs": [{"job_name": "ecs-monitor", "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}]}))
    server = subprocess.Popen([tool("prometheus"), f"--config.file={settings}", f"--storage.tsdb.path={tmp_path / 'data'}",
                               f"--web.listen-address=127.0.0.1:{web}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    query = urllib.parse.quote('web_slow_requests{ecs_cluster="prod",ecs_service="web",ecs_container="app"}')
    try:
        answer = wait_for(lambda: _results(f"http://127.0.0.1:{web}/api/v1/query?query={query}"),
                          "Prometheus to hold the derived series", seconds=60)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert len(answer) == 1
    assert answer[0]["metric"]["job"] == "ecs-monitor" and answer[0]["metric"]["ecs_container"] == "app"
    assert float(answer[0]["value"][1]) == 7.0


def _results(url: str) -> list:
    status, text = get(url)
    return json.loads(text)["data"]["result"] if status == 200 else []
