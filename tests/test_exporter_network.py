"""The exporter's HTTP server facing a network: half-sent requests, a full accept queue, clients that
hang up, and TLS with basic auth from an exporter-toolkit web config."""

from __future__ import annotations

import base64
import datetime
import logging
import socket
import ssl
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import bcrypt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from prometheus_client import CollectorRegistry, Gauge

from monitor.cli import main
from monitor.exporter import server as http, webconfig

HALF = b"GET /metrics HTTP/1.1\r\nHost: exporter\r\nAccept: text/plain\r\n"   # no blank line: never finished


def registry(series: int = 3) -> CollectorRegistry:
    found = CollectorRegistry()
    gauge = Gauge("ecs_test_value", "a test gauge", ["n"], registry=found)
    for n in range(series):
        gauge.labels(str(n)).set(n)
    return found


@contextmanager
def serving(web=None, series: int = 3, start: bool = True):
    made = http.make_server("127.0.0.1:0", registry(series), lambda: True, web)
    if start:
        threading.Thread(target=made.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield made, made.server_address[1]
    finally:
        if start:
            made.shutdown()
        made.server_close()


def scrape(port: int, scheme: str = "http", context=None, auth: str | None = None,
           path: str = "/metrics") -> tuple[int, bytes, dict]:
    request = urllib.request.Request(f"{scheme}://127.0.0.1:{port}{path}")
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(http, "REQUEST_TIMEOUT", 0.5)


def test_half_open_connections_neither_delay_a_scrape_nor_stay(short_deadline):
    with serving() as (_, port):
        held = []
        for _ in range(300):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(HALF)
            held.append(connection)
        started = time.monotonic()
        status, body, _ = scrape(port)
        assert status == 200 and b'ecs_test_value{n="2"} 2.0' in body
        assert time.monotonic() - started < 2
        for connection in held:   # each was dropped at its deadline: the read ends, nothing was answered
            connection.settimeout(5)
            assert connection.recv(1024) == b""
            connection.close()


def test_a_request_trickled_a_byte_at_a_time_is_dropped_at_the_deadline(short_deadline):
    with serving() as (_, port):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        started = time.monotonic()
        dropped = False
        for byte in HALF * 10:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                dropped = True
                break
            time.sleep(0.02)
            if time.monotonic() - started > 3:
                break
        connection.settimeout(3)
        assert dropped or connection.recv(1024) == b""
        assert time.monotonic() - started < 3
        connection.close()


def test_the_accept_queue_holds_many_scrapers_at_once():
    """Before the server accepts anything, 300 connections are queued by the kernel, none refused."""
    with serving(start=False) as (made, port):
        assert made.request_queue_size >= 128
        connections = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(300)]
        for connection in connections:
            connection.close()


def test_clients_that_hang_up_are_a_debug_line_without_traceback(caplog, capfd, monkeypatch):
    """Clients that reset the connection (SO_LINGER 0) right after sending their request."""
    # A logging.config.dictConfig elsewhere in this worker (disable_existing_loggers) may have disabled it.
    monkeypatch.setattr(logging.getLogger("monitor.exporter"), "disabled", False)
    caplog.set_level(logging.DEBUG, logger="monitor.exporter")
    with serving() as (_, port):
        for _ in range(20):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            connection.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
            connection.close()   # RST: the server's write fails
        time.sleep(0.5)
        assert scrape(port)[0] == 200
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(r.levelno == logging.DEBUG and "127.0.0.1" in r.getMessage() for r in caplog.records)


# --- TLS and basic auth: --web-config in the exporter-toolkit format ---


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress")
                                                                               .ip_address("127.0.0.1"))]), False)
                   .sign(key, hashes.SHA256()))
    cert, private = folder / "exporter.crt", folder / "exporter.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


@pytest.fixture
def protected(tmp_path):
    """A web config with TLS (a self-signed certificate, paths relative to the file) and one user."""
    cert, _ = self_signed(tmp_path)
    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(4)).decode().replace("$2b$", "$2y$")   # as htpasswd writes
    path = tmp_path / "web-config.yml"
    path.write_text("tls_server_config:\n  cert_file: exporter.crt\n  key_file: exporter.key\n"
                    "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n"
                    f"basic_auth_users:\n  prometheus: '{hashed}'\n")
    web, problems = webconfig.load(path)
    assert not problems, problems
    return web, ssl.create_default_context(cafile=str(cert))


