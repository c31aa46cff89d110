"""The HTTP side: `/metrics` in the format the scraper asks for, `/healthz` and `/ready`.

`/metrics` uses prometheus_client's own encoders, chosen by the Accept header
(prometheus_client/exposition.py `choose_encoder`: OpenMetrics or the text format 0.0.4).
`/healthz` answers while the process serves (liveness); `/ready` answers 200 only after the
first good refresh and 503 before (readiness), so a load balancer or ECS health check waits
for data. Each request runs in a thread of its own, and nothing here waits for AWS.

Facing a network: a client has REQUEST_TIMEOUT seconds to send its request (TLS handshake
included), else it is dropped (monitor/exporter/deadlines.py); the listen backlog holds BACKLOG
connections, room for many scrapers at once; a client that hangs up is a debug line, never a
traceback. With `--web-config` (monitor/exporter/webconfig.py) it serves TLS and asks for basic
auth on every path but the two probes, which tell nothing but ok or ready, as Prometheus's
exporters do with the exporter-toolkit
(https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import bcrypt
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import CollectorRegistry

from monitor.exporter.deadlines import Deadlines
from monitor.exporter.rules import parse_listen
from monitor.exporter.webconfig import WebConfig

log = logging.getLogger("monitor.exporter")
TEXT = "text/plain; charset=utf-8"
REQUEST_TIMEOUT = 5.0   # seconds to send a whole request; each read or write waits at most as long
BACKLOG = 512           # connections the kernel queues before accept (socketserver's default is 5)
PROBES = ("/healthz", "/ready")   # open without credentials, for health checks
# A valid hash to check unknown users against, so that an unknown user costs what a known one does.
DECOY = b"$2b$10$Hk7UcZw4u84XAz1bAzRyB..OAFeMFUf4EfrhjOBomY5uukVFSe5eq"


class Server(ThreadingHTTPServer):
    daemon_threads = True        # a slow client never holds up shutdown
    allow_reuse_address = True   # a restart can bind at once
    request_queue_size = BACKLOG

    def __init__(self, address, handler, web: WebConfig):
        self.web, self.deadlines, self.passed = web, Deadlines(), set()
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        """A client that hung up, reset or timed out is no error of ours: one debug line, no traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):   # BrokenPipe, ConnectionReset, TimeoutError, ssl.SSLError
            log.debug("%s: %s", client_address[0], error or type(error).__name__)
        else:
            log.error("request from %s failed", client_address[0], exc_info=True)

    def server_close(self) -> None:
        super().server_close()
        self.deadlines.close()


def make_server(listen: str, registry: CollectorRegistry, ready: Callable[[], bool],
                web: WebConfig | None = None) -> Server:
    """Bound and ready to `serve_forever`; raises OSError when the address cannot be bound."""
    handler = type("Handler", (_Handler,), {"registry": registry, "ready": staticmethod(ready),
                                            "timeout": REQUEST_TIMEOUT})
    return Server(parse_listen(listen), handler, web or WebConfig())


class _Handler(BaseHTTPRequestHandler):
    registry: CollectorRegistry
    ready: Callable[[], bool]
    server: Server

    def setup(self) -> None:
        """Watch the deadline from accept on; a TLS handshake happens here, in this thread, under it."""
        tls = self.server.web.tls
        if tls is not None:
            self.request = tls.wrap_socket(self.request, server_side=True, do_handshake_on_connect=False)
        self.server.deadlines.watch(self.request, self.timeout)
        super().setup()
        if tls is not None:
            self.connection.do_handshake()

    def parse_request(self) -> bool:
        """Reads the headers; with them in, the deadline is met."""
        parsed = super().parse_request()
        self.server.deadlines.release(self.request)
        return parsed

    def finish(self) -> None:
        self.server.deadlines.release(self.request)
        super().finish()

    def do_GET(self) -> None:   # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path not in PROBES and not self._authorized():
            self._send(401, b"Unauthorized\n", extra={"WWW-Authenticate": 'Basic realm="ecs-monitor"'})
        elif path == "/metrics":
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

    def _authorized(self) -> bool:
        """Basic auth (RFC 7617) against the bcrypt hashes; no users, no auth. Successes are remembered
        (as a digest), so only a new password pays bcrypt's cost, as the exporter-toolkit does."""
        users = self.server.web.users
        if not users:
            return True
        user, password = _credentials(self.headers.get("Authorization", ""))
        key = hashlib.sha256(f"{user}\0{password}".encode()).digest()
        if key in self.server.passed:
            return True
        hashed = users.get(user)
        matches = bcrypt.checkpw(password.encode(), hashed or DECOY) and hashed is not None
        if matches:
            self.server.passed.add(key)
        return matches

    def _send(self, status: int, body: bytes, content_type: str = TEXT, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**self.server.web.headers, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:   # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


def _credentials(header: str) -> tuple[str, str]:
    """(user, password) of `Basic base64(user:password)`; ("", "") for anything else."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return user, password
