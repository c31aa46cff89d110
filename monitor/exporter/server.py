"""The HTTP side: `/metrics` in the format the scraper asks for, `/healthz` and `/ready`.

`/metrics` uses prometheus_client's own encoders, chosen by the Accept header
(prometheus_client/exposition.py `choose_encoder`: OpenMetrics or the text format 0.0.4).
`/healthz` answers while the process serves (liveness); `/ready` answers 200 only after the
first good refresh and 503 before (readiness), so a load balancer or ECS health check waits
for data. Each request runs in a thread of its own, and nothing here waits for AWS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import CollectorRegistry

from monitor.exporter.rules import parse_listen

log = logging.getLogger("monitor.exporter")
TEXT = "text/plain; charset=utf-8"


class Server(ThreadingHTTPServer):
    daemon_threads = True        # a slow client never holds up shutdown
    allow_reuse_address = True   # a restart can bind at once


def make_server(listen: str, registry: CollectorRegistry, ready: Callable[[], bool]) -> Server:
    """Bound and ready to `serve_forever`; raises OSError when the address cannot be bound."""
    handler = type("Handler", (_Handler,), {"registry": registry, "ready": staticmethod(ready)})
    return Server(parse_listen(listen), handler)


class _Handler(BaseHTTPRequestHandler):
    registry: CollectorRegistry
    ready: Callable[[], bool]

    def do_GET(self) -> None:   # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            encoder, content_type = choose_encoder(self.headers.get("Accept", ""))
            self._send(200, encoder(self.registry), content_type)
        elif path == "/healthz":
            self._send(200, b"ok\n")
        elif path == "/ready":
            ok = self.ready()
            self._send(200 if ok else 503, b"ready\n" if ok else b"not ready: no good refresh yet\n")
        elif path == "/":
            self._send(200, b"ecs-monitor exporter: /metrics /healthz /ready\n")
        else:
            self._send(404, b"not found\n")

    def _send(self, status: int, body: bytes, content_type: str = TEXT) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:   # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)