def test_tls_and_basic_auth_let_the_user_in(protected):
    web, trusted = protected
    with serving(web) as (_, port):
        status, body, headers = scrape(port, "https", trusted, "prometheus:s3cret")
        again = scrape(port, "https", trusted, "prometheus:s3cret")   # remembered: no second bcrypt
    assert status == 200 and b"ecs_test_value" in body and headers["X-Content-Type-Options"] == "nosniff"
    assert again[0] == 200


@pytest.mark.parametrize("auth", ["prometheus:wrong", "nobody:s3cret", None, "prometheus"],
                         ids=["wrong-password", "unknown-user", "no-credentials", "no-colon"])
def test_anything_else_gets_401(protected, auth):
    web, trusted = protected
    with serving(web) as (_, port):
        status, body, headers = scrape(port, "https", trusted, auth)
        root = scrape(port, "https", trusted, auth, path="/")
    assert (status, root[0]) == (401, 401) and b"ecs_test_value" not in body
    assert headers["WWW-Authenticate"] == 'Basic realm="ecs-monitor"'


def test_the_probes_answer_without_credentials(protected):
    web, trusted = protected
    with serving(web) as (_, port):
        assert scrape(port, "https", trusted, path="/healthz")[:2] == (200, b"ok\n")
        assert scrape(port, "https", trusted, path="/ready")[0] == 200


def test_plain_http_to_the_tls_port_is_refused_quietly(protected, caplog, capfd, short_deadline):
    caplog.set_level(logging.DEBUG, logger="monitor.exporter")
    web, trusted = protected
    with serving(web) as (_, port):
        with pytest.raises(OSError):
            scrape(port)
        assert scrape(port, "https", trusted, "prometheus:s3cret")[0] == 200
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


BAD_WEB_CONFIGS = [
    ("tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n",
     "2:14: error: EXP-022 tls_server_config.cert_file: cannot use missing.crt with missing.key"),
    ("basic_auth_users:\n  prometheus: plain-text-password\n", "2:15: error: EXP-021 basic_auth_users.prometheus: not a bcrypt hash"),
    ("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
     "4:3: error: EXP-020 tls_server_config.cipher_suites: 'cipher_suites' is part of the exporter-toolkit format but not "
     "supported"),
    ("basic_auth_user:\n  prometheus: x\n", "1:1: error: CFG-011 basic_auth_user: unknown key 'basic_auth_user'; did you mean "
                                           "'basic_auth_users'?"),
    ("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS9\n",
     "4:16: error: CFG-013 tls_server_config.min_version: input should be 'TLS10', 'TLS11', 'TLS12' or 'TLS13'"),
]


@pytest.mark.parametrize("text, said", BAD_WEB_CONFIGS, ids=["missing-cert", "plain-password", "cipher-suites",
                                                            "typo", "tls-version"])
def test_a_bad_web_config_is_placed_and_nothing_starts(tmp_path, capsys, example_config, text, said):
    path = tmp_path / "web.yml"
    path.write_text(text)
    code = main(["exporter", "-c", str(example_config), "--web-config", str(path),
                 "--endpoint-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1 and f"{path}:{said}" in err and "Traceback" not in err, err
    assert err.rstrip().endswith(f"error: {path} is not a valid web config (exporter-toolkit format)")


def test_the_shipped_example_works_together(tmp_path):
    """examples/exporter: the web config loads (with a certificate where it says), the task definition
    serves it, and Prometheus's scrape config speaks TLS and basic auth."""
    import json
    examples = Path(__file__).resolve().parents[1] / "examples" / "exporter"
    (tmp_path / "tls").mkdir()
    self_signed(tmp_path / "tls")
    (tmp_path / "web-config.yml").write_text((examples / "web-config.yml").read_text())
    web, problems = webconfig.load(tmp_path / "web-config.yml")
    assert not problems and web.tls is not None and bcrypt.checkpw(b"change-me", web.users["prometheus"])
    [container] = json.loads((examples / "task-definition.json").read_text())["containerDefinitions"]
    assert container["command"][-2:] == ["--web-config", "/config/web-config.yml"]
    assert "https://127.0.0.1:9108/ready" in container["healthCheck"]["command"][-1]
    scrape_config = (examples / "prometheus.yml").read_text()
    assert "scheme: https" in scrape_config and "basic_auth:" in scrape_config
